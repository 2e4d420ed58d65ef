// A thin vector type per instruction set, so each kernel is written once: VF/VD hold kWF floats or
// kWD doubles (16/8 with AVX-512, 8/4 with AVX2, 1/1 in the scalar build), MF/MD are their lane
// masks and VI the int32 lanes matching VF (exponent arithmetic in vmath.h).
//
// Semantics every backend keeps: vmin/vmax return the second operand when either is NaN (the x86
// rule; NaN-propagating versions are built on top), partial loads fill the missing lanes with 0 and
// never touch memory past n, vround rounds half to even.
// Only included inside an isa_begin.h region (namespace WICK_ISA_NS).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(WICK_ISA_EMULATED)
#  include "avx512_shim.h"  // tests/emulation: portable AVX-512 intrinsics
#elif WICK_ISA_LEVEL > 0
#  include <immintrin.h>
#endif

namespace wick::cpu::WICK_ISA_NS {

#if WICK_ISA_LEVEL == 2
// ----------------------------------------------------------------------------------- AVX-512
constexpr int kWF = 16, kWD = 8;
struct VF { __m512 v; };
struct VD { __m512d v; };
struct VI { __m512i v; };
struct MF { __mmask16 m; };
struct MD { __mmask8 m; };

inline __mmask16 tail16(int64_t n) { return static_cast<__mmask16>((1u << n) - 1u); }
inline __mmask8 tail8(int64_t n) { return static_cast<__mmask8>((1u << n) - 1u); }

inline VF vload(const float* p) { return {_mm512_loadu_ps(p)}; }
inline VF vload_partial(const float* p, int64_t n) { return {_mm512_maskz_loadu_ps(tail16(n), p)}; }
inline void vstore(float* p, VF a) { _mm512_storeu_ps(p, a.v); }
inline void vstore_partial(float* p, int64_t n, VF a) { _mm512_mask_storeu_ps(p, tail16(n), a.v); }
inline VF vset(float x) { return {_mm512_set1_ps(x)}; }
inline VF operator+(VF a, VF b) { return {_mm512_add_ps(a.v, b.v)}; }
inline VF operator-(VF a, VF b) { return {_mm512_sub_ps(a.v, b.v)}; }
inline VF operator*(VF a, VF b) { return {_mm512_mul_ps(a.v, b.v)}; }
inline VF operator/(VF a, VF b) { return {_mm512_div_ps(a.v, b.v)}; }
inline VF vfma(VF a, VF b, VF c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
inline VF vfms(VF a, VF b, VF c) { return {_mm512_fmsub_ps(a.v, b.v, c.v)}; }  // a*b - c
inline VF vmin(VF a, VF b) { return {_mm512_min_ps(a.v, b.v)}; }
inline VF vmax(VF a, VF b) { return {_mm512_max_ps(a.v, b.v)}; }
inline VF vabs(VF a) { return {_mm512_abs_ps(a.v)}; }
inline VF vneg(VF a) { return {_mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a.v), _mm512_set1_epi32(INT32_MIN)))}; }
inline VF vsqrt(VF a) { return {_mm512_sqrt_ps(a.v)}; }
inline VF vround(VF a) { return {_mm512_roundscale_ps(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
inline VF vfloor(VF a) { return {_mm512_roundscale_ps(a.v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)}; }
inline VF vceil(VF a) { return {_mm512_roundscale_ps(a.v, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC)}; }
inline VF vtrunc(VF a) { return {_mm512_roundscale_ps(a.v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC)}; }
inline MF operator<(VF a, VF b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ)}; }
inline MF operator<=(VF a, VF b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LE_OQ)}; }
inline MF operator>(VF a, VF b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ)}; }
inline MF operator>=(VF a, VF b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GE_OQ)}; }
inline MF operator==(VF a, VF b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_EQ_OQ)}; }
inline MF visnan(VF a) { return {_mm512_cmp_ps_mask(a.v, a.v, _CMP_UNORD_Q)}; }
inline VF vselect(MF m, VF a, VF b) { return {_mm512_mask_blend_ps(m.m, b.v, a.v)}; }
inline MF operator&(MF a, MF b) { return {static_cast<__mmask16>(a.m & b.m)}; }
inline MF operator|(MF a, MF b) { return {static_cast<__mmask16>(a.m | b.m)}; }
inline MF operator!(MF a) { return {static_cast<__mmask16>(~a.m)}; }
inline bool vany(MF a) { return a.m != 0; }
inline float vsum(VF a) { return _mm512_reduce_add_ps(a.v); }
inline float vhmax(VF a) { return _mm512_reduce_max_ps(a.v); }
inline float vhmin(VF a) { return _mm512_reduce_min_ps(a.v); }
// int32 lanes
inline VI vseti(int32_t x) { return {_mm512_set1_epi32(x)}; }
inline VI operator+(VI a, VI b) { return {_mm512_add_epi32(a.v, b.v)}; }
inline VI operator-(VI a, VI b) { return {_mm512_sub_epi32(a.v, b.v)}; }
inline VI operator&(VI a, VI b) { return {_mm512_and_si512(a.v, b.v)}; }
inline VI operator|(VI a, VI b) { return {_mm512_or_si512(a.v, b.v)}; }
template <int S> inline VI vshl(VI a) { return {_mm512_slli_epi32(a.v, S)}; }
template <int S> inline VI vsra(VI a) { return {_mm512_srai_epi32(a.v, S)}; }
template <int S> inline VI vsrl(VI a) { return {_mm512_srli_epi32(a.v, S)}; }
inline VI vcvt_int(VF a) { return {_mm512_cvtps_epi32(a.v)}; }  // round to nearest (even)
inline VF vcvt_float(VI a) { return {_mm512_cvtepi32_ps(a.v)}; }
inline VF vas_float(VI a) { return {_mm512_castsi512_ps(a.v)}; }
inline VI vas_int(VF a) { return {_mm512_castps_si512(a.v)}; }
inline MF operator>(VI a, VI b) { return {_mm512_cmpgt_epi32_mask(a.v, b.v)}; }
inline VI vselect(MF m, VI a, VI b) { return {_mm512_mask_blend_epi32(m.m, b.v, a.v)}; }

