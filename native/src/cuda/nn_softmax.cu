// softmax / log_softmax along any dimension of a contiguous x viewed as (outer, n, inner), and
// their backward: one thread block per (outer, inner) row of n elements, which reduces the row's
// maximum and sum in shared memory and then writes the row. Rows along the last dimension
// (inner == 1, the common case) are read by consecutive threads at consecutive addresses; those
// of up to 8192 float32 / 4096 float64 elements take register kernels that read x once (the
// general kernel reads it twice, three times for softmax).
#include "cuda/nn.cuh"
#include "cuda/nn_common.cuh"

namespace wick::cuda {

namespace kernels {

// y, x: (outer, n, inner); block b is row (b / inner, :, b % inner).
template <class T>
__global__ void __launch_bounds__(kThreads) softmax_rows(T* y, const T* x, int64_t n, int64_t inner, int32_t log) {
    __shared__ T slots[kThreads];
    const int64_t row = blockIdx.x, o = row / inner, i = row - o * inner;
    const T* xr = x + o * n * inner + i;
    T* yr = y + o * n * inner + i;
    T m = -static_cast<T>(INFINITY);
    for (int64_t j = threadIdx.x; j < n; j += blockDim.x) m = nan_max(m, xr[j * inner]);
    m = block_reduce(m, slots, MaxOp{});
    T s = 0;
    for (int64_t j = threadIdx.x; j < n; j += blockDim.x) s += m_exp(xr[j * inner] - m);
    s = block_reduce(s, slots, SumOp{});
    if (log) {
        // (x - max) - log(sum): subtracting separately keeps the precision of x - max (as the CPU).
        const T ls = m_log(s);
        for (int64_t j = threadIdx.x; j < n; j += blockDim.x) yr[j * inner] = (xr[j * inner] - m) - ls;
    } else {
        const T r = T(1) / s;
        for (int64_t j = threadIdx.x; j < n; j += blockDim.x) yr[j * inner] = m_exp(xr[j * inner] - m) * r;
    }
}

// softmax: gx = y * (g - sum(g * y)); log_softmax: gx = g - exp(y) * sum(g).
template <class T>
__global__ void __launch_bounds__(kThreads)
    softmax_backward_rows(T* gx, const T* g, const T* y, int64_t n, int64_t inner, int32_t log) {
    __shared__ T slots[kThreads];
    const int64_t row = blockIdx.x, o = row / inner, i = row - o * inner;
    const int64_t base = o * n * inner + i;
    T s = 0;
    for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
        const int64_t at = base + j * inner;
        s += log ? g[at] : g[at] * y[at];
    }
    s = block_reduce(s, slots, SumOp{});
    for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
        const int64_t at = base + j * inner;
        gx[at] = log ? g[at] - m_exp(y[at]) * s : y[at] * (g[at] - s);
    }
}

// The same along the last dimension (inner == 1) for rows of at most kRowMaxVectors * blockDim.x
// vectors (row_plan): block b is row b, read once into registers (E vectors per thread), reduced
// with warp shuffles, written once. exp(x - max) is kept from the sum for the softmax output.
template <class T, int E, bool Aligned>
__global__ void __launch_bounds__(kThreads) softmax_rows_regs(T* y, const T* x, int64_t n, int32_t log) {
    constexpr int V = kRowVec<T>;
    __shared__ T slots[kThreads / 32];
    const int64_t base = static_cast<int64_t>(blockIdx.x) * n;
    const int64_t step = static_cast<int64_t>(blockDim.x) * V, j0 = static_cast<int64_t>(threadIdx.x) * V;
    const T ninf = -static_cast<T>(INFINITY);
    T v[E][V];
    T m = ninf;
#pragma unroll
    for (int e = 0; e < E; ++e) {
        row_load<T, Aligned>(v[e], x + base, j0 + e * step, n, ninf);
#pragma unroll
        for (int k = 0; k < V; ++k) m = nan_max(m, v[e][k]);
    }
    m = block_reduce_warps(m, slots, MaxOp{});
    T s = 0;
#pragma unroll
    for (int e = 0; e < E; ++e)
#pragma unroll
        for (int k = 0; k < V; ++k)
            if (j0 + e * step + k < n) {
                const T ex = m_exp(v[e][k] - m);
                s += ex;
                if (!log) v[e][k] = ex;
            }
    s = block_reduce_warps(s, slots, SumOp{});
    if (log) {
        const T ls = m_log(s);
#pragma unroll
        for (int e = 0; e < E; ++e)
#pragma unroll
            for (int k = 0; k < V; ++k) v[e][k] = (v[e][k] - m) - ls;
    } else {
        const T r = T(1) / s;
#pragma unroll
        for (int e = 0; e < E; ++e)
#pragma unroll
            for (int k = 0; k < V; ++k) v[e][k] = v[e][k] * r;
    }
#pragma unroll
    for (int e = 0; e < E; ++e) row_store<T, Aligned>(y + base, v[e], j0 + e * step, n);
}

