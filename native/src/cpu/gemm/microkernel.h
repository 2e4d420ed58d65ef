// The contract between the GEMM driver (driver.cpp) and the per-ISA micro-kernels.
//
// Packed operands (shapes for one MR x NR tile and a K slice of depth kc):
//   ap: MR x kc micro-panel of A, k-major: ap[p * MR + i] = A(i, p)
//   bp: kc x NR micro-panel of B, k-major: bp[p * NR + j] = B(p, j)
// The tile function computes c[i * ldc + j] = alpha * sum_p ap[p*MR+i] * bp[p*NR+j] + beta * c[...]
// (+ bias[i] when bias is not null) for the full MR x NR tile (unit column stride); beta == 0 means
// c is not read. The driver sends
// edge tiles and strided C through a small buffer, so kernels have no edge cases.
#pragma once

#include <cstdint>

namespace wick::cpu::gemm {

template <class T>
using TileFn = void (*)(int64_t kc, const T* ap, const T* bp, T* c, int64_t ldc, T alpha, T beta, const T* bias);

template <class T>
struct Kernel {
    const char* isa;
    int mr, nr;          // register tile
    int64_t mc, kc, nc;  // cache blocks: A block mc x kc (L2), B micro-panel kc x nr (L1), B slice kc x nc
    TileFn<T> tile;
};

#if defined(__x86_64__) || defined(_M_X64)
#define WICK_GEMM_X86 1
#endif

// Defined in kernel_scalar.cpp, kernel_avx2.cpp and kernel_avx512.cpp (the last two on x86-64 only).
// The driver only reads the table of an ISA that active_isa() allows, so an unsupported kernel is
// never called.
extern const Kernel<float> kScalarF32;
extern const Kernel<double> kScalarF64;
#if defined(WICK_GEMM_X86)
extern const Kernel<float> kAvx2F32;
extern const Kernel<double> kAvx2F64;
extern const Kernel<float> kAvx512F32;
extern const Kernel<double> kAvx512F64;
#endif

}  // namespace wick::cpu::gemm