inline VD vload(const double* p) { return {_mm512_loadu_pd(p)}; }
inline VD vload_partial(const double* p, int64_t n) { return {_mm512_maskz_loadu_pd(tail8(n), p)}; }
inline void vstore(double* p, VD a) { _mm512_storeu_pd(p, a.v); }
inline void vstore_partial(double* p, int64_t n, VD a) { _mm512_mask_storeu_pd(p, tail8(n), a.v); }
inline VD vsetd(double x) { return {_mm512_set1_pd(x)}; }
inline VD operator+(VD a, VD b) { return {_mm512_add_pd(a.v, b.v)}; }
inline VD operator-(VD a, VD b) { return {_mm512_sub_pd(a.v, b.v)}; }
inline VD operator*(VD a, VD b) { return {_mm512_mul_pd(a.v, b.v)}; }
inline VD operator/(VD a, VD b) { return {_mm512_div_pd(a.v, b.v)}; }
inline VD vfma(VD a, VD b, VD c) { return {_mm512_fmadd_pd(a.v, b.v, c.v)}; }
inline VD vmin(VD a, VD b) { return {_mm512_min_pd(a.v, b.v)}; }
inline VD vmax(VD a, VD b) { return {_mm512_max_pd(a.v, b.v)}; }
inline VD vabs(VD a) { return {_mm512_abs_pd(a.v)}; }
inline VD vneg(VD a) { return {_mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(a.v), _mm512_set1_epi64(INT64_MIN)))}; }
inline VD vsqrt(VD a) { return {_mm512_sqrt_pd(a.v)}; }
inline VD vround(VD a) { return {_mm512_roundscale_pd(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
inline VD vfloor(VD a) { return {_mm512_roundscale_pd(a.v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)}; }
inline VD vceil(VD a) { return {_mm512_roundscale_pd(a.v, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC)}; }
inline VD vtrunc(VD a) { return {_mm512_roundscale_pd(a.v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC)}; }
inline MD operator<(VD a, VD b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_LT_OQ)}; }
inline MD operator>(VD a, VD b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_GT_OQ)}; }
inline MD operator==(VD a, VD b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_EQ_OQ)}; }
inline MD visnan(VD a) { return {_mm512_cmp_pd_mask(a.v, a.v, _CMP_UNORD_Q)}; }
inline VD vselect(MD m, VD a, VD b) { return {_mm512_mask_blend_pd(m.m, b.v, a.v)}; }
inline MD operator|(MD a, MD b) { return {static_cast<__mmask8>(a.m | b.m)}; }
inline bool vany(MD a) { return a.m != 0; }
inline double vsum(VD a) { return _mm512_reduce_add_pd(a.v); }
inline double vhmax(VD a) { return _mm512_reduce_max_pd(a.v); }
inline double vhmin(VD a) { return _mm512_reduce_min_pd(a.v); }

