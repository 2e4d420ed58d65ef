// Index checks and parameter transfers shared by the indexing kernels (see index_common.cuh).
#include "cuda/index_common.cuh"

#include <cstring>

#include "cuda/copy.cuh"
#include "cuda/pinned.cuh"
#include "cuda/scan.cuh"

namespace wick::cuda {

namespace kernels {

// Records in *first the smallest row-major position of an entry outside [0, size).
__global__ void __launch_bounds__(kThreads) find_bad_index(const int64_t* index, Strided<1> s, int64_t n, int64_t size,
                                                           int32_t wrap, unsigned long long* first) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t off[1];
    s.offsets(i, off);
    const int64_t v = wrap_index(index[off[0]], size, wrap != 0);
    if (v < 0 || v >= size) atomicMin(first, static_cast<unsigned long long>(i));
}

// Exclusive prefix sums of the tile counts of the compaction in scan.cuh (one block).
__global__ void __launch_bounds__(kScanTileThreads) scan_tiles(int64_t* counts, int64_t ntiles) {
    __shared__ int64_t buf[kScanTileThreads];
    __shared__ int64_t carry_in;
    const int t = static_cast<int>(threadIdx.x);
    if (t == 0) carry_in = 0;
    __syncthreads();
    for (int64_t base = 0; base < ntiles; base += kScanTileThreads) {
        const int64_t v = base + t < ntiles ? counts[base + t] : 0;
        buf[t] = v;
        __syncthreads();
        for (int step = 1; step < kScanTileThreads; step *= 2) {  // inclusive Hillis-Steele scan
            const int64_t add = t >= step ? buf[t - step] : 0;
            __syncthreads();
            buf[t] += add;
            __syncthreads();
        }
        const int64_t carry = carry_in;
        if (base + t < ntiles) counts[base + t] = carry + buf[t] - v;
        __syncthreads();
        if (t == kScanTileThreads - 1) carry_in = carry + buf[t];
        __syncthreads();
    }
    if (t == 0) counts[ntiles] = carry_in;
}

}  // namespace kernels

IndexView::IndexView(const View& index, const char* op)
    : converted_(index.dtype == DType::I64 ? 0 : static_cast<size_t>(index.numel()) * sizeof(int64_t)), view_(index) {
    if (index.dtype == DType::I64) return;
    check(index.dtype == DType::I32, WK_ERR_DTYPE, op, ": index tensors must be int64 or int32, got ",
          dtype_name(index.dtype));
    const int64_t n = index.numel();
    View c = index;
    c.dtype = DType::I64;
    c.data = converted_.as<char>();
    int64_t stride = 1;
    for (int d = c.ndim - 1; d >= 0; --d) {
        c.strides[d] = stride;
        stride *= c.sizes[d];
    }
    if (n > 0) copy(c, index);
    view_ = c;
}

void check_indices(const View& index, int64_t size, bool wrap, const char* op, int dim) {
    const int64_t n = index.numel();
    if (n == 0) return;
    check(index.dtype == DType::I64, WK_ERR_INTERNAL, op, ": index check needs an int64 view");
    DeviceBuffer first(sizeof(unsigned long long));
    check_cuda(cudaMemsetAsync(first.as<void>(), 0xff, sizeof(unsigned long long), current_stream()),
               "index check (cudaMemsetAsync)");
    const View* views[1] = {&index};
    const Strided<1> s = make_strided<1>(views);
    launch_kernel(op, &kernels::find_bad_index, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads),
                  reinterpret_cast<const int64_t*>(index.data), s, n, size, static_cast<int32_t>(wrap ? 1 : 0),
                  first.as<unsigned long long>());
    unsigned long long bad = 0;
    download(&bad, first.as<void>(), sizeof(bad));
    if (bad == ~0ull) return;
    // The bad entry's value, for the message: its row-major position back to an element offset.
    int64_t rem = static_cast<int64_t>(bad), offset = 0;
    for (int d = index.ndim - 1; d >= 0; --d) {
        offset += (rem % index.sizes[d]) * index.strides[d];
        rem /= index.sizes[d];
    }
    int64_t value = 0;
    download(&value, reinterpret_cast<const int64_t*>(index.data) + offset, sizeof(value));
    fail(WK_ERR_INDEX, op, ": index ", value, " is out of bounds for dimension ", dim, " with size ", size);
}

void upload(void* device_dst, const void* host_src, size_t nbytes) {
    if (nbytes == 0) return;
    void* staging = pinned_allocate(nbytes);
    std::memcpy(staging, host_src, nbytes);
    cudaStream_t stream = current_stream();
    cudaError_t e = cudaMemcpyAsync(device_dst, staging, nbytes, cudaMemcpyHostToDevice, stream);
    if (e != cudaSuccess) {
        pinned_free(staging);
        throw_cuda(e, "kernel parameters (cudaMemcpyAsync)");
    }
    try {
        pinned_record_use(staging, stream);
    } catch (...) {
        // Without the event the block could be reused while the copy still reads it.
        cudaStreamSynchronize(stream);
        pinned_free(staging);
        throw;
    }
    pinned_free(staging);
}

void download(void* host_dst, const void* device_src, size_t nbytes) {
    if (nbytes == 0) return;
    cudaStream_t stream = current_stream();
    check_cuda(cudaMemcpyAsync(host_dst, device_src, nbytes, cudaMemcpyDeviceToHost, stream), "read back (cudaMemcpyAsync)");
    check_cuda(cudaStreamSynchronize(stream), "read back (cudaStreamSynchronize)");
}

}  // namespace wick::cuda
