// conv1d / conv2d (stride, padding, dilation, groups), their backward, and conv_transpose2d.
// conv1d runs as conv2d with height 1; conv_transpose2d's forward is conv2d's input gradient.
// float16 / bfloat16 operands stay 16-bit on a backend whose conv kernels take them (CUDA: 16-bit
// GEMMs with float32 accumulation); elsewhere (the CPU) they compute in float32 and round back.
#include "ops/elementwise.h"
#include "ops/nn_common.h"
#include "ops/views.h"

namespace wick {

using namespace nnops;

namespace {

// The dtype x's convolution kernels run in on backend `be` (x's dtype is checked floating).
DType conv_compute(const Tensor& x, const Backend& be, const char* op) {
    const DType d = float_compute(x, op);
    return d != x.dtype() && be.nn->conv_16bit ? x.dtype() : d;
}

void check_params(const Conv2dParams& p, const char* op) {
    for (int i = 0; i < 2; ++i) {
        check(p.stride[i] >= 1, WK_ERR_INVALID_ARGUMENT, op, ": stride must be at least 1, got ", p.stride[i]);
        check(p.padding[i] >= 0, WK_ERR_INVALID_ARGUMENT, op, ": padding must be non-negative, got ", p.padding[i]);
        check(p.dilation[i] >= 1, WK_ERR_INVALID_ARGUMENT, op, ": dilation must be at least 1, got ", p.dilation[i]);
    }
    check(p.groups >= 1, WK_ERR_INVALID_ARGUMENT, op, ": groups must be at least 1, got ", p.groups);
}

// Output spatial size of a convolution along one axis (checked to be positive).
int64_t conv_out(int64_t in, int64_t k, int64_t s, int64_t pad, int64_t d, const char* op, const char* axis) {
    const int64_t eff = d * (k - 1) + 1;
    if (in + 2 * pad < eff)
        fail(WK_ERR_SHAPE, op, ": the kernel (", k, " taps with dilation ", d, ", spanning ", eff, ") is larger than the padded input ",
             axis, " (", in, " + 2 * ", pad, " = ", in + 2 * pad, ")");
    return (in + 2 * pad - eff) / s + 1;
}

// x (N, C, ...) and w (OC, C / groups, ...): the channel counts agree with the groups.
void check_channels(const Tensor& x, const Tensor& w, int64_t groups, const char* op) {
    const int64_t C = x.size(1), OC = w.size(0);
    if (C % groups != 0) fail(WK_ERR_SHAPE, op, ": groups (", groups, ") must divide the ", C, " input channels");
    if (OC % groups != 0)
        fail(WK_ERR_SHAPE, op, ": groups (", groups, ") must divide the ", OC, " output channels of the weight ", w.sizes());
    if (w.size(1) * groups != C)
        fail(WK_ERR_SHAPE, op, ": the weight ", w.sizes(), " expects ", w.size(1) * groups, " input channels (", w.size(1),
             " per group x ", groups, " groups) but the input ", x.sizes(), " has ", C);
}

// x (N, C, H, W) and w (OC, C / groups, KH, KW): the output shape, after every check.
Shape conv_output_shape(const Tensor& x, const Tensor& w, const Conv2dParams& p, const char* op) {
    check_params(p, op);
    check(x.ndim() == 4, WK_ERR_SHAPE, op, ": expected a batched input, got shape ", x.sizes());
    check(w.ndim() == 4, WK_ERR_SHAPE, op, ": expected a weight of rank ", x.ndim(), ", got shape ", w.sizes());
    check_channels(x, w, p.groups, op);
    return Shape{x.size(0), w.size(0), conv_out(x.size(2), w.size(2), p.stride[0], p.padding[0], p.dilation[0], op, "height"),
                 conv_out(x.size(3), w.size(3), p.stride[1], p.padding[1], p.dilation[1], op, "width")};
}

// Adds a leading batch dimension to an unbatched input (PyTorch accepts (C, H, W) for conv2d).
TensorRef batched(const TensorRef& x, int rank) { return x->ndim() == rank - 1 ? unsqueeze(x, 0) : x; }

// Inserts a height-1 dimension at 2 (conv1d as conv2d).
TensorRef with_height(const TensorRef& t) { return t ? unsqueeze(t, 2) : t; }
TensorRef without_height(const TensorRef& t) { return t ? squeeze(t, 2, false) : t; }

Conv2dParams conv1d_params(const Conv2dParams& p) {
    Conv2dParams q = p;
    q.stride[0] = 1, q.padding[0] = 0, q.dilation[0] = 1;
    return q;
}

TensorRef drop_batch(const TensorRef& t, bool was_unbatched) { return was_unbatched ? squeeze(t, 0, false) : t; }

// conv1d's checks on x (N, C, L) and w (OC, C / groups, K) in its own terms (conv2d, which runs it with height 1,
// would name itself and 4-D shapes); returns the output shape (N, OC, OL).
Shape conv1d_output_shape(const Tensor& x, const Tensor& w, const Conv2dParams& p, const char* op) {
    const Conv2dParams q = conv1d_params(p);
    check_params(q, op);
    check_channels(x, w, q.groups, op);
    return Shape{x.size(0), w.size(0), conv_out(x.size(2), w.size(2), q.stride[1], q.padding[1], q.dilation[1], op, "length")};
}

}  // namespace

TensorRef conv2d(const TensorRef& x_in, const TensorRef& w, const TensorRef* bias, const Conv2dParams& p) {
    const char* op = "conv2d";
    check(x_in->ndim() == 3 || x_in->ndim() == 4, WK_ERR_SHAPE, op, ": expected input (N, C, H, W) or (C, H, W), got shape ",
          x_in->sizes());
    const bool unbatched = x_in->ndim() == 3;
    TensorRef x = batched(x_in, 4);
    const Backend& be = backend_for(x->device());
    const DType compute = conv_compute(*x, be, op);
    check_same_float(*x, *w, op, "the weight");
    const Shape out_shape = conv_output_shape(*x, *w, p, op);
    TensorRef b = channel_param(bias, w->size(0), *x, compute, op, "bias");
    if (bias && *bias) check_same_float(*x, **bias, op, "the bias");
    TensorRef xc = prepared(x, compute), wc = prepared(w, compute);
    TensorRef out = Tensor::empty(out_shape, compute, x->device());
    launch(be, be.nn->conv2d, op, view_of(*out), view_of(*xc), view_of(*wc), opt_view(b), p);
    return drop_batch(to_user(out, x->dtype()), unbatched);
}

Tensors3 conv2d_backward(const TensorRef& grad_out_in, const TensorRef& x_in, const TensorRef& w, const Conv2dParams& p,
                         int32_t mask) {
    const char* op = "conv2d_backward";
    check(x_in->ndim() == 3 || x_in->ndim() == 4, WK_ERR_SHAPE, op, ": expected input (N, C, H, W) or (C, H, W), got shape ",
          x_in->sizes());
    const bool unbatched = x_in->ndim() == 3;
    TensorRef x = batched(x_in, 4);
    TensorRef grad_out = unbatched && grad_out_in->ndim() == 3 ? unsqueeze(grad_out_in, 0) : grad_out_in;
    const Backend& be = backend_for(x->device());
    const DType compute = conv_compute(*x, be, op);
    check_same_float(*x, *w, op, "the weight");
    check_same_float(*x, *grad_out, op, "grad_output");
    const Shape out_shape = conv_output_shape(*x, *w, p, op);
    if (grad_out->sizes() != out_shape)
        fail(WK_ERR_SHAPE, op, ": grad_output has shape ", grad_out->sizes(), " but the convolution's output has shape ", out_shape);
    TensorRef g = prepared(grad_out, compute);
    Tensors3 r;
    if (mask & kGradInput) {
        TensorRef wc = prepared(w, compute);
        r.a = Tensor::empty(x->sizes(), compute, x->device());
        launch(be, be.nn->conv2d_backward_input, op, view_of(*r.a), view_of(*g), view_of(*wc), p);
        r.a = drop_batch(to_user(r.a, x->dtype()), unbatched);
    }
    if (mask & kGradWeight) {
        TensorRef xc = prepared(x, compute);
        r.b = Tensor::empty(w->sizes(), compute, x->device());
        launch(be, be.nn->conv2d_backward_weight, op, view_of(*r.b), view_of(*g), view_of(*xc), p);
        r.b = to_user(r.b, w->dtype());
    }
    if (mask & kGradBias) {
        r.c = Tensor::empty(Shape{w->size(0)}, compute, x->device());
        launch(be, be.nn->channel_sum, op, view_of(*r.c), folded(*g, {out_shape[0], out_shape[1], out_shape[2] * out_shape[3]}));
        r.c = to_user(r.c, x->dtype());
    }
    return r;
}

TensorRef conv1d(const TensorRef& x, const TensorRef& w, const TensorRef* bias, const Conv2dParams& p) {
    check(x->ndim() == 2 || x->ndim() == 3, WK_ERR_SHAPE, "conv1d: expected input (N, C, L) or (C, L), got shape ", x->sizes());
    check(w->ndim() == 3, WK_ERR_SHAPE, "conv1d: expected a weight (OC, C / groups, K), got shape ", w->sizes());
    check_same_float(*x, *w, "conv1d", "the weight");  // here, so that the message names conv1d
    if (bias && *bias) check_same_float(*x, **bias, "conv1d", "the bias");
    const bool unbatched = x->ndim() == 2;
    conv1d_output_shape(*batched(x, 3), *w, p, "conv1d");
    TensorRef x4 = with_height(batched(x, 3));
    TensorRef y = conv2d(x4, with_height(w), bias, conv1d_params(p));
    return drop_batch(without_height(y), unbatched);
}

Tensors3 conv1d_backward(const TensorRef& grad_out, const TensorRef& x, const TensorRef& w, const Conv2dParams& p,
                         int32_t mask) {
    check(x->ndim() == 2 || x->ndim() == 3, WK_ERR_SHAPE, "conv1d_backward: expected input (N, C, L) or (C, L), got shape ",
          x->sizes());
    check(w->ndim() == 3, WK_ERR_SHAPE, "conv1d_backward: expected a weight (OC, C / groups, K), got shape ", w->sizes());
    check_same_float(*x, *w, "conv1d_backward", "the weight");
    check_same_float(*x, *grad_out, "conv1d_backward", "grad_output");
    const bool unbatched = x->ndim() == 2;
    TensorRef g = unbatched && grad_out->ndim() == 2 ? unsqueeze(grad_out, 0) : grad_out;
    const Shape out_shape = conv1d_output_shape(*batched(x, 3), *w, p, "conv1d_backward");
    if (g->sizes() != out_shape)
        fail(WK_ERR_SHAPE, "conv1d_backward: grad_output has shape ", grad_out->sizes(), " but the convolution's output has shape ",
             unbatched ? Shape{out_shape[1], out_shape[2]} : out_shape);
    Tensors3 r = conv2d_backward(with_height(g), with_height(batched(x, 3)), with_height(w), conv1d_params(p), mask);
    if (r.a) r.a = drop_batch(without_height(r.a), unbatched);
    if (r.b) r.b = without_height(r.b);
    return r;
}

namespace {

// conv_transpose2d of x (N, Cin, H, W) with w (Cin, Cout / groups, KH, KW) is the input gradient of
// the conv2d that maps (N, Cout, OH, OW) to (N, Cin, H, W) with the same weight.
Shape transpose_output_shape(const Tensor& x, const Tensor& w, const Conv2dParams& p, const int64_t output_padding[2],
                             const char* op) {
    check_params(p, op);
    check(x.ndim() == 4, WK_ERR_SHAPE, op, ": expected input (N, C, H, W) or (C, H, W), got shape ", x.sizes());
    check(w.ndim() == 4, WK_ERR_SHAPE, op, ": expected a weight (Cin, Cout / groups, KH, KW), got shape ", w.sizes());
    const int64_t Cin = x.size(1);
    if (w.size(0) != Cin)
        fail(WK_ERR_SHAPE, op, ": the weight ", w.sizes(), " expects ", w.size(0), " input channels but the input ", x.sizes(),
             " has ", Cin);
    if (Cin % p.groups != 0) fail(WK_ERR_SHAPE, op, ": groups (", p.groups, ") must divide the ", Cin, " input channels");
    Shape s{x.size(0), w.size(1) * p.groups, 0, 0};
    for (int i = 0; i < 2; ++i) {
        const int64_t op_i = output_padding[i];
        if (op_i < 0 || (op_i >= p.stride[i] && op_i >= p.dilation[i]))
            fail(WK_ERR_INVALID_ARGUMENT, op, ": output_padding (", op_i, ") must be non-negative and smaller than either the stride (",
                 p.stride[i], ") or the dilation (", p.dilation[i], ")");
        s[2 + i] = (x.size(2 + i) - 1) * p.stride[i] - 2 * p.padding[i] + p.dilation[i] * (w.size(2 + i) - 1) + op_i + 1;
        if (s[2 + i] <= 0)
            fail(WK_ERR_SHAPE, op, ": the output would have size ", s[2 + i], " along ", i == 0 ? "height" : "width",
                 " for input ", x.sizes(), " and weight ", w.sizes(), "; reduce the padding");
    }
    return s;
}

}  // namespace

TensorRef conv_transpose2d(const TensorRef& x_in, const TensorRef& w, const TensorRef* bias, const Conv2dParams& p,
                           const int64_t output_padding[2]) {
    const char* op = "conv_transpose2d";
    check(x_in->ndim() == 3 || x_in->ndim() == 4, WK_ERR_SHAPE, op, ": expected input (N, C, H, W) or (C, H, W), got shape ",
          x_in->sizes());
    const bool unbatched = x_in->ndim() == 3;
    TensorRef x = batched(x_in, 4);
    const Backend& be = backend_for(x->device());
    const DType compute = conv_compute(*x, be, op);
    check_same_float(*x, *w, op, "the weight");
    const Shape out_shape = transpose_output_shape(*x, *w, p, output_padding, op);
    TensorRef b = channel_param(bias, out_shape[1], *x, compute, op, "bias");
    if (bias && *bias) check_same_float(*x, **bias, op, "the bias");
    TensorRef xc = prepared(x, compute), wc = prepared(w, compute);
    TensorRef out = Tensor::empty(out_shape, compute, x->device());
    launch(be, be.nn->conv2d_backward_input, op, view_of(*out), view_of(*xc), view_of(*wc), p);
    if (b) {
        TensorRef bv = view(b, Shape{1, out_shape[1], 1, 1});
        binary(WK_BINARY_ADD, out, bv, out.get());
    }
    return drop_batch(to_user(out, x->dtype()), unbatched);
}

Tensors3 conv_transpose2d_backward(const TensorRef& grad_out_in, const TensorRef& x_in, const TensorRef& w,
                                   const Conv2dParams& p, int32_t mask) {
    const char* op = "conv_transpose2d_backward";
    check(x_in->ndim() == 3 || x_in->ndim() == 4, WK_ERR_SHAPE, op, ": expected input (N, C, H, W) or (C, H, W), got shape ",
          x_in->sizes());
    const bool unbatched = x_in->ndim() == 3;
    TensorRef x = batched(x_in, 4);
    TensorRef gy = unbatched && grad_out_in->ndim() == 3 ? unsqueeze(grad_out_in, 0) : grad_out_in;
    check_params(p, op);
    // y = conv2d_input_grad(x, w): grad x = conv2d(gy, w); grad w = conv2d weight grad with gy as the
    // convolution's input and x as its output gradient; grad bias = channel sums of gy.
    const Shape expect = conv_output_shape(*gy, *w, p, op);
    if (expect != x->sizes())
        fail(WK_ERR_SHAPE, op, ": grad_output ", gy->sizes(), " does not come from input ", x->sizes(), " and weight ",
             w->sizes(), " with these parameters");
    Tensors3 r;
    if (mask & kGradInput) r.a = drop_batch(conv2d(gy, w, nullptr, p), unbatched);
    if (mask & (kGradWeight | kGradBias)) {
        Tensors3 c = conv2d_backward(x, gy, w, p, (mask & kGradWeight ? kGradWeight : 0));
        r.b = c.b;
        if (mask & kGradBias) {
            const Backend& be = backend_for(gy->device());
            const DType compute = conv_compute(*gy, be, op);
            TensorRef g = prepared(gy, compute);
            r.c = Tensor::empty(Shape{gy->size(1)}, compute, gy->device());
            launch(be, be.nn->channel_sum, op, view_of(*r.c), folded(*g, {gy->size(0), gy->size(1), gy->size(2) * gy->size(3)}));
            r.c = to_user(r.c, gy->dtype());
        }
    }
    return r;
}

}  // namespace wick
