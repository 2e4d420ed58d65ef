// AVX-512F micro-kernels (32 zmm registers): f32 12 x 32 and f64 12 x 16, i.e. 24 accumulators,
// 2 B vectors and a broadcast. Compiled with -mavx512f; only called when active_isa() == Avx512.
#include <immintrin.h>

#include "cpu/gemm/microkernel.h"
#include "cpu/gemm/kernel_impl.h"

namespace wick::cpu::gemm {
namespace {

struct F32x16 {
    using T = float;
    using Reg = __m512;
    static constexpr int W = 16;
    static Reg zero() { return _mm512_setzero_ps(); }
    static Reg load(const T* p) { return _mm512_load_ps(p); }
    static Reg loadu(const T* p) { return _mm512_loadu_ps(p); }
    static void storeu(T* p, Reg v) { _mm512_storeu_ps(p, v); }
    static Reg bcast(const T* p) { return _mm512_set1_ps(*p); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
    static Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
    static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

struct F64x8 {
    using T = double;
    using Reg = __m512d;
    static constexpr int W = 8;
    static Reg zero() { return _mm512_setzero_pd(); }
    static Reg load(const T* p) { return _mm512_load_pd(p); }
    static Reg loadu(const T* p) { return _mm512_loadu_pd(p); }
    static void storeu(T* p, Reg v) { _mm512_storeu_pd(p, v); }
    static Reg bcast(const T* p) { return _mm512_set1_pd(*p); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_pd(a, b, c); }
    static Reg mul(Reg a, Reg b) { return _mm512_mul_pd(a, b); }
    static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

}  // namespace

// Blocking for a 48 KiB L1 and a 2 MiB L2: B micro-panel kc x nr = 256 x 32 floats (32 KiB),
// A block mc x kc = 192 x 256 floats (192 KiB).
extern const Kernel<float> kAvx512F32 = {"avx512", 12, 32, 192, 256, 4096, &tile<F32x16, 12, 2>};
extern const Kernel<double> kAvx512F64 = {"avx512", 12, 16, 96, 256, 2048, &tile<F64x8, 12, 2>};

}  // namespace wick::cpu::gemm
