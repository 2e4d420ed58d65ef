// Portable micro-kernels for CPUs without AVX2 (and other architectures): plain C++ over a 4 x 8
// tile that the compiler may vectorise with the baseline instruction set (SSE2 on x86-64).
#include "cpu/gemm/microkernel.h"

namespace wick::cpu::gemm {
namespace {

template <class T, int MR, int NR>
void tile(int64_t kc, const T* ap, const T* bp, T* c, int64_t ldc, T alpha, T beta, const T* bias) {
    T acc[MR][NR] = {};
    for (int64_t p = 0; p < kc; ++p) {
        for (int i = 0; i < MR; ++i) {
            const T a = ap[i];
            for (int j = 0; j < NR; ++j) acc[i][j] += a * bp[j];
        }
        ap += MR;
        bp += NR;
    }
    for (int i = 0; i < MR; ++i)
        for (int j = 0; j < NR; ++j) {
            T* cp = c + i * ldc + j;
            const T add = bias ? bias[i] : T(0);
            *cp = beta == T(0) ? alpha * acc[i][j] + add : alpha * acc[i][j] + (beta * *cp + add);
        }
}

}  // namespace

extern const Kernel<float> kScalarF32 = {"scalar", 4, 8, 128, 256, 2048, &tile<float, 4, 8>};
extern const Kernel<double> kScalarF64 = {"scalar", 4, 4, 128, 256, 2048, &tile<double, 4, 4>};

}  // namespace wick::cpu::gemm
