// Backend kernel family: neural-network kernels (softmax, losses, convolution, pooling,
// normalisation, dropout, embedding, upsampling), forward and backward.
// Conventions as in backend.h: plain-data arguments (View, enums, scalars), a wk_status result.
//
// The ops layer (ops/nn_*.cpp) checks every argument, allocates the outputs and hands kernels
// contiguous, row-major views of one floating dtype (f32 or f64; 16-bit floats are computed in f32)
// unless an entry says otherwise (the convolutions take f16 / bf16 too where conv_16bit is set).
// Index tensors (targets, pooling indices, embedding ids) are int64.
// An optional tensor that is absent is a View with data == nullptr.
#pragma once

#include "core/backend.h"

namespace wick {

// Convolution geometry for 2-D kernels (1-D convolutions run with height 1).
struct Conv2dParams {
    int64_t stride[2];    // (h, w)
    int64_t padding[2];   // zeros added on both sides
    int64_t dilation[2];  // spacing between kernel taps
    int64_t groups;       // channels split into this many independent convolutions
};

// Pooling window geometry; the output size is already decided by the ops layer (ceil_mode).
struct Pool2dParams {
    int64_t kernel[2];
    int64_t stride[2];
    int64_t padding[2];   // implicit -inf (max) or zero (avg) border
    int64_t dilation[2];  // max pooling only
};

struct NNKernels {
    // out = softmax(x) or log_softmax(x) along dim (any dim of a contiguous x); numerically stable
    // (the row maximum is subtracted first).
    wk_status (*softmax)(const View& out, const View& x, int32_t dim, bool log);
    // grad_x from grad_out and the forward output y: y * (g - sum(g * y)) for softmax,
    // g - exp(y) * sum(g) for log_softmax (sums along dim).
    wk_status (*softmax_backward)(const View& grad_x, const View& grad_out, const View& y, int32_t dim, bool log);

    // Negative log-likelihood. input (N, C, S) log-probabilities, target (N, S) class ids,
    // weight (C) or absent. loss: (N, S) per element for WK_REDUCTION_NONE, else a 0-d sum or weighted
    // mean; total_weight (0-d): the sum of the weights of the non-ignored targets.
    wk_status (*nll_loss)(const View& loss, const View& total_weight, const View& input, const View& target,
                          const View& weight, int32_t reduction, int64_t ignore_index);
    // grad_input (N, C, S), zero except at the targets; grad_loss is (N, S) for NONE, else 0-d.
    wk_status (*nll_loss_backward)(const View& grad_input, const View& grad_loss, const View& target, const View& weight,
                                   const View& total_weight, int32_t reduction, int64_t ignore_index);

    // out (N, OC, OH, OW) = conv2d(x (N, C, H, W), w (OC, C / groups, KH, KW)) + bias (OC, or absent).
    wk_status (*conv2d)(const View& out, const View& x, const View& w, const View& bias, const Conv2dParams& p);
    // grad_x (N, C, H, W) from grad_out (N, OC, OH, OW) and w; also conv_transpose2d's forward.
    wk_status (*conv2d_backward_input)(const View& grad_x, const View& grad_out, const View& w, const Conv2dParams& p);
    // grad_w (OC, C / groups, KH, KW) from grad_out and x.
    wk_status (*conv2d_backward_weight)(const View& grad_w, const View& grad_out, const View& x, const Conv2dParams& p);
    // grad_bias (OC) = sum of grad_out (N, OC, S) over N and S.
    wk_status (*channel_sum)(const View& grad_bias, const View& grad_out);

    // out, indices (N*C, OH, OW): maximum over each window of x (N*C, H, W) and its flat index h * W + w.
    wk_status (*max_pool2d)(const View& out, const View& indices, const View& x, const Pool2dParams& p);
    // grad_x (N*C, H, W) = scatter-add of grad_out at indices.
    wk_status (*max_pool2d_backward)(const View& grad_x, const View& grad_out, const View& indices);
    // Average over windows of x (N*C, H, W); divisor_override > 0 replaces the window size.
    wk_status (*avg_pool2d)(const View& out, const View& x, const Pool2dParams& p, bool count_include_pad,
                            int64_t divisor_override);
    wk_status (*avg_pool2d_backward)(const View& grad_x, const View& grad_out, const Pool2dParams& p,
                                     bool count_include_pad, int64_t divisor_override);
    // out (N*C, OH, OW): averages over windows [floor(i * H / OH), ceil((i + 1) * H / OH)).
    wk_status (*adaptive_avg_pool2d)(const View& out, const View& x);
    wk_status (*adaptive_avg_pool2d_backward)(const View& grad_x, const View& grad_out);

