// RowsF32 with AVX-512F (16 lanes). Compiled with -mavx512f; used only when the CPU and OS have it.
// GCC 12's _mm512_reduce_* and masked moves start from _mm512_undefined_*, which -Wmaybe-uninitialized
// reports inside the intrinsic headers; the lanes in question are always written.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>

#include "cpu/nn/rows_impl.h"

namespace wick::cpu::nn {
namespace {

struct F32x16 {
    using Reg = __m512;
    static constexpr int W = 16;
    static Reg zero() { return _mm512_setzero_ps(); }
    static Reg set1(float v) { return _mm512_set1_ps(v); }
    // A hint only: prefetching past the end of an allocation is harmless.
    static void prefetch(const float* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
    static Reg loadu(const float* p) { return _mm512_loadu_ps(p); }
    static void storeu(float* p, Reg v) { _mm512_storeu_ps(p, v); }
    // Non-temporal store; p must be aligned to the register size.
    static void stream(float* p, Reg v) { _mm512_stream_ps(p, v); }
    static void sfence() { _mm_sfence(); }
    static Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
    static Reg sub(Reg a, Reg b) { return _mm512_sub_ps(a, b); }
    static Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
    static Reg max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
    // Masks live in float registers here so that the shared template stays ISA-neutral.
    static Reg or_(Reg a, Reg b) {
        return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(a), _mm512_castps_si512(b)));
    }
    static Reg isnan(Reg a) {
        __mmask16 m = _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q);
        return _mm512_castsi512_ps(_mm512_maskz_mov_epi32(m, _mm512_set1_epi32(-1)));
    }
    static bool any(Reg m) { return _mm512_test_epi32_mask(_mm512_castps_si512(m), _mm512_castps_si512(m)) != 0; }
    static float hsum(Reg v) { return _mm512_reduce_add_ps(v); }
    static float hmax(Reg v) { return _mm512_reduce_max_ps(v); }
    // As the AVX2 version (rows_avx2.cpp): Cephes' polynomial, 2^n in the exponent bits.
    static Reg exp(Reg x) {
        const Reg hi = set1(88.7228394f), lo = set1(-87.3365479f);
        Reg xc = _mm512_min_ps(_mm512_max_ps(x, lo), hi);
        Reg n = _mm512_roundscale_ps(_mm512_mul_ps(xc, set1(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        n = _mm512_min_ps(n, set1(127.f));
        Reg r = _mm512_fnmadd_ps(n, set1(0.693359375f), xc);
        r = _mm512_fnmadd_ps(n, set1(-2.12194440e-4f), r);
        Reg p = set1(1.9875691500e-4f);
        p = fma(p, r, set1(1.3981999507e-3f));
        p = fma(p, r, set1(8.3334519073e-3f));
        p = fma(p, r, set1(4.1665795894e-2f));
        p = fma(p, r, set1(1.6666665459e-1f));
        p = fma(p, r, set1(5.0000001201e-1f));
        p = fma(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, set1(1.f)));
        __m512i e = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23);
        Reg y = _mm512_mul_ps(p, _mm512_castsi512_ps(e));
        y = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, lo, _CMP_NLT_UQ), y);          // tiny -> 0 (NaN kept)
        y = _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, hi, _CMP_GT_OQ), set1(INFINITY));
        return _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x);
    }
    // 2^(k/16) for the integer k held in the low mantissa bits of j = k + 1.5 * 2^23, as in F32x8::exp2_split
    // with a 16-entry table (vpermps reads the index from the low 4 bits) and floor(k/16).
    static Reg exp2_split(Reg j) {
        const Reg table = _mm512_setr_ps(0x1.000000p+0f, 0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f, 0x1.306fe0p+0f,
                                         0x1.3dea64p+0f, 0x1.4bfdaep+0f, 0x1.5ab07ep+0f, 0x1.6a09e6p+0f, 0x1.7a1148p+0f,
                                         0x1.8ace54p+0f, 0x1.9c4918p+0f, 0x1.ae89fap+0f, 0x1.c199bep+0f, 0x1.d5818ep+0f,
                                         0x1.ea4afap+0f);
        const __m512i bits = _mm512_castps_si512(j);
        const Reg t = _mm512_permutexvar_ps(bits, table);
        return _mm512_castsi512_ps(_mm512_add_epi32(_mm512_castps_si512(t), _mm512_slli_epi32(_mm512_srli_epi32(bits, 4), 23)));
    }
    // y where x >= lo, else 0.
    static Reg zero_below(Reg y, Reg x, Reg lo) { return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, lo, _CMP_NLT_UQ), y); }
};

}  // namespace

extern const RowsF32 kRowsAvx512 = RowsSimd<F32x16>::table();

}  // namespace wick::cpu::nn
