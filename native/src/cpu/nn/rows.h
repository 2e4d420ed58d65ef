// Vectorised float32 primitives over contiguous runs, the inner loops of softmax and the
// normalisations. Three builds of one template (rows_impl.h): AVX-512, AVX2 and portable; rows()
// picks the one the CPU can run (cpu/gemm/cpu_features.h). Double precision uses RowsGeneric<double>.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace wick::cpu::nn {

// True when a row's mean m is large against its spread (m^2 > 1024 var, i.e. |m| > 32 standard
// deviations): there the first-pass mean's rounding matters and x * rstd - m * rstd cancels, so the
// float kernels take the mean's second term and centre before scaling (Rows::moments, normalize).
inline bool far_from_zero(float m, float var) { return m * m > 1024.f * var; }

template <class T>
struct Rows {
    // max of x[0..n), NaN when any element is NaN; -inf for n == 0.
    T (*max)(const T* x, int64_t n);
    // y = exp(x - shift), returns the sum of y (y may alias x). next: the run the caller reads after this one
    // (n elements, or null), prefetched meanwhile.
    T (*exp_shift_sum)(const T* x, T* y, int64_t n, T shift, const T* next);
    // The same for a finite shift at least as large as every x (the row maximum of a row without NaN):
    // arguments are <= 0, so the overflow and NaN handling of the general exponential is skipped.
    T (*exp_below_sum)(const T* x, T* y, int64_t n, T shift, const T* next);
    // y = exp(x - shift[i]) and acc[i] += y (softmax over a non-last dimension).
    void (*exp_diff_acc)(const T* x, const T* shift, T* y, T* acc, int64_t n);
    // y = x * a + c (y may alias x). stream: y is part of an output too large to stay in cache, so it is
    // written with non-temporal stores (no read of y's lines before writing them; about a third less memory
    // traffic). Callers that stream must not read y again in the same kernel, and call fence() once after
    // their last streamed row.
    void (*affine)(const T* x, T* y, int64_t n, T a, T c, bool stream);
    // Mean and biased variance of x[0..n), two passes (x stays in cache). The mean is mean + mean_lo: the
    // first pass's mean m in T, and the mean of x - m, which takes out the rounding of m and of its sum
    // (the corrected two-pass algorithm; var = mean((x - m)^2) - mean_lo^2). Kept as two values because
    // m + mean_lo rounded to T can be far from the mean when the spread is small against it (1000 +
    // [0, 0.01) in float32: half an ulp of 1000 is 1% of the deviation). The vectorised float kernels
    // take mean_lo in a third pass only for rows far_from_zero, and report 0 for the others. next: the
    // run the caller reads after this one (n elements, or null), prefetched during the second pass.
    void (*moments)(const T* x, int64_t n, T* mean, T* mean_lo, T* var, const T* next);
    // y = (((x - mean) - mean_lo) * rstd) * w + b, w and b per element (either may be null); stream as for
    // affine. Rows far_from_zero (|mean * rstd| > 32) are computed in that order, since x * rstd - mean *
    // rstd would cancel; the vectorised float kernels take that single FMA for the others.
    void (*normalize)(const T* x, T* y, int64_t n, T mean, T mean_lo, T rstd, const T* w, const T* b, bool stream);
    // sum of a[i] b[i] over [0, n); b null: sum of a.
    T (*dot)(const T* a, const T* b, int64_t n);
    // Softmax backward of one row: gx = y (g - s) with s = dot(g, y), or for log-softmax gx = g - exp(y) s
    // with s = sum of g (gx may alias g). next: the offset in elements from this row of g and y to the
    // caller's next one (0: none), prefetched meanwhile.
    void (*softmax_grad)(const T* g, const T* y, T* gx, int64_t n, T s, bool log, int64_t next);
    // Layer-norm backward of one row of n elements, with xhat = (x - mean) rstd and d = g w (w null: 1):
    //   gx = rstd (d - mean(d) - xhat mean(d xhat))   (gx null: skipped)
    //   gw += g xhat, gb += g                          (either null: skipped)
    // next: as for softmax_grad, for x and g.
    void (*norm_grad)(const T* x, const T* g, const T* w, T* gx, T* gw, T* gb, int64_t n, T mean, T rstd, int64_t next);
    // Orders this thread's streamed stores before its later stores, so whoever learns that the task is done
    // sees them. Once per task, not per row: a fence waits for the write-combining buffers to drain, and one
    // per 4 KiB row cost about a third of layer_norm's time.
    void (*fence)();
};
using RowsF32 = Rows<float>;

// The float build the CPU can run.
const RowsF32& rows_f32();

