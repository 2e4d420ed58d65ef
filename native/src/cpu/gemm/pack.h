// Packing: copies a block of A or B, read through any strides, into the micro-panel layout of
// microkernel.h, zero-filling past the matrix edge so the micro-kernel never needs edge cases.
// Only driver.cpp includes this (baseline instruction set).
#pragma once

#include <cstdint>
#include <cstring>

namespace wick::cpu::gemm {

// A block (mc x kc), element (i, p) at a[i * rs + p * cs], into ceil(mc / MR) panels of MR x kc:
// dst[panel * MR * kc + p * MR + i].
template <class T, int MR>
void pack_a(int64_t mc, int64_t kc, const T* a, int64_t rs, int64_t cs, T* dst) {
    for (int64_t i0 = 0; i0 < mc; i0 += MR, dst += MR * kc) {
        const int rows = static_cast<int>(mc - i0 < MR ? mc - i0 : MR);
        const T* src = a + i0 * rs;
        if (rows == MR && cs == 1) {
            // Row-major A: MR row streams, written k-major.
            const T* r[MR];
            for (int i = 0; i < MR; ++i) r[i] = src + i * rs;
            for (int64_t p = 0; p < kc; ++p)
                for (int i = 0; i < MR; ++i) dst[p * MR + i] = r[i][p];
        } else if (rows == MR && rs == 1) {
            // Column-major (transposed) A: each k step is MR contiguous values.
            for (int64_t p = 0; p < kc; ++p)
                for (int i = 0; i < MR; ++i) dst[p * MR + i] = src[p * cs + i];
        } else {
            for (int64_t p = 0; p < kc; ++p) {
                int i = 0;
                for (; i < rows; ++i) dst[p * MR + i] = src[i * rs + p * cs];
                for (; i < MR; ++i) dst[p * MR + i] = T(0);
            }
        }
    }
}

// B block (kc x nc), element (p, j) at b[p * rs + j * cs], into ceil(nc / NR) panels of kc x NR:
// dst[panel * NR * kc + p * NR + j].
template <class T, int NR>
void pack_b(int64_t kc, int64_t nc, const T* b, int64_t rs, int64_t cs, T* dst) {
    for (int64_t j0 = 0; j0 < nc; j0 += NR, dst += NR * kc) {
        const int cols = static_cast<int>(nc - j0 < NR ? nc - j0 : NR);
        const T* src = b + j0 * cs;
        if (cols == NR && cs == 1) {
            // Row-major B: each k step is NR contiguous values (a fixed-size copy the compiler unrolls).
            for (int64_t p = 0; p < kc; ++p)
                for (int j = 0; j < NR; ++j) dst[p * NR + j] = src[p * rs + j];
        } else if (cols == NR && rs == 1) {
            // Column-major (transposed) B: NR column streams.
            const T* col[NR];
            for (int j = 0; j < NR; ++j) col[j] = src + j * cs;
            for (int64_t p = 0; p < kc; ++p)
                for (int j = 0; j < NR; ++j) dst[p * NR + j] = col[j][p];
        } else {
            for (int64_t p = 0; p < kc; ++p) {
                int j = 0;
                for (; j < cols; ++j) dst[p * NR + j] = src[p * rs + j * cs];
                for (; j < NR; ++j) dst[p * NR + j] = T(0);
            }
        }
    }
}

}  // namespace wick::cpu::gemm
