// Index views and parameter transfers shared by the indexing kernels (see index_common.cuh).
#include "cuda/index_common.cuh"

#include <cstring>

#include "cuda/copy.cuh"
#include "cuda/pinned.cuh"
#include "cuda/scan.cuh"

namespace wick::cuda {

namespace kernels {

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
        note_host_wait();
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
    DeferredErrorRead pending(active_device(), stream);
    note_host_wait();
    check_cuda(cudaStreamSynchronize(stream), "read back (cudaStreamSynchronize)");
    pending.raise_if_set();
}

}  // namespace wick::cuda
