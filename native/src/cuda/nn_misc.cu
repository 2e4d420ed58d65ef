// Dropout (the CPU's Philox draw per element, so a seed gives the same mask on both devices) and
// embedding lookups with their backward. Embedding ids are checked before any read (an id out of
// range is the CPU's WK_ERR_INDEX error; the check reads one word back, a host synchronisation).
// The embedding backward gives each thread one column of the table and walks the ids in order, so
// repeated ids add up in the same order on every run (no atomics).
#include "core/philox.h"
#include "cuda/buffer.cuh"
#include "cuda/index_common.cuh"
#include "cuda/nn.cuh"
#include "cuda/nn_common.cuh"

namespace wick::cuda {

namespace kernels {

template <class T>
__global__ void __launch_bounds__(kThreads)
    dropout_kernel(T* out, bool* mask, const T* x, int64_t n, double keep, T scale, uint64_t seed, uint64_t offset) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const philox::U32x4 w = philox::draw(seed, offset, static_cast<uint64_t>(i));
    const bool k = philox::uniform_f64(w.x[0], w.x[1]) < keep;
    mask[i] = k;
    out[i] = k ? x[i] * scale : T(0);
}

// out (n, D) = weight (V, D) rows at ids (n).
template <class T>
__global__ void __launch_bounds__(kThreads) embedding_kernel(T* out, const T* weight, const int64_t* ids, int64_t n, int64_t D) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n * D) return;
    const int64_t r = i / D;
    out[i] = weight[ids[r] * D + (i - r * D)];
}

// Thread d: grad_weight[:, d] = 0, then += grad_out[i, d] at row ids[i], i in order.
template <class T>
__global__ void __launch_bounds__(kThreads) embedding_backward_columns(T* gw, const T* go, const int64_t* ids, int64_t n,
                                                                       int64_t V, int64_t D, int64_t padding_idx) {
    const int64_t d = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (d >= D) return;
    for (int64_t v = 0; v < V; ++v) gw[v * D + d] = T(0);
    for (int64_t i = 0; i < n; ++i) {
        const int64_t id = ids[i];
        if (id == padding_idx) continue;
        gw[id * D + d] += go[i * D + d];
    }
}

__global__ void __launch_bounds__(kThreads) find_bad_id(const int64_t* ids, int64_t n, int64_t V, unsigned long long* first) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i < n && (ids[i] < 0 || ids[i] >= V)) atomicMin(first, static_cast<unsigned long long>(i));
}

}  // namespace kernels

namespace {

void check_ids(const View& ids, int64_t V, const char* op) {
    check(ids.dtype == DType::I64, WK_ERR_DTYPE, op, ": the CUDA kernel takes int64 indices, got ", dtype_name(ids.dtype));
    const int64_t n = ids.numel();
    if (n == 0) return;
    DeviceBuffer first(sizeof(unsigned long long));
    check_cuda(cudaMemsetAsync(first.as<void>(), 0xff, sizeof(unsigned long long), current_stream()),
               "index check (cudaMemsetAsync)");
    launch_kernel(op, &kernels::find_bad_id, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads),
                  data_of<const int64_t>(ids), n, V, first.as<unsigned long long>());
    unsigned long long bad = 0;
    download(&bad, first.as<void>(), sizeof(bad));
    if (bad == ~0ull) return;
    int64_t id = 0;
    download(&id, data_of<const int64_t>(ids) + bad, sizeof(id));
    fail(WK_ERR_INDEX, op, ": index ", id, " is out of range for an embedding of ", V, " rows (expected 0 to ", V - 1, ")");
}

}  // namespace

void dropout(const View& out, const View& mask, const View& x, double p, uint64_t seed, uint64_t offset) {
    const char* op = "dropout";
    const int64_t n = x.numel();
    if (n == 0) return;
    const double keep = 1.0 - p;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T scale = keep > 0 ? static_cast<T>(1.0 / keep) : T(0);
        launch_kernel(op, &kernels::dropout_kernel<T>, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads), data_of<T>(out),
                      data_of<bool>(mask), data_of<const T>(x), n, keep, scale, seed, offset);
    });
}

void embedding(const View& out, const View& weight, const View& indices) {
    const char* op = "embedding";
    const int64_t V = weight.sizes[0], D = weight.sizes[1], n = indices.numel();
    check_ids(indices, V, op);
    if (n * D == 0) return;
    dispatch_f32_f64(weight.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::embedding_kernel<T>, grid_1d(ceil_div(n * D, kThreads), op), dim3(kThreads),
                      data_of<T>(out), data_of<const T>(weight), data_of<const int64_t>(indices), n, D);
    });
}

void embedding_backward(const View& grad_weight, const View& grad_out, const View& indices, int64_t padding_idx) {
    const char* op = "embedding_backward";
    const int64_t V = grad_weight.sizes[0], D = grad_weight.sizes[1], n = indices.numel();
    check_ids(indices, V, op);
    if (V * D == 0) return;
    dispatch_f32_f64(grad_weight.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::embedding_backward_columns<T>, grid_1d(ceil_div(D, kThreads), op), dim3(kThreads),
                      data_of<T>(grad_weight), data_of<const T>(grad_out), data_of<const int64_t>(indices), n, V, D,
                      padding_idx);
    });
}

}  // namespace wick::cuda
