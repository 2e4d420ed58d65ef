// Stream compaction: for n positions in row-major order, each with a flag, every position learns
// how many flagged positions come before it (its rank), so masked_select, masked_scatter, nonzero
// and unique write their outputs in the CPU's order, with no atomics and the same result on every
// run. Three kernels:
//  1. scan_count: each block counts the flags of one tile of kScanTile positions;
//  2. scan_tiles: one block turns the tile counts into exclusive prefix sums (and the total);
//  3. scan_emit: each block walks its tile again in chunks of kScanThreads positions, ranks each
//     flagged position inside its chunk with a warp ballot and the warps' totals, and calls emit.
// A functor F gives `__device__ bool flag(int64_t i) const` and
// `__device__ void emit(int64_t i, bool flag, int64_t rank) const` (rank: flags before i).
#pragma once

#include "cuda/buffer.cuh"
#include "cuda/common.cuh"
#include "cuda/index_common.cuh"

namespace wick::cuda {

constexpr int kScanThreads = 256;
constexpr int kScanChunks = 8;  // chunks of kScanThreads positions per tile
constexpr int64_t kScanTile = static_cast<int64_t>(kScanThreads) * kScanChunks;
constexpr int kScanTileThreads = 1024;  // the single block of scan_tiles

namespace kernels {

template <class F>
__global__ void __launch_bounds__(kScanThreads) scan_count(F f, int64_t n, int64_t* tile_counts) {
    const int t = static_cast<int>(threadIdx.x);
    const int64_t base = static_cast<int64_t>(blockIdx.x) * kScanTile;
    unsigned int c = 0;
    for (int k = 0; k < kScanChunks; ++k) {
        const int64_t i = base + k * kScanThreads + t;
        if (i < n && f.flag(i)) ++c;
    }
#pragma unroll
    for (int mask = 16; mask > 0; mask >>= 1) c += __shfl_xor_sync(0xffffffffu, c, mask);
    __shared__ unsigned int warp_counts[kScanThreads / 32];
    if (t % 32 == 0) warp_counts[t / 32] = c;
    __syncthreads();
    if (t == 0) {
        int64_t total = 0;
        for (int w = 0; w < kScanThreads / 32; ++w) total += warp_counts[w];
        tile_counts[blockIdx.x] = total;
    }
}

// counts[0..ntiles) -> exclusive prefix sums; counts[ntiles] = the total.
__global__ void __launch_bounds__(kScanTileThreads) scan_tiles(int64_t* counts, int64_t ntiles);

template <class F>
__global__ void __launch_bounds__(kScanThreads) scan_emit(F f, int64_t n, const int64_t* tile_offsets) {
    const int t = static_cast<int>(threadIdx.x);
    const int lane = t % 32, warp = t / 32;
    const int64_t base = static_cast<int64_t>(blockIdx.x) * kScanTile;
    __shared__ int warp_counts[kScanThreads / 32];
    int64_t carry = tile_offsets[blockIdx.x];
    for (int k = 0; k < kScanChunks; ++k) {
        const int64_t i = base + k * kScanThreads + t;
        const bool flagged = i < n && f.flag(i);
        const unsigned int ballot = __ballot_sync(0xffffffffu, flagged ? 1 : 0);
        const int within = __popc(ballot & ((1u << lane) - 1u));
        if (lane == 0) warp_counts[warp] = __popc(ballot);
        __syncthreads();
        int before = 0, total = 0;
        for (int w = 0; w < kScanThreads / 32; ++w) {
            before += w < warp ? warp_counts[w] : 0;
            total += warp_counts[w];
        }
        if (i < n) f.emit(i, flagged, carry + before + within);
        carry += total;
        __syncthreads();  // warp_counts is rewritten by the next chunk
    }
}

}  // namespace kernels

// Runs the compaction over n positions; *total (optional) receives the number of flagged
// positions, which waits for the device.
template <class F>
void run_scan(const char* name, int64_t n, const F& f, int64_t* total) {
    if (n == 0) {
        if (total != nullptr) *total = 0;
        return;
    }
    const int64_t ntiles = ceil_div(n, kScanTile);
    DeviceBuffer counts(static_cast<size_t>(ntiles + 1) * sizeof(int64_t));
    launch_kernel(name, &kernels::scan_count<F>, grid_1d(ntiles, name), dim3(kScanThreads), f, n, counts.as<int64_t>());
    launch_kernel(name, &kernels::scan_tiles, dim3(1), dim3(kScanTileThreads), counts.as<int64_t>(), ntiles);
    launch_kernel(name, &kernels::scan_emit<F>, grid_1d(ntiles, name), dim3(kScanThreads), f, n,
                  static_cast<const int64_t*>(counts.as<int64_t>()));
    if (total != nullptr) download(total, counts.as<int64_t>() + ntiles, sizeof(int64_t));
}

}  // namespace wick::cuda
