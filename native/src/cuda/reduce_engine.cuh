// The reduction engine shared by the reduce family's files (reduce.cu: sums, products, max/min;
// reduce_index.cu: all/any, argmax/argmin; reduce_stats.cu: variance, norms, logsumexp): the
// kernels and their launch configuration, instantiated per (dtype, op) in each file. The ops are
// spread over three files only so that nvcc compiles them in parallel.
//
// The host splits x's dimensions into kept ones (one output each) and reduced ones (the "lane"
// each output reduces), coalescing contiguous runs, so the kernel sees `outer` outputs of `lane`
// elements. One kernel serves both layouts, chosen at launch:
//  - inner: the lane is the fastest-moving memory (reduce the last dimension, or everything):
//    tx threads split one lane (16-byte vector loads when it is contiguous), ty lanes per block,
//    combined with warp shuffles and one shared-memory step;
//  - outer: the outputs are the fastest-moving memory (reduce dimension 0 of a row-major matrix):
//    tx consecutive outputs per block, so every load is coalesced, ty threads split each lane,
//    combined through shared memory.
// When the outputs alone cannot fill the GPU, the lane is also split across blockIdx.y; each block
// then writes a partial accumulator and a second kernel combines them (deterministic: no atomics).
// Accumulators: float for float32 and 16-bit sums, max and min (as PyTorch), double for products,
// variance (Welford), norms and logsumexp, int64 for integer sums and products (wrapping).
#pragma once

#include <cmath>
#include <cstring>

#include "cuda/buffer.cuh"
#include "cuda/common.cuh"
#include "cuda/math.cuh"

namespace wick::cuda {

constexpr int kReduceThreads = 512;

struct ReduceShape {
    int32_t kept_ndim;
    int32_t red_ndim;
    int64_t kept_sizes[kMaxDims];
    int64_t kept_xstrides[kMaxDims];
    int64_t kept_ostrides[kMaxDims];
    int64_t red_sizes[kMaxDims];
    int64_t red_strides[kMaxDims];
    int64_t outer;  // number of outputs
    int64_t lane;   // elements per output

    __device__ __forceinline__ void out_offsets(int64_t o, int64_t* xoff, int64_t* ooff) const {
        int64_t xo = 0, oo = 0;
        for (int d = kept_ndim - 1; d >= 0; --d) {
            const int64_t q = o / kept_sizes[d];
            const int64_t i = o - q * kept_sizes[d];
            o = q;
            xo += i * kept_xstrides[d];
            oo += i * kept_ostrides[d];
        }
        *xoff = xo;
        *ooff = oo;
    }

