// Neural-network ops (ops/nn.h) across the C ABI.
#include "api/guard.h"
#include "core/generator.h"
#include "ops/nn.h"

using namespace wick;
using namespace wick::api;

namespace {

// An optional tensor argument as a reference (empty when NULL); the pointer form the ops take.
struct Opt {
    TensorRef ref;
    const TensorRef* ptr() const { return ref ? &ref : nullptr; }
};

Opt optional(wk_tensor h, const char* what) {
    Opt o;
    if (h != nullptr) o.ref = unwrap_ref(h, what);
    return o;
}

// Optional outputs: a NULL pointer means the caller does not want it; an absent result is NULL.
void give_optional(wk_tensor* out, TensorRef t) {
    if (out == nullptr) return;
    *out = t ? reinterpret_cast<wk_tensor>(t.detach()) : nullptr;
}

void give3(const Tensors3& r, wk_tensor* a, wk_tensor* b, wk_tensor* c) {
    give_optional(a, r.a);
    give_optional(b, r.b);
    give_optional(c, r.c);
}

Conv2dParams conv_params(int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw, int64_t groups) {
    return Conv2dParams{{sh, sw}, {ph, pw}, {dh, dw}, groups};
}

Pool2dParams pool_params(int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw) {
    return Pool2dParams{{kh, kw}, {sh, sw}, {ph, pw}, {dh, dw}};
}

Shape shape_arg(const int64_t* sizes, int32_t ndim, const char* what) {
    if (ndim > 0 && sizes == nullptr) fail(WK_ERR_INVALID_ARGUMENT, what, ": null shape pointer");
    return Shape::from(sizes, ndim, what);
}

Generator& generator_or_default(wk_generator g) {
    return g == nullptr ? Generator::default_generator() : *reinterpret_cast<Generator*>(g);
}

}  // namespace

extern "C" {

WK_API wk_status wk_op_softmax(wk_tensor x, int64_t dim, int32_t log, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "softmax");
        give(&r, softmax(unwrap_ref(x, "softmax"), dim, log != 0, unwrap_optional(out, "out")));
    });
}

WK_API wk_status wk_op_softmax_backward(wk_tensor grad_output, wk_tensor output, int64_t dim, int32_t log,
                                        wk_tensor* grad_input) {
    return guard([&] {
        auto& r = out_param(grad_input, "softmax_backward");
        give(&r, softmax_backward(unwrap_ref(grad_output, "softmax_backward"), unwrap_ref(output, "softmax_backward"), dim,
                                  log != 0));
    });
}

WK_API wk_status wk_op_nll_loss(wk_tensor input, wk_tensor target, wk_tensor weight, wk_reduction reduction,
                                int64_t ignore_index, wk_tensor* loss, wk_tensor* total_weight) {
    return guard([&] {
        auto& l = out_param(loss, "nll_loss");
        Opt w = optional(weight, "nll_loss");
        Tensors2 r = nll_loss(unwrap_ref(input, "nll_loss"), unwrap_ref(target, "nll_loss"), w.ptr(), reduction, ignore_index);
        give(&l, r.a);
        give_optional(total_weight, r.b);
    });
}

WK_API wk_status wk_op_nll_loss_backward(wk_tensor grad_loss, wk_tensor input, wk_tensor target, wk_tensor weight,
                                         wk_reduction reduction, int64_t ignore_index, wk_tensor total_weight,
                                         wk_tensor* grad_input) {
    return guard([&] {
        const char* op = "nll_loss_backward";
        auto& r = out_param(grad_input, op);
        Opt w = optional(weight, op);
        give(&r, nll_loss_backward(unwrap_ref(grad_loss, op), unwrap_ref(input, op), unwrap_ref(target, op), w.ptr(), reduction,
                                   ignore_index, unwrap_ref(total_weight, op)));
    });
}

WK_API wk_status wk_op_conv2d(wk_tensor x, wk_tensor weight, wk_tensor bias, int64_t stride_h, int64_t stride_w, int64_t pad_h,
                              int64_t pad_w, int64_t dilation_h, int64_t dilation_w, int64_t groups, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "conv2d");
        Opt b = optional(bias, "conv2d");
        give(&r, conv2d(unwrap_ref(x, "conv2d"), unwrap_ref(weight, "conv2d"), b.ptr(),
                        conv_params(stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups)));
    });
}

