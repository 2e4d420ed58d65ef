// Batch normalisation over x (N, C, S): statistics per channel over N and S. The forward combines
// per-row moments (Chan et al.'s pairwise formula, in double) so every pass reads contiguous rows;
// the output is one fused multiply-add per element: y = x * (w * invstd) + (b - mean * w * invstd).
#include <cmath>

#include "core/parallel.h"
#include "cpu/nn/nn_kernels.h"
#include "cpu/nn/rows.h"

namespace wick::cpu::nn {

void batch_norm(const View& out, const View& save_mean, const View& save_invstd, const View& running_mean,
                const View& running_var, const View& x, const View& weight, const View& bias, bool training, double momentum,
                double eps) {
    const int64_t N = x.sizes[0], C = x.sizes[1], S = x.sizes[2], M = N * S;
    dispatch_float(x.dtype, "batch_norm", [&](auto tag) {
        using T = decltype(tag);
        const Rows<T>& R = rows<T>();
        const T* xv = ptr<const T>(x);
        T* y = ptr<T>(out);
        const T* w = weight.data ? ptr<const T>(weight) : nullptr;
        const T* b = bias.data ? ptr<const T>(bias) : nullptr;
        T* rm = running_mean.data ? ptr<T>(running_mean) : nullptr;
        T* rv = running_var.data ? ptr<T>(running_var) : nullptr;
        parallel_for(C, grain_for(3 * M), [&](int64_t begin, int64_t end) {
            for (int64_t c = begin; c < end; ++c) {
                double mean, invstd;
                if (training) {
                    double m = 0, m2 = 0;
                    int64_t count = 0;
                    for (int64_t n = 0; n < N; ++n) {
                        T rmean, rmean_lo, rvar;
                        R.moments(xv + (n * C + c) * S, S, &rmean, &rmean_lo, &rvar,
                                  n + 1 < N ? xv + ((n + 1) * C + c) * S : nullptr);
                        if (S == 0) continue;
                        const double delta = double(rmean) + double(rmean_lo) - m;
                        const int64_t total = count + S;
                        m += delta * double(S) / double(total);
                        m2 += double(rvar) * double(S) + delta * delta * double(count) * double(S) / double(total);
                        count = total;
                    }
                    const double var = M > 0 ? m2 / double(M) : 0.0;
                    mean = m;
                    invstd = 1.0 / std::sqrt(var + eps);
                    ptr<T>(save_mean)[c] = static_cast<T>(mean);
                    ptr<T>(save_invstd)[c] = static_cast<T>(invstd);
                    if (rm) rm[c] = static_cast<T>((1 - momentum) * double(rm[c]) + momentum * mean);
                    if (rv && M > 1) rv[c] = static_cast<T>((1 - momentum) * double(rv[c]) + momentum * var * double(M) / double(M - 1));
                } else {
                    mean = double(rm[c]);
                    invstd = 1.0 / std::sqrt(double(rv[c]) + eps);
                }
                const double a = (w ? double(w[c]) : 1.0) * invstd;
                const double shift = (b ? double(b[c]) : 0.0) - mean * a;
                for (int64_t n = 0; n < N; ++n)
                    R.affine(xv + (n * C + c) * S, y + (n * C + c) * S, S, static_cast<T>(a), static_cast<T>(shift), false);
            }
        });
    });
}

void batch_norm_backward(const View& grad_x, const View& grad_weight, const View& grad_bias, const View& grad_out,
                         const View& x, const View& weight, const View& mean, const View& invstd, bool training) {
    const int64_t N = x.sizes[0], C = x.sizes[1], S = x.sizes[2], M = N * S;
    dispatch_float(x.dtype, "batch_norm_backward", [&](auto tag) {
        using T = decltype(tag);
        const T* xv = ptr<const T>(x);
        const T* g = ptr<const T>(grad_out);
        const T* w = weight.data ? ptr<const T>(weight) : nullptr;
        parallel_for(C, grain_for(3 * M), [&](int64_t begin, int64_t end) {
            for (int64_t c = begin; c < end; ++c) {
                const double mu = double(ptr<const T>(mean)[c]), is = double(ptr<const T>(invstd)[c]);
                // sum_g = sum(g), sum_gc = sum(g * (x - mean)) over the channel.
                double sum_g = 0, sum_gc = 0;
                for (int64_t n = 0; n < N; ++n) {
                    const T* xr = xv + (n * C + c) * S;
                    const T* gr = g + (n * C + c) * S;
                    for (int64_t s = 0; s < S; ++s) {
                        sum_g += double(gr[s]);
                        sum_gc += double(gr[s]) * (double(xr[s]) - mu);
                    }
                }
                if (grad_weight.data) ptr<T>(grad_weight)[c] = static_cast<T>(sum_gc * is);
                if (grad_bias.data) ptr<T>(grad_bias)[c] = static_cast<T>(sum_g);
                if (!grad_x.data) continue;
                const double wc = w ? double(w[c]) : 1.0;
                // training: gx = w * is * (g - mean(g) - (x - mu) * is^2 * mean(g * (x - mu)))
                // eval:     gx = w * is * g (the statistics are constants)
                const double k = wc * is;
                const double mg = training && M > 0 ? sum_g / double(M) : 0.0;
                const double proj = training && M > 0 ? is * is * sum_gc / double(M) : 0.0;
                for (int64_t n = 0; n < N; ++n) {
                    const T* xr = xv + (n * C + c) * S;
                    const T* gr = g + (n * C + c) * S;
                    T* out = ptr<T>(grad_x) + (n * C + c) * S;
                    for (int64_t s = 0; s < S; ++s)
                        out[s] = static_cast<T>(k * (double(gr[s]) - mg - (double(xr[s]) - mu) * proj));
                }
            }
        });
    });
}

}  // namespace wick::cpu::nn
