// Shared by the neural-network kernels (nn_*.cu) and the optimizer kernels (optim.cu): the ops
// layer hands them contiguous float32 or float64 views (core/kernels_nn.h), so they dispatch on
// those two only; block-wide reductions for kernels that give one thread block to a row, a plane
// or a channel.
#pragma once

#include <cmath>

#include "cuda/common.cuh"
#include "cuda/math.cuh"

namespace wick::cuda {

template <class F>
void dispatch_f32_f64(DType t, const char* op, F&& fn) {
    switch (t) {
        case DType::F32: fn(Tag<float>{}); return;
        case DType::F64: fn(Tag<double>{}); return;
        default: fail(WK_ERR_DTYPE, op, ": the CUDA kernel takes float32 or float64, got ", dtype_name(t));
    }
}

template <class T>
T* data_of(const View& v) {
    return reinterpret_cast<T*>(v.data);
}

// Threads per block for a block that reduces `n` values: a power of two in [32, kThreads], so
// small rows do not keep idle threads (which the CPU emulator pays for too).
inline int block_threads(int64_t n) {
    int t = 32;
    while (t < kThreads && t < n) t *= 2;
    return t;
}

struct SumOp {
    template <class A>
    __device__ __forceinline__ A operator()(A a, A b) const { return a + b; }
};

struct MaxOp {  // NaN propagates, as on the CPU
    template <class A>
    __device__ __forceinline__ A operator()(A a, A b) const { return nan_max(a, b); }
};

// The reduction of every thread's v over the block (blockDim.x a power of two <= kThreads); every
// thread gets the result. slots: kThreads shared values, free again when this returns.
template <class A, class Op>
__device__ __forceinline__ A block_reduce(A v, A* slots, Op op) {
    const int t = static_cast<int>(threadIdx.x);
    slots[t] = v;
    __syncthreads();
    for (int s = static_cast<int>(blockDim.x) / 2; s > 0; s >>= 1) {
        if (t < s) slots[t] = op(slots[t], slots[t + s]);
        __syncthreads();
    }
    const A r = slots[0];
    __syncthreads();
    return r;
}

}  // namespace wick::cuda
