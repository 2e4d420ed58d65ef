// The CUDA implementations behind the NNKernels table (core/kernels_nn.h): softmax
// (nn_softmax.cu), the NLL loss (nn_loss.cu), convolution (nn_conv.cu), pooling (nn_pool.cu),
// layer, batch and group norm (nn_norm.cu), dropout and embedding (nn_misc.cu), upsampling
// (nn_upsample.cu). They throw wick::Error; backend_cuda.cpp wraps each with guarded<>.
#pragma once

#include "core/kernels_nn.h"

namespace wick::cuda {

// nn_softmax.cu
void softmax(const View& out, const View& x, int32_t dim, bool log);
void softmax_backward(const View& grad_x, const View& grad_out, const View& y, int32_t dim, bool log);
// nn_loss.cu
void nll_loss(const View& loss, const View& total_weight, const View& input, const View& target, const View& weight,
              int32_t reduction, int64_t ignore_index);
void nll_loss_backward(const View& grad_input, const View& grad_loss, const View& target, const View& weight,
                       const View& total_weight, int32_t reduction, int64_t ignore_index);
// nn_conv.cu
void conv2d(const View& out, const View& x, const View& w, const View& bias, const Conv2dParams& p);
void conv2d_backward_input(const View& grad_x, const View& grad_out, const View& w, const Conv2dParams& p);
void conv2d_backward_weight(const View& grad_w, const View& grad_out, const View& x, const Conv2dParams& p);
void channel_sum(const View& grad_bias, const View& grad_out);
// nn_pool.cu
void max_pool2d(const View& out, const View& indices, const View& x, const Pool2dParams& p);
void max_pool2d_backward(const View& grad_x, const View& grad_out, const View& indices);
void avg_pool2d(const View& out, const View& x, const Pool2dParams& p, bool count_include_pad, int64_t divisor_override);
void avg_pool2d_backward(const View& grad_x, const View& grad_out, const Pool2dParams& p, bool count_include_pad,
                         int64_t divisor_override);
void adaptive_avg_pool2d(const View& out, const View& x);
void adaptive_avg_pool2d_backward(const View& grad_x, const View& grad_out);
// nn_norm.cu
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
// nn_misc.cu
void dropout(const View& out, const View& mask, const View& x, double p, uint64_t seed, uint64_t offset);
void embedding(const View& out, const View& weight, const View& indices);
void embedding_backward(const View& grad_weight, const View& grad_out, const View& indices, int64_t padding_idx);
// nn_upsample.cu
void upsample_nearest2d(const View& out, const View& x, double scale_h, double scale_w);
void upsample_nearest2d_backward(const View& grad_x, const View& grad_out, double scale_h, double scale_w);
void upsample_bilinear2d(const View& out, const View& x, bool align_corners, double scale_h, double scale_w);
void upsample_bilinear2d_backward(const View& grad_x, const View& grad_out, bool align_corners, double scale_h,
                                  double scale_w);

}  // namespace wick::cuda
