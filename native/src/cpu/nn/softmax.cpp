// Softmax and log-softmax along any dimension of a contiguous tensor viewed as (outer, n, inner):
// rows (inner == 1) run through the vectorised row primitives; other dims keep running maxima and
// sums in (inner)-long vectors so every pass stays contiguous.
#include <cmath>
#include <vector>

#include "core/parallel.h"
#include "cpu/nn/nn_kernels.h"
#include "cpu/nn/rows.h"

namespace wick::cpu::nn {

namespace {

template <class T>
void softmax_rows(T* y, const T* x, int64_t outer, int64_t n, bool log) {
    const Rows<T>& R = rows<T>();
    // A large output is streamed past the cache: the exponentials go to a scratch row (in L1), and only the
    // last pass writes y, with non-temporal stores.
    const bool stream = outer * n * static_cast<int64_t>(sizeof(T)) > kStreamOutputBytes;
    parallel_for(outer, grain_for(4 * n), [&](int64_t begin, int64_t end) {
        std::vector<T> scratch(stream ? static_cast<size_t>(n) : 0);
        for (int64_t r = begin; r < end; ++r) {
            const T* xr = x + r * n;
            T* yr = y + r * n;
            T* er = stream ? scratch.data() : yr;
            const T m = R.max(xr, n);
            // A finite maximum means no NaN or infinity in the row: every x - m is <= 0.
            const T* next = r + 1 < outer ? xr + n : nullptr;
            const T s = std::isfinite(m) ? R.exp_below_sum(xr, er, n, m, next) : R.exp_shift_sum(xr, er, n, m, next);
            // (x - max) - log(sum): subtracting the two separately keeps the precision of x - max.
            if (log) {
                R.affine(xr, er, n, T(1), -m, false);
                R.affine(er, yr, n, T(1), -std::log(s), stream);
            }
            else R.affine(er, yr, n, T(1) / s, T(0), stream);
        }
        if (stream) R.fence();
    });
}

// Along a middle dimension: per outer index and block of `inner`, column maxima and sums.
template <class T>
void softmax_cols(T* y, const T* x, int64_t outer, int64_t n, int64_t inner, bool log) {
    const Rows<T>& R = rows<T>();
    constexpr int64_t kBlock = 1024;
    const int64_t blocks = (inner + kBlock - 1) / kBlock;
    parallel_for(outer * blocks, grain_for(4 * n * std::min(inner, kBlock)), [&](int64_t begin, int64_t end) {
        std::vector<T> mx(static_cast<size_t>(std::min(inner, kBlock))), sum(mx.size());
        for (int64_t t = begin; t < end; ++t) {
            const int64_t o = t / blocks, i0 = (t % blocks) * kBlock, len = std::min(kBlock, inner - i0);
            const T* xb = x + o * n * inner + i0;
            T* yb = y + o * n * inner + i0;
            std::fill(mx.begin(), mx.begin() + len, -INFINITY);
            std::fill(sum.begin(), sum.begin() + len, T(0));
            for (int64_t j = 0; j < n; ++j)
                for (int64_t i = 0; i < len; ++i) {
                    const T v = xb[j * inner + i];
                    if (v > mx[i] || std::isnan(v)) mx[i] = std::isnan(mx[i]) ? mx[i] : v;
                }
            for (int64_t j = 0; j < n; ++j) R.exp_diff_acc(xb + j * inner, mx.data(), yb + j * inner, sum.data(), len);
            if (log) {
                for (int64_t i = 0; i < len; ++i) sum[i] = std::log(sum[i]);
                for (int64_t j = 0; j < n; ++j)
                    for (int64_t i = 0; i < len; ++i) yb[j * inner + i] = (xb[j * inner + i] - mx[i]) - sum[i];
            } else {
                for (int64_t i = 0; i < len; ++i) sum[i] = T(1) / sum[i];
                for (int64_t j = 0; j < n; ++j)
                    for (int64_t i = 0; i < len; ++i) yb[j * inner + i] *= sum[i];
            }
        }
    });
}

}  // namespace

void softmax(const View& out, const View& x, int32_t dim, bool log) {
    const int64_t outer = span(x, 0, dim), n = x.sizes[dim], inner = span(x, dim + 1, x.ndim);
    if (outer * n * inner == 0) return;
    dispatch_float(x.dtype, "softmax", [&](auto tag) {
        using T = decltype(tag);
        if (inner == 1) softmax_rows<T>(ptr<T>(out), ptr<T>(x), outer, n, log);
        else softmax_cols<T>(ptr<T>(out), ptr<T>(x), outer, n, inner, log);
    });
}

void softmax_backward(const View& grad_x, const View& grad_out, const View& y, int32_t dim, bool log) {
    const int64_t outer = span(y, 0, dim), n = y.sizes[dim], inner = span(y, dim + 1, y.ndim);
    if (outer * n * inner == 0) return;
    dispatch_float(y.dtype, "softmax_backward", [&](auto tag) {
        using T = decltype(tag);
        const T* g = ptr<T>(grad_out);
        const T* yv = ptr<T>(y);
        T* gx = ptr<T>(grad_x);
        if (inner == 1) {  // rows: the vectorised row primitives
            const Rows<T>& R = rows<T>();
            parallel_for(outer, grain_for(3 * n), [&](int64_t begin, int64_t end) {
                for (int64_t r = begin; r < end; ++r) {
                    const T* gr = g + r * n;
                    const T* yr = yv + r * n;
                    R.softmax_grad(gr, yr, gx + r * n, n, R.dot(gr, log ? nullptr : yr, n), log, r + 1 < outer ? n : 0);
                }
            });
            return;
        }
        // One (outer, inner) column at a time: s = sum(g * y) (softmax) or sum(g) (log-softmax).
        parallel_for(outer * inner, grain_for(3 * n), [&](int64_t begin, int64_t end) {
            for (int64_t t = begin; t < end; ++t) {
                const int64_t o = t / inner, i = t % inner, base = o * n * inner + i;
                double s = 0;
                for (int64_t j = 0; j < n; ++j) {
                    const int64_t k = base + j * inner;
                    s += log ? double(g[k]) : double(g[k]) * double(yv[k]);
                }
                for (int64_t j = 0; j < n; ++j) {
                    const int64_t k = base + j * inner;
                    gx[k] = log ? static_cast<T>(g[k] - std::exp(yv[k]) * s) : static_cast<T>(yv[k] * (g[k] - s));
                }
            }
        });
    });
}

}  // namespace wick::cpu::nn
