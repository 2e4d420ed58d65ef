// Layer normalisation of x (M, N) over rows, batch normalisation of x (N, C, S) per channel and
// group normalisation of x (N, C, S) per (n, group of C / G channels), forward and backward. One
// thread block per row (layer norm), channel (batch norm) or (n, group) (group norm) reduces the
// statistics in double, two passes (mean, then the centred sum of squares), as accurate as the
// CPU's pairwise moments; the weight and bias gradients of layer and group norm are sums per
// column or channel, one thread each walking the rows in order (deterministic). Layer norm rows of
// up to 8192 float32 / 4096 float64 elements are held in registers and read once. Batch norm
// channels of many elements are split over many blocks (partials combined in a fixed order).
#include "cuda/buffer.cuh"
#include "cuda/nn.cuh"
#include "cuda/nn_common.cuh"

namespace wick::cuda {

namespace kernels {

// The two centred sums of a row, sum of (x - mu_t) and of (x - mu_t)^2, combined across the block
// in one reduction.
template <class T>
struct CentredSums {
    T d, q;
    __device__ __forceinline__ CentredSums operator+(const CentredSums& o) const { return {d + o.d, q + o.q}; }
};

template <class T>
__global__ void __launch_bounds__(kThreads) layer_norm_rows(T* out, T* mean, T* rstd, const T* x, const T* w, const T* b,
                                                            int64_t N, double eps) {
    __shared__ double slots[kThreads];
    __shared__ CentredSums<double> pair_slots[kThreads];
    const int64_t r = blockIdx.x;
    const T* xr = x + r * N;
    T* yr = out + r * N;
    double s = 0;
    for (int64_t j = threadIdx.x; j < N; j += blockDim.x) s += static_cast<double>(xr[j]);
    const T mu_t = static_cast<T>(block_reduce(s, slots, SumOp{}) / static_cast<double>(N));
    // Centred on mu_t, with the mean of x - mu_t taken out again (as layer_norm_rows_regs).
    double d = 0, q = 0;
    for (int64_t j = threadIdx.x; j < N; j += blockDim.x) {
        const double c = static_cast<double>(xr[j] - mu_t);
        d += c;
        q += c * c;
    }
    const CentredSums<double> t = block_reduce(CentredSums<double>{d, q}, pair_slots, SumOp{});
    const double dm = t.d / static_cast<double>(N), var = fmax(t.q / static_cast<double>(N) - dm * dm, 0.0);
    const T rs = static_cast<T>(1.0 / m_sqrt(var + eps)), dm_t = static_cast<T>(dm);
    for (int64_t j = threadIdx.x; j < N; j += blockDim.x) {
        T v = ((xr[j] - mu_t) - dm_t) * rs;
        if (w != nullptr) v = v * w[j];
        if (b != nullptr) v = v + b[j];
        yr[j] = v;
    }
    if (threadIdx.x == 0) {
        mean[r] = static_cast<T>(static_cast<double>(mu_t) + dm);
        rstd[r] = rs;
    }
}

// layer_norm_rows for rows that fit registers (row_plan): x is read once, its vectors kept in
// registers for the mean, the centred sum of squares and the output. Each thread sums its own
// E * V <= 32 values in T, and the block combines the threads' partial sums of x in double (no
// per-element float-to-double conversion, a quarter-rate instruction that held this kernel below
// the copy bandwidth). The squares are centred on mu_t, the mean rounded to T, and the sum of
// d = x - mu_t takes out what that rounding adds: var = q / N - (d / N)^2, as sum (x - mu_t)^2 =
// sum (x - mu)^2 + N (mu - mu_t)^2. Centred values are small, so their sums stay in T; the output
// is ((x - mu_t) - d / N) * rstd, exact for rows far from zero (1000 + [0, 0.01) in float32).
template <class T, int E, bool Aligned>
__global__ void __launch_bounds__(kThreads) layer_norm_rows_regs(T* out, T* mean, T* rstd, const T* x, const T* w,
                                                                 const T* b, int64_t N, double inv_n, T eps) {
    constexpr int V = kRowVec<T>;
    __shared__ double mean_slots[kThreads / 32];
    __shared__ CentredSums<T> slots[kThreads / 32];
    const int64_t r = blockIdx.x, base = r * N;
    const int64_t step = static_cast<int64_t>(blockDim.x) * V, j0 = static_cast<int64_t>(threadIdx.x) * V;
    T v[E][V];
    T s = 0;
#pragma unroll
    for (int e = 0; e < E; ++e) {
        row_load<T, Aligned>(v[e], x + base, j0 + e * step, N, T(0));  // padding 0 adds nothing to s
#pragma unroll
        for (int k = 0; k < V; ++k) s += v[e][k];
    }
    const T mu_t = static_cast<T>(block_reduce_warps(static_cast<double>(s), mean_slots, SumOp{}) * inv_n);
    T d = 0, q = 0;
#pragma unroll
    for (int e = 0; e < E; ++e)
#pragma unroll
        for (int k = 0; k < V; ++k)
            if (j0 + e * step + k < N) {
                const T c = v[e][k] - mu_t;
                d += c;
                q += c * c;
            }
    const CentredSums<T> t = block_reduce_warps(CentredSums<T>{d, q}, slots, SumOp{});
    const T n_inv = static_cast<T>(inv_n), dm = t.d * n_inv, var = t.q * n_inv - dm * dm;
    const T rs = T(1) / m_sqrt((var > T(0) ? var : T(0)) + eps);
#pragma unroll
    for (int e = 0; e < E; ++e) {
        const int64_t j = j0 + e * step;
#pragma unroll
        for (int k = 0; k < V; ++k) v[e][k] = ((v[e][k] - mu_t) - dm) * rs;
        if (w != nullptr) {
            T wv[V];
            row_load<T, Aligned>(wv, w, j, N, T(0));
#pragma unroll
            for (int k = 0; k < V; ++k) v[e][k] = v[e][k] * wv[k];
        }
        if (b != nullptr) {
            T bv[V];
            row_load<T, Aligned>(bv, b, j, N, T(0));
#pragma unroll
            for (int k = 0; k < V; ++k) v[e][k] = v[e][k] + bv[k];
        }
        row_store<T, Aligned>(out + base, v[e], j, N);
    }
    if (threadIdx.x == 0) {
        mean[r] = static_cast<T>(static_cast<double>(mu_t) + static_cast<double>(dm));
        rstd[r] = rs;
    }
}

// gx = rs * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = g * w.
template <class T>
__global__ void __launch_bounds__(kThreads) layer_norm_backward_rows(T* gx, const T* g, const T* x, const T* mean,
                                                                     const T* rstd, const T* w, int64_t N) {
    __shared__ double slots[kThreads];
    __shared__ CentredSums<double> pair_slots[kThreads];
    const int64_t r = blockIdx.x;
    const T* xr = x + r * N;
    const T* gr = g + r * N;
    const double mu = static_cast<double>(mean[r]), rs = static_cast<double>(rstd[r]);
    double s1 = 0, s2 = 0;
    for (int64_t j = threadIdx.x; j < N; j += blockDim.x) {
        const double d = static_cast<double>(gr[j]) * (w != nullptr ? static_cast<double>(w[j]) : 1.0);
        s1 += d;
        s2 += d * (static_cast<double>(xr[j]) - mu) * rs;
    }
    const double m1 = block_reduce(s1, slots, SumOp{}) / static_cast<double>(N);
    const double m2 = block_reduce(s2, slots, SumOp{}) / static_cast<double>(N);
    for (int64_t j = threadIdx.x; j < N; j += blockDim.x) {
        const double d = static_cast<double>(gr[j]) * (w != nullptr ? static_cast<double>(w[j]) : 1.0);
        const double xhat = (static_cast<double>(xr[j]) - mu) * rs;
        gx[r * N + j] = static_cast<T>(rs * (d - m1 - xhat * m2));
    }
}

template <class T>
__global__ void __launch_bounds__(kThreads) layer_norm_backward_columns(T* gw, T* gb, const T* g, const T* x,
                                                                        const T* mean, const T* rstd, int64_t M, int64_t N) {
    const int64_t j = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (j >= N) return;
    double sw = 0, sb = 0;
    for (int64_t r = 0; r < M; ++r) {
        const double gv = static_cast<double>(g[r * N + j]);
        sw += gv * (static_cast<double>(x[r * N + j]) - static_cast<double>(mean[r])) * static_cast<double>(rstd[r]);
        sb += gv;
    }
    if (gw != nullptr) gw[j] = static_cast<T>(sw);
    if (gb != nullptr) gb[j] = static_cast<T>(sb);
}

// Block c: channel c of x (N, C, S).
template <class T>
__global__ void __launch_bounds__(kThreads)
    batch_norm_channels(T* out, T* save_mean, T* save_invstd, T* rm, T* rv, const T* x, const T* w, const T* b, int64_t N,
                        int64_t C, int64_t S, int32_t training, double momentum, double eps) {
    __shared__ double slots[kThreads];
    const int64_t c = blockIdx.x, M = N * S;
    double mean, invstd;
    if (training) {
        double s = 0;
        for (int64_t j = threadIdx.x; j < M; j += blockDim.x) {
            const int64_t n = j / S;
            s += static_cast<double>(x[(n * C + c) * S + (j - n * S)]);
        }
        mean = M > 0 ? block_reduce(s, slots, SumOp{}) / static_cast<double>(M) : 0.0;
        double q = 0;
        for (int64_t j = threadIdx.x; j < M; j += blockDim.x) {
            const int64_t n = j / S;
            const double d = static_cast<double>(x[(n * C + c) * S + (j - n * S)]) - mean;
            q += d * d;
        }
        const double var = M > 0 ? block_reduce(q, slots, SumOp{}) / static_cast<double>(M) : 0.0;
        invstd = 1.0 / m_sqrt(var + eps);
        if (threadIdx.x == 0) {
            save_mean[c] = static_cast<T>(mean);
            save_invstd[c] = static_cast<T>(invstd);
            if (rm != nullptr) rm[c] = static_cast<T>((1 - momentum) * static_cast<double>(rm[c]) + momentum * mean);
            if (rv != nullptr && M > 1)
                rv[c] = static_cast<T>((1 - momentum) * static_cast<double>(rv[c]) +
                                       momentum * var * static_cast<double>(M) / static_cast<double>(M - 1));
        }
    } else {
        mean = static_cast<double>(rm[c]);
        invstd = 1.0 / m_sqrt(static_cast<double>(rv[c]) + eps);
    }
    // y = x * a + shift, a and shift rounded to T once (as the CPU).
    const double a = (w != nullptr ? static_cast<double>(w[c]) : 1.0) * invstd;
    const T at = static_cast<T>(a), st = static_cast<T>((b != nullptr ? static_cast<double>(b[c]) : 0.0) - mean * a);
    for (int64_t j = threadIdx.x; j < M; j += blockDim.x) {
        const int64_t n = j / S, at_ = (n * C + c) * S + (j - n * S);
        out[at_] = x[at_] * at + st;
    }
}

template <class T>
__global__ void __launch_bounds__(kThreads)
    batch_norm_backward_channels(T* gx, T* gw, T* gb, const T* g, const T* x, const T* w, const T* mean, const T* invstd,
                                 int64_t N, int64_t C, int64_t S, int32_t training) {
    __shared__ double slots[kThreads];
    const int64_t c = blockIdx.x, M = N * S;
    const double mu = static_cast<double>(mean[c]), is = static_cast<double>(invstd[c]);
    double sg = 0, sgc = 0;
    for (int64_t j = threadIdx.x; j < M; j += blockDim.x) {
        const int64_t n = j / S, at = (n * C + c) * S + (j - n * S);
        sg += static_cast<double>(g[at]);
        sgc += static_cast<double>(g[at]) * (static_cast<double>(x[at]) - mu);
    }
    const double sum_g = block_reduce(sg, slots, SumOp{});
    const double sum_gc = block_reduce(sgc, slots, SumOp{});
    if (threadIdx.x == 0) {
        if (gw != nullptr) gw[c] = static_cast<T>(sum_gc * is);
        if (gb != nullptr) gb[c] = static_cast<T>(sum_g);
    }
    if (gx == nullptr) return;
    const double k = (w != nullptr ? static_cast<double>(w[c]) : 1.0) * is;
    const double mg = training && M > 0 ? sum_g / static_cast<double>(M) : 0.0;
    const double proj = training && M > 0 ? is * is * sum_gc / static_cast<double>(M) : 0.0;
    for (int64_t j = threadIdx.x; j < M; j += blockDim.x) {
        const int64_t n = j / S, at = (n * C + c) * S + (j - n * S);
        gx[at] = static_cast<T>(k * (static_cast<double>(g[at]) - mg - (static_cast<double>(x[at]) - mu) * proj));
    }
}

// Batch norm with many elements per channel: one block per channel would leave most of the GPU
// idle (32 channels of 401k elements in a CNN at batch 512), so each channel is split into parts
// (channel_part_sums in nn_common.cuh), the parts are combined per channel in part order
// (deterministic), and the elementwise pass runs one block per (n, c) plane.

// part2[c * P + p] = sum of (x - mean)^2 over part p, the mean from the sums of channel_part_sums.
template <class T>
__global__ void __launch_bounds__(kThreads) bn_split_centred(double* part2, const double* part, const T* x, int64_t N,
                                                             int64_t C, int64_t S, int64_t per, int64_t P) {
    __shared__ double slots[kThreads];
    const int64_t c = blockIdx.x / P, p = blockIdx.x - c * P, n0 = p * per;
    const int64_t cnt = (N - n0 < per ? N - n0 : per) * S;
    double mean = 0;
    for (int64_t q = 0; q < P; ++q) mean += part[c * P + q];
    mean /= static_cast<double>(N * S);
    double s = 0;
    for (int64_t j = threadIdx.x; j < cnt; j += blockDim.x) {
        const int64_t l = j / S;
        const double d = static_cast<double>(x[((n0 + l) * C + c) * S + (j - l * S)]) - mean;
        s += d * d;
    }
    s = block_reduce(s, slots, SumOp{});
    if (threadIdx.x == 0) part2[blockIdx.x] = s;
}

// Thread c: the statistics of channel c from its parts, the running statistics, and the output's
// scale and shift coef[c], coef[C + c] rounded to T once (as batch_norm_channels).
template <class T>
__global__ void __launch_bounds__(kThreads)
    bn_split_finish(T* coef, T* save_mean, T* save_invstd, T* rm, T* rv, const double* part, const double* part2, const T* w,
                    const T* b, int64_t C, int64_t M, int64_t P, double momentum, double eps) {
    const int64_t c = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (c >= C) return;
    double s = 0, q = 0;
    for (int64_t p = 0; p < P; ++p) {
        s += part[c * P + p];
        q += part2[c * P + p];
    }
    const double mean = s / static_cast<double>(M), var = q / static_cast<double>(M);
    const double invstd = 1.0 / m_sqrt(var + eps);
    save_mean[c] = static_cast<T>(mean);
    save_invstd[c] = static_cast<T>(invstd);
    if (rm != nullptr) rm[c] = static_cast<T>((1 - momentum) * static_cast<double>(rm[c]) + momentum * mean);
    if (rv != nullptr && M > 1)
        rv[c] = static_cast<T>((1 - momentum) * static_cast<double>(rv[c]) +
                               momentum * var * static_cast<double>(M) / static_cast<double>(M - 1));
    const double a = (w != nullptr ? static_cast<double>(w[c]) : 1.0) * invstd;
    coef[c] = static_cast<T>(a);
    coef[C + c] = static_cast<T>((b != nullptr ? static_cast<double>(b[c]) : 0.0) - mean * a);
}

// Block (n, c): out = x * coef[c] + coef[C + c] over the S elements of plane (n, c).
template <class T>
__global__ void __launch_bounds__(kThreads) bn_split_apply(T* out, const T* x, const T* coef, int64_t C, int64_t S) {
    const int64_t plane = blockIdx.x, c = plane % C;
    const T a = coef[c], sh = coef[C + c];
    for (int64_t j = threadIdx.x; j < S; j += blockDim.x) out[plane * S + j] = x[plane * S + j] * a + sh;
}

// part[c * P + p] = sum of g, part[C * P + c * P + p] = sum of g * (x - mean) over part p.
template <class T>
__global__ void __launch_bounds__(kThreads) bn_split_backward_sums(double* part, const T* g, const T* x, const T* mean,
                                                                   int64_t N, int64_t C, int64_t S, int64_t per, int64_t P) {
    __shared__ double slots[kThreads];
    const int64_t c = blockIdx.x / P, p = blockIdx.x - c * P, n0 = p * per;
    const int64_t cnt = (N - n0 < per ? N - n0 : per) * S;
    const double mu = static_cast<double>(mean[c]);
    double sg = 0, sgc = 0;
    for (int64_t j = threadIdx.x; j < cnt; j += blockDim.x) {
        const int64_t l = j / S, at = ((n0 + l) * C + c) * S + (j - l * S);
        sg += static_cast<double>(g[at]);
        sgc += static_cast<double>(g[at]) * (static_cast<double>(x[at]) - mu);
    }
    sg = block_reduce(sg, slots, SumOp{});
    sgc = block_reduce(sgc, slots, SumOp{});
    if (threadIdx.x == 0) {
        part[blockIdx.x] = sg;
        part[C * P + blockIdx.x] = sgc;
    }
}

// Thread c: grad_weight / grad_bias of channel c and the coefficients of gx (as
// batch_norm_backward_channels): coef[c] = k, coef[C + c] = mean of g, coef[2C + c] = projection.
template <class T>
__global__ void __launch_bounds__(kThreads)
    bn_split_backward_finish(double* coef, T* gw, T* gb, const double* part, const T* w, const T* invstd, int64_t C,
                             int64_t M, int64_t P, int32_t training) {
    const int64_t c = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (c >= C) return;
    double sum_g = 0, sum_gc = 0;
    for (int64_t p = 0; p < P; ++p) {
        sum_g += part[c * P + p];
        sum_gc += part[C * P + c * P + p];
    }
    const double is = static_cast<double>(invstd[c]);
    if (gw != nullptr) gw[c] = static_cast<T>(sum_gc * is);
    if (gb != nullptr) gb[c] = static_cast<T>(sum_g);
    coef[c] = (w != nullptr ? static_cast<double>(w[c]) : 1.0) * is;
    coef[C + c] = training ? sum_g / static_cast<double>(M) : 0.0;
    coef[2 * C + c] = training ? is * is * sum_gc / static_cast<double>(M) : 0.0;
}

// Block (n, c): gx = k * (g - mean(g) - (x - mean) * projection) over plane (n, c).
template <class T>
__global__ void __launch_bounds__(kThreads) bn_split_backward_apply(T* gx, const T* g, const T* x, const T* mean,
                                                                    const double* coef, int64_t C, int64_t S) {
    const int64_t plane = blockIdx.x, c = plane % C;
    const double mu = static_cast<double>(mean[c]), k = coef[c], mg = coef[C + c], proj = coef[2 * C + c];
    for (int64_t j = threadIdx.x; j < S; j += blockDim.x) {
        const int64_t at = plane * S + j;
        gx[at] = static_cast<T>(k * (static_cast<double>(g[at]) - mg - (static_cast<double>(x[at]) - mu) * proj));
    }
}

// Block t = (n, g): the Cg * S contiguous elements of x (N, C, S) from channel g * Cg of image n.
template <class T>
__global__ void __launch_bounds__(kThreads) group_norm_blocks(T* out, T* mean, T* rstd, const T* x, const T* w, const T* b,
                                                              int64_t C, int64_t S, int64_t groups, double eps) {
    __shared__ double slots[kThreads];
    const int64_t t = blockIdx.x, n = t / groups, gi = t - n * groups, Cg = C / groups, K = Cg * S;
    const int64_t base = (n * C + gi * Cg) * S;
    double s = 0;
    for (int64_t j = threadIdx.x; j < K; j += blockDim.x) s += static_cast<double>(x[base + j]);
    const double mu = K > 0 ? block_reduce(s, slots, SumOp{}) / static_cast<double>(K) : 0.0;
    double q = 0;
    for (int64_t j = threadIdx.x; j < K; j += blockDim.x) {
        const double d = static_cast<double>(x[base + j]) - mu;
        q += d * d;
    }
    const double var = K > 0 ? block_reduce(q, slots, SumOp{}) / static_cast<double>(K) : 0.0;
    const T mu_t = static_cast<T>(mu);
    const double rs = 1.0 / m_sqrt(var + eps);
    // y = x * a + shift per channel, with the stored (rounded) mean as the CPU uses it.
    for (int64_t j = threadIdx.x; j < K; j += blockDim.x) {
        const int64_t ch = gi * Cg + j / S;
        const double a = (w != nullptr ? static_cast<double>(w[ch]) : 1.0) * rs;
        const double shift = (b != nullptr ? static_cast<double>(b[ch]) : 0.0) - static_cast<double>(mu_t) * a;
        out[base + j] = x[base + j] * static_cast<T>(a) + static_cast<T>(shift);
    }
    if (threadIdx.x == 0) {
        mean[t] = mu_t;
        rstd[t] = static_cast<T>(rs);
    }
}

// gx = rs * (g * w[c] - mean(g * w) - xhat * mean(g * w * xhat)) over the group.
template <class T>
__global__ void __launch_bounds__(kThreads) group_norm_backward_blocks(T* gx, const T* g, const T* x, const T* mean,
                                                                       const T* rstd, const T* w, int64_t C, int64_t S,
                                                                       int64_t groups) {
    __shared__ double slots[kThreads];
    const int64_t t = blockIdx.x, n = t / groups, gi = t - n * groups, Cg = C / groups, K = Cg * S;
    const int64_t base = (n * C + gi * Cg) * S;
    const double mu = static_cast<double>(mean[t]), rs = static_cast<double>(rstd[t]);
    double s1 = 0, s2 = 0;
    for (int64_t j = threadIdx.x; j < K; j += blockDim.x) {
        const int64_t ch = gi * Cg + j / S;
        const double d = static_cast<double>(g[base + j]) * (w != nullptr ? static_cast<double>(w[ch]) : 1.0);
        s1 += d;
        s2 += d * (static_cast<double>(x[base + j]) - mu) * rs;
    }
    const double m1 = block_reduce(s1, slots, SumOp{}) / static_cast<double>(K);
    const double m2 = block_reduce(s2, slots, SumOp{}) / static_cast<double>(K);
    for (int64_t j = threadIdx.x; j < K; j += blockDim.x) {
        const int64_t ch = gi * Cg + j / S;
        const double d = static_cast<double>(g[base + j]) * (w != nullptr ? static_cast<double>(w[ch]) : 1.0);
        const double xhat = (static_cast<double>(x[base + j]) - mu) * rs;
        gx[base + j] = static_cast<T>(rs * (d - m1 - xhat * m2));
    }
}

// Thread ch: grad_weight[ch] = sum of g * xhat, grad_bias[ch] = sum of g, over n and s.
template <class T>
__global__ void __launch_bounds__(kThreads) group_norm_backward_channels(T* gw, T* gb, const T* g, const T* x, const T* mean,
                                                                         const T* rstd, int64_t N, int64_t C, int64_t S,
                                                                         int64_t groups) {
    const int64_t ch = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (ch >= C) return;
    const int64_t Cg = C / groups;
    double sw = 0, sb = 0;
    for (int64_t n = 0; n < N; ++n) {
        const int64_t t = n * groups + ch / Cg;
        const double mu = static_cast<double>(mean[t]), rs = static_cast<double>(rstd[t]);
        for (int64_t s = 0; s < S; ++s) {
            const double gv = static_cast<double>(g[(n * C + ch) * S + s]);
            sw += gv * (static_cast<double>(x[(n * C + ch) * S + s]) - mu) * rs;
            sb += gv;
        }
    }
    if (gw != nullptr) gw[ch] = static_cast<T>(sw);
    if (gb != nullptr) gb[ch] = static_cast<T>(sb);
}

}  // namespace kernels

void layer_norm(const View& out, const View& mean, const View& rstd, const View& x, const View& weight, const View& bias,
                double eps) {
    const char* op = "layer_norm";
    const int64_t M = x.sizes[0], N = x.sizes[1];
    if (M == 0) return;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const RowPlan p = row_plan<T>(N);
        if (p.e > 0) {
            const bool aligned = N % kRowVec<T> == 0 && aligned_to(out.data, 16) && aligned_to(x.data, 16) &&
                                 aligned_to(weight.data, 16) && aligned_to(bias.data, 16);
            dispatch_row_vectors(p.e, [&](auto e) {
                constexpr int E = decltype(e)::value;
                launch_kernel(op,
                              aligned ? &kernels::layer_norm_rows_regs<T, E, true> : &kernels::layer_norm_rows_regs<T, E, false>,
                              grid_1d(M, op), dim3(p.threads), data_of<T>(out), data_of<T>(mean), data_of<T>(rstd),
                              data_of<const T>(x), data_of<const T>(weight), data_of<const T>(bias), N, 1.0 / static_cast<double>(N),
                              static_cast<T>(eps));
            });
            return;
        }
        launch_kernel(op, &kernels::layer_norm_rows<T>, grid_1d(M, op), dim3(block_threads(N)), data_of<T>(out),
                      data_of<T>(mean), data_of<T>(rstd), data_of<const T>(x), data_of<const T>(weight),
                      data_of<const T>(bias), N, eps);
    });
}

