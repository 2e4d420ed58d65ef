// The register-blocked micro-kernel body, written once over a vector-traits type V and included
// only by the per-ISA files (kernel_avx2.cpp, kernel_avx512.cpp), each compiled with its own -m flags.
// Everything here has internal linkage, so no instruction of one ISA can leak into another file
// through a shared template instantiation.
//
// Tile: MR rows x (NV * V::W) columns of C held in MR * NV vector registers. Per k step: NV vector
// loads of the B micro-panel row, MR broadcasts of the A micro-panel column, MR * NV FMAs.
#pragma once

#include <cstdint>

namespace wick::cpu::gemm {
namespace {

template <class V, int MR, int NV>
void tile(int64_t kc, const typename V::T* ap, const typename V::T* bp, typename V::T* c, int64_t ldc,
          typename V::T alpha, typename V::T beta, const typename V::T* bias) {
    using T = typename V::T;
    using R = typename V::Reg;
    constexpr int W = V::W;
    constexpr int NR = NV * W;
    R acc[MR][NV];
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[i][v] = V::zero();
    // Bring the C tile towards L1 while the products run.
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i) V::prefetch(c + i * ldc);

#pragma GCC unroll 4
    for (int64_t p = 0; p < kc; ++p) {
        R b[NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) b[v] = V::load(bp + v * W);
#pragma GCC unroll 32
        for (int i = 0; i < MR; ++i) {
            const R a = V::bcast(ap + i);
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) acc[i][v] = V::fma(a, b[v], acc[i][v]);
        }
        ap += MR;
        bp += NR;
    }

    const R va = V::bcast(&alpha);
    const T zero = T(0);
    if (beta == T(0)) {
#pragma GCC unroll 32
        for (int i = 0; i < MR; ++i) {
            const R add = V::bcast(bias ? bias + i : &zero);
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) V::storeu(c + i * ldc + v * W, V::fma(acc[i][v], va, add));
        }
    } else {
        const R vb = V::bcast(&beta);
#pragma GCC unroll 32
        for (int i = 0; i < MR; ++i) {
            const R add = V::bcast(bias ? bias + i : &zero);
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) {
                T* cp = c + i * ldc + v * W;
                V::storeu(cp, V::fma(acc[i][v], va, V::fma(V::loadu(cp), vb, add)));
            }
        }
    }
}

}  // namespace
}  // namespace wick::cpu::gemm
