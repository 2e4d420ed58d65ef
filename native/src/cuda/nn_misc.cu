// Dropout (the CPU's Philox draw per element, so a seed gives the same mask on both devices) and
// embedding lookups with their backward. The kernels check each id they use (an id out of range is
// the CPU's WK_ERR_INDEX error): a bad row reads as zeros or is not added to, and is reported to the
// device's deferred error (deferred_error.cuh), raised at the next host synchronisation.
// The embedding backward gives each thread one column of the table and walks the ids in order, so
// repeated ids add up in the same order on every run (no atomics).
#include "core/philox.h"
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
__global__ void __launch_bounds__(kThreads)
    embedding_kernel(T* out, const T* weight, const int64_t* ids, int64_t n, int64_t D, IndexReport r) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n * D) return;
    const int64_t row = i / D, id = ids[row];
    int64_t k;
    if (index_in_range(id, r.size, false, k)) {
        out[i] = weight[k * D + (i - row * D)];
    } else {
        out[i] = T(0);
        report_bad_index(r, row, id);
    }
}

// Thread d: grad_weight[:, d] = 0, then += grad_out[i, d] at row ids[i], i in order.
template <class T>
__global__ void __launch_bounds__(kThreads) embedding_backward_columns(T* gw, const T* go, const int64_t* ids, int64_t n,
                                                                       int64_t V, int64_t D, int64_t padding_idx,
                                                                       IndexReport r) {
    const int64_t d = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (d >= D) return;
    for (int64_t v = 0; v < V; ++v) gw[v * D + d] = T(0);
    for (int64_t i = 0; i < n; ++i) {
        const int64_t id = ids[i];
        int64_t k;
        if (!index_in_range(id, V, false, k)) report_bad_index(r, i, id);  // before padding_idx, which is -1 for none
        else if (k != padding_idx) gw[k * D + d] += go[i * D + d];
    }
}

}  // namespace kernels

namespace {

// The report for ids (n) into V rows; in synchronous mode (or when the kernel does not run:
// `fused` false) the ids are checked by a kernel of their own first.
IndexReport check_ids(const View& ids, int64_t V, const char* op, bool fused) {
    check(ids.dtype == DType::I64, WK_ERR_DTYPE, op, ": the CUDA kernel takes int64 indices, got ", dtype_name(ids.dtype));
    const IndexReport r = index_report(BadIndexKind::EmbeddingId, op, 0, V);
    check_index_entries(ids, r, false, false, 0, fused);
    return r;
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
    const IndexReport r = check_ids(indices, V, op, n * D > 0);
    if (n * D == 0) return;
    dispatch_f32_f64(weight.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::embedding_kernel<T>, grid_1d(ceil_div(n * D, kThreads), op), dim3(kThreads),
                      data_of<T>(out), data_of<const T>(weight), data_of<const int64_t>(indices), n, D, r);
    });
}

void embedding_backward(const View& grad_weight, const View& grad_out, const View& indices, int64_t padding_idx) {
    const char* op = "embedding_backward";
    const int64_t V = grad_weight.sizes[0], D = grad_weight.sizes[1], n = indices.numel();
    const IndexReport r = check_ids(indices, V, op, D > 0);
    if (D == 0) return;  // V == 0 still runs the kernel, which reports every id
    dispatch_f32_f64(grad_weight.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::embedding_backward_columns<T>, grid_1d(ceil_div(D, kThreads), op), dim3(kThreads),
                      data_of<T>(grad_weight), data_of<const T>(grad_out), data_of<const int64_t>(indices), n, V, D,
                      padding_idx, r);
    });
}

}  // namespace wick::cuda