    __device__ __forceinline__ int64_t lane_offset(int64_t r) const {
        if (red_ndim == 1) return r * red_strides[0];
        int64_t off = 0;
        for (int d = red_ndim - 1; d >= 0; --d) {
            const int64_t q = r / red_sizes[d];
            off += (r - q * red_sizes[d]) * red_strides[d];
            r = q;
        }
        return off;
    }
};

struct ReduceConfig {
    int32_t inner;       // 1: threads along x split a lane; 0: threads along x are outputs
    int32_t vectorized;  // inner mode with a contiguous lane: 16-byte loads where aligned
    int32_t tx, ty;
    int64_t chunk;       // lane elements per blockIdx.y split
};

// Shuffles an accumulator of any layout as 32-bit words (its size is a multiple of 4).
template <class A>
__device__ __forceinline__ A shfl_xor_acc(const A& a, int mask) {
    static_assert(sizeof(A) % 4 == 0, "accumulators are padded to 4 bytes");
    unsigned int w[sizeof(A) / 4];
    memcpy(w, &a, sizeof(A));
#pragma unroll
    for (int i = 0; i < static_cast<int>(sizeof(A) / 4); ++i) w[i] = __shfl_xor_sync(0xffffffffu, w[i], mask);
    A r;
    memcpy(&r, w, sizeof(A));
    return r;
}

// ---------------------------------------------------------------------------------------------
// Kernels
// ---------------------------------------------------------------------------------------------

namespace kernels {

template <class Op, class Acc>
__device__ __forceinline__ Acc warp_combine(const Op& op, Acc acc) {
#pragma unroll
    for (int mask = 16; mask > 0; mask >>= 1) acc = op.combine(acc, shfl_xor_acc(acc, mask));
    return acc;
}

template <class T, class Op>
__global__ void __launch_bounds__(kReduceThreads)
    reduce_lanes(const T* x, typename Op::Out* out, typename Op::Acc* partials, ReduceShape s, ReduceConfig cfg, Op op) {
    using Acc = typename Op::Acc;
    const int tx = cfg.tx, ty = cfg.ty;
    const int lx = static_cast<int>(threadIdx.x), ly = static_cast<int>(threadIdx.y);
    const int64_t split = blockIdx.y;
    const int64_t r0 = split * cfg.chunk;
    const int64_t r1 = r0 + cfg.chunk < s.lane ? r0 + cfg.chunk : s.lane;
    const int64_t o = cfg.inner ? static_cast<int64_t>(blockIdx.x) * ty + ly : static_cast<int64_t>(blockIdx.x) * tx + lx;
    const bool valid = o < s.outer;

    Acc acc = op.identity();
    int64_t xoff = 0, ooff = 0;
    if (valid) {
        s.out_offsets(o, &xoff, &ooff);
        const T* base = x + xoff;
        if (cfg.inner) {
            constexpr int V = 16 / sizeof(T) > 8 ? 8 : 16 / sizeof(T);
            int64_t r = r0;
            if (cfg.vectorized && aligned_to(base, sizeof(T) * V)) {
                // Contiguous lane: each thread takes every tx-th vector of V elements.
                // Four loads are issued before their values are used, so enough bytes are in flight.
                const int64_t full = r0 + (r1 - r0) / V * V;
                const int64_t step = static_cast<int64_t>(tx) * V;
                int64_t v = r0 + static_cast<int64_t>(lx) * V;
                for (; v + 3 * step < full; v += 4 * step) {
                    Vec<T, V> vec[4];
#pragma unroll
                    for (int u = 0; u < 4; ++u) vec[u] = *reinterpret_cast<const Vec<T, V>*>(base + v + u * step);
#pragma unroll
                    for (int u = 0; u < 4; ++u)
#pragma unroll
                        for (int k = 0; k < V; ++k) acc = op.reduce(acc, to_op(vec[u].v[k]), v + u * step + k);
                }
                for (; v < full; v += step) {
                    const Vec<T, V> vec = *reinterpret_cast<const Vec<T, V>*>(base + v);
#pragma unroll
                    for (int k = 0; k < V; ++k) acc = op.reduce(acc, to_op(vec.v[k]), v + k);
                }
                r = full;
            }
            for (int64_t i = r + lx; i < r1; i += tx) acc = op.reduce(acc, to_op(base[s.lane_offset(i)]), i);
        } else {
            for (int64_t i = r0 + ly; i < r1; i += ty) acc = op.reduce(acc, to_op(base[s.lane_offset(i)]), i);
        }
    }

    bool writer;
    if (cfg.inner) {
        // Every warp lies inside one lane (tx is a multiple of 32).
        acc = warp_combine(op, acc);
        if (tx > 32) {
            __shared__ Acc warp_results[kReduceThreads / 32];
            const int warps_per_lane = tx / 32;
            if (lx % 32 == 0) warp_results[ly * warps_per_lane + lx / 32] = acc;
            __syncthreads();
            if (lx < 32) {
                acc = lx < warps_per_lane ? warp_results[ly * warps_per_lane + lx] : op.identity();
                acc = warp_combine(op, acc);
            }
        }
        writer = lx == 0;
    } else {
        __shared__ Acc slots[kReduceThreads];
        slots[ly * tx + lx] = acc;
        __syncthreads();
        for (int step = ty / 2; step > 0; step /= 2) {
            if (ly < step) slots[ly * tx + lx] = op.combine(slots[ly * tx + lx], slots[(ly + step) * tx + lx]);
            __syncthreads();
        }
        acc = slots[lx];
        writer = ly == 0;
    }
    if (!writer || !valid) return;
    if (gridDim.y == 1) out[ooff] = op.finalize(acc, s.lane);
    else partials[split * s.outer + o] = acc;
}

// Combines the per-split partials of output blockIdx.x.
template <class T, class Op>
__global__ void __launch_bounds__(kReduceThreads)
    reduce_partials(const typename Op::Acc* partials, typename Op::Out* out, ReduceShape s, int32_t splits, Op op) {
    using Acc = typename Op::Acc;
    const int64_t o = blockIdx.x;
    const int t = static_cast<int>(threadIdx.x);
    Acc acc = op.identity();
    for (int i = t; i < splits; i += static_cast<int>(blockDim.x)) acc = op.combine(acc, partials[static_cast<int64_t>(i) * s.outer + o]);
    acc = warp_combine(op, acc);
    __shared__ Acc warp_results[kReduceThreads / 32];
    if (t % 32 == 0) warp_results[t / 32] = acc;
    __syncthreads();
    if (t >= 32) return;
    const int warps = static_cast<int>(blockDim.x) / 32;
    acc = t < warps ? warp_results[t] : op.identity();
    acc = warp_combine(op, acc);
    if (t != 0) return;
    int64_t xoff = 0, ooff = 0;
    s.out_offsets(o, &xoff, &ooff);
    out[ooff] = op.finalize(acc, s.lane);
}

}  // namespace kernels

// ---------------------------------------------------------------------------------------------
// Host side
// ---------------------------------------------------------------------------------------------

inline int64_t next_pow2(int64_t v) {
    int64_t p = 1;
    while (p < v) p <<= 1;
    return p;
}

inline int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

// Splits x's dimensions into kept and reduced ones and coalesces each list.
inline ReduceShape shape_of(const View& out, const View& x) {
    ReduceShape s{};
    for (int d = 0; d < x.ndim; ++d) {
        if (x.sizes[d] == 1) continue;
        if (out.sizes[d] == 1) {
            const int n = s.red_ndim;
            if (n > 0 && s.red_strides[n - 1] == x.strides[d] * x.sizes[d]) {
                s.red_sizes[n - 1] *= x.sizes[d];
                s.red_strides[n - 1] = x.strides[d];
            } else {
                s.red_sizes[n] = x.sizes[d];
                s.red_strides[n] = x.strides[d];
                s.red_ndim = n + 1;
            }
        } else {
            const int n = s.kept_ndim;
            if (n > 0 && s.kept_xstrides[n - 1] == x.strides[d] * x.sizes[d] &&
                s.kept_ostrides[n - 1] == out.strides[d] * x.sizes[d]) {
                s.kept_sizes[n - 1] *= x.sizes[d];
                s.kept_xstrides[n - 1] = x.strides[d];
                s.kept_ostrides[n - 1] = out.strides[d];
            } else {
                s.kept_sizes[n] = x.sizes[d];
                s.kept_xstrides[n] = x.strides[d];
                s.kept_ostrides[n] = out.strides[d];
                s.kept_ndim = n + 1;
            }
        }
    }
    s.outer = 1;
    for (int d = 0; d < s.kept_ndim; ++d) s.outer *= s.kept_sizes[d];
    s.lane = 1;
    for (int d = 0; d < s.red_ndim; ++d) s.lane *= s.red_sizes[d];
    return s;
}

template <class T, class Op>
void run_reduce(const char* name, const View& out, const View& x, Op op) {
    using Acc = typename Op::Acc;
    using Out = typename Op::Out;
    ReduceShape s = shape_of(out, x);
    if (s.outer == 0) return;

    int64_t min_red = INT64_MAX, min_kept = INT64_MAX;
    for (int d = 0; d < s.red_ndim; ++d) min_red = abs64(s.red_strides[d]) < min_red ? abs64(s.red_strides[d]) : min_red;
    for (int d = 0; d < s.kept_ndim; ++d) min_kept = abs64(s.kept_xstrides[d]) < min_kept ? abs64(s.kept_xstrides[d]) : min_kept;

    ReduceConfig cfg{};
    cfg.inner = s.red_ndim > 0 && s.lane > 16 && min_red < min_kept ? 1 : 0;
    constexpr int V = 16 / sizeof(T) > 8 ? 8 : static_cast<int>(16 / sizeof(T));
    int64_t unit;  // lane elements one block row consumes per step
    if (cfg.inner) {
        int tx = 32;
        while (tx < kReduceThreads && static_cast<int64_t>(tx) * 8 < s.lane) tx *= 2;
        cfg.tx = tx;
        cfg.ty = static_cast<int32_t>(next_pow2(s.outer) < kReduceThreads / tx ? next_pow2(s.outer) : kReduceThreads / tx);
        cfg.vectorized = s.red_ndim == 1 && s.red_strides[0] == 1 ? 1 : 0;
        unit = static_cast<int64_t>(tx) * (cfg.vectorized ? V : 1);
    } else {
        const int64_t ty = next_pow2(s.lane) < 16 ? next_pow2(s.lane) : 16;
        int64_t tx = kReduceThreads / ty;
        const int64_t want = next_pow2(s.outer) > 32 ? next_pow2(s.outer) : 32;
        if (tx > want) tx = want;
        cfg.tx = static_cast<int32_t>(tx);
        cfg.ty = static_cast<int32_t>(ty);
        unit = ty;
    }
    const int64_t per_block = cfg.inner ? cfg.ty : cfg.tx;
    const int64_t grid_x = ceil_div(s.outer, per_block);
    check(grid_x <= 0x7fffffffLL, WK_ERR_INVALID_ARGUMENT, name, ": too many outputs (", s.outer, ")");

    // Split the lane across blockIdx.y when the outputs alone leave the GPU idle: two blocks of
    // 512 threads per multiprocessor run at once (up to 64 registers each), so this is one wave.
    const int64_t target = static_cast<int64_t>(device_info(active_device()).multiprocessors) * 2;
    int64_t splits = 1;
    if (grid_x < target && s.lane >= unit * 8) {
        splits = ceil_div(target, grid_x);
        const int64_t most = ceil_div(s.lane, unit * 4);
        if (splits > most) splits = most;
        if (splits > 65535) splits = 65535;
        if (splits < 1) splits = 1;
    }
    cfg.chunk = ceil_div(ceil_div(s.lane, splits), unit) * unit;
    if (cfg.chunk < 1) cfg.chunk = 1;
    splits = s.lane == 0 ? 1 : ceil_div(s.lane, cfg.chunk);

    const dim3 grid(static_cast<unsigned int>(grid_x), static_cast<unsigned int>(splits));
    const dim3 block(static_cast<unsigned int>(cfg.tx), static_cast<unsigned int>(cfg.ty));
    const T* xp = reinterpret_cast<const T*>(x.data);
    Out* op_out = reinterpret_cast<Out*>(out.data);
    if (splits == 1) {
        launch_kernel(name, &kernels::reduce_lanes<T, Op>, grid, block, xp, op_out, static_cast<Acc*>(nullptr), s, cfg, op);
        return;
    }
    DeviceBuffer partials(static_cast<size_t>(splits * s.outer) * sizeof(Acc));
    launch_kernel(name, &kernels::reduce_lanes<T, Op>, grid, block, xp, op_out, partials.as<Acc>(), s, cfg, op);
    const int64_t threads = next_pow2(splits) < kReduceThreads ? (next_pow2(splits) > 32 ? next_pow2(splits) : 32) : kReduceThreads;
    launch_kernel(name, &kernels::reduce_partials<T, Op>, grid_1d(s.outer, name), dim3(static_cast<unsigned int>(threads)),
                  static_cast<const Acc*>(partials.as<Acc>()), op_out, s, static_cast<int32_t>(splits), op);
}

// Each runs op when it belongs to its file's group (returns false otherwise).
bool reduce_index(wk_reduce_op op, const View& out, const View& x, double param);
bool reduce_stats(wk_reduce_op op, const View& out, const View& x, double param);

}  // namespace wick::cuda
