// Negative log-likelihood over input (N, C, S) log-probabilities and targets (N, S): loss =
// -weight[t] * input[n, t, s], skipping ignore_index. The forward is one thread block that sums in
// double (as the CPU does) and writes the per-element losses on the way; the backward writes each
// target's gradient from one thread. Both check the targets they read (an out-of-range class is
// the CPU's WK_ERR_INDEX error): a bad one counts as ignored and is reported to the device's
// deferred error (deferred_error.cuh), raised at the next host synchronisation.
#include "cuda/index_common.cuh"
#include "cuda/nn.cuh"
#include "cuda/nn_common.cuh"

namespace wick::cuda {

namespace kernels {

// True when target t (at position i) is used: neither ignore_index nor out of range (reported).
__device__ __forceinline__ bool target_used(const IndexReport& r, int64_t i, int64_t t, int64_t ignore_index) {
    if (t == ignore_index) return false;
    int64_t k;
    if (index_in_range(t, r.size, false, k)) return true;
    report_bad_index(r, i, t);
    return false;
}

// One block. loss: (N, S) when per_element, else 0-d (sum, or the weighted mean); total_weight 0-d.
template <class T>
__global__ void __launch_bounds__(kThreads)
    nll_loss_block(T* loss, T* total_weight, const T* input, const int64_t* target, const T* weight, int64_t N,
                   int64_t C, int64_t S, int32_t reduction, int64_t ignore_index, IndexReport r) {
    __shared__ double slots[kThreads];
    double sum = 0, wsum = 0;
    for (int64_t i = threadIdx.x; i < N * S; i += blockDim.x) {
        const int64_t n = i / S, s = i - n * S, t = target[i];
        double l = 0, wt = 0;
        if (target_used(r, i, t, ignore_index)) {
            wt = weight != nullptr ? static_cast<double>(weight[t]) : 1.0;
            l = -wt * static_cast<double>(input[(n * C + t) * S + s]);
        }
        if (reduction == WK_REDUCTION_NONE) loss[i] = static_cast<T>(l);
        sum += l;
        wsum += wt;
    }
    sum = block_reduce(sum, slots, SumOp{});
    wsum = block_reduce(wsum, slots, SumOp{});
    if (threadIdx.x != 0) return;
    if (reduction == WK_REDUCTION_SUM) *loss = static_cast<T>(sum);
    if (reduction == WK_REDUCTION_MEAN) *loss = static_cast<T>(sum / wsum);  // all ignored: 0 / 0 = NaN, as PyTorch
    *total_weight = static_cast<T>(wsum);
}

// grad_input is zero; each non-ignored target gets -weight[t] * (grad_loss[i], or the scalar
// grad_loss, divided by total_weight for the mean).
template <class T>
__global__ void __launch_bounds__(kThreads)
    nll_loss_backward_kernel(T* grad_input, const T* grad_loss, const int64_t* target, const T* weight,
                             const T* total_weight, int64_t N, int64_t C, int64_t S, int32_t reduction,
                             int64_t ignore_index, IndexReport r) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= N * S) return;
    const int64_t n = i / S, s = i - n * S, t = target[i];
    if (!target_used(r, i, t, ignore_index)) return;
    const T g = reduction == WK_REDUCTION_NONE ? grad_loss[i]
                : reduction == WK_REDUCTION_MEAN ? grad_loss[0] / *total_weight
                                                 : grad_loss[0];
    grad_input[(n * C + t) * S + s] = -(weight != nullptr ? weight[t] : T(1)) * g;
}

}  // namespace kernels

namespace {

// The report for target (N, S) of `classes` classes; in synchronous mode (or when the kernel
// does not run: `fused` false) the targets are checked by a kernel of their own first.
IndexReport check_targets(const View& target, int64_t classes, int64_t ignore_index, bool fused) {
    const IndexReport r = index_report(BadIndexKind::Target, "nll_loss", 1, classes, ignore_index);
    check_index_entries(target, r, false, true, ignore_index, fused);
    return r;
}

}  // namespace

void nll_loss(const View& loss, const View& total_weight, const View& input, const View& target, const View& weight,
              int32_t reduction, int64_t ignore_index) {
    const char* op = "nll_loss";
    const int64_t N = input.sizes[0], C = input.sizes[1], S = input.sizes[2];
    check(target.dtype == DType::I64, WK_ERR_DTYPE, op, ": the CUDA kernel takes int64 targets, got ", dtype_name(target.dtype));
    const IndexReport r = check_targets(target, C, ignore_index, true);
    dispatch_f32_f64(input.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::nll_loss_block<T>, dim3(1), dim3(block_threads(N * S)), data_of<T>(loss),
                      data_of<T>(total_weight), data_of<const T>(input), data_of<const int64_t>(target),
                      data_of<const T>(weight), N, C, S, reduction, ignore_index, r);
    });
}

void nll_loss_backward(const View& grad_input, const View& grad_loss, const View& target, const View& weight,
                       const View& total_weight, int32_t reduction, int64_t ignore_index) {
    const char* op = "nll_loss_backward";
    const int64_t N = grad_input.sizes[0], C = grad_input.sizes[1], S = grad_input.sizes[2];
    check(target.dtype == DType::I64, WK_ERR_DTYPE, op, ": the CUDA kernel takes int64 targets, got ", dtype_name(target.dtype));
    const int64_t total = N * C * S;
    const IndexReport r = check_targets(target, C, ignore_index, total > 0);
    if (total == 0) return;
    check_cuda(cudaMemsetAsync(grad_input.data, 0, static_cast<size_t>(total) * dtype_size(grad_input.dtype),
                               current_stream()),
               "nll_loss_backward (cudaMemsetAsync)");
    if (N * S == 0) return;
    dispatch_f32_f64(grad_input.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::nll_loss_backward_kernel<T>, grid_1d(ceil_div(N * S, kThreads), op), dim3(kThreads),
                      data_of<T>(grad_input), data_of<const T>(grad_loss), data_of<const int64_t>(target),
                      data_of<const T>(weight), data_of<const T>(total_weight), N, C, S, reduction, ignore_index, r);
    });
}

}  // namespace wick::cuda
