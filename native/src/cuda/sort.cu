// Sorting along a dimension (sort, topk) and the run detection behind unique.
//
// Every element maps to an unsigned key whose order is the sort order, exactly as on the CPU
// (cpu/sort.cpp): floats with NaN as the largest value and -0 equal to +0, signed integers with the
// sign bit flipped; descending order complements the key. Each fiber (one line along dim) becomes
// (key, position) pairs, padded with (max, position) to P = next power of two, and a bitonic
// network sorts them by (key, position): a total order, so the result is the stable sort the CPU
// gives, in both directions. The network's stages with a small stride run in shared memory
// (tiles of kSortTile pairs; a whole fiber when P <= kSortTile), the larger ones one kernel each.
// topk sorts the fiber and keeps the first k. Values are copied from x at the sorted positions,
// so -0 and NaN payloads survive.
#include <algorithm>

#include "cuda/index_common.cuh"
#include "cuda/scan.cuh"
#include "cuda/shape.cuh"
#include "cuda/value.cuh"

namespace wick::cuda {

constexpr int64_t kSortTile = 2048;  // pairs per shared-memory tile (32 KiB of keys and positions)

__device__ __forceinline__ uint64_t key16(uint32_t u, uint32_t inf) {
    if ((u & 0x7fffu) > inf) return 0xffffu;
    if (u == 0x8000u) u = 0;
    return (u & 0x8000u) ? (~u & 0xffffu) : (u | 0x8000u);
}

// The order-preserving unsigned key of the element at p.
__device__ __forceinline__ uint64_t sort_key(const char* p, DType t) {
    switch (t) {
        case DType::F32: {
            uint32_t u = *reinterpret_cast<const uint32_t*>(p);
            if ((u & 0x7fffffffu) > 0x7f800000u) return 0xffffffffu;
            if (u == 0x80000000u) u = 0;
            return (u & 0x80000000u) ? static_cast<uint32_t>(~u) : (u | 0x80000000u);
        }
        case DType::F64: {
            uint64_t u = *reinterpret_cast<const uint64_t*>(p);
            constexpr uint64_t sign = 0x8000000000000000ull;
            if ((u & ~sign) > 0x7ff0000000000000ull) return ~0ull;
            if (u == sign) u = 0;
            return (u & sign) ? ~u : (u | sign);
        }
        case DType::F16: return key16(*reinterpret_cast<const uint16_t*>(p), 0x7c00u);
        case DType::BF16: return key16(*reinterpret_cast<const uint16_t*>(p), 0x7f80u);
        case DType::I64: return *reinterpret_cast<const uint64_t*>(p) ^ 0x8000000000000000ull;
        case DType::I32: return *reinterpret_cast<const uint32_t*>(p) ^ 0x80000000u;
        case DType::I16: return static_cast<uint32_t>(*reinterpret_cast<const uint16_t*>(p)) ^ 0x8000u;
        case DType::I8: return static_cast<uint32_t>(*reinterpret_cast<const uint8_t*>(p)) ^ 0x80u;
        default: return *reinterpret_cast<const uint8_t*>(p);  // U8, Bool
    }
}

// (ka, ia) after (kb, ib) in the sort order.
__device__ __forceinline__ bool pair_after(uint64_t ka, int64_t ia, uint64_t kb, int64_t ib) {
    return ka > kb || (ka == kb && ia > ib);
}

namespace kernels {

// Pair p of fiber f: (key of x[f, p] ^ flip, p), or (max, p) past the fiber's end.
__global__ void __launch_bounds__(kThreads)
    sort_init(uint64_t* keys, int64_t* pos, const char* x, DType dtype, int32_t width, Strided<3> fib, int64_t x_step,
              int64_t n, int64_t P, uint64_t flip, int64_t total) {
    const int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (t >= total) return;
    const int64_t f = t / P;
    const int64_t p = t - f * P;
    uint64_t key = ~0ull;
    if (p < n) {
        int64_t off[3];
        fib.offsets(f, off);
        key = sort_key(x + (off[2] + p * x_step) * width, dtype) ^ flip;
    }
    keys[t] = key;
    pos[t] = p;
}

// Bitonic stages (k, j) for k in [k_first, k_last] (j from j_first for k_first, else k / 2) on
// tiles of `tile` consecutive pairs in shared memory; a tile holds whole fibers or lies in one.
__global__ void __launch_bounds__(kSortTile / 2)
    bitonic_tile(uint64_t* keys, int64_t* pos, int64_t total, int64_t P, int64_t tile, int64_t k_first, int64_t k_last,
                 int64_t j_first) {
    __shared__ uint64_t sk[kSortTile];
    __shared__ int64_t sp[kSortTile];
    const int64_t t = threadIdx.x;
    const int64_t base = static_cast<int64_t>(blockIdx.x) * tile;
    const int64_t count = total - base < tile ? total - base : tile;
    for (int64_t e = t; e < count; e += blockDim.x) {
        sk[e] = keys[base + e];
        sp[e] = pos[base + e];
    }
    __syncthreads();
    for (int64_t k = k_first; k <= k_last; k *= 2) {
        for (int64_t j = k == k_first ? j_first : k / 2; j >= 1; j /= 2) {
            for (int64_t pr = t; pr < tile / 2; pr += blockDim.x) {
                const int64_t a = 2 * j * (pr / j) + pr % j;
                const int64_t b = a + j;
                if (b >= count) continue;
                const bool ascending = (((base + a) & (P - 1)) & k) == 0;
                const uint64_t ka = sk[a], kb = sk[b];
                const int64_t ia = sp[a], ib = sp[b];
                if (ascending ? pair_after(ka, ia, kb, ib) : pair_after(kb, ib, ka, ia)) {
                    sk[a] = kb;
                    sk[b] = ka;
                    sp[a] = ib;
                    sp[b] = ia;
                }
            }
            __syncthreads();
        }
    }
    for (int64_t e = t; e < count; e += blockDim.x) {
        keys[base + e] = sk[e];
        pos[base + e] = sp[e];
    }
}

// One bitonic stage (k, j) with j >= the tile size, over all fibers.
__global__ void __launch_bounds__(kThreads) bitonic_global(uint64_t* keys, int64_t* pos, int64_t total, int64_t P, int64_t k,
                                                           int64_t j) {
    const int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (t >= total / 2) return;
    const int64_t a = 2 * j * (t / j) + t % j;
    const int64_t b = a + j;
    const bool ascending = ((a & (P - 1)) & k) == 0;
    const uint64_t ka = keys[a], kb = keys[b];
    const int64_t ia = pos[a], ib = pos[b];
    if (ascending ? pair_after(ka, ia, kb, ib) : pair_after(kb, ib, ka, ia)) {
        keys[a] = kb;
        keys[b] = ka;
        pos[a] = ib;
        pos[b] = ia;
    }
}

// The first m sorted pairs of each fiber: values[f, p] = x[f, pos], indices[f, p] = pos.
__global__ void __launch_bounds__(kThreads)
    sort_write(char* values, int64_t* indices, const char* x, const int64_t* pos, int32_t width, Strided<3> fib,
               int64_t v_step, int64_t i_step, int64_t x_step, int64_t m, int64_t P, int64_t total) {
    const int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (t >= total) return;
    const int64_t f = t / m;
    const int64_t p = t - f * m;
    int64_t off[3];
    fib.offsets(f, off);
    const int64_t src = pos[f * P + p];
    store_bits(values + (off[0] + p * v_step) * width, width, load_bits(x + (off[2] + src * x_step) * width, width));
    indices[off[1] + p * i_step] = src;
}

__global__ void __launch_bounds__(kThreads) run_lengths(int64_t* counts, const int64_t* starts, int64_t runs, int64_t n) {
    const int64_t r = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (r >= runs) return;
    counts[r] = (r + 1 < runs ? starts[r + 1] : n) - starts[r];
}

}  // namespace kernels

namespace {

// Sorts every fiber of x along dim and writes the first m of each into values and indices.
void sort_fibers(const View& values, const View& indices, const View& x, int32_t dim, bool descending, int64_t m,
                 const char* op) {
    const int64_t n = x.sizes[dim];
    const View v_f = drop_dim(values, dim), i_f = drop_dim(indices, dim), x_f = drop_dim(x, dim);
    const int64_t fibers = x_f.numel();
    if (fibers == 0 || n == 0 || m == 0) return;
    int64_t P = 1;
    while (P < n) P *= 2;
    const int64_t total = fibers * P;
    check(total / P == fibers && total <= (int64_t(1) << 40), WK_ERR_INVALID_ARGUMENT, op, ": ", fibers, " fibers of ", n,
          " elements are too many to sort at once");
    const View* views[3] = {&v_f, &i_f, &x_f};
    const Strided<3> fib = make_strided<3>(views);
    const int32_t width = static_cast<int32_t>(dtype_size(x.dtype));
    const uint64_t flip = !descending ? 0 : width == 8 ? ~0ull : ((1ull << (8 * width)) - 1);
    DeviceBuffer keys(static_cast<size_t>(total) * sizeof(uint64_t));
    DeviceBuffer pos(static_cast<size_t>(total) * sizeof(int64_t));
    launch_kernel(op, &kernels::sort_init, grid_1d(ceil_div(total, kThreads), op), dim3(kThreads), keys.as<uint64_t>(),
                  pos.as<int64_t>(), static_cast<const char*>(x.data), x.dtype, width, fib, x.strides[dim], n, P, flip, total);
    if (P > 1) {
        int64_t tile = 1;
        while (tile < total && tile < kSortTile) tile *= 2;  // holds whole fibers when P <= kSortTile
        const dim3 tile_grid = grid_1d(ceil_div(total, tile), op);
        const dim3 tile_block(static_cast<unsigned int>(tile / 2));
        const int64_t k_tile = P < tile ? P : tile;
        launch_kernel(op, &kernels::bitonic_tile, tile_grid, tile_block, keys.as<uint64_t>(), pos.as<int64_t>(), total, P,
                      tile, int64_t(2), k_tile, int64_t(1));
        for (int64_t k = 2 * tile; k <= P; k *= 2) {
            for (int64_t j = k / 2; j >= tile; j /= 2)
                launch_kernel(op, &kernels::bitonic_global, grid_1d(ceil_div(total / 2, kThreads), op), dim3(kThreads),
                              keys.as<uint64_t>(), pos.as<int64_t>(), total, P, k, j);
            launch_kernel(op, &kernels::bitonic_tile, tile_grid, tile_block, keys.as<uint64_t>(), pos.as<int64_t>(), total,
                          P, tile, k, k, tile / 2);
        }
    }
    const int64_t out_total = fibers * m;
    launch_kernel(op, &kernels::sort_write, grid_1d(ceil_div(out_total, kThreads), op), dim3(kThreads), values.data,
                  reinterpret_cast<int64_t*>(indices.data), static_cast<const char*>(x.data),
                  static_cast<const int64_t*>(pos.as<int64_t>()), width, fib, values.strides[dim], indices.strides[dim],
                  x.strides[dim], m, P, out_total);
}

// unique: runs of equal values in sorted (NaN never equals NaN, -0 equals +0); each run's first
// position goes to starts, its value to values, and inverse[perm[i]] = the run of i.
struct UniqueOp {
    const char* sorted;
    DType dtype;
    int32_t width;
    int64_t s_step;
    const int64_t* perm;
    int64_t p_step;
    char* values;
    int64_t* inverse;  // null: not wanted
    int64_t* starts;

