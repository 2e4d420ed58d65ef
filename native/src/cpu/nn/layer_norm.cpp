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
                T mu, mu_lo, var;
                R.moments(xv + r * N, N, &mu, &mu_lo, &var, r + 1 < M ? xv + (r + 1) * N : nullptr);
                const T rs = static_cast<T>(1.0 / std::sqrt(double(var) + eps));
                R.normalize(xv + r * N, y + r * N, N, mu, mu_lo, rs, w, b, stream);
                ptr<T>(mean)[r] = static_cast<T>(double(mu) + double(mu_lo));
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
        const Rows<T>& R = rows<T>();
        constexpr int64_t kBlock = 32;  // rows per partial sum of the weight / bias gradients
        const int64_t blocks = (M + kBlock - 1) / kBlock;
        // Per block of rows: the partial weight gradient (N) then the partial bias gradient (N).
        std::vector<T> part(want_wb ? static_cast<size_t>(blocks * 2 * N) : 0);
        parallel_for(blocks, grain_for(4 * N * kBlock), [&](int64_t begin, int64_t end) {
            for (int64_t blk = begin; blk < end; ++blk) {
                T* pw = want_wb ? part.data() + blk * 2 * N : nullptr;
                if (pw) std::fill(pw, pw + 2 * N, T(0));
                for (int64_t r = blk * kBlock; r < std::min(M, (blk + 1) * kBlock); ++r)
                    R.norm_grad(xv + r * N, g + r * N, w, grad_x.data ? ptr<T>(grad_x) + r * N : nullptr,
                                grad_weight.data ? pw : nullptr, grad_bias.data ? pw + N : nullptr, N,
                                ptr<const T>(mean)[r], ptr<const T>(rstd)[r], r + 1 < M ? N : 0);
            }
        });
        if (!want_wb) return;
        // The blocks' partial sums in block order, in double, a whole block row at a time (a column at a time
        // would stride by 2N, which puts every partial of a column into the same L1 set).
        std::vector<double> total(static_cast<size_t>(2 * N), 0.0);
        for (int64_t blk = 0; blk < blocks; ++blk) {
            const T* pw = part.data() + blk * 2 * N;
            for (int64_t j = 0; j < 2 * N; ++j) total[j] += double(pw[j]);
        }
        for (int64_t j = 0; j < N; ++j) {
            if (grad_weight.data) ptr<T>(grad_weight)[j] = static_cast<T>(total[j]);
            if (grad_bias.data) ptr<T>(grad_bias)[j] = static_cast<T>(total[N + j]);
        }
    });
}

}  // namespace wick::cpu::nn