WK_API wk_status wk_op_conv2d_backward(wk_tensor grad_output, wk_tensor x, wk_tensor weight, int64_t stride_h, int64_t stride_w,
                                       int64_t pad_h, int64_t pad_w, int64_t dilation_h, int64_t dilation_w, int64_t groups,
                                       int32_t grad_mask, wk_tensor* grad_input, wk_tensor* grad_weight,
                                       wk_tensor* grad_bias) {
    return guard([&] {
        const char* op = "conv2d_backward";
        give3(conv2d_backward(unwrap_ref(grad_output, op), unwrap_ref(x, op), unwrap_ref(weight, op),
                              conv_params(stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups), grad_mask),
              grad_input, grad_weight, grad_bias);
    });
}

WK_API wk_status wk_op_conv1d(wk_tensor x, wk_tensor weight, wk_tensor bias, int64_t stride, int64_t padding, int64_t dilation,
                              int64_t groups, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "conv1d");
        Opt b = optional(bias, "conv1d");
        give(&r, conv1d(unwrap_ref(x, "conv1d"), unwrap_ref(weight, "conv1d"), b.ptr(),
                        conv_params(1, stride, 0, padding, 1, dilation, groups)));
    });
}

WK_API wk_status wk_op_conv1d_backward(wk_tensor grad_output, wk_tensor x, wk_tensor weight, int64_t stride, int64_t padding,
                                       int64_t dilation, int64_t groups, int32_t grad_mask, wk_tensor* grad_input,
                                       wk_tensor* grad_weight, wk_tensor* grad_bias) {
    return guard([&] {
        const char* op = "conv1d_backward";
        give3(conv1d_backward(unwrap_ref(grad_output, op), unwrap_ref(x, op), unwrap_ref(weight, op),
                              conv_params(1, stride, 0, padding, 1, dilation, groups), grad_mask),
              grad_input, grad_weight, grad_bias);
    });
}

WK_API wk_status wk_op_conv_transpose2d(wk_tensor x, wk_tensor weight, wk_tensor bias, int64_t stride_h, int64_t stride_w,
                                        int64_t pad_h, int64_t pad_w, int64_t output_pad_h, int64_t output_pad_w,
                                        int64_t dilation_h, int64_t dilation_w, int64_t groups, wk_tensor* result) {
    return guard([&] {
        const char* op = "conv_transpose2d";
        auto& r = out_param(result, op);
        Opt b = optional(bias, op);
        const int64_t output_padding[2] = {output_pad_h, output_pad_w};
        give(&r, conv_transpose2d(unwrap_ref(x, op), unwrap_ref(weight, op), b.ptr(),
                                  conv_params(stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups), output_padding));
    });
}

WK_API wk_status wk_op_conv_transpose2d_backward(wk_tensor grad_output, wk_tensor x, wk_tensor weight, int64_t stride_h,
                                                 int64_t stride_w, int64_t pad_h, int64_t pad_w, int64_t dilation_h,
                                                 int64_t dilation_w, int64_t groups, int32_t grad_mask, wk_tensor* grad_input,
                                                 wk_tensor* grad_weight, wk_tensor* grad_bias) {
    return guard([&] {
        const char* op = "conv_transpose2d_backward";
        give3(conv_transpose2d_backward(unwrap_ref(grad_output, op), unwrap_ref(x, op), unwrap_ref(weight, op),
                                        conv_params(stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w, groups), grad_mask),
              grad_input, grad_weight, grad_bias);
    });
}

WK_API wk_status wk_op_max_pool2d(wk_tensor x, int64_t kernel_h, int64_t kernel_w, int64_t stride_h, int64_t stride_w,
                                  int64_t pad_h, int64_t pad_w, int64_t dilation_h, int64_t dilation_w, int32_t ceil_mode,
                                  wk_tensor* result, wk_tensor* indices) {
    return guard([&] {
        auto& r = out_param(result, "max_pool2d");
        Tensors2 t = max_pool2d(unwrap_ref(x, "max_pool2d"),
                                pool_params(kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w),
                                ceil_mode != 0);
        give(&r, t.a);
        give_optional(indices, t.b);
    });
}

WK_API wk_status wk_op_max_pool2d_backward(wk_tensor grad_output, wk_tensor indices, const int64_t* input_shape,
                                           int32_t input_ndim, wk_tensor* grad_input) {
    return guard([&] {
        const char* op = "max_pool2d_backward";
        auto& r = out_param(grad_input, op);
        give(&r, max_pool2d_backward(unwrap_ref(grad_output, op), unwrap_ref(indices, op), shape_arg(input_shape, input_ndim, op)));
    });
}

WK_API wk_status wk_op_avg_pool2d(wk_tensor x, int64_t kernel_h, int64_t kernel_w, int64_t stride_h, int64_t stride_w,
                                  int64_t pad_h, int64_t pad_w, int32_t ceil_mode, int32_t count_include_pad,
                                  int64_t divisor_override, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "avg_pool2d");
        give(&r, avg_pool2d(unwrap_ref(x, "avg_pool2d"), pool_params(kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, 1, 1),
                            ceil_mode != 0, count_include_pad != 0, divisor_override));
    });
}

