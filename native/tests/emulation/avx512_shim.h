// Test-only: the AVX-512 intrinsics of src/cpu/simd/vec.h in portable C++, so the AVX-512 kernels'
// logic (masks, blends, tails, reductions) is checked on machines without AVX-512. SIMDe (Debian's
// libsimde-dev) provides most of them; the ones its 0.7.4 lacks are written here from Intel's
// definitions. Included by vec.h when WICK_ISA_EMULATED is defined (test executable only).
#pragma once

#include <cmath>
#include <cstdint>

#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>

// SIMDe 0.7.4 aliases the vector types but not the mask types or every constant.
#ifndef _MM_FROUND_NO_EXC
#  define _MM_FROUND_NO_EXC SIMDE_MM_FROUND_NO_EXC
#endif
#ifndef _MM_FROUND_TO_NEAREST_INT
#  define _MM_FROUND_TO_NEAREST_INT SIMDE_MM_FROUND_TO_NEAREST_INT
#  define _MM_FROUND_TO_NEG_INF SIMDE_MM_FROUND_TO_NEG_INF
#  define _MM_FROUND_TO_POS_INF SIMDE_MM_FROUND_TO_POS_INF
#  define _MM_FROUND_TO_ZERO SIMDE_MM_FROUND_TO_ZERO
#endif
typedef simde__mmask16 __mmask16;
typedef simde__mmask8 __mmask8;

namespace wick_avx512_shim {

inline simde__m512_private P(simde__m512 a) { return simde__m512_to_private(a); }
inline simde__m512d_private P(simde__m512d a) { return simde__m512d_to_private(a); }
inline simde__m512i_private P(simde__m512i a) { return simde__m512i_to_private(a); }

}  // namespace wick_avx512_shim