#elif WICK_ISA_LEVEL == 1
// ----------------------------------------------------------------------------------- AVX2 + FMA
constexpr int kWF = 8, kWD = 4;
struct VF { __m256 v; };
struct VD { __m256d v; };
struct VI { __m256i v; };
struct MF { __m256 m; };
struct MD { __m256d m; };

inline __m256i tail8(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
inline __m256i tail4(int64_t n) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3));
}

inline VF vload(const float* p) { return {_mm256_loadu_ps(p)}; }
inline VF vload_partial(const float* p, int64_t n) { return {_mm256_maskload_ps(p, tail8(n))}; }
inline void vstore(float* p, VF a) { _mm256_storeu_ps(p, a.v); }
inline void vstore_partial(float* p, int64_t n, VF a) { _mm256_maskstore_ps(p, tail8(n), a.v); }
inline VF vset(float x) { return {_mm256_set1_ps(x)}; }
inline VF operator+(VF a, VF b) { return {_mm256_add_ps(a.v, b.v)}; }
inline VF operator-(VF a, VF b) { return {_mm256_sub_ps(a.v, b.v)}; }
inline VF operator*(VF a, VF b) { return {_mm256_mul_ps(a.v, b.v)}; }
inline VF operator/(VF a, VF b) { return {_mm256_div_ps(a.v, b.v)}; }
inline VF vfma(VF a, VF b, VF c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
inline VF vfms(VF a, VF b, VF c) { return {_mm256_fmsub_ps(a.v, b.v, c.v)}; }
inline VF vmin(VF a, VF b) { return {_mm256_min_ps(a.v, b.v)}; }
inline VF vmax(VF a, VF b) { return {_mm256_max_ps(a.v, b.v)}; }
inline VF vabs(VF a) { return {_mm256_and_ps(a.v, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff)))}; }
inline VF vneg(VF a) { return {_mm256_xor_ps(a.v, _mm256_set1_ps(-0.0f))}; }
inline VF vsqrt(VF a) { return {_mm256_sqrt_ps(a.v)}; }
inline VF vround(VF a) { return {_mm256_round_ps(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
inline VF vfloor(VF a) { return {_mm256_round_ps(a.v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)}; }
inline VF vceil(VF a) { return {_mm256_round_ps(a.v, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC)}; }
inline VF vtrunc(VF a) { return {_mm256_round_ps(a.v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC)}; }
inline MF operator<(VF a, VF b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ)}; }
inline MF operator<=(VF a, VF b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LE_OQ)}; }
inline MF operator>(VF a, VF b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GT_OQ)}; }
inline MF operator>=(VF a, VF b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GE_OQ)}; }
inline MF operator==(VF a, VF b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_EQ_OQ)}; }
inline MF visnan(VF a) { return {_mm256_cmp_ps(a.v, a.v, _CMP_UNORD_Q)}; }
inline VF vselect(MF m, VF a, VF b) { return {_mm256_blendv_ps(b.v, a.v, m.m)}; }
inline MF operator&(MF a, MF b) { return {_mm256_and_ps(a.m, b.m)}; }
inline MF operator|(MF a, MF b) { return {_mm256_or_ps(a.m, b.m)}; }
inline MF operator!(MF a) { return {_mm256_xor_ps(a.m, _mm256_castsi256_ps(_mm256_set1_epi32(-1)))}; }
inline bool vany(MF a) { return _mm256_movemask_ps(a.m) != 0; }
inline float vsum(VF a) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a.v), _mm256_extractf128_ps(a.v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
inline float vhmax(VF a) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(a.v), _mm256_extractf128_ps(a.v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
inline float vhmin(VF a) {
    __m128 s = _mm_min_ps(_mm256_castps256_ps128(a.v), _mm256_extractf128_ps(a.v, 1));
    s = _mm_min_ps(s, _mm_movehl_ps(s, s));
    s = _mm_min_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
inline VI vseti(int32_t x) { return {_mm256_set1_epi32(x)}; }
inline VI operator+(VI a, VI b) { return {_mm256_add_epi32(a.v, b.v)}; }
inline VI operator-(VI a, VI b) { return {_mm256_sub_epi32(a.v, b.v)}; }
inline VI operator&(VI a, VI b) { return {_mm256_and_si256(a.v, b.v)}; }
inline VI operator|(VI a, VI b) { return {_mm256_or_si256(a.v, b.v)}; }
template <int S> inline VI vshl(VI a) { return {_mm256_slli_epi32(a.v, S)}; }
template <int S> inline VI vsra(VI a) { return {_mm256_srai_epi32(a.v, S)}; }
template <int S> inline VI vsrl(VI a) { return {_mm256_srli_epi32(a.v, S)}; }
inline VI vcvt_int(VF a) { return {_mm256_cvtps_epi32(a.v)}; }
inline VF vcvt_float(VI a) { return {_mm256_cvtepi32_ps(a.v)}; }
inline VF vas_float(VI a) { return {_mm256_castsi256_ps(a.v)}; }
inline VI vas_int(VF a) { return {_mm256_castps_si256(a.v)}; }
inline MF operator>(VI a, VI b) { return {_mm256_castsi256_ps(_mm256_cmpgt_epi32(a.v, b.v))}; }
inline VI vselect(MF m, VI a, VI b) { return {_mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(b.v), _mm256_castsi256_ps(a.v), m.m))}; }

inline VD vload(const double* p) { return {_mm256_loadu_pd(p)}; }
inline VD vload_partial(const double* p, int64_t n) { return {_mm256_maskload_pd(p, tail4(n))}; }
inline void vstore(double* p, VD a) { _mm256_storeu_pd(p, a.v); }
inline void vstore_partial(double* p, int64_t n, VD a) { _mm256_maskstore_pd(p, tail4(n), a.v); }
inline VD vsetd(double x) { return {_mm256_set1_pd(x)}; }
inline VD operator+(VD a, VD b) { return {_mm256_add_pd(a.v, b.v)}; }
inline VD operator-(VD a, VD b) { return {_mm256_sub_pd(a.v, b.v)}; }
inline VD operator*(VD a, VD b) { return {_mm256_mul_pd(a.v, b.v)}; }
inline VD operator/(VD a, VD b) { return {_mm256_div_pd(a.v, b.v)}; }
inline VD vfma(VD a, VD b, VD c) { return {_mm256_fmadd_pd(a.v, b.v, c.v)}; }
inline VD vmin(VD a, VD b) { return {_mm256_min_pd(a.v, b.v)}; }
inline VD vmax(VD a, VD b) { return {_mm256_max_pd(a.v, b.v)}; }
inline VD vabs(VD a) { return {_mm256_and_pd(a.v, _mm256_castsi256_pd(_mm256_set1_epi64x(INT64_MAX)))}; }
inline VD vneg(VD a) { return {_mm256_xor_pd(a.v, _mm256_set1_pd(-0.0))}; }
inline VD vsqrt(VD a) { return {_mm256_sqrt_pd(a.v)}; }
inline VD vround(VD a) { return {_mm256_round_pd(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
inline VD vfloor(VD a) { return {_mm256_round_pd(a.v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)}; }
inline VD vceil(VD a) { return {_mm256_round_pd(a.v, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC)}; }
inline VD vtrunc(VD a) { return {_mm256_round_pd(a.v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC)}; }
inline MD operator<(VD a, VD b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_LT_OQ)}; }
inline MD operator>(VD a, VD b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_GT_OQ)}; }
inline MD operator==(VD a, VD b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_EQ_OQ)}; }
inline MD visnan(VD a) { return {_mm256_cmp_pd(a.v, a.v, _CMP_UNORD_Q)}; }
inline VD vselect(MD m, VD a, VD b) { return {_mm256_blendv_pd(b.v, a.v, m.m)}; }
inline MD operator|(MD a, MD b) { return {_mm256_or_pd(a.m, b.m)}; }
inline bool vany(MD a) { return _mm256_movemask_pd(a.m) != 0; }
inline double vsum(VD a) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}
inline double vhmax(VD a) {
    __m128d s = _mm_max_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
    return _mm_cvtsd_f64(_mm_max_sd(s, _mm_unpackhi_pd(s, s)));
}
inline double vhmin(VD a) {
    __m128d s = _mm_min_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
    return _mm_cvtsd_f64(_mm_min_sd(s, _mm_unpackhi_pd(s, s)));
}

