// Layer normalisation of x (M, N) over its last N elements, and its fused backward. Rows are
// independent in the forward; the backward's weight and bias gradients (column sums over rows) are
// summed per fixed block of rows and then added in block order, so the result does not depend on
// the number of threads.
#include <cmath>

#include "core/parallel.h"
#include "cpu/nn/nn_kernels.h"
#include "cpu/nn/rows.h"

namespace wick::cpu::nn {

void layer_norm(const View& out, const View& mean, const View& rstd, const View& x, const View& weight, const View& bias,
                double eps) {
    const int64_t M = x.sizes[0], N = x.sizes[1];
    dispatch_float(x.dtype, "layer_norm", [&](auto tag) {
        using T = decltype(tag);
        const Rows<T>& R = rows<T>();
        const T* xv = ptr<const T>(x);
        T* y = ptr<T>(out);
        const T* w = weight.data ? ptr<const T>(weight) : nullptr;
        const T* b = bias.data ? ptr<const T>(bias) : nullptr;
        const bool stream = M * N * static_cast<int64_t>(sizeof(T)) > kStreamOutputBytes;
        parallel_for(M, grain_for(3 * N), [&](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) {
                T mu, var;
                R.moments(xv + r * N, N, &mu, &var, r + 1 < M ? xv + (r + 1) * N : nullptr);
                const T rs = static_cast<T>(1.0 / std::sqrt(double(var) + eps));
                R.normalize(xv + r * N, y + r * N, N, mu, rs, w, b, stream);
                ptr<T>(mean)[r] = mu;
                ptr<T>(rstd)[r] = rs;
            }
            if (stream) R.fence();
        });
    });
}

void layer_norm_backward(const View& grad_x, const View& grad_weight, const View& grad_bias, const View& grad_out,
                         const View& x, const View& mean, const View& rstd, const View& weight) {
    const int64_t M = x.sizes[0], N = x.sizes[1];
    dispatch_float(x.dtype, "layer_norm_backward", [&](auto tag) {
        using T = decltype(tag);
        const T* xv = ptr<const T>(x);
        const T* g = ptr<const T>(grad_out);
        const T* w = weight.data ? ptr<const T>(weight) : nullptr;
        const bool want_wb = grad_weight.data || grad_bias.data;
        constexpr int64_t kBlock = 32;  // rows per partial sum of the weight / bias gradients
        const int64_t blocks = (M + kBlock - 1) / kBlock;
        std::vector<double> part(want_wb ? static_cast<size_t>(blocks * 2 * N) : 0);
        parallel_for(blocks, grain_for(4 * N * kBlock), [&](int64_t begin, int64_t end) {
            std::vector<double> dx(static_cast<size_t>(N));
            for (int64_t blk = begin; blk < end; ++blk) {
                double* pw = want_wb ? part.data() + blk * 2 * N : nullptr;
                if (pw) std::fill(pw, pw + 2 * N, 0.0);
                for (int64_t r = blk * kBlock; r < std::min(M, (blk + 1) * kBlock); ++r) {
                    const T* xr = xv + r * N;
                    const T* gr = g + r * N;
                    const double mu = double(ptr<const T>(mean)[r]), rs = double(ptr<const T>(rstd)[r]);
                    // dxhat = g * w;  gx = rs * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
                    double s1 = 0, s2 = 0;
                    for (int64_t j = 0; j < N; ++j) {
                        const double xhat = (double(xr[j]) - mu) * rs;
                        const double d = double(gr[j]) * (w ? double(w[j]) : 1.0);
                        dx[j] = d;
                        s1 += d;
                        s2 += d * xhat;
                        if (pw) {
                            pw[j] += double(gr[j]) * xhat;
                            pw[N + j] += double(gr[j]);
                        }
                    }
                    if (!grad_x.data) continue;
                    T* out = ptr<T>(grad_x) + r * N;
                    const double m1 = s1 / double(N), m2 = s2 / double(N);
                    for (int64_t j = 0; j < N; ++j) {
                        const double xhat = (double(xr[j]) - mu) * rs;
                        out[j] = static_cast<T>(rs * (dx[j] - m1 - xhat * m2));
                    }
                }
            }
        });
        if (!want_wb) return;
        for (int64_t j = 0; j < N; ++j) {
            double sw = 0, sb = 0;
            for (int64_t blk = 0; blk < blocks; ++blk) {
                sw += part[blk * 2 * N + j];
                sb += part[blk * 2 * N + N + j];
            }
            if (grad_weight.data) ptr<T>(grad_weight)[j] = static_cast<T>(sw);
            if (grad_bias.data) ptr<T>(grad_bias)[j] = static_cast<T>(sb);
        }
    });
}

}  // namespace wick::cpu::nn
