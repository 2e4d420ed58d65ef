// Force-included by scripts/cuda-syntax-check.sh when clang parses a .cu file in CUDA mode
// without a CUDA installation (-nocudainc): it plays the part of clang's own
// __clang_cuda_runtime_wrapper.h, using only clang's builtin device headers (libdevice math,
// shuffles, built-in index variables) and our API subset in include/.
#pragma once

#define CUDA_VERSION 12080
#define __CUDACC__ 1
#define __host__ __attribute__((host))
#define __device__ __attribute__((device))
#define __global__ __attribute__((global))
#define __shared__ __attribute__((shared))
#define __constant__ __attribute__((constant))
#define __managed__ __attribute__((managed))
#define __forceinline__ __inline__ __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))

#include <__clang_cuda_math_forward_declares.h>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdlib.h>
#include <string.h>

typedef uint32_t cuuint32_t;
typedef uint64_t cuuint64_t;

// CUDA's vector types (vector_types.h), which clang's intrinsics header expects.
#define WICK_VEC(n, t, a2, a4)                                          \
    struct __attribute__((aligned(sizeof(t)))) n##1 { t x; };           \
    struct __attribute__((aligned(a2))) n##2 { t x, y; };               \
    struct __attribute__((aligned(sizeof(t)))) n##3 { t x, y, z; };     \
    struct __attribute__((aligned(a4))) n##4 { t x, y, z, w; };
WICK_VEC(char, signed char, 2, 4)
WICK_VEC(uchar, unsigned char, 2, 4)
WICK_VEC(short, short, 4, 8)
WICK_VEC(ushort, unsigned short, 4, 8)
WICK_VEC(int, int, 8, 16)
WICK_VEC(uint, unsigned int, 8, 16)
WICK_VEC(long, long, 16, 16)
WICK_VEC(ulong, unsigned long, 16, 16)
WICK_VEC(longlong, long long, 16, 16)
WICK_VEC(ulonglong, unsigned long long, 16, 16)
WICK_VEC(float, float, 8, 16)
WICK_VEC(double, double, 16, 16)
#undef WICK_VEC

#include <__clang_cuda_builtin_vars.h>
#include <__clang_cuda_libdevice_declares.h>
#include <__clang_cuda_device_functions.h>
#include <__clang_cuda_math.h>
#include <__clang_cuda_cmath.h>
#include <__clang_cuda_intrinsics.h>

// Atomics and warp votes come from the CUDA headers (device_atomic_functions.h), which this check
// does not have: the overloads the backend uses, on clang's NVPTX builtins.
__device__ inline int atomicAdd(int* p, int v) { return __nvvm_atom_add_gen_i(p, v); }
__device__ inline unsigned int atomicAdd(unsigned int* p, unsigned int v) {
    return static_cast<unsigned int>(__nvvm_atom_add_gen_i(reinterpret_cast<int*>(p), static_cast<int>(v)));
}
__device__ inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
    return static_cast<unsigned long long>(__nvvm_atom_add_gen_ll(reinterpret_cast<long long*>(p), static_cast<long long>(v)));
}
__device__ inline float atomicAdd(float* p, float v) { return __nvvm_atom_add_gen_f(p, v); }
__device__ inline double atomicAdd(double* p, double v) { return __nvvm_atom_add_gen_d(p, v); }
__device__ inline unsigned long long atomicMin(unsigned long long* p, unsigned long long v) {
    return __nvvm_atom_min_gen_ull(p, v);
}
__device__ inline unsigned int atomicCAS(unsigned int* p, unsigned int c, unsigned int v) {
    return static_cast<unsigned int>(__nvvm_atom_cas_gen_i(reinterpret_cast<int*>(p), static_cast<int>(c), static_cast<int>(v)));
}
__device__ inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long c, unsigned long long v) {
    return static_cast<unsigned long long>(__nvvm_atom_cas_gen_ll(reinterpret_cast<long long*>(p), static_cast<long long>(c),
                                                                  static_cast<long long>(v)));
}
