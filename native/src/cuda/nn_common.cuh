// Shared by the neural-network kernels (nn_*.cu) and the optimizer kernels (optim.cu): the ops
// layer hands them contiguous float32 or float64 views (core/kernels_nn.h), so most dispatch on
// those two only (the convolutions take float16 and bfloat16 too, through dispatch_floating);
// block-wide reductions for kernels that give one thread block to a row, a plane or a channel.
#pragma once

#include <cmath>
#include <cstring>
#include <type_traits>

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

// Per-channel sums over x (N, C, S) with many elements per channel: one block per channel would
// leave most of the GPU idle, so channel c is split into P parts of whole images (part p: images
// [p * per, min(N, (p + 1) * per))); block c * P + p writes the part's sum in double to
// part[c * P + p], and the caller combines the parts of a channel in part order (deterministic).
inline constexpr int64_t kChannelSplitElements = 16384;  // N * S from which the split pays

struct ChannelSplit {
    int64_t per, P;
};

// Parts per channel for about 1024 blocks in all.
inline ChannelSplit channel_split(int64_t N, int64_t C) {
    int64_t P = ceil_div(1024, C);
    if (P > N) P = N;
    if (P < 1) P = 1;
    const int64_t per = ceil_div(N, P);
    return ChannelSplit{per, ceil_div(N, per)};
}

namespace kernels {

template <class T>
__global__ void __launch_bounds__(kThreads)
    channel_part_sums(double* part, const T* x, int64_t N, int64_t C, int64_t S, int64_t per, int64_t P) {
    __shared__ double slots[kThreads];
    const int64_t c = blockIdx.x / P, p = blockIdx.x - c * P, n0 = p * per;
    const int64_t cnt = (N - n0 < per ? N - n0 : per) * S;
    double s = 0;
    for (int64_t j = threadIdx.x; j < cnt; j += blockDim.x) {
        const int64_t l = j / S;
        s += static_cast<double>(to_op(x[((n0 + l) * C + c) * S + (j - l * S)]));
    }
    s = block_reduce(s, slots, SumOp{});
    if (threadIdx.x == 0) part[blockIdx.x] = s;
}

}  // namespace kernels

// A value of any 4-byte-multiple layout (float, double) exchanged with lane ^ mask, as 32-bit words.
template <class A>
__device__ __forceinline__ A shfl_xor_words(A v, int mask) {
    static_assert(sizeof(A) % 4 == 0, "shuffled values are whole 32-bit words");
    unsigned int w[sizeof(A) / 4];
    memcpy(w, &v, sizeof(A));
#pragma unroll
    for (int i = 0; i < static_cast<int>(sizeof(A) / 4); ++i) w[i] = __shfl_xor_sync(0xffffffffu, w[i], mask);
    A r;
    memcpy(&r, w, sizeof(A));
    return r;
}

// block_reduce through warp shuffles: a butterfly inside each warp, then every thread combines the
// warps' results in warp order from `slots` (kThreads / 32 shared values), so every thread gets the
// same, deterministic result with two barriers. blockDim.x: a multiple of 32, at most kThreads.
template <class A, class Op>
__device__ __forceinline__ A block_reduce_warps(A v, A* slots, Op op) {
#pragma unroll
    for (int mask = 16; mask > 0; mask >>= 1) v = op(v, shfl_xor_words(v, mask));
    const int warps = static_cast<int>(blockDim.x) / 32;
    if (warps == 1) return v;
    const int t = static_cast<int>(threadIdx.x);
    if (t % 32 == 0) slots[t / 32] = v;
    __syncthreads();
    A r = slots[0];
    for (int w = 1; w < warps; ++w) r = op(r, slots[w]);
    __syncthreads();
    return r;
}

// Rows held in registers (softmax, layer norm): a row of n contiguous elements is split into
// vectors of V = 16 / sizeof(T) elements; thread t of a block of B threads holds vectors t, t + B,
// ..., t + (E - 1) * B, so one block covers rows up to E * B * V elements and reads them once.
// Aligned: every vector is a single 16-byte load or store (the row start is 16-byte aligned and n
// is a multiple of V); otherwise elements are moved one by one with a bound check.
template <class T>
inline constexpr int kRowVec = static_cast<int>(16 / sizeof(T));
inline constexpr int kRowMaxVectors = 8;  // E of the longest register row (8 * 256 * V elements)

template <class T, bool Aligned>
__device__ __forceinline__ void row_load(T (&d)[kRowVec<T>], const T* row, int64_t j0, int64_t n, T fill) {
    constexpr int V = kRowVec<T>;
    if constexpr (Aligned) {
        if (j0 < n) {
            const Vec<T, V> t = *reinterpret_cast<const Vec<T, V>*>(row + j0);
#pragma unroll
            for (int k = 0; k < V; ++k) d[k] = t.v[k];
        } else {
#pragma unroll
            for (int k = 0; k < V; ++k) d[k] = fill;
        }
    } else {
#pragma unroll
        for (int k = 0; k < V; ++k) d[k] = j0 + k < n ? row[j0 + k] : fill;
    }
}

template <class T, bool Aligned>
__device__ __forceinline__ void row_store(T* row, const T (&d)[kRowVec<T>], int64_t j0, int64_t n) {
    constexpr int V = kRowVec<T>;
    if constexpr (Aligned) {
        if (j0 < n) {
            Vec<T, V> t;
#pragma unroll
            for (int k = 0; k < V; ++k) t.v[k] = d[k];
            *reinterpret_cast<Vec<T, V>*>(row + j0) = t;
        }
    } else {
#pragma unroll
        for (int k = 0; k < V; ++k)
            if (j0 + k < n) row[j0 + k] = d[k];
    }
}

// The launch of a register-row kernel for rows of n elements, or e == 0 when n is too long (the
// caller then uses its general kernel): e vectors per thread (1, 2, 4 or 8), `threads` per block.
struct RowPlan {
    int e = 0;
    int threads = 0;
};

template <class T>
inline RowPlan row_plan(int64_t n) {
    constexpr int64_t V = kRowVec<T>;
    const int64_t vectors = ceil_div(n, V);
    RowPlan p;
    for (int e = 1; e <= kRowMaxVectors; e *= 2)
        if (vectors <= static_cast<int64_t>(e) * kThreads) {
            p.e = e;
            p.threads = block_threads(ceil_div(vectors, e));
            return p;
        }
    return p;
}

// Calls fn(std::integral_constant<int, E>{}) for the runtime e of a RowPlan (1, 2, 4 or 8).
template <class F>
void dispatch_row_vectors(int e, F&& fn) {
    switch (e) {
        case 1: fn(std::integral_constant<int, 1>{}); return;
        case 2: fn(std::integral_constant<int, 2>{}); return;
        case 4: fn(std::integral_constant<int, 4>{}); return;
        default: fn(std::integral_constant<int, 8>{}); return;
    }
}

}  // namespace wick::cuda
