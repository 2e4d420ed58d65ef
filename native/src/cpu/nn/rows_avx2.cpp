// RowsF32 with AVX2 + FMA (8 lanes). Compiled with -mavx2 -mfma; used only when the CPU has them.
#include <immintrin.h>

#include "cpu/nn/rows_impl.h"

namespace wick::cpu::nn {
namespace {

struct F32x8 {
    using Reg = __m256;
    static constexpr int W = 8;
    static Reg zero() { return _mm256_setzero_ps(); }
    static Reg set1(float v) { return _mm256_set1_ps(v); }
    // A hint only: prefetching past the end of an allocation is harmless.
    static void prefetch(const float* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
    static Reg loadu(const float* p) { return _mm256_loadu_ps(p); }
    static void storeu(float* p, Reg v) { _mm256_storeu_ps(p, v); }
    // Non-temporal store; p must be aligned to the register size.
    static void stream(float* p, Reg v) { _mm256_stream_ps(p, v); }
    static void sfence() { _mm_sfence(); }
    static Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
    static Reg sub(Reg a, Reg b) { return _mm256_sub_ps(a, b); }
    static Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
    static Reg max(Reg a, Reg b) { return _mm256_max_ps(a, b); }
    static Reg or_(Reg a, Reg b) { return _mm256_or_ps(a, b); }
    static Reg isnan(Reg a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
    static bool any(Reg m) { return _mm256_movemask_ps(m) != 0; }
    static float hsum(Reg v) {
        __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        s = _mm_add_ss(s, _mm_movehdup_ps(s));
        return _mm_cvtss_f32(s);
    }
    static float hmax(Reg v) {
        __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        s = _mm_max_ps(s, _mm_movehl_ps(s, s));
        s = _mm_max_ss(s, _mm_movehdup_ps(s));
        return _mm_cvtss_f32(s);
    }
    // exp(x): n = round(x / ln 2), r = x - n ln 2 (two-part ln 2), a degree-6 polynomial for e^r
    // (Cephes' expf coefficients), times 2^n built in the exponent bits. About 2 ulp on [-87, 88];
    // 0 below -87.34 (where the result would be subnormal), +inf above 88.72, NaN stays NaN.
    static Reg exp(Reg x) {
        const Reg hi = set1(88.7228394f), lo = set1(-87.3365479f);
        Reg xc = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
        Reg n = _mm256_round_ps(_mm256_mul_ps(xc, set1(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        n = _mm256_min_ps(n, set1(127.f));
        Reg r = _mm256_fnmadd_ps(n, set1(0.693359375f), xc);
        r = _mm256_fnmadd_ps(n, set1(-2.12194440e-4f), r);
        Reg p = set1(1.9875691500e-4f);
        p = fma(p, r, set1(1.3981999507e-3f));
        p = fma(p, r, set1(8.3334519073e-3f));
        p = fma(p, r, set1(4.1665795894e-2f));
        p = fma(p, r, set1(1.6666665459e-1f));
        p = fma(p, r, set1(5.0000001201e-1f));
        p = fma(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, set1(1.f)));
        __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
        Reg y = _mm256_mul_ps(p, _mm256_castsi256_ps(e));
        y = _mm256_andnot_ps(_mm256_cmp_ps(x, lo, _CMP_LT_OQ), y);                              // tiny -> 0
        y = _mm256_blendv_ps(y, set1(INFINITY), _mm256_cmp_ps(x, hi, _CMP_GT_OQ));              // huge -> inf
        return _mm256_blendv_ps(y, x, isnan(x));                                                 // NaN -> NaN
    }
    // 2^(k/8) for the integer k held in the low mantissa bits of j = k + 1.5 * 2^23 (see RowsSimd::exp_below),
    // -1008 <= k <= 0: the table entry 2^((k mod 8) / 8) (vpermps reads the index from the low 3 bits) with
    // floor(k/8) added to its exponent field. The magic number's bits are a multiple of 2^22, so shifting j's
    // bits right by 3 gives floor(k/8) in the low bits, and the left shift by 23 drops everything above them.
    static Reg exp2_split(Reg j) {
        const Reg table = _mm256_setr_ps(0x1.000000p+0f, 0x1.172b84p+0f, 0x1.306fe0p+0f, 0x1.4bfdaep+0f, 0x1.6a09e6p+0f,
                                         0x1.8ace54p+0f, 0x1.ae89fap+0f, 0x1.d5818ep+0f);
        const __m256i bits = _mm256_castps_si256(j);
        const Reg t = _mm256_permutevar8x32_ps(table, bits);
        return _mm256_castsi256_ps(_mm256_add_epi32(_mm256_castps_si256(t), _mm256_slli_epi32(_mm256_srli_epi32(bits, 3), 23)));
    }
    // y where x >= lo, else 0.
    static Reg zero_below(Reg y, Reg x, Reg lo) { return _mm256_andnot_ps(_mm256_cmp_ps(x, lo, _CMP_LT_OQ), y); }
};

}  // namespace

extern const RowsF32 kRowsAvx2 = RowsSimd<F32x8>::table();

}  // namespace wick::cpu::nn
