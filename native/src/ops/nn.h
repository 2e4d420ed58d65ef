// Neural-network ops: argument checks (messages name the op, the shapes and the fix), output shapes,
// allocation, and the call into the backend's NNKernels. Tensors may have any layout and any
// floating dtype; float16 / bfloat16 compute in float32 on the CPU and are converted back.
#pragma once

#include "core/generator.h"
#include "core/kernels_nn.h"
#include "core/tensor.h"

namespace wick {

// Results of ops with several outputs (absent ones are null).
struct Tensors2 {
    TensorRef a, b;
};
struct Tensors3 {
    TensorRef a, b, c;
};

// Which gradients a fused backward computes (bit flags).
enum GradMask : int32_t { kGradInput = 1, kGradWeight = 2, kGradBias = 4 };

TensorRef softmax(const TensorRef& x, int64_t dim, bool log, Tensor* out);
TensorRef softmax_backward(const TensorRef& grad_out, const TensorRef& y, int64_t dim, bool log);

// (loss, total_weight)
Tensors2 nll_loss(const TensorRef& input, const TensorRef& target, const TensorRef* weight, int32_t reduction,
                  int64_t ignore_index);
TensorRef nll_loss_backward(const TensorRef& grad_loss, const TensorRef& input, const TensorRef& target,
                            const TensorRef* weight, int32_t reduction, int64_t ignore_index, const TensorRef& total_weight);

// Convolutions; spatial parameters are (h, w) pairs (conv1d uses the w entries only).
TensorRef conv2d(const TensorRef& x, const TensorRef& w, const TensorRef* bias, const Conv2dParams& p);
Tensors3 conv2d_backward(const TensorRef& grad_out, const TensorRef& x, const TensorRef& w, const Conv2dParams& p,
                         int32_t mask);
TensorRef conv1d(const TensorRef& x, const TensorRef& w, const TensorRef* bias, const Conv2dParams& p);
Tensors3 conv1d_backward(const TensorRef& grad_out, const TensorRef& x, const TensorRef& w, const Conv2dParams& p,
                         int32_t mask);
TensorRef conv_transpose2d(const TensorRef& x, const TensorRef& w, const TensorRef* bias, const Conv2dParams& p,
                           const int64_t output_padding[2]);
Tensors3 conv_transpose2d_backward(const TensorRef& grad_out, const TensorRef& x, const TensorRef& w,
                                   const Conv2dParams& p, int32_t mask);

// Pooling. input_shape: the forward input's shape (3-D or 4-D).
Tensors2 max_pool2d(const TensorRef& x, const Pool2dParams& p, bool ceil_mode);
TensorRef max_pool2d_backward(const TensorRef& grad_out, const TensorRef& indices, const Shape& input_shape);
TensorRef avg_pool2d(const TensorRef& x, const Pool2dParams& p, bool ceil_mode, bool count_include_pad,
                     int64_t divisor_override);
TensorRef avg_pool2d_backward(const TensorRef& grad_out, const Shape& input_shape, const Pool2dParams& p, bool ceil_mode,
                              bool count_include_pad, int64_t divisor_override);
TensorRef adaptive_avg_pool2d(const TensorRef& x, int64_t oh, int64_t ow);
TensorRef adaptive_avg_pool2d_backward(const TensorRef& grad_out, const Shape& input_shape);

// Normalisations: (out, mean, invstd / rstd).
Tensors3 batch_norm(const TensorRef& x, const TensorRef* weight, const TensorRef* bias, const TensorRef* running_mean,
                    const TensorRef* running_var, bool training, double momentum, double eps);
Tensors3 batch_norm_backward(const TensorRef& grad_out, const TensorRef& x, const TensorRef* weight, const TensorRef& mean,
                             const TensorRef& invstd, bool training, int32_t mask);
Tensors3 layer_norm(const TensorRef& x, const Shape& normalized_shape, const TensorRef* weight, const TensorRef* bias,
                    double eps);
Tensors3 layer_norm_backward(const TensorRef& grad_out, const TensorRef& x, const Shape& normalized_shape,
                             const TensorRef& mean, const TensorRef& rstd, const TensorRef* weight, int32_t mask);
Tensors3 group_norm(const TensorRef& x, int64_t groups, const TensorRef* weight, const TensorRef* bias, double eps);
Tensors3 group_norm_backward(const TensorRef& grad_out, const TensorRef& x, const TensorRef& mean, const TensorRef& rstd,
                             const TensorRef* weight, int64_t groups, int32_t mask);

// (out, mask); not training: (x, null).
Tensors2 dropout(const TensorRef& x, double p, bool training, Generator& gen);

TensorRef embedding(const TensorRef& weight, const TensorRef& indices);
TensorRef embedding_backward(const TensorRef& grad_out, const TensorRef& indices, int64_t num_weights, bool has_padding_idx,
                             int64_t padding_idx);

// scale_h / scale_w > 0: the caller's scale factors, used for the source coordinates as PyTorch does.
TensorRef upsample2d(const TensorRef& x, int64_t oh, int64_t ow, bool bilinear, bool align_corners, double scale_h,
                     double scale_w);
TensorRef upsample2d_backward(const TensorRef& grad_out, const Shape& input_shape, bool bilinear, bool align_corners,
                              double scale_h, double scale_w);

}  // namespace wick
