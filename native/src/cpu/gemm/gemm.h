// Our GEMM: C = alpha * A B + beta * C for float and double, on operands with any strides
// (a transposed operand is the same memory with its two strides swapped, so it is never copied:
// the packing routines read whatever strides they are given).
//
// Structure (the classic Goto/BLIS one): C is cut into NC-wide column blocks, K into KC-deep slices;
// each KC x NC slice of B is packed into NR-wide micro-panels (L3/L2), each MC x KC block of A into
// MR-tall micro-panels (L2); a register-blocked micro-kernel (kernel_avx512.cpp, kernel_avx2.cpp,
// kernel_scalar.cpp, chosen at run time from cpu_features.h) computes one MR x NR tile of C from one
// micro-panel of each, with the B micro-panel staying in L1. Threads take disjoint blocks of C
// (and batches), each with its own packing buffers, so no synchronisation is needed inside a GEMM.
#pragma once

#include <cstdint>

namespace wick::cpu::gemm {

// One matrix product. Element (i, j) of A (m x k) is a[i * rsa + j * csa]; likewise B (k x n) and
// C (m x n). beta == 0 means C is only written (NaNs in it are not propagated), as in BLAS.
// Optionally a per-row bias: C = alpha * A B + beta * C + bias[i].
template <class T>
struct Problem {
    int64_t m = 0, n = 0, k = 0;
    const T* a = nullptr;
    int64_t rsa = 0, csa = 0;
    const T* b = nullptr;
    int64_t rsb = 0, csb = 0;
    T* c = nullptr;
    int64_t rsc = 0, csc = 0;
    T alpha = T(1), beta = T(0);
    // Optional per-row term: C(i, j) += bias[i] (convolution biases), added with the beta term.
    const T* bias = nullptr;
};

// `batch` products: product i uses a + i * batch_a, b + i * batch_b, c + i * batch_c (a batch stride
// of 0 broadcasts an operand; C's batches must not overlap). Runs on the intra-op thread pool.
template <class T>
void gemm(const Problem<T>& p, int64_t batch = 1, int64_t batch_a = 0, int64_t batch_b = 0, int64_t batch_c = 0);

// The same single product on the calling thread only: for callers already inside a parallel loop
// (convolution over images).
template <class T>
void gemm_serial(const Problem<T>& p);

// --- Hooks for tests and benchmarks -----------------------------------------------------------

// Splits every multithreaded call into exactly `tasks` independent pieces (0: automatic), so tests
// exercise the partitioning whatever the pool does.
void set_task_override(int tasks);
// The override (0 when none); kernels that split work themselves (convolution) honour it too.
int task_override();
// Overrides the cache blocking of the active kernel (0 keeps the kernel's default); for tuning.
void set_blocking_override(int64_t mc, int64_t kc, int64_t nc);
// The tile (mr x nr) and ISA name of the kernel a float / double product would use now.
void describe_active_kernel(bool f64, int* mr, int* nr, const char** isa);

}  // namespace wick::cpu::gemm
