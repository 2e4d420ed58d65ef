// The body of the RowsF32 primitives over a vector-traits type V (W lanes of float), included by
// rows_avx2.cpp and rows_avx512.cpp, each compiled with its own -m flags. Internal linkage only.
// Tails shorter than W go through a zero-padded lane buffer, so no scalar libm call is needed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "cpu/nn/rows.h"

namespace wick::cpu::nn {
namespace {

template <class V>
struct RowsSimd {
    using R = typename V::Reg;
    static constexpr int W = V::W;

    // Loads the tail x[0..n) (n < W) with `fill` in the unused lanes.
    static R load_tail(const float* x, int64_t n, float fill) {
        alignas(64) float buf[W];
        for (int i = 0; i < W; ++i) buf[i] = i < n ? x[i] : fill;
        return V::loadu(buf);
    }
    static void store_tail(float* y, int64_t n, R v) {
        alignas(64) float buf[W];
        V::storeu(buf, v);
        std::memcpy(y, buf, sizeof(float) * static_cast<size_t>(n));
    }

    // Passes that compute a lot per element prefetch the caller's next run (`next`), so its reads from memory
    // overlap this run's arithmetic instead of stalling the first pass over it: the hardware prefetcher
    // restarts at every 4 KiB page, which is one row of 1024 floats.
    static constexpr int kLineFloats = 64 / sizeof(float);
    static void prefetch_lines(const float* next, int64_t i, int64_t len) {
        if (next)
            for (int64_t k = 0; k < len; k += kLineFloats) V::prefetch(next + i + k);
    }

    static float max(const float* x, int64_t n) {
        const float ninf = -std::numeric_limits<float>::infinity();
        R m0 = V::set1(ninf), m1 = m0, nan = V::zero();
        int64_t i = 0;
        for (; i + 2 * W <= n; i += 2 * W) {
            R a = V::loadu(x + i), b = V::loadu(x + i + W);
            m0 = V::max(m0, a), m1 = V::max(m1, b);
            nan = V::or_(nan, V::or_(V::isnan(a), V::isnan(b)));
        }
        for (; i + W <= n; i += W) {
            R a = V::loadu(x + i);
            m0 = V::max(m0, a);
            nan = V::or_(nan, V::isnan(a));
        }
        if (i < n) {
            R a = load_tail(x + i, n - i, ninf);
            m0 = V::max(m0, a);
            nan = V::or_(nan, V::isnan(a));
        }
        if (V::any(nan)) return std::numeric_limits<float>::quiet_NaN();
        return V::hmax(V::max(m0, m1));
    }

    // exp(x) for x <= 0 and not NaN (softmax after subtracting the row maximum), so nothing overflows and no
    // NaN needs handling. With k = round(x W / ln 2), e^x = 2^(k/W) e^r where r = x - k ln2 / W, |r| <= ln2 / 2W:
    // - k by the magic-number trick: one FMA adding 1.5 * 2^23 leaves k in the low mantissa bits of j;
    // - r with ln 2 / W in two parts (the high part has 9 significant bits, so k times it is exact);
    // - e^r by a cubic, 1 + r + c2 r^2 + c3 r^3, fitted for least maximum relative error on that interval
    //   (2.6e-8 for W = 8, 1.6e-9 for W = 16); its part after the 1 is kept apart, so the last step is
    //   one FMA, 2^(k/W) + 2^(k/W) (e^r - 1), and nothing near 1 is rounded before it;
    // - 2^(k/W) = 2^((k mod W) / W) 2^floor(k/W): the first factor from a W-entry table held in one register
    //   and indexed by the low bits of j, the second added to that entry's exponent field (V::exp2_split).
    // Seven multiply-adds where the degree-6 polynomial without the table took eleven: softmax is bound by them.
    // Error: the rounded table entry, the cubic and the last FMA; at most 1.5 ulp (test_rows.cpp).
    // Below -87.34 (where 2^floor(k/W) would leave the normal range) the result is 0; the final FMA rounds the
    // few results just below FLT_MIN correctly.
    static R exp_below(R x) {
        static_assert(W == 8 || W == 16, "exp2_split tables exist for 8 and 16 lanes");
        constexpr float c2 = W == 8 ? 0.50006443f : 0.50001615f, c3 = W == 8 ? 0.16667046f : 0.16666825f;
        const R lo = V::set1(-87.3365479f), magic = V::set1(12582912.f);
        const R xc = V::max(x, lo);
        const R j = V::fma(xc, V::set1(1.44269504088896341f * W), magic);
        const R k = V::sub(j, magic);
        R r = V::fma(k, V::set1(-0.693359375f / W), xc);
        r = V::fma(k, V::set1(2.12194440e-4f / W), r);
        const R e = V::mul(V::fma(V::fma(V::set1(c3), r, V::set1(c2)), r, V::set1(1.f)), r);  // e^r - 1
        const R scale = V::exp2_split(j);
        return V::zero_below(V::fma(scale, e, scale), x, lo);
    }