    __device__ bool flag(int64_t i) const {
        if (i == 0) return true;
        const Value a = load_value(sorted + (i - 1) * s_step * width, dtype);
        const Value b = load_value(sorted + i * s_step * width, dtype);
        return a.is_float ? !(a.f == b.f) : a.i != b.i;
    }
    __device__ void emit(int64_t i, bool first, int64_t rank) const {
        const int64_t run = first ? rank : rank - 1;
        if (inverse != nullptr) inverse[perm[i * p_step]] = run;
        if (!first) return;
        store_bits(values + run * width, width, load_bits(sorted + i * s_step * width, width));
        starts[run] = i;
    }
};

}  // namespace

void sort(const View& values, const View& indices, const View& x, int32_t dim, bool descending) {
    sort_fibers(values, indices, x, dim, descending, x.sizes[dim], "sort");
}

void topk(const View& values, const View& indices, const View& x, int32_t dim, int64_t k, bool largest) {
    sort_fibers(values, indices, x, dim, largest, k, "topk");
}

void unique_sorted(const View& values, const View& inverse, const View& counts, const View& sorted, const View& perm,
                   int64_t* count) {
    const int64_t n = sorted.numel();
    *count = 0;
    if (n == 0) return;
    DeviceBuffer starts(static_cast<size_t>(n) * sizeof(int64_t));
    const UniqueOp op{sorted.data,
                      sorted.dtype,
                      static_cast<int32_t>(dtype_size(sorted.dtype)),
                      sorted.ndim > 0 ? sorted.strides[0] : 1,
                      reinterpret_cast<const int64_t*>(perm.data),
                      perm.ndim > 0 ? perm.strides[0] : 1,
                      values.data,
                      reinterpret_cast<int64_t*>(inverse.data),
                      starts.as<int64_t>()};
    int64_t runs = 0;
    run_scan("unique", n, op, &runs);
    *count = runs;
    if (counts.data != nullptr && runs > 0)
        launch_kernel("unique", &kernels::run_lengths, grid_1d(ceil_div(runs, kThreads), "unique"), dim3(kThreads),
                      reinterpret_cast<int64_t*>(counts.data), static_cast<const int64_t*>(starts.as<int64_t>()), runs, n);
}

}  // namespace wick::cuda