#else
// ----------------------------------------------------------------------------------- scalar
constexpr int kWF = 1, kWD = 1;
struct VF { float v; };
struct VD { double v; };
struct VI { int32_t v; };
struct MF { bool m; };
struct MD { bool m; };

inline VF vload(const float* p) { return {*p}; }
inline VF vload_partial(const float* p, int64_t n) { return {n > 0 ? *p : 0.0f}; }
inline void vstore(float* p, VF a) { *p = a.v; }
inline void vstore_partial(float* p, int64_t n, VF a) { if (n > 0) *p = a.v; }
inline VF vset(float x) { return {x}; }
inline VF operator+(VF a, VF b) { return {a.v + b.v}; }
inline VF operator-(VF a, VF b) { return {a.v - b.v}; }
inline VF operator*(VF a, VF b) { return {a.v * b.v}; }
inline VF operator/(VF a, VF b) { return {a.v / b.v}; }
inline VF vfma(VF a, VF b, VF c) { return {std::fma(a.v, b.v, c.v)}; }
inline VF vfms(VF a, VF b, VF c) { return {std::fma(a.v, b.v, -c.v)}; }
inline VF vmin(VF a, VF b) { return {a.v < b.v ? a.v : b.v}; }
inline VF vmax(VF a, VF b) { return {a.v > b.v ? a.v : b.v}; }
inline VF vabs(VF a) { return {std::fabs(a.v)}; }
inline VF vneg(VF a) { return {-a.v}; }
inline VF vsqrt(VF a) { return {std::sqrt(a.v)}; }
inline VF vround(VF a) { return {std::nearbyint(a.v)}; }
inline VF vfloor(VF a) { return {std::floor(a.v)}; }
inline VF vceil(VF a) { return {std::ceil(a.v)}; }
inline VF vtrunc(VF a) { return {std::trunc(a.v)}; }
inline MF operator<(VF a, VF b) { return {a.v < b.v}; }
inline MF operator<=(VF a, VF b) { return {a.v <= b.v}; }
inline MF operator>(VF a, VF b) { return {a.v > b.v}; }
inline MF operator>=(VF a, VF b) { return {a.v >= b.v}; }
inline MF operator==(VF a, VF b) { return {a.v == b.v}; }
inline MF visnan(VF a) { return {std::isnan(a.v)}; }
inline VF vselect(MF m, VF a, VF b) { return m.m ? a : b; }
inline MF operator&(MF a, MF b) { return {a.m && b.m}; }
inline MF operator|(MF a, MF b) { return {a.m || b.m}; }
inline MF operator!(MF a) { return {!a.m}; }
inline bool vany(MF a) { return a.m; }
inline float vsum(VF a) { return a.v; }
inline float vhmax(VF a) { return a.v; }
inline float vhmin(VF a) { return a.v; }
inline VI vseti(int32_t x) { return {x}; }
inline VI operator+(VI a, VI b) { return {static_cast<int32_t>(static_cast<uint32_t>(a.v) + static_cast<uint32_t>(b.v))}; }
inline VI operator-(VI a, VI b) { return {static_cast<int32_t>(static_cast<uint32_t>(a.v) - static_cast<uint32_t>(b.v))}; }
inline VI operator&(VI a, VI b) { return {a.v & b.v}; }
inline VI operator|(VI a, VI b) { return {a.v | b.v}; }
template <int S> inline VI vshl(VI a) { return {static_cast<int32_t>(static_cast<uint32_t>(a.v) << S)}; }
template <int S> inline VI vsra(VI a) { return {a.v >> S}; }  // arithmetic shift (defined since C++20)
template <int S> inline VI vsrl(VI a) { return {static_cast<int32_t>(static_cast<uint32_t>(a.v) >> S)}; }
inline VI vcvt_int(VF a) {
    // The x86 rule for values outside int32 (and NaN): the "integer indefinite" value INT32_MIN.
    float r = std::nearbyint(a.v);
    return {(r >= -2147483648.0f && r < 2147483648.0f) ? static_cast<int32_t>(r) : INT32_MIN};
}
inline VF vcvt_float(VI a) { return {static_cast<float>(a.v)}; }
inline VF vas_float(VI a) { float f; std::memcpy(&f, &a.v, 4); return {f}; }
inline VI vas_int(VF a) { int32_t i; std::memcpy(&i, &a.v, 4); return {i}; }
inline MF operator>(VI a, VI b) { return {a.v > b.v}; }
inline VI vselect(MF m, VI a, VI b) { return m.m ? a : b; }