    template <bool kBelow>
    static R exp_of(R v) {
        if constexpr (kBelow) return exp_below(v);
        else return V::exp(v);
    }

    template <bool kBelow>
    static float exp_sum_impl(const float* x, float* y, int64_t n, float shift, const float* next) {
        const R s = V::set1(shift);
        R acc0 = V::zero(), acc1 = V::zero();
        int64_t i = 0;
        for (; i + 2 * W <= n; i += 2 * W) {
            prefetch_lines(next, i, 2 * W);
            R e0 = exp_of<kBelow>(V::sub(V::loadu(x + i), s)), e1 = exp_of<kBelow>(V::sub(V::loadu(x + i + W), s));
            V::storeu(y + i, e0), V::storeu(y + i + W, e1);
            acc0 = V::add(acc0, e0), acc1 = V::add(acc1, e1);
        }
        for (; i + W <= n; i += W) {
            R e = exp_of<kBelow>(V::sub(V::loadu(x + i), s));
            V::storeu(y + i, e);
            acc0 = V::add(acc0, e);
        }
        if (i < n) {
            // Padding lanes hold -inf, whose exponential is 0: they add nothing to the sum.
            R e = exp_of<kBelow>(V::sub(load_tail(x + i, n - i, -std::numeric_limits<float>::infinity()), s));
            store_tail(y + i, n - i, e);
            acc0 = V::add(acc0, e);
        }
        return V::hsum(V::add(acc0, acc1));
    }

    static float exp_shift_sum(const float* x, float* y, int64_t n, float shift, const float* next) {
        return exp_sum_impl<false>(x, y, n, shift, next);
    }
    static float exp_below_sum(const float* x, float* y, int64_t n, float shift, const float* next) {
        return exp_sum_impl<true>(x, y, n, shift, next);
    }

    static void exp_diff_acc(const float* x, const float* shift, float* y, float* acc, int64_t n) {
        int64_t i = 0;
        for (; i + W <= n; i += W) {
            R e = V::exp(V::sub(V::loadu(x + i), V::loadu(shift + i)));
            V::storeu(y + i, e);
            V::storeu(acc + i, V::add(V::loadu(acc + i), e));
        }
        if (i < n) {
            R e = V::exp(V::sub(load_tail(x + i, n - i, 0.f), load_tail(shift + i, n - i, 0.f)));
            store_tail(y + i, n - i, e);
            store_tail(acc + i, n - i, V::add(load_tail(acc + i, n - i, 0.f), e));
        }
    }

    // Stores v at y + i: non-temporal when streaming and y + i is aligned for it (the caller aligns the run).
    static void put(float* y, R v, bool stream) {
        if (stream) V::stream(y, v);
        else V::storeu(y, v);
    }

    // Elements before y + i is aligned for V::stream (at most W - 1; all of n when not streaming).
    static int64_t head(const float* y, int64_t n, bool stream) {
        if (!stream) return 0;
        const auto misalign = static_cast<int64_t>(reinterpret_cast<uintptr_t>(y) % (W * sizeof(float)));
        if (misalign % static_cast<int64_t>(sizeof(float)) != 0) return n;  // not even float-aligned: no streaming
        const int64_t h = misalign == 0 ? 0 : (W - misalign / static_cast<int64_t>(sizeof(float)));
        return std::min(h, n);
    }