void layer_norm_backward(const View& grad_x, const View& grad_weight, const View& grad_bias, const View& grad_out,
                         const View& x, const View& mean, const View& rstd, const View& weight) {
    const char* op = "layer_norm_backward";
    const int64_t M = x.sizes[0], N = x.sizes[1];
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if (grad_x.data != nullptr && M > 0)
            launch_kernel(op, &kernels::layer_norm_backward_rows<T>, grid_1d(M, op), dim3(block_threads(N)),
                          data_of<T>(grad_x), data_of<const T>(grad_out), data_of<const T>(x), data_of<const T>(mean),
                          data_of<const T>(rstd), data_of<const T>(weight), N);
        if ((grad_weight.data != nullptr || grad_bias.data != nullptr) && N > 0)
            launch_kernel(op, &kernels::layer_norm_backward_columns<T>, grid_1d(ceil_div(N, kThreads), op), dim3(kThreads),
                          data_of<T>(grad_weight), data_of<T>(grad_bias), data_of<const T>(grad_out), data_of<const T>(x),
                          data_of<const T>(mean), data_of<const T>(rstd), M, N);
    });
}

void batch_norm(const View& out, const View& save_mean, const View& save_invstd, const View& running_mean,
                const View& running_var, const View& x, const View& weight, const View& bias, bool training, double momentum,
                double eps) {
    const char* op = "batch_norm";
    const int64_t N = x.sizes[0], C = x.sizes[1], S = x.sizes[2];
    if (C == 0) return;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if (training && N * S >= kChannelSplitElements) {
            const ChannelSplit sp = channel_split(N, C);
            DeviceBuffer part(static_cast<size_t>(2 * C * sp.P) * sizeof(double));
            DeviceBuffer coef(static_cast<size_t>(2 * C) * sizeof(T));
            double* p1 = part.as<double>();
            double* p2 = p1 + C * sp.P;
            const dim3 parts = grid_1d(C * sp.P, op), part_threads(block_threads(sp.per * S));
            launch_kernel(op, &kernels::channel_part_sums<T>, parts, part_threads, p1, data_of<const T>(x), N, C, S, sp.per, sp.P);
            launch_kernel(op, &kernels::bn_split_centred<T>, parts, part_threads, p2, static_cast<const double*>(p1),
                          data_of<const T>(x), N, C, S, sp.per, sp.P);
            launch_kernel(op, &kernels::bn_split_finish<T>, grid_1d(ceil_div(C, kThreads), op), dim3(kThreads), coef.as<T>(),
                          data_of<T>(save_mean), data_of<T>(save_invstd), data_of<T>(running_mean), data_of<T>(running_var),
                          static_cast<const double*>(p1), static_cast<const double*>(p2), data_of<const T>(weight),
                          data_of<const T>(bias), C, N * S, sp.P, momentum, eps);
            launch_kernel(op, &kernels::bn_split_apply<T>, grid_1d(N * C, op), dim3(block_threads(S)), data_of<T>(out),
                          data_of<const T>(x), coef.as<const T>(), C, S);
            return;
        }
        launch_kernel(op, &kernels::batch_norm_channels<T>, grid_1d(C, op), dim3(block_threads(N * S)), data_of<T>(out),
                      data_of<T>(save_mean), data_of<T>(save_invstd), data_of<T>(running_mean), data_of<T>(running_var),
                      data_of<const T>(x), data_of<const T>(weight), data_of<const T>(bias), N, C, S,
                      static_cast<int32_t>(training), momentum, eps);
    });
}

