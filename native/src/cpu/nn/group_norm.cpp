// Group normalisation of x (N, C, S) with C split into G groups of Cg channels: statistics per
// (n, g) over Cg * S contiguous elements, affine per channel. Backward: grad_x per (n, g) block;
// weight and bias gradients per channel (threads over channels, no shared sums).
#include <cmath>

#include "core/parallel.h"
#include "cpu/nn/nn_kernels.h"
#include "cpu/nn/rows.h"

namespace wick::cpu::nn {

void group_norm(const View& out, const View& mean, const View& rstd, const View& x, const View& weight, const View& bias,
                int64_t groups, double eps) {
    const int64_t N = x.sizes[0], C = x.sizes[1], S = x.sizes[2], Cg = C / groups;
    dispatch_float(x.dtype, "group_norm", [&](auto tag) {
        using T = decltype(tag);
        const Rows<T>& R = rows<T>();
        const T* xv = ptr<const T>(x);
        T* y = ptr<T>(out);
        const T* w = weight.data ? ptr<const T>(weight) : nullptr;
        const T* b = bias.data ? ptr<const T>(bias) : nullptr;
        parallel_for(N * groups, grain_for(3 * Cg * S), [&](int64_t begin, int64_t end) {
            for (int64_t t = begin; t < end; ++t) {
                const int64_t n = t / groups, gi = t % groups;
                const T* xb = xv + (n * C + gi * Cg) * S;
                T mu_hi, mu_lo, var;
                R.moments(xb, Cg * S, &mu_hi, &mu_lo, &var, t + 1 < N * groups ? xb + Cg * S : nullptr);
                const double mu = double(mu_hi) + double(mu_lo), rs = 1.0 / std::sqrt(double(var) + eps);
                ptr<T>(mean)[t] = static_cast<T>(mu);
                ptr<T>(rstd)[t] = static_cast<T>(rs);
                for (int64_t c = 0; c < Cg; ++c) {
                    const int64_t ch = gi * Cg + c;
                    const double a = (w ? double(w[ch]) : 1.0) * rs;
                    const double shift = (b ? double(b[ch]) : 0.0) - double(mu) * a;
                    R.affine(xb + c * S, y + (n * C + ch) * S, S, static_cast<T>(a), static_cast<T>(shift), false);
                }
            }
        });
    });
}

void group_norm_backward(const View& grad_x, const View& grad_weight, const View& grad_bias, const View& grad_out,
                         const View& x, const View& mean, const View& rstd, const View& weight, int64_t groups) {
    const int64_t N = x.sizes[0], C = x.sizes[1], S = x.sizes[2], Cg = C / groups;
    dispatch_float(x.dtype, "group_norm_backward", [&](auto tag) {
        using T = decltype(tag);
        const T* xv = ptr<const T>(x);
        const T* g = ptr<const T>(grad_out);
        const T* w = weight.data ? ptr<const T>(weight) : nullptr;
        const T* mv = ptr<const T>(mean);
        const T* rv = ptr<const T>(rstd);
        if (grad_x.data) {
            parallel_for(N * groups, grain_for(4 * Cg * S), [&](int64_t begin, int64_t end) {
                for (int64_t t = begin; t < end; ++t) {
                    const int64_t n = t / groups, gi = t % groups;
                    const double mu = double(mv[t]), rs = double(rv[t]), K = double(Cg * S);
                    // dxhat = g * w[c]; gx = rs * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)) over the group.
                    double s1 = 0, s2 = 0;
                    for (int64_t c = 0; c < Cg; ++c) {
                        const int64_t ch = gi * Cg + c;
                        const double wc = w ? double(w[ch]) : 1.0;
                        const T* xr = xv + (n * C + ch) * S;
                        const T* gr = g + (n * C + ch) * S;
                        for (int64_t s = 0; s < S; ++s) {
                            const double d = double(gr[s]) * wc;
                            s1 += d;
                            s2 += d * (double(xr[s]) - mu) * rs;
                        }
                    }
                    const double m1 = s1 / K, m2 = s2 / K;
                    for (int64_t c = 0; c < Cg; ++c) {
                        const int64_t ch = gi * Cg + c;
                        const double wc = w ? double(w[ch]) : 1.0;
                        const T* xr = xv + (n * C + ch) * S;
                        const T* gr = g + (n * C + ch) * S;
                        T* out = ptr<T>(grad_x) + (n * C + ch) * S;
                        for (int64_t s = 0; s < S; ++s) {
                            const double xhat = (double(xr[s]) - mu) * rs;
                            out[s] = static_cast<T>(rs * (double(gr[s]) * wc - m1 - xhat * m2));
                        }
                    }
                }
            });
        }
        if (!grad_weight.data && !grad_bias.data) return;
        parallel_for(C, grain_for(2 * N * S), [&](int64_t begin, int64_t end) {
            for (int64_t ch = begin; ch < end; ++ch) {
                double sw = 0, sb = 0;
                for (int64_t n = 0; n < N; ++n) {
                    const int64_t t = n * groups + ch / Cg;
                    const double mu = double(mv[t]), rs = double(rv[t]);
                    const T* xr = xv + (n * C + ch) * S;
                    const T* gr = g + (n * C + ch) * S;
                    for (int64_t s = 0; s < S; ++s) {
                        sw += double(gr[s]) * (double(xr[s]) - mu) * rs;
                        sb += double(gr[s]);
                    }
                }
                if (grad_weight.data) ptr<T>(grad_weight)[ch] = static_cast<T>(sw);
                if (grad_bias.data) ptr<T>(grad_bias)[ch] = static_cast<T>(sb);
            }
        });
    });
}

}  // namespace wick::cpu::nn