    // Runs f(i, len, stream) over [0, n): a partial head up to y's stream alignment, whole vectors, a partial tail.
    // f stores through put(); the caller fences streamed stores (Rows::fence) once its whole task is written.
    template <class F>
    static void runs(float* y, int64_t n, bool stream, F&& f) {
        int64_t h = head(y, n, stream);
        if (h >= n) stream = false, h = 0;  // nothing left to stream: plain stores throughout
        if (h > 0) f(int64_t(0), h, false);  // 0 < h < W
        int64_t i = h;
        for (; i + W <= n; i += W) f(i, W, stream);
        if (i < n) f(i, n - i, false);
    }

    static void affine(const float* x, float* y, int64_t n, float a, float c, bool stream) {
        const R va = V::set1(a), vc = V::set1(c);
        runs(y, n, stream, [&](int64_t i, int64_t len, bool st) {
            if (len == W) put(y + i, V::fma(V::loadu(x + i), va, vc), st);
            else store_tail(y + i, len, V::fma(load_tail(x + i, len, 0.f), va, vc));
        });
    }

    // Four independent accumulators per pass hide the add / FMA latency (the row is in L1 after the
    // first pass, so the second one is bound by that latency, not by memory). The second pass prefetches the
    // caller's next run (`next`, n elements, may be null), so its loads from memory overlap this arithmetic.
    // The third pass (mean_lo, see Rows::moments) runs only for rows whose mean is large against their
    // spread (far_from_zero): elsewhere the rounding of m is far below float precision of the result.
    static void moments(const float* x, int64_t n, float* mean, float* mean_lo, float* var, const float* next) {
        R s0 = V::zero(), s1 = V::zero(), s2 = V::zero(), s3 = V::zero();
        int64_t i = 0;
        for (; i + 4 * W <= n; i += 4 * W) {
            s0 = V::add(s0, V::loadu(x + i)), s1 = V::add(s1, V::loadu(x + i + W));
            s2 = V::add(s2, V::loadu(x + i + 2 * W)), s3 = V::add(s3, V::loadu(x + i + 3 * W));
        }
        for (; i + W <= n; i += W) s0 = V::add(s0, V::loadu(x + i));
        if (i < n) s0 = V::add(s0, load_tail(x + i, n - i, 0.f));
        const float m = n > 0 ? V::hsum(V::add(V::add(s0, s1), V::add(s2, s3))) / static_cast<float>(n) : 0.f;
        const R vm = V::set1(m);
        R q0 = V::zero(), q1 = V::zero(), q2 = V::zero(), q3 = V::zero();
        for (i = 0; i + 4 * W <= n; i += 4 * W) {
            prefetch_lines(next, i, 4 * W);
            R d0 = V::sub(V::loadu(x + i), vm), d1 = V::sub(V::loadu(x + i + W), vm);
            R d2 = V::sub(V::loadu(x + i + 2 * W), vm), d3 = V::sub(V::loadu(x + i + 3 * W), vm);
            q0 = V::fma(d0, d0, q0), q1 = V::fma(d1, d1, q1), q2 = V::fma(d2, d2, q2), q3 = V::fma(d3, d3, q3);
        }
        for (; i + W <= n; i += W) {
            R d = V::sub(V::loadu(x + i), vm);
            q0 = V::fma(d, d, q0);
        }
        if (i < n) {
            R d = V::sub(load_tail(x + i, n - i, m), vm);  // padding equals the mean: adds 0
            q0 = V::fma(d, d, q0);
        }
        const float q = n > 0 ? V::hsum(V::add(V::add(q0, q1), V::add(q2, q3))) / static_cast<float>(n) : 0.f;
        float lo = 0.f;
        if (far_from_zero(m, q)) {
            s0 = s1 = V::zero();
            for (i = 0; i + 2 * W <= n; i += 2 * W)
                s0 = V::add(s0, V::sub(V::loadu(x + i), vm)), s1 = V::add(s1, V::sub(V::loadu(x + i + W), vm));
            for (; i + W <= n; i += W) s0 = V::add(s0, V::sub(V::loadu(x + i), vm));
            if (i < n) s0 = V::add(s0, V::sub(load_tail(x + i, n - i, m), vm));
            lo = V::hsum(V::add(s0, s1)) / static_cast<float>(n);
        }
        *mean = m;
        *mean_lo = lo;
        *var = std::max(q - lo * lo, 0.f);
    }