// softmax_backward_rows for inner == 1 and rows that fit registers: g and y are read once. The
// sum and gx are formed in double as on the CPU (g - sum(g * y) cancels for a peaked softmax).
template <class T, int E, bool Aligned>
__global__ void __launch_bounds__(kThreads)
    softmax_backward_rows_regs(T* gx, const T* g, const T* y, int64_t n, int32_t log) {
    constexpr int V = kRowVec<T>;
    __shared__ double slots[kThreads / 32];
    const int64_t base = static_cast<int64_t>(blockIdx.x) * n;
    const int64_t step = static_cast<int64_t>(blockDim.x) * V, j0 = static_cast<int64_t>(threadIdx.x) * V;
    T gv[E][V], yv[E][V];
    double s = 0;
#pragma unroll
    for (int e = 0; e < E; ++e) {
        // Padding is 0 in both, so it adds nothing to either sum.
        row_load<T, Aligned>(gv[e], g + base, j0 + e * step, n, T(0));
        row_load<T, Aligned>(yv[e], y + base, j0 + e * step, n, T(0));
#pragma unroll
        for (int k = 0; k < V; ++k)
            s += log ? static_cast<double>(gv[e][k]) : static_cast<double>(gv[e][k]) * static_cast<double>(yv[e][k]);
    }
    s = block_reduce_warps(s, slots, SumOp{});
#pragma unroll
    for (int e = 0; e < E; ++e) {
#pragma unroll
        for (int k = 0; k < V; ++k)
            gv[e][k] = log ? static_cast<T>(static_cast<double>(gv[e][k]) - static_cast<double>(m_exp(yv[e][k])) * s)
                           : static_cast<T>(static_cast<double>(yv[e][k]) * (static_cast<double>(gv[e][k]) - s));
        row_store<T, Aligned>(gx + base, gv[e], j0 + e * step, n);
    }
}

}  // namespace kernels

namespace {

struct Rows {
    int64_t outer, n, inner;
};

Rows rows_of(const View& v, int32_t dim) {
    Rows r{1, v.sizes[dim], 1};
    for (int d = 0; d < dim; ++d) r.outer *= v.sizes[d];
    for (int d = dim + 1; d < v.ndim; ++d) r.inner *= v.sizes[d];
    return r;
}

}  // namespace

void softmax(const View& out, const View& x, int32_t dim, bool log) {
    const char* op = log ? "log_softmax" : "softmax";
    const Rows r = rows_of(x, dim);
    if (r.outer * r.n * r.inner == 0) return;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const RowPlan p = r.inner == 1 ? row_plan<T>(r.n) : RowPlan{};
        if (p.e > 0) {
            const bool aligned = r.n % kRowVec<T> == 0 && aligned_to(out.data, 16) && aligned_to(x.data, 16);
            dispatch_row_vectors(p.e, [&](auto e) {
                constexpr int E = decltype(e)::value;
                launch_kernel(op, aligned ? &kernels::softmax_rows_regs<T, E, true> : &kernels::softmax_rows_regs<T, E, false>,
                              grid_1d(r.outer, op), dim3(p.threads), data_of<T>(out), data_of<const T>(x), r.n,
                              static_cast<int32_t>(log));
            });
            return;
        }
        launch_kernel(op, &kernels::softmax_rows<T>, grid_1d(r.outer * r.inner, op), dim3(block_threads(r.n)),
                      data_of<T>(out), data_of<const T>(x), r.n, r.inner, static_cast<int32_t>(log));
    });
}

void softmax_backward(const View& grad_x, const View& grad_out, const View& y, int32_t dim, bool log) {
    const char* op = log ? "log_softmax_backward" : "softmax_backward";
    const Rows r = rows_of(y, dim);
    if (r.outer * r.n * r.inner == 0) return;
    dispatch_f32_f64(y.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const RowPlan p = r.inner == 1 ? row_plan<T>(r.n) : RowPlan{};
        if (p.e > 0) {
            const bool aligned = r.n % kRowVec<T> == 0 && aligned_to(grad_x.data, 16) && aligned_to(grad_out.data, 16) &&
                                 aligned_to(y.data, 16);
            dispatch_row_vectors(p.e, [&](auto e) {
                constexpr int E = decltype(e)::value;
                launch_kernel(op,
                              aligned ? &kernels::softmax_backward_rows_regs<T, E, true>
                                      : &kernels::softmax_backward_rows_regs<T, E, false>,
                              grid_1d(r.outer, op), dim3(p.threads), data_of<T>(grad_x), data_of<const T>(grad_out),
                              data_of<const T>(y), r.n, static_cast<int32_t>(log));
            });
            return;
        }
        launch_kernel(op, &kernels::softmax_backward_rows<T>, grid_1d(r.outer * r.inner, op), dim3(block_threads(r.n)),
                      data_of<T>(grad_x), data_of<const T>(grad_out), data_of<const T>(y), r.n, r.inner,
                      static_cast<int32_t>(log));
    });
}

}  // namespace wick::cuda