inline VD vload(const double* p) { return {*p}; }
inline VD vload_partial(const double* p, int64_t n) { return {n > 0 ? *p : 0.0}; }
inline void vstore(double* p, VD a) { *p = a.v; }
inline void vstore_partial(double* p, int64_t n, VD a) { if (n > 0) *p = a.v; }
inline VD vsetd(double x) { return {x}; }
inline VD operator+(VD a, VD b) { return {a.v + b.v}; }
inline VD operator-(VD a, VD b) { return {a.v - b.v}; }
inline VD operator*(VD a, VD b) { return {a.v * b.v}; }
inline VD operator/(VD a, VD b) { return {a.v / b.v}; }
inline VD vfma(VD a, VD b, VD c) { return {std::fma(a.v, b.v, c.v)}; }
inline VD vmin(VD a, VD b) { return {a.v < b.v ? a.v : b.v}; }
inline VD vmax(VD a, VD b) { return {a.v > b.v ? a.v : b.v}; }
inline VD vabs(VD a) { return {std::fabs(a.v)}; }
inline VD vneg(VD a) { return {-a.v}; }
inline VD vsqrt(VD a) { return {std::sqrt(a.v)}; }
inline VD vround(VD a) { return {std::nearbyint(a.v)}; }
inline VD vfloor(VD a) { return {std::floor(a.v)}; }
inline VD vceil(VD a) { return {std::ceil(a.v)}; }
inline VD vtrunc(VD a) { return {std::trunc(a.v)}; }
inline MD operator<(VD a, VD b) { return {a.v < b.v}; }
inline MD operator>(VD a, VD b) { return {a.v > b.v}; }
inline MD operator==(VD a, VD b) { return {a.v == b.v}; }
inline MD visnan(VD a) { return {std::isnan(a.v)}; }
inline VD vselect(MD m, VD a, VD b) { return m.m ? a : b; }
inline MD operator|(MD a, MD b) { return {a.m || b.m}; }
inline bool vany(MD a) { return a.m; }
inline double vsum(VD a) { return a.v; }
inline double vhmax(VD a) { return a.v; }
inline double vhmin(VD a) { return a.v; }
#endif

// Overloads that let generic kernels name the vector type of an element type.
template <class T> struct VecOf;
template <> struct VecOf<float> {
    using V = VF;
    using M = MF;
    static constexpr int W = kWF;
    static V set(float x) { return vset(x); }
};
template <> struct VecOf<double> {
    using V = VD;
    using M = MD;
    static constexpr int W = kWD;
    static V set(double x) { return vsetd(x); }
};

// NaN-propagating extremes: NaN if either operand is NaN.
inline VF vmax_nan(VF a, VF b) { return vselect(visnan(a), a, vmax(a, b)); }
inline VF vmin_nan(VF a, VF b) { return vselect(visnan(a), a, vmin(a, b)); }
inline VD vmax_nan(VD a, VD b) { return vselect(visnan(a), a, vmax(a, b)); }
inline VD vmin_nan(VD a, VD b) { return vselect(visnan(a), a, vmin(a, b)); }

}  // namespace wick::cpu::WICK_ISA_NS