    // The common rows take x * rstd + (-mean * rstd), one FMA; rows far from zero are centred first
    // (x * rstd and mean * rstd would cancel).
    static void normalize(const float* x, float* y, int64_t n, float mean, float mean_lo, float rstd, const float* w,
                          const float* b, bool stream) {
        const bool centre = far_from_zero(mean * rstd, 1.f);
        const R vr = V::set1(rstd), vm = V::set1(mean), vlo = V::set1(mean_lo), vc = V::set1(-(mean + mean_lo) * rstd);
        runs(y, n, stream, [&](int64_t i, int64_t len, bool st) {
            const bool full = len == W;
            const R xv = full ? V::loadu(x + i) : load_tail(x + i, len, 0.f);
            R v = centre ? V::mul(V::sub(V::sub(xv, vm), vlo), vr) : V::fma(xv, vr, vc);
            if (w) v = V::mul(v, full ? V::loadu(w + i) : load_tail(w + i, len, 0.f));
            if (b) v = V::add(v, full ? V::loadu(b + i) : load_tail(b + i, len, 0.f));
            if (full) put(y + i, v, st);
            else store_tail(y + i, len, v);
        });
    }

    static float dot(const float* a, const float* b, int64_t n) {
        R s0 = V::zero(), s1 = V::zero();
        int64_t i = 0;
        for (; i + 2 * W <= n; i += 2 * W) {
            if (b) {
                s0 = V::fma(V::loadu(a + i), V::loadu(b + i), s0);
                s1 = V::fma(V::loadu(a + i + W), V::loadu(b + i + W), s1);
            } else {
                s0 = V::add(s0, V::loadu(a + i));
                s1 = V::add(s1, V::loadu(a + i + W));
            }
        }
        for (; i < n; i += W) {
            const int64_t len = std::min<int64_t>(W, n - i);
            const R va = len == W ? V::loadu(a + i) : load_tail(a + i, len, 0.f);
            s0 = b ? V::fma(va, len == W ? V::loadu(b + i) : load_tail(b + i, len, 0.f), s0) : V::add(s0, va);
        }
        return V::hsum(V::add(s0, s1));
    }

    static void softmax_grad(const float* g, const float* y, float* gx, int64_t n, float s, bool log, int64_t next) {
        const R vs = V::set1(s);
        for (int64_t i = 0; i < n; i += W) {
            if (next != 0 && i % kLineFloats == 0) V::prefetch(g + next + i), V::prefetch(y + next + i);
            const int64_t len = std::min<int64_t>(W, n - i);
            const R vg = len == W ? V::loadu(g + i) : load_tail(g + i, len, 0.f);
            const R vy = len == W ? V::loadu(y + i) : load_tail(y + i, len, 0.f);
            // log-softmax values are <= 0, but the general exponential keeps a NaN or inf in y visible.
            const R v = log ? V::sub(vg, V::mul(V::exp(vy), vs)) : V::mul(vy, V::sub(vg, vs));
            if (len == W) V::storeu(gx + i, v);
            else store_tail(gx + i, len, v);
        }
    }

    // One vector of norm_grad's first pass at i (len lanes; len < W only for the tail): accumulates the sums and
    // the weight / bias gradients. The optional operands are compile-time flags so the loop has no branches.
    template <bool kW, bool kGw, bool kGb>
    static void norm_grad_sums(const float* x, const float* g, const float* w, float* gw, float* gb, int64_t i, int64_t len,
                               R vm, R vr, R& s1, R& s2) {
        const bool full = len == W;
        const R vg = full ? V::loadu(g + i) : load_tail(g + i, len, 0.f);
        const R xhat = V::mul(V::sub(full ? V::loadu(x + i) : load_tail(x + i, len, 0.f), vm), vr);
        R d = vg;
        if constexpr (kW) d = V::mul(vg, full ? V::loadu(w + i) : load_tail(w + i, len, 0.f));
        s1 = V::add(s1, d);
        s2 = V::fma(d, xhat, s2);  // padding lanes: d = 0
        if constexpr (kGw) {
            const R v = V::fma(vg, xhat, full ? V::loadu(gw + i) : load_tail(gw + i, len, 0.f));
            if (full) V::storeu(gw + i, v);
            else store_tail(gw + i, len, v);
        }
        if constexpr (kGb) {
            const R v = V::add(vg, full ? V::loadu(gb + i) : load_tail(gb + i, len, 0.f));
            if (full) V::storeu(gb + i, v);
            else store_tail(gb + i, len, v);
        }
    }

