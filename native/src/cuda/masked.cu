// Mask-driven kernels: masked_fill (one thread per element), count_nonzero (a block reduction and
// one atomic add per block: integer counts, so the order does not matter), and the compaction
// family, masked_select, masked_scatter and nonzero, on the scan of scan.cuh, which keeps the
// CPU's row-major output order. Nonzero tests read the element's bits: floats ignore the sign bit
// (-0 is zero, NaN is not), so one kernel per element width serves every dtype.
#include "cuda/index_common.cuh"
#include "cuda/scan.cuh"
#include "cuda/shape.cuh"

namespace wick::cuda {

namespace {

// The bits of an element of `width` bytes that decide whether it is nonzero.
uint64_t nonzero_mask(DType t) {
    switch (t) {
        case DType::F32: return 0x7fffffffull;
        case DType::F64: return 0x7fffffffffffffffull;
        case DType::F16:
        case DType::BF16: return 0x7fffull;
        default: return ~0ull;
    }
}

}  // namespace

// An element of any dtype seen through its bytes: nonzero test and raw moves.
struct Elements {
    const char* data;
    int32_t width;
    uint64_t mask;

    __device__ __forceinline__ bool nonzero(int64_t offset) const { return (load_bits(data + offset * width, width) & mask) != 0; }
};

namespace kernels {

template <class T>
__global__ void __launch_bounds__(kThreads) masked_fill_kernel(T* out, const bool* mask, const T* value, Strided<3> s, int64_t n) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t off[3];
    s.offsets(i, off);
    if (mask[off[1]]) out[off[0]] = value[off[2]];
}

__global__ void __launch_bounds__(kThreads) count_nonzero_kernel(Elements x, Strided<1> s, int64_t n, unsigned long long* total) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    unsigned int c = 0;
    if (i < n) {
        int64_t off[1];
        s.offsets(i, off);
        c = x.nonzero(off[0]) ? 1u : 0u;
    }
#pragma unroll
    for (int mask = 16; mask > 0; mask >>= 1) c += __shfl_xor_sync(0xffffffffu, c, mask);
    __shared__ unsigned int warp_counts[kThreads / 32];
    const int t = static_cast<int>(threadIdx.x);
    if (t % 32 == 0) warp_counts[t / 32] = c;
    __syncthreads();
    if (t == 0) {
        unsigned long long sum = 0;
        for (int w = 0; w < kThreads / 32; ++w) sum += warp_counts[w];
        if (sum != 0) atomicAdd(total, sum);
    }
}

}  // namespace kernels

namespace {

// masked_select: out[rank] = x[p] where mask[p].
struct SelectOp {
    const char* x;
    const bool* mask;
    char* out;
    int32_t width;
    Strided<2> s;  // x, mask

    __device__ bool flag(int64_t i) const {
        int64_t off[2];
        s.offsets(i, off);
        return mask[off[1]];
    }
    __device__ void emit(int64_t i, bool flagged, int64_t rank) const {
        if (!flagged) return;
        int64_t off[2];
        s.offsets(i, off);
        store_bits(out + rank * width, width, load_bits(x + off[0] * width, width));
    }
};

// masked_scatter: self[p] = source[rank] where mask[p].
struct ScatterOp {
    char* self;
    const bool* mask;
    const char* source;
    int32_t width;
    Strided<2> s;  // self, mask

    __device__ bool flag(int64_t i) const {
        int64_t off[2];
        s.offsets(i, off);
        return mask[off[1]];
    }
    __device__ void emit(int64_t i, bool flagged, int64_t rank) const {
        if (!flagged) return;
        int64_t off[2];
        s.offsets(i, off);
        store_bits(self + off[0] * width, width, load_bits(source + rank * width, width));
    }
};

// nonzero: row rank of out = the coordinates of p (x's own dimensions, not coalesced).
struct NonzeroOp {
    Elements x;
    int64_t* out;
    int32_t ndim;
    int64_t sizes[kMaxDims];
    int64_t strides[kMaxDims];

    __device__ int64_t offset_of(int64_t i) const {
        int64_t off = 0;
        for (int d = ndim - 1; d >= 0; --d) {
            const int64_t q = i / sizes[d];
            off += (i - q * sizes[d]) * strides[d];
            i = q;
        }
        return off;
    }
    __device__ bool flag(int64_t i) const { return x.nonzero(offset_of(i)); }
    __device__ void emit(int64_t i, bool flagged, int64_t rank) const {
        if (!flagged) return;
        int64_t* row = out + rank * ndim;
        for (int d = ndim - 1; d >= 0; --d) {
            const int64_t q = i / sizes[d];
            row[d] = i - q * sizes[d];
            i = q;
        }
    }
};

}  // namespace

void masked_fill(const View& out, const View& mask, const View& value) {
    const int64_t n = out.numel();
    if (n == 0) return;
    const View* views[3] = {&out, &mask, &value};
    const Strided<3> s = make_strided<3>(views);
    dispatch_width(out.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel("masked_fill", &kernels::masked_fill_kernel<T>, grid_1d(ceil_div(n, kThreads), "masked_fill"),
                      dim3(kThreads), reinterpret_cast<T*>(out.data), reinterpret_cast<const bool*>(mask.data),
                      reinterpret_cast<const T*>(value.data), s, n);
    });
}

void count_nonzero(const View& x, int64_t* count) {
    const int64_t n = x.numel();
    *count = 0;
    if (n == 0) return;
    const View* views[1] = {&x};
    const Strided<1> s = make_strided<1>(views);
    DeviceBuffer total(sizeof(unsigned long long));
    check_cuda(cudaMemsetAsync(total.as<void>(), 0, sizeof(unsigned long long), current_stream()),
               "count_nonzero (cudaMemsetAsync)");
    const Elements e{x.data, static_cast<int32_t>(dtype_size(x.dtype)), nonzero_mask(x.dtype)};
    launch_kernel("count_nonzero", &kernels::count_nonzero_kernel, grid_1d(ceil_div(n, kThreads), "count_nonzero"),
                  dim3(kThreads), e, s, n, total.as<unsigned long long>());
    unsigned long long c = 0;
    download(&c, total.as<void>(), sizeof(c));
    *count = static_cast<int64_t>(c);
}

void masked_select(const View& out, const View& x, const View& mask) {
    const View* views[2] = {&x, &mask};
    const SelectOp op{x.data, reinterpret_cast<const bool*>(mask.data), out.data, static_cast<int32_t>(dtype_size(x.dtype)),
                      make_strided<2>(views)};
    run_scan("masked_select", x.numel(), op, nullptr);
}

void masked_scatter(const View& self, const View& mask, const View& source) {
    const View* views[2] = {&self, &mask};
    const ScatterOp op{self.data, reinterpret_cast<const bool*>(mask.data), source.data,
                       static_cast<int32_t>(dtype_size(self.dtype)), make_strided<2>(views)};
    run_scan("masked_scatter", self.numel(), op, nullptr);
}

void nonzero(const View& out, const View& x) {
    NonzeroOp op{};
    op.x = Elements{x.data, static_cast<int32_t>(dtype_size(x.dtype)), nonzero_mask(x.dtype)};
    op.out = reinterpret_cast<int64_t*>(out.data);
    op.ndim = x.ndim;
    for (int d = 0; d < x.ndim; ++d) {
        op.sizes[d] = x.sizes[d];
        op.strides[d] = x.strides[d];
    }
    run_scan("nonzero", x.numel(), op, nullptr);
}

}  // namespace wick::cuda
