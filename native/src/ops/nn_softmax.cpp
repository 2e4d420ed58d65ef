// softmax / log_softmax and the negative log-likelihood loss, with their backward ops.
#include "ops/nn_common.h"
#include "ops/views.h"

namespace wick {

using namespace nnops;

namespace {

// x as the kernel sees it: at least 1-D (a 0-d tensor is a 1-element row).
View at_least_1d(const Tensor& t) {
    View v = view_of(t);
    if (v.ndim == 0) {
        v.ndim = 1;
        v.sizes[0] = 1;
        v.strides[0] = 1;
    }
    return v;
}

const char* reduction_name(int32_t r) {
    switch (r) {
        case WK_REDUCTION_NONE: return "none";
        case WK_REDUCTION_MEAN: return "mean";
        case WK_REDUCTION_SUM: return "sum";
        default: fail(WK_ERR_INVALID_ARGUMENT, "nll_loss: unknown reduction id ", r, " (expected 0 none, 1 mean, 2 sum)");
    }
}

// input (N, C, d...) or (C) and target (N, d...) or (): N, C, S = product of d.
struct NllShape {
    int64_t N, C, S;
    Shape per_element;  // the target's shape (the loss shape for reduction none)
};

NllShape nll_shape(const Tensor& input, const Tensor& target) {
    const int nd = input.ndim();
    check(nd >= 1, WK_ERR_SHAPE, "nll_loss: input must be (C), (N, C) or (N, C, d1, ...), got a 0-d tensor");
    check(dtype_is_integral(target.dtype()) && target.dtype() != DType::Bool, WK_ERR_DTYPE,
          "nll_loss: target must hold integer class indices, got ", dtype_name(target.dtype()), "; convert with To(DType.Int64)");
    NllShape s{};
    Shape expected;
    if (nd == 1) {
        s.N = 1, s.C = input.size(0), s.S = 1;
    } else {
        s.N = input.size(0), s.C = input.size(1), s.S = 1;
        expected.push_back(s.N);
        for (int i = 2; i < nd; ++i) {
            expected.push_back(input.size(i));
            s.S *= input.size(i);
        }
    }
    if (target.sizes() != expected)
        fail(WK_ERR_SHAPE, "nll_loss: target of shape ", target.sizes(), " does not fit input of shape ", input.sizes(),
             ": expected target shape ", expected, " (the input without its class dimension)");
    s.per_element = expected;
    return s;
}

}  // namespace

TensorRef softmax(const TensorRef& x, int64_t dim, bool log, Tensor* out) {
    const char* op = log ? "log_softmax" : "softmax";
    const DType compute = float_compute(*x, op);
    const int d = wrap_dim(dim, x->ndim(), op);
    TensorRef xc = prepared(x, compute);
    TensorRef target = prepare_out(out, x->sizes(), x->dtype(), x->device(), op);
    TensorRef r = target->dtype() == compute && target->is_contiguous() ? target : Tensor::empty(x->sizes(), compute, x->device());
    const Backend& be = backend_for(x->device());
    if (x->numel() > 0) launch(be, be.nn->softmax, op, at_least_1d(*r), at_least_1d(*xc), d, log);
    if (r.get() != target.get()) copy_into(*target, *r);
    return finish_out(out, target);
}

TensorRef softmax_backward(const TensorRef& grad_out, const TensorRef& y, int64_t dim, bool log) {
    const char* op = log ? "log_softmax_backward" : "softmax_backward";
    const DType compute = float_compute(*y, op);
    check_same_device(*grad_out, *y, op);
    if (grad_out->sizes() != y->sizes())
        fail(WK_ERR_SHAPE, op, ": grad_output of shape ", grad_out->sizes(), " does not match the forward output's shape ",
             y->sizes());
    const int d = wrap_dim(dim, y->ndim(), op);
    TensorRef g = prepared(grad_out, compute), yc = prepared(y, compute);
    TensorRef gx = Tensor::empty(y->sizes(), compute, y->device());
    const Backend& be = backend_for(y->device());
    if (y->numel() > 0) launch(be, be.nn->softmax_backward, op, at_least_1d(*gx), at_least_1d(*g), at_least_1d(*yc), d, log);
    return to_user(gx, y->dtype());
}

Tensors2 nll_loss(const TensorRef& input, const TensorRef& target, const TensorRef* weight, int32_t reduction,
                  int64_t ignore_index) {
    const char* op = "nll_loss";
    reduction_name(reduction);
    const DType compute = float_compute(*input, op);
    check_same_device(*input, *target, op);
    const NllShape s = nll_shape(*input, *target);
    TensorRef w = channel_param(weight, s.C, *input, compute, op, "weight");
    TensorRef in = prepared(input, compute), tg = prepared(target, DType::I64);
    const Shape loss_shape = reduction == WK_REDUCTION_NONE ? s.per_element : Shape{};
    TensorRef loss = Tensor::empty(loss_shape, compute, input->device());
    TensorRef total = Tensor::empty(Shape{}, compute, input->device());
    const Backend& be = backend_for(input->device());
    launch(be, be.nn->nll_loss, op, view_of(*loss), view_of(*total), folded(*in, {s.N, s.C, s.S}), folded(*tg, {s.N, s.S}),
           opt_view(w), reduction, ignore_index);
    return {to_user(loss, input->dtype()), to_user(total, input->dtype())};
}

TensorRef nll_loss_backward(const TensorRef& grad_loss, const TensorRef& input, const TensorRef& target,
                            const TensorRef* weight, int32_t reduction, int64_t ignore_index, const TensorRef& total_weight) {
    const char* op = "nll_loss_backward";
    reduction_name(reduction);
    const DType compute = float_compute(*input, op);
    check_same_device(*input, *target, op);
    check_same_device(*input, *grad_loss, op);
    const NllShape s = nll_shape(*input, *target);
    const Shape gshape = reduction == WK_REDUCTION_NONE ? s.per_element : Shape{};
    if (grad_loss->sizes() != gshape)
        fail(WK_ERR_SHAPE, op, ": grad_output has shape ", grad_loss->sizes(), " but the loss with reduction '",
             reduction_name(reduction), "' has shape ", gshape);
    check(total_weight->numel() == 1, WK_ERR_SHAPE, op, ": total_weight must be the 0-d tensor nll_loss returned, got shape ",
          total_weight->sizes());
    TensorRef w = channel_param(weight, s.C, *input, compute, op, "weight");
    TensorRef g = prepared(grad_loss, compute), tg = prepared(target, DType::I64), tw = prepared(total_weight, compute);
    TensorRef gi = Tensor::empty(input->sizes(), compute, input->device());
    const Backend& be = backend_for(input->device());
    View gv = folded(*g, {s.N, s.S});
    if (reduction != WK_REDUCTION_NONE) gv = view_of(*g);
    launch(be, be.nn->nll_loss_backward, op, folded(*gi, {s.N, s.C, s.S}), gv, folded(*tg, {s.N, s.S}), opt_view(w),
           view_of(*tw), reduction, ignore_index);
    return to_user(gi, input->dtype());
}

}  // namespace wick