extern const RowsF32 kRowsScalar;
#if defined(__x86_64__) || defined(_M_X64)
extern const RowsF32 kRowsAvx2;
extern const RowsF32 kRowsAvx512;
#endif

// The same primitives in plain C++ for double (and the reference for float).
template <class T>
struct RowsGeneric {
    static T max(const T* x, int64_t n) {
        T m = -INFINITY;
        for (int64_t i = 0; i < n; ++i)
            if (x[i] > m || std::isnan(x[i])) {
                m = x[i];
                if (std::isnan(m)) return m;
            }
        return m;
    }
    static T exp_shift_sum(const T* x, T* y, int64_t n, T shift, const T* /*next*/) {
        T s = 0;
        for (int64_t i = 0; i < n; ++i) s += (y[i] = std::exp(x[i] - shift));
        return s;
    }
    static void exp_diff_acc(const T* x, const T* shift, T* y, T* acc, int64_t n) {
        for (int64_t i = 0; i < n; ++i) acc[i] += (y[i] = std::exp(x[i] - shift[i]));
    }
    static void affine(const T* x, T* y, int64_t n, T a, T c, bool /*stream*/) {
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] * a + c;
    }
    static void moments(const T* x, int64_t n, T* mean, T* mean_lo, T* var, const T* /*next*/) {
        T s = 0;
        for (int64_t i = 0; i < n; ++i) s += x[i];
        const T m = n > 0 ? s / static_cast<T>(n) : T(0);
        T d = 0, q = 0;
        for (int64_t i = 0; i < n; ++i) {
            const T c = x[i] - m;
            d += c;
            q += c * c;
        }
        const T lo = n > 0 ? d / static_cast<T>(n) : T(0);
        *mean = m;
        *mean_lo = lo;
        *var = n > 0 ? std::max(q / static_cast<T>(n) - lo * lo, T(0)) : T(0);
    }
    static T dot(const T* a, const T* b, int64_t n) {
        T s = 0;
        for (int64_t i = 0; i < n; ++i) s += b ? a[i] * b[i] : a[i];
        return s;
    }
    static void softmax_grad(const T* g, const T* y, T* gx, int64_t n, T s, bool log, int64_t /*next*/) {
        for (int64_t i = 0; i < n; ++i) gx[i] = log ? g[i] - std::exp(y[i]) * s : y[i] * (g[i] - s);
    }
    static void norm_grad(const T* x, const T* g, const T* w, T* gx, T* gw, T* gb, int64_t n, T mean, T rstd,
                          int64_t /*next*/) {
        T s1 = 0, s2 = 0;
        for (int64_t i = 0; i < n; ++i) {
            const T xhat = (x[i] - mean) * rstd, d = w ? g[i] * w[i] : g[i];
            s1 += d;
            s2 += d * xhat;
            if (gw) gw[i] += g[i] * xhat;
            if (gb) gb[i] += g[i];
        }
        if (!gx) return;
        const T m1 = s1 / static_cast<T>(n), m2 = s2 / static_cast<T>(n);
        for (int64_t i = 0; i < n; ++i) {
            const T xhat = (x[i] - mean) * rstd, d = w ? g[i] * w[i] : g[i];
            gx[i] = rstd * (d - m1 - xhat * m2);
        }
    }
    static void fence() {}  // plain stores only
    static void normalize(const T* x, T* y, int64_t n, T mean, T mean_lo, T rstd, const T* w, const T* b,
                          bool /*stream*/) {
        for (int64_t i = 0; i < n; ++i) {
            T v = ((x[i] - mean) - mean_lo) * rstd;
            if (w) v *= w[i];
            if (b) v += b[i];
            y[i] = v;
        }
    }
};

template <class T>
inline constexpr Rows<T> kRowsGeneric = {&RowsGeneric<T>::max,          &RowsGeneric<T>::exp_shift_sum, &RowsGeneric<T>::exp_shift_sum,
                                         &RowsGeneric<T>::exp_diff_acc, &RowsGeneric<T>::affine,        &RowsGeneric<T>::moments,
                                         &RowsGeneric<T>::normalize,    &RowsGeneric<T>::dot,           &RowsGeneric<T>::softmax_grad,
                                         &RowsGeneric<T>::norm_grad,    &RowsGeneric<T>::fence};

// Outputs larger than this are streamed past the cache by the row kernels (see Rows::affine): about the
// last-level cache of a few cores, beyond which the output would be evicted before anyone reads it.
inline constexpr int64_t kStreamOutputBytes = int64_t(8) << 20;

// The primitives for a kernel's element type: the vectorised float build, or plain C++ for double.
template <class T>
inline const Rows<T>& rows() {
    if constexpr (sizeof(T) == 4) return rows_f32();
    else return kRowsGeneric<T>;
}

}  // namespace wick::cpu::nn
