// AVX2 + FMA micro-kernels (16 ymm registers): f32 6 x 16 and f64 6 x 8, i.e. 12 accumulators,
// 2 B vectors and 1 broadcast. Compiled with -mavx2 -mfma; only called when active_isa() >= Avx2.
#include <immintrin.h>

#include "cpu/gemm/microkernel.h"
#include "cpu/gemm/kernel_impl.h"

namespace wick::cpu::gemm {
namespace {

struct F32x8 {
    using T = float;
    using Reg = __m256;
    static constexpr int W = 8;
    static Reg zero() { return _mm256_setzero_ps(); }
    static Reg load(const T* p) { return _mm256_load_ps(p); }
    static Reg loadu(const T* p) { return _mm256_loadu_ps(p); }
    static void storeu(T* p, Reg v) { _mm256_storeu_ps(p, v); }
    static Reg bcast(const T* p) { return _mm256_broadcast_ss(p); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
    static Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
    static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

struct F64x4 {
    using T = double;
    using Reg = __m256d;
    static constexpr int W = 4;
    static Reg zero() { return _mm256_setzero_pd(); }
    static Reg load(const T* p) { return _mm256_load_pd(p); }
    static Reg loadu(const T* p) { return _mm256_loadu_pd(p); }
    static void storeu(T* p, Reg v) { _mm256_storeu_pd(p, v); }
    static Reg bcast(const T* p) { return _mm256_broadcast_sd(p); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_pd(a, b, c); }
    static Reg mul(Reg a, Reg b) { return _mm256_mul_pd(a, b); }
    static void prefetch(const T* p) { _mm_prefetch(reinterpret_cast<const char*>(p), _MM_HINT_T0); }
};

}  // namespace

// Blocking, tuned on a Zen 3 core (32 KiB L1, 512 KiB L2) against OpenBLAS at 256^3 to 2048^3 (bench/gemm):
// a deep K slice (kc = 512) halves the passes over C; the A block mc x kc = 72 x 512 floats (144 KiB)
// stays in L2 while the B micro-panels kc x nr = 512 x 16 floats (32 KiB) stream through L1.
extern const Kernel<float> kAvx2F32 = {"avx2", 6, 16, 72, 512, 2048, &tile<F32x8, 6, 2>};
extern const Kernel<double> kAvx2F64 = {"avx2", 6, 8, 72, 256, 2048, &tile<F64x4, 6, 2>};

}  // namespace wick::cpu::gemm