    // x (N, C, S). Training: batch statistics into save_mean / save_invstd (C), running stats (C, may
    // be absent) updated with momentum (unbiased variance). Eval: normalises with the running stats.
    wk_status (*batch_norm)(const View& out, const View& save_mean, const View& save_invstd, const View& running_mean,
                            const View& running_var, const View& x, const View& weight, const View& bias, bool training,
                            double momentum, double eps);
    // grad_x (absent: not wanted), grad_weight and grad_bias (C, absent: not wanted) from grad_out, x and
    // the mean / invstd used in the forward (batch statistics when training, else the running ones).
    wk_status (*batch_norm_backward)(const View& grad_x, const View& grad_weight, const View& grad_bias,
                                     const View& grad_out, const View& x, const View& weight, const View& mean,
                                     const View& invstd, bool training);

    // x (M, N) normalised over N: out, mean (M), rstd (M); weight, bias (N) or absent.
    wk_status (*layer_norm)(const View& out, const View& mean, const View& rstd, const View& x, const View& weight,
                            const View& bias, double eps);
    wk_status (*layer_norm_backward)(const View& grad_x, const View& grad_weight, const View& grad_bias,
                                     const View& grad_out, const View& x, const View& mean, const View& rstd,
                                     const View& weight);

    // x (N, C, S) with C split into `groups`: out, mean and rstd (N, groups); weight, bias (C) or absent.
    wk_status (*group_norm)(const View& out, const View& mean, const View& rstd, const View& x, const View& weight,
                            const View& bias, int64_t groups, double eps);
    wk_status (*group_norm_backward)(const View& grad_x, const View& grad_weight, const View& grad_bias,
                                     const View& grad_out, const View& x, const View& mean, const View& rstd,
                                     const View& weight, int64_t groups);

    // mask (bool, x's shape): element i kept when its Philox uniform (seed, offset, i) is below 1 - p,
    // the same draw as a Bernoulli(1 - p) fill; out = x * mask / (1 - p).
    wk_status (*dropout)(const View& out, const View& mask, const View& x, double p, uint64_t seed, uint64_t offset);

    // out (n, D) = weight (V, D) rows at indices (n), checked to lie in [0, V).
    wk_status (*embedding)(const View& out, const View& weight, const View& indices);
    // grad_weight (V, D) = scatter-add of grad_out (n, D) rows at indices, skipping padding_idx (< 0: none).
    wk_status (*embedding_backward)(const View& grad_weight, const View& grad_out, const View& indices,
                                    int64_t padding_idx);

    // (N*C, H, W) -> (N*C, OH, OW). scale_h / scale_w > 0: the user's scale factors (PyTorch uses
    // 1 / scale for the source coordinate then); 0: derived from the sizes.
    wk_status (*upsample_nearest2d)(const View& out, const View& x, double scale_h, double scale_w);
    wk_status (*upsample_nearest2d_backward)(const View& grad_x, const View& grad_out, double scale_h, double scale_w);
    wk_status (*upsample_bilinear2d)(const View& out, const View& x, bool align_corners, double scale_h, double scale_w);
    wk_status (*upsample_bilinear2d_backward)(const View& grad_x, const View& grad_out, bool align_corners,
                                              double scale_h, double scale_w);

    // True when conv2d, conv2d_backward_input, conv2d_backward_weight and channel_sum also take float16
    // and bfloat16 views (16-bit storage and products, float32 accumulation, each result rounded once);
    // false: the ops layer computes 16-bit convolutions in float32 and rounds the results.
    bool conv_16bit;
};

}  // namespace wick