inline __m512 _mm512_maskz_loadu_ps(__mmask16 k, const void* p) {
    simde__m512_private r;
    for (int i = 0; i < 16; ++i) r.f32[i] = ((k >> i) & 1) ? static_cast<const float*>(p)[i] : 0.0f;
    return simde__m512_from_private(r);
}
inline __m512d _mm512_maskz_loadu_pd(__mmask8 k, const void* p) {
    simde__m512d_private r;
    for (int i = 0; i < 8; ++i) r.f64[i] = ((k >> i) & 1) ? static_cast<const double*>(p)[i] : 0.0;
    return simde__m512d_from_private(r);
}
inline void _mm512_mask_storeu_ps(void* p, __mmask16 k, __m512 a) {
    auto v = wick_avx512_shim::P(a);
    for (int i = 0; i < 16; ++i)
        if ((k >> i) & 1) static_cast<float*>(p)[i] = v.f32[i];
}
inline void _mm512_mask_storeu_pd(void* p, __mmask8 k, __m512d a) {
    auto v = wick_avx512_shim::P(a);
    for (int i = 0; i < 8; ++i)
        if ((k >> i) & 1) static_cast<double*>(p)[i] = v.f64[i];
}
// Round to nearest even (the default MXCSR mode); out of range and NaN give INT32_MIN.
inline __m512i _mm512_cvtps_epi32(__m512 a) {
    auto v = wick_avx512_shim::P(a);
    simde__m512i_private r;
    for (int i = 0; i < 16; ++i) {
        float x = std::nearbyint(v.f32[i]);
        r.i32[i] = (x >= -2147483648.0f && x < 2147483648.0f) ? static_cast<int32_t>(x) : INT32_MIN;
    }
    return simde__m512i_from_private(r);
}
inline __m512 _mm512_cvtepi32_ps(__m512i a) {
    auto v = wick_avx512_shim::P(a);
    simde__m512_private r;
    for (int i = 0; i < 16; ++i) r.f32[i] = static_cast<float>(v.i32[i]);
    return simde__m512_from_private(r);
}
inline __m512i _mm512_srai_epi32(__m512i a, unsigned s) {
    auto v = wick_avx512_shim::P(a);
    for (int i = 0; i < 16; ++i) v.i32[i] = s > 31 ? (v.i32[i] < 0 ? -1 : 0) : (v.i32[i] >> s);
    return simde__m512i_from_private(v);
}
// Reductions in the hardware sequence's tree order (halves, then quarters, ...); max/min use the
// max_ps rule (the second operand when either is NaN).
#define WICK_SHIM_REDUCE(name, T, field, n, op)           \
    inline T name(decltype(simde_mm512_setzero_##field()) a) { \
        auto v = wick_avx512_shim::P(a);                 \
        T x[n];                                          \
        for (int i = 0; i < n; ++i) x[i] = v.field[i];   \
        for (int w = n / 2; w >= 1; w /= 2)              \
            for (int i = 0; i < w; ++i) x[i] = op(x[i], x[i + w]); \
        return x[0];                                     \
    }
inline float wick_shim_add(float a, float b) { return a + b; }
inline double wick_shim_add(double a, double b) { return a + b; }
template <class T> inline T wick_shim_max(T a, T b) { return a > b ? a : b; }
template <class T> inline T wick_shim_min(T a, T b) { return a < b ? a : b; }
#define simde_mm512_setzero_f32 simde_mm512_setzero_ps
#define simde_mm512_setzero_f64 simde_mm512_setzero_pd
WICK_SHIM_REDUCE(_mm512_reduce_add_ps, float, f32, 16, wick_shim_add)
WICK_SHIM_REDUCE(_mm512_reduce_max_ps, float, f32, 16, wick_shim_max<float>)
WICK_SHIM_REDUCE(_mm512_reduce_min_ps, float, f32, 16, wick_shim_min<float>)
WICK_SHIM_REDUCE(_mm512_reduce_add_pd, double, f64, 8, wick_shim_add)
WICK_SHIM_REDUCE(_mm512_reduce_max_pd, double, f64, 8, wick_shim_max<double>)
WICK_SHIM_REDUCE(_mm512_reduce_min_pd, double, f64, 8, wick_shim_min<double>)
#undef WICK_SHIM_REDUCE

// SIMDe's portable fmadd is a*b + c with two roundings, and its roundscale mishandles the rounding
// bits; the kernels' compensated arithmetic needs the hardware's exact behaviour.
#undef _mm512_fmadd_ps
#undef _mm512_fmsub_ps
#undef _mm512_fmadd_pd
#undef _mm512_roundscale_ps
#undef _mm512_roundscale_pd
inline __m512 _mm512_fmadd_ps(__m512 a, __m512 b, __m512 c) {
    auto x = wick_avx512_shim::P(a), y = wick_avx512_shim::P(b), z = wick_avx512_shim::P(c);
    for (int i = 0; i < 16; ++i) x.f32[i] = std::fma(x.f32[i], y.f32[i], z.f32[i]);
    return simde__m512_from_private(x);
}
inline __m512 _mm512_fmsub_ps(__m512 a, __m512 b, __m512 c) {
    auto x = wick_avx512_shim::P(a), y = wick_avx512_shim::P(b), z = wick_avx512_shim::P(c);
    for (int i = 0; i < 16; ++i) x.f32[i] = std::fma(x.f32[i], y.f32[i], -z.f32[i]);
    return simde__m512_from_private(x);
}
inline __m512d _mm512_fmadd_pd(__m512d a, __m512d b, __m512d c) {
    auto x = wick_avx512_shim::P(a), y = wick_avx512_shim::P(b), z = wick_avx512_shim::P(c);
    for (int i = 0; i < 8; ++i) x.f64[i] = std::fma(x.f64[i], y.f64[i], z.f64[i]);
    return simde__m512d_from_private(x);
}
// imm8 bits 1:0 choose the rounding (nearest even, down, up, toward zero); the kernels keep 0
// fraction bits (imm8 bits 7:4).
template <class T>
inline T wick_shim_round(T v, int imm8) {
    switch (imm8 & 3) {
        case 0: return std::nearbyint(v);
        case 1: return std::floor(v);
        case 2: return std::ceil(v);
        default: return std::trunc(v);
    }
}
inline __m512 _mm512_roundscale_ps(__m512 a, int imm8) {
    auto x = wick_avx512_shim::P(a);
    for (int i = 0; i < 16; ++i) x.f32[i] = wick_shim_round(x.f32[i], imm8);
    return simde__m512_from_private(x);
}
inline __m512d _mm512_roundscale_pd(__m512d a, int imm8) {
    auto x = wick_avx512_shim::P(a);
    for (int i = 0; i < 8; ++i) x.f64[i] = wick_shim_round(x.f64[i], imm8);
    return simde__m512d_from_private(x);
}
