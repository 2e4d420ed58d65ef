// The CPU implementations behind the NNKernels table (cpu/table_nn.cpp); they may throw
// wick::Error, the table wraps each in Guarded. Shapes and conventions: core/kernels_nn.h.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "core/kernels_nn.h"

namespace wick::cpu::nn {

void softmax(const View& out, const View& x, int32_t dim, bool log);
void softmax_backward(const View& grad_x, const View& grad_out, const View& y, int32_t dim, bool log);
void nll_loss(const View& loss, const View& total_weight, const View& input, const View& target, const View& weight,
              int32_t reduction, int64_t ignore_index);
void nll_loss_backward(const View& grad_input, const View& grad_loss, const View& target, const View& weight,
                       const View& total_weight, int32_t reduction, int64_t ignore_index);
void conv2d(const View& out, const View& x, const View& w, const View& bias, const Conv2dParams& p);
void conv2d_backward_input(const View& grad_x, const View& grad_out, const View& w, const Conv2dParams& p);
void conv2d_backward_weight(const View& grad_w, const View& grad_out, const View& x, const Conv2dParams& p);
void channel_sum(const View& grad_bias, const View& grad_out);
void max_pool2d(const View& out, const View& indices, const View& x, const Pool2dParams& p);
void max_pool2d_backward(const View& grad_x, const View& grad_out, const View& indices);
void avg_pool2d(const View& out, const View& x, const Pool2dParams& p, bool count_include_pad, int64_t divisor_override);
void avg_pool2d_backward(const View& grad_x, const View& grad_out, const Pool2dParams& p, bool count_include_pad,
                         int64_t divisor_override);
void adaptive_avg_pool2d(const View& out, const View& x);
void adaptive_avg_pool2d_backward(const View& grad_x, const View& grad_out);
void batch_norm(const View& out, const View& save_mean, const View& save_invstd, const View& running_mean,
                const View& running_var, const View& x, const View& weight, const View& bias, bool training, double momentum,
                double eps);
void batch_norm_backward(const View& grad_x, const View& grad_weight, const View& grad_bias, const View& grad_out,
                         const View& x, const View& weight, const View& mean, const View& invstd, bool training);
void layer_norm(const View& out, const View& mean, const View& rstd, const View& x, const View& weight, const View& bias,
                double eps);
void layer_norm_backward(const View& grad_x, const View& grad_weight, const View& grad_bias, const View& grad_out,
                         const View& x, const View& mean, const View& rstd, const View& weight);
void group_norm(const View& out, const View& mean, const View& rstd, const View& x, const View& weight, const View& bias,
                int64_t groups, double eps);
void group_norm_backward(const View& grad_x, const View& grad_weight, const View& grad_bias, const View& grad_out,
                         const View& x, const View& mean, const View& rstd, const View& weight, int64_t groups);
void dropout(const View& out, const View& mask, const View& x, double p, uint64_t seed, uint64_t offset);
void embedding(const View& out, const View& weight, const View& indices);
void embedding_backward(const View& grad_weight, const View& grad_out, const View& indices, int64_t padding_idx);
void upsample_nearest2d(const View& out, const View& x, double scale_h, double scale_w);
void upsample_nearest2d_backward(const View& grad_x, const View& grad_out, double scale_h, double scale_w);
void upsample_bilinear2d(const View& out, const View& x, bool align_corners, double scale_h, double scale_w);
void upsample_bilinear2d_backward(const View& grad_x, const View& grad_out, bool align_corners, double scale_h,
                                  double scale_w);

// Calls fn(T{}) with T = float or double for a view's dtype (the ops layer never sends others).
template <class F>
void dispatch_float(DType t, const char* op, F&& fn) {
    switch (t) {
        case DType::F32: fn(float{}); return;
        case DType::F64: fn(double{}); return;
        default: fail(WK_ERR_DTYPE, op, ": the CPU kernel computes in float32 or float64, got ", dtype_name(t));
    }
}

template <class T>
inline T* ptr(const View& v) {
    return reinterpret_cast<T*>(v.data);
}

// Product of sizes[from, to).
inline int64_t span(const View& v, int from, int to) {
    int64_t n = 1;
    for (int i = from; i < to; ++i) n *= v.sizes[i];
    return n;
}

// Work per item times items below this stays on the calling thread.
constexpr int64_t kSerialWork = 32768;

// A grain for parallel_for so that each chunk does at least kSerialWork element-steps.
inline int64_t grain_for(int64_t work_per_item) {
    return std::max<int64_t>(1, kSerialWork / std::max<int64_t>(work_per_item, 1));
}

}  // namespace wick::cpu::nn