void batch_norm_backward(const View& grad_x, const View& grad_weight, const View& grad_bias, const View& grad_out,
                         const View& x, const View& weight, const View& mean, const View& invstd, bool training) {
    const char* op = "batch_norm_backward";
    const int64_t N = x.sizes[0], C = x.sizes[1], S = x.sizes[2];
    if (C == 0) return;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if (N * S >= kChannelSplitElements) {
            const ChannelSplit sp = channel_split(N, C);
            DeviceBuffer part(static_cast<size_t>(2 * C * sp.P) * sizeof(double));
            DeviceBuffer coef(static_cast<size_t>(3 * C) * sizeof(double));
            launch_kernel(op, &kernels::bn_split_backward_sums<T>, grid_1d(C * sp.P, op), dim3(block_threads(sp.per * S)),
                          part.as<double>(), data_of<const T>(grad_out), data_of<const T>(x), data_of<const T>(mean), N, C, S,
                          sp.per, sp.P);
            launch_kernel(op, &kernels::bn_split_backward_finish<T>, grid_1d(ceil_div(C, kThreads), op), dim3(kThreads),
                          coef.as<double>(), data_of<T>(grad_weight), data_of<T>(grad_bias), part.as<const double>(),
                          data_of<const T>(weight), data_of<const T>(invstd), C, N * S, sp.P, static_cast<int32_t>(training));
            if (grad_x.data != nullptr)
                launch_kernel(op, &kernels::bn_split_backward_apply<T>, grid_1d(N * C, op), dim3(block_threads(S)),
                              data_of<T>(grad_x), data_of<const T>(grad_out), data_of<const T>(x), data_of<const T>(mean),
                              coef.as<const double>(), C, S);
            return;
        }
        launch_kernel(op, &kernels::batch_norm_backward_channels<T>, grid_1d(C, op), dim3(block_threads(N * S)),
                      data_of<T>(grad_x), data_of<T>(grad_weight), data_of<T>(grad_bias), data_of<const T>(grad_out),
                      data_of<const T>(x), data_of<const T>(weight), data_of<const T>(mean), data_of<const T>(invstd), N, C,
                      S, static_cast<int32_t>(training));
    });
}