    // The input gradient of one vector at i: rstd (d - m1 - xhat m2).
    template <bool kW>
    static void norm_grad_input(const float* x, const float* g, const float* w, float* gx, int64_t i, int64_t len, R vm,
                                R vr, R m1, R m2) {
        const bool full = len == W;
        const R vg = full ? V::loadu(g + i) : load_tail(g + i, len, 0.f);
        const R xhat = V::mul(V::sub(full ? V::loadu(x + i) : load_tail(x + i, len, 0.f), vm), vr);
        R d = vg;
        if constexpr (kW) d = V::mul(vg, full ? V::loadu(w + i) : load_tail(w + i, len, 0.f));
        const R v = V::mul(vr, V::sub(V::sub(d, m1), V::mul(xhat, m2)));
        if (full) V::storeu(gx + i, v);
        else store_tail(gx + i, len, v);
    }

    // Two passes over the row: the sums (reading the row from memory), then the input gradient (from L1, while
    // the next row is prefetched). Float accumulation, as in the forward's moments.
    template <bool kW, bool kGw, bool kGb>
    static void norm_grad_impl(const float* x, const float* g, const float* w, float* gx, float* gw, float* gb, int64_t n,
                               float mean, float rstd, int64_t next) {
        const R vm = V::set1(mean), vr = V::set1(rstd);
        R s1 = V::zero(), s2 = V::zero();
        int64_t i = 0;
        for (; i + W <= n; i += W) norm_grad_sums<kW, kGw, kGb>(x, g, w, gw, gb, i, W, vm, vr, s1, s2);
        if (i < n) norm_grad_sums<kW, kGw, kGb>(x, g, w, gw, gb, i, n - i, vm, vr, s1, s2);
        if (!gx) return;
        const float inv_n = 1.f / static_cast<float>(n);
        const R m1 = V::set1(V::hsum(s1) * inv_n), m2 = V::set1(V::hsum(s2) * inv_n);
        for (i = 0; i + W <= n; i += W) {
            if (next != 0 && i % kLineFloats == 0) V::prefetch(g + next + i), V::prefetch(x + next + i);
            norm_grad_input<kW>(x, g, w, gx, i, W, vm, vr, m1, m2);
        }
        if (i < n) norm_grad_input<kW>(x, g, w, gx, i, n - i, vm, vr, m1, m2);
    }

    static void norm_grad(const float* x, const float* g, const float* w, float* gx, float* gw, float* gb, int64_t n,
                          float mean, float rstd, int64_t next) {
        using Impl = void (*)(const float*, const float*, const float*, float*, float*, float*, int64_t, float, float, int64_t);
        static constexpr Impl kImpls[8] = {&norm_grad_impl<false, false, false>, &norm_grad_impl<false, false, true>,
                                           &norm_grad_impl<false, true, false>,  &norm_grad_impl<false, true, true>,
                                           &norm_grad_impl<true, false, false>,  &norm_grad_impl<true, false, true>,
                                           &norm_grad_impl<true, true, false>,   &norm_grad_impl<true, true, true>};
        kImpls[(w ? 4 : 0) + (gw ? 2 : 0) + (gb ? 1 : 0)](x, g, w, gx, gw, gb, n, mean, rstd, next);
    }

    static constexpr RowsF32 table() {
        return RowsF32{&max,       &exp_shift_sum, &exp_below_sum, &exp_diff_acc, &affine, &moments,
                       &normalize, &dot,           &softmax_grad,  &norm_grad,    &V::sfence};
    }
};

}  // namespace
}  // namespace wick::cpu::nn
