// max_pool2d (with indices), avg_pool2d and adaptive_avg_pool2d over (N, C, H, W) or (C, H, W), and
// their backward ops (which take the forward input's shape, not its data).
#include "ops/nn_common.h"
#include "ops/views.h"

namespace wick {

using namespace nnops;

namespace {

// PyTorch's pooling_output_shape (span >= 0, checked by the caller): with ceil_mode the last window
// must still start inside the input or its left padding.
int64_t pool_out(int64_t in, int64_t k, int64_t pad, int64_t s, int64_t d, bool ceil_mode) {
    const int64_t span = in + 2 * pad - d * (k - 1) - 1;
    int64_t out = (span + (ceil_mode ? s - 1 : 0)) / s + 1;
    if (ceil_mode && (out - 1) * s >= in + pad) --out;
    return out;
}

void check_pool(const Pool2dParams& p, const char* op, bool dilation) {
    for (int i = 0; i < 2; ++i) {
        check(p.kernel[i] >= 1, WK_ERR_INVALID_ARGUMENT, op, ": kernel size must be at least 1, got ", p.kernel[i]);
        check(p.stride[i] >= 1, WK_ERR_INVALID_ARGUMENT, op, ": stride must be at least 1, got ", p.stride[i]);
        check(p.dilation[i] >= 1 && (dilation || p.dilation[i] == 1), WK_ERR_INVALID_ARGUMENT, op,
              ": dilation must be at least 1, got ", p.dilation[i]);
        check(p.padding[i] >= 0 && p.padding[i] * 2 <= p.kernel[i], WK_ERR_INVALID_ARGUMENT, op, ": padding (", p.padding[i],
              ") must be non-negative and at most half the kernel size (", p.kernel[i], ")");
    }
}

// The 4-D form of a 3-D or 4-D input shape.
Shape as_4d(const Shape& s, const char* op) {
    if (s.ndim == 3) return Shape{1, s[0], s[1], s[2]};
    if (s.ndim == 4) return s;
    fail(WK_ERR_SHAPE, op, ": expected input (N, C, H, W) or (C, H, W), got shape ", s);
}

// The pooled shape of input shape s (3-D or 4-D), keeping its rank.
Shape pooled_shape(const Shape& s, const Pool2dParams& p, bool ceil_mode, const char* op) {
    const Shape s4 = as_4d(s, op);
    Shape out = s;
    for (int i = 0; i < 2; ++i) {
        const int64_t in = s4[2 + i];
        if (in + 2 * p.padding[i] < p.dilation[i] * (p.kernel[i] - 1) + 1)
            fail(WK_ERR_SHAPE, op, ": the input ", s, " is too small for the ", p.kernel[0], "x", p.kernel[1],
                 " window (with padding ", p.padding[i], " and dilation ", p.dilation[i], ") along ", i == 0 ? "height" : "width");
        out[s.ndim - 2 + i] = pool_out(in, p.kernel[i], p.padding[i], p.stride[i], p.dilation[i], ceil_mode);
    }
    return out;
}

// A (N*C, H, W) kernel view of a contiguous tensor whose shape is 3-D or 4-D.
View planes(const Tensor& t) {
    const Shape& s = t.sizes();
    const int nd = s.ndim;
    return folded(t, {s.numel() == 0 ? 0 : s.numel() / (s[nd - 2] * s[nd - 1]), s[nd - 2], s[nd - 1]});
}

void check_grad_shape(const Tensor& grad_out, const Shape& expect, const char* op) {
    if (grad_out.sizes() != expect)
        fail(WK_ERR_SHAPE, op, ": grad_output has shape ", grad_out.sizes(), " but the pooled output has shape ", expect);
}

}  // namespace

Tensors2 max_pool2d(const TensorRef& x, const Pool2dParams& p, bool ceil_mode) {
    const char* op = "max_pool2d";
    check_pool(p, op, true);
    const DType compute = float_compute(*x, op);
    const Shape out_shape = pooled_shape(x->sizes(), p, ceil_mode, op);
    TensorRef xc = prepared(x, compute);
    TensorRef out = Tensor::empty(out_shape, compute, x->device());
    TensorRef idx = Tensor::empty(out_shape, DType::I64, x->device());
    const Backend& be = backend_for(x->device());
    if (out->numel() > 0) launch(be, be.nn->max_pool2d, op, planes(*out), planes(*idx), planes(*xc), p);
    return {to_user(out, x->dtype()), idx};
}

TensorRef max_pool2d_backward(const TensorRef& grad_out, const TensorRef& indices, const Shape& input_shape) {
    const char* op = "max_pool2d_backward";
    as_4d(input_shape, op);
    const DType compute = float_compute(*grad_out, op);
    check_same_device(*grad_out, *indices, op);
    check(indices->dtype() == DType::I64, WK_ERR_DTYPE, op, ": indices must be the int64 tensor MaxPool2d returned, got ",
          dtype_name(indices->dtype()));
    check(grad_out->sizes() == indices->sizes() && grad_out->ndim() == input_shape.ndim, WK_ERR_SHAPE, op, ": grad_output ",
          grad_out->sizes(), " and indices ", indices->sizes(), " must have one shape, of the rank of the input ", input_shape);
    for (int i = 0; i < input_shape.ndim - 2; ++i)
        check(grad_out->size(i) == input_shape[i], WK_ERR_SHAPE, op, ": grad_output ", grad_out->sizes(),
              " does not match the input shape ", input_shape, " in its leading dimensions");
    TensorRef g = prepared(grad_out, compute), ic = contiguous(indices);
    TensorRef gx = Tensor::empty(input_shape, compute, grad_out->device());
    const Backend& be = backend_for(grad_out->device());
    if (gx->numel() > 0) launch(be, be.nn->max_pool2d_backward, op, planes(*gx), planes(*g), planes(*ic));
    return to_user(gx, grad_out->dtype());
}

TensorRef avg_pool2d(const TensorRef& x, const Pool2dParams& p, bool ceil_mode, bool count_include_pad,
                     int64_t divisor_override) {
    const char* op = "avg_pool2d";
    check_pool(p, op, false);
    check(divisor_override >= 0, WK_ERR_INVALID_ARGUMENT, op, ": divisor_override must be positive (0: none), got ",
          divisor_override);
    const DType compute = float_compute(*x, op);
    const Shape out_shape = pooled_shape(x->sizes(), p, ceil_mode, op);
    TensorRef xc = prepared(x, compute);
    TensorRef out = Tensor::empty(out_shape, compute, x->device());
    const Backend& be = backend_for(x->device());
    if (out->numel() > 0) launch(be, be.nn->avg_pool2d, op, planes(*out), planes(*xc), p, count_include_pad, divisor_override);
    return to_user(out, x->dtype());
}

TensorRef avg_pool2d_backward(const TensorRef& grad_out, const Shape& input_shape, const Pool2dParams& p, bool ceil_mode,
                              bool count_include_pad, int64_t divisor_override) {
    const char* op = "avg_pool2d_backward";
    check_pool(p, op, false);
    const DType compute = float_compute(*grad_out, op);
    check_grad_shape(*grad_out, pooled_shape(input_shape, p, ceil_mode, op), op);
    TensorRef g = prepared(grad_out, compute);
    TensorRef gx = Tensor::empty(input_shape, compute, grad_out->device());
    const Backend& be = backend_for(grad_out->device());
    if (gx->numel() > 0)
        launch(be, be.nn->avg_pool2d_backward, op, planes(*gx), planes(*g), p, count_include_pad, divisor_override);
    return to_user(gx, grad_out->dtype());
}

TensorRef adaptive_avg_pool2d(const TensorRef& x, int64_t oh, int64_t ow) {
    const char* op = "adaptive_avg_pool2d";
    const Shape s4 = as_4d(x->sizes(), op);
    check(oh >= 1 && ow >= 1, WK_ERR_INVALID_ARGUMENT, op, ": output size must be positive, got ", oh, "x", ow);
    check(s4[2] >= 1 && s4[3] >= 1, WK_ERR_SHAPE, op, ": the input ", x->sizes(), " has an empty spatial dimension");
    const DType compute = float_compute(*x, op);
    Shape out_shape = x->sizes();
    out_shape[out_shape.ndim - 2] = oh, out_shape[out_shape.ndim - 1] = ow;
    TensorRef xc = prepared(x, compute);
    TensorRef out = Tensor::empty(out_shape, compute, x->device());
    const Backend& be = backend_for(x->device());
    if (out->numel() > 0) launch(be, be.nn->adaptive_avg_pool2d, op, planes(*out), planes(*xc));
    return to_user(out, x->dtype());
}

TensorRef adaptive_avg_pool2d_backward(const TensorRef& grad_out, const Shape& input_shape) {
    const char* op = "adaptive_avg_pool2d_backward";
    as_4d(input_shape, op);
    const DType compute = float_compute(*grad_out, op);
    check(grad_out->ndim() == input_shape.ndim, WK_ERR_SHAPE, op, ": grad_output ", grad_out->sizes(),
          " must have the rank of the input ", input_shape);
    for (int i = 0; i < input_shape.ndim - 2; ++i)
        check(grad_out->size(i) == input_shape[i], WK_ERR_SHAPE, op, ": grad_output ", grad_out->sizes(),
              " does not match the input shape ", input_shape, " in its leading dimensions");
    TensorRef g = prepared(grad_out, compute);
    TensorRef gx = Tensor::empty(input_shape, compute, grad_out->device());
    const Backend& be = backend_for(grad_out->device());
    if (gx->numel() > 0) launch(be, be.nn->adaptive_avg_pool2d_backward, op, planes(*gx), planes(*g));
    return to_user(gx, grad_out->dtype());
}

}  // namespace wick