WK_API wk_status wk_op_avg_pool2d_backward(wk_tensor grad_output, const int64_t* input_shape, int32_t input_ndim,
                                           int64_t kernel_h, int64_t kernel_w, int64_t stride_h, int64_t stride_w, int64_t pad_h,
                                           int64_t pad_w, int32_t ceil_mode, int32_t count_include_pad,
                                           int64_t divisor_override, wk_tensor* grad_input) {
    return guard([&] {
        const char* op = "avg_pool2d_backward";
        auto& r = out_param(grad_input, op);
        give(&r, avg_pool2d_backward(unwrap_ref(grad_output, op), shape_arg(input_shape, input_ndim, op),
                                     pool_params(kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, 1, 1), ceil_mode != 0,
                                     count_include_pad != 0, divisor_override));
    });
}

WK_API wk_status wk_op_adaptive_avg_pool2d(wk_tensor x, int64_t output_h, int64_t output_w, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "adaptive_avg_pool2d");
        give(&r, adaptive_avg_pool2d(unwrap_ref(x, "adaptive_avg_pool2d"), output_h, output_w));
    });
}

WK_API wk_status wk_op_adaptive_avg_pool2d_backward(wk_tensor grad_output, const int64_t* input_shape, int32_t input_ndim,
                                                    wk_tensor* grad_input) {
    return guard([&] {
        const char* op = "adaptive_avg_pool2d_backward";
        auto& r = out_param(grad_input, op);
        give(&r, adaptive_avg_pool2d_backward(unwrap_ref(grad_output, op), shape_arg(input_shape, input_ndim, op)));
    });
}

WK_API wk_status wk_op_batch_norm(wk_tensor x, wk_tensor weight, wk_tensor bias, wk_tensor running_mean, wk_tensor running_var,
                                  int32_t training, double momentum, double eps, wk_tensor* result, wk_tensor* save_mean,
                                  wk_tensor* save_invstd) {
    return guard([&] {
        const char* op = "batch_norm";
        auto& r = out_param(result, op);
        Opt w = optional(weight, op), b = optional(bias, op), rm = optional(running_mean, op), rv = optional(running_var, op);
        Tensors3 t = batch_norm(unwrap_ref(x, op), w.ptr(), b.ptr(), rm.ptr(), rv.ptr(), training != 0, momentum, eps);
        give(&r, t.a);
        give_optional(save_mean, t.b);
        give_optional(save_invstd, t.c);
    });
}

WK_API wk_status wk_op_batch_norm_backward(wk_tensor grad_output, wk_tensor x, wk_tensor weight, wk_tensor save_mean,
                                           wk_tensor save_invstd, int32_t training, int32_t grad_mask, wk_tensor* grad_input,
                                           wk_tensor* grad_weight, wk_tensor* grad_bias) {
    return guard([&] {
        const char* op = "batch_norm_backward";
        Opt w = optional(weight, op);
        give3(batch_norm_backward(unwrap_ref(grad_output, op), unwrap_ref(x, op), w.ptr(), unwrap_ref(save_mean, op),
                                  unwrap_ref(save_invstd, op), training != 0, grad_mask),
              grad_input, grad_weight, grad_bias);
    });
}

WK_API wk_status wk_op_layer_norm(wk_tensor x, const int64_t* normalized_shape, int32_t normalized_ndim, wk_tensor weight,
                                  wk_tensor bias, double eps, wk_tensor* result, wk_tensor* mean, wk_tensor* rstd) {
    return guard([&] {
        const char* op = "layer_norm";
        auto& r = out_param(result, op);
        Opt w = optional(weight, op), b = optional(bias, op);
        Tensors3 t = layer_norm(unwrap_ref(x, op), shape_arg(normalized_shape, normalized_ndim, op), w.ptr(), b.ptr(), eps);
        give(&r, t.a);
        give_optional(mean, t.b);
        give_optional(rstd, t.c);
    });
}

WK_API wk_status wk_op_layer_norm_backward(wk_tensor grad_output, wk_tensor x, const int64_t* normalized_shape,
                                           int32_t normalized_ndim, wk_tensor mean, wk_tensor rstd, wk_tensor weight,
                                           int32_t grad_mask, wk_tensor* grad_input, wk_tensor* grad_weight,
                                           wk_tensor* grad_bias) {
    return guard([&] {
        const char* op = "layer_norm_backward";
        Opt w = optional(weight, op);
        give3(layer_norm_backward(unwrap_ref(grad_output, op), unwrap_ref(x, op), shape_arg(normalized_shape, normalized_ndim, op),
                                  unwrap_ref(mean, op), unwrap_ref(rstd, op), w.ptr(), grad_mask),
              grad_input, grad_weight, grad_bias);
    });
}