void group_norm(const View& out, const View& mean, const View& rstd, const View& x, const View& weight, const View& bias,
                int64_t groups, double eps) {
    const char* op = "group_norm";
    const int64_t N = x.sizes[0], C = x.sizes[1], S = x.sizes[2];
    if (N * groups == 0) return;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::group_norm_blocks<T>, grid_1d(N * groups, op), dim3(block_threads(C / groups * S)),
                      data_of<T>(out), data_of<T>(mean), data_of<T>(rstd), data_of<const T>(x), data_of<const T>(weight),
                      data_of<const T>(bias), C, S, groups, eps);
    });
}

void group_norm_backward(const View& grad_x, const View& grad_weight, const View& grad_bias, const View& grad_out,
                         const View& x, const View& mean, const View& rstd, const View& weight, int64_t groups) {
    const char* op = "group_norm_backward";
    const int64_t N = x.sizes[0], C = x.sizes[1], S = x.sizes[2];
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if (grad_x.data != nullptr && N * groups > 0 && C * S > 0)
            launch_kernel(op, &kernels::group_norm_backward_blocks<T>, grid_1d(N * groups, op),
                          dim3(block_threads(C / groups * S)), data_of<T>(grad_x), data_of<const T>(grad_out),
                          data_of<const T>(x), data_of<const T>(mean), data_of<const T>(rstd), data_of<const T>(weight), C,
                          S, groups);
        if ((grad_weight.data != nullptr || grad_bias.data != nullptr) && C > 0)
            launch_kernel(op, &kernels::group_norm_backward_channels<T>, grid_1d(ceil_div(C, kThreads), op), dim3(kThreads),
                          data_of<T>(grad_weight), data_of<T>(grad_bias), data_of<const T>(grad_out), data_of<const T>(x),
                          data_of<const T>(mean), data_of<const T>(rstd), N, C, S, groups);
    });
}

}  // namespace wick::cuda