WK_API wk_status wk_op_group_norm(wk_tensor x, int64_t groups, wk_tensor weight, wk_tensor bias, double eps, wk_tensor* result,
                                  wk_tensor* mean, wk_tensor* rstd) {
    return guard([&] {
        const char* op = "group_norm";
        auto& r = out_param(result, op);
        Opt w = optional(weight, op), b = optional(bias, op);
        Tensors3 t = group_norm(unwrap_ref(x, op), groups, w.ptr(), b.ptr(), eps);
        give(&r, t.a);
        give_optional(mean, t.b);
        give_optional(rstd, t.c);
    });
}

WK_API wk_status wk_op_group_norm_backward(wk_tensor grad_output, wk_tensor x, wk_tensor mean, wk_tensor rstd, wk_tensor weight,
                                           int64_t groups, int32_t grad_mask, wk_tensor* grad_input, wk_tensor* grad_weight,
                                           wk_tensor* grad_bias) {
    return guard([&] {
        const char* op = "group_norm_backward";
        Opt w = optional(weight, op);
        give3(group_norm_backward(unwrap_ref(grad_output, op), unwrap_ref(x, op), unwrap_ref(mean, op), unwrap_ref(rstd, op),
                                  w.ptr(), groups, grad_mask),
              grad_input, grad_weight, grad_bias);
    });
}

WK_API wk_status wk_op_dropout(wk_tensor x, double p, int32_t training, wk_generator g, wk_tensor* result, wk_tensor* mask) {
    return guard([&] {
        auto& r = out_param(result, "dropout");
        Tensors2 t = dropout(unwrap_ref(x, "dropout"), p, training != 0, generator_or_default(g));
        give(&r, t.a);
        give_optional(mask, t.b);
    });
}

WK_API wk_status wk_op_embedding(wk_tensor weight, wk_tensor indices, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "embedding");
        give(&r, embedding(unwrap_ref(weight, "embedding"), unwrap_ref(indices, "embedding")));
    });
}

WK_API wk_status wk_op_embedding_backward(wk_tensor grad_output, wk_tensor indices, int64_t num_weights, int32_t has_padding_idx,
                                          int64_t padding_idx, wk_tensor* grad_weight) {
    return guard([&] {
        const char* op = "embedding_backward";
        auto& r = out_param(grad_weight, op);
        give(&r, embedding_backward(unwrap_ref(grad_output, op), unwrap_ref(indices, op), num_weights, has_padding_idx != 0,
                                    padding_idx));
    });
}

WK_API wk_status wk_op_upsample_nearest2d(wk_tensor x, int64_t output_h, int64_t output_w, double scale_h, double scale_w,
                                          wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "upsample_nearest2d");
        give(&r, upsample2d(unwrap_ref(x, "upsample_nearest2d"), output_h, output_w, false, false, scale_h, scale_w));
    });
}

WK_API wk_status wk_op_upsample_nearest2d_backward(wk_tensor grad_output, const int64_t* input_shape, int32_t input_ndim,
                                                   double scale_h, double scale_w, wk_tensor* grad_input) {
    return guard([&] {
        const char* op = "upsample_nearest2d_backward";
        auto& r = out_param(grad_input, op);
        give(&r, upsample2d_backward(unwrap_ref(grad_output, op), shape_arg(input_shape, input_ndim, op), false, false, scale_h,
                                     scale_w));
    });
}

WK_API wk_status wk_op_upsample_bilinear2d(wk_tensor x, int64_t output_h, int64_t output_w, int32_t align_corners, double scale_h,
                                           double scale_w, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "upsample_bilinear2d");
        give(&r, upsample2d(unwrap_ref(x, "upsample_bilinear2d"), output_h, output_w, true, align_corners != 0, scale_h, scale_w));
    });
}

WK_API wk_status wk_op_upsample_bilinear2d_backward(wk_tensor grad_output, const int64_t* input_shape, int32_t input_ndim,
                                                    int32_t align_corners, double scale_h, double scale_w,
                                                    wk_tensor* grad_input) {
    return guard([&] {
        const char* op = "upsample_bilinear2d_backward";
        auto& r = out_param(grad_input, op);
        give(&r, upsample2d_backward(unwrap_ref(grad_output, op), shape_arg(input_shape, input_ndim, op), true, align_corners != 0,
                                     scale_h, scale_w));
    });
}

}  // extern "C"
