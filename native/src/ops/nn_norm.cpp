// batch_norm, layer_norm and group_norm, forward and fused backward.
#include <cmath>

#include "ops/elementwise.h"
#include "ops/nn_common.h"
#include "ops/views.h"

namespace wick {

using namespace nnops;

namespace {

// x (N, C, ...) as (N, C, S).
View ncs(const Tensor& x) {
    const int64_t N = x.size(0), C = x.size(1);
    int64_t S = 1;
    for (int i = 2; i < x.ndim(); ++i) S *= x.size(i);
    return folded(x, {N, C, S});
}

void check_eps(double eps, const char* op) {
    check(std::isfinite(eps) && eps >= 0, WK_ERR_INVALID_ARGUMENT, op, ": eps must be a non-negative number, got ", eps);
}

// Running statistics are updated in place: they must already be contiguous tensors of the compute dtype.
TensorRef running_stat(const TensorRef* t, int64_t C, const Tensor& x, DType compute, const char* op, const char* what) {
    if (t == nullptr || !*t) return TensorRef{};
    TensorRef r = channel_param(t, C, x, compute, op, what);
    if (r.get() != t->get())
        fail(WK_ERR_DTYPE, op, ": ", what, " is updated in place, so it must be a contiguous ", dtype_name(compute),
             " tensor; got ", dtype_name((*t)->dtype()), (*t)->is_contiguous() ? "" : " (non-contiguous)");
    check_writable(*r, op);
    return r;
}

}  // namespace

Tensors3 batch_norm(const TensorRef& x, const TensorRef* weight, const TensorRef* bias, const TensorRef* running_mean,
                    const TensorRef* running_var, bool training, double momentum, double eps) {
    const char* op = "batch_norm";
    check(x->ndim() >= 2, WK_ERR_SHAPE, op, ": expected input (N, C, ...) with at least 2 dimensions, got shape ", x->sizes());
    check_eps(eps, op);
    check(std::isfinite(momentum), WK_ERR_INVALID_ARGUMENT, op, ": momentum must be finite, got ", momentum);
    const DType compute = float_compute(*x, op);
    const int64_t C = x->size(1), M = x->numel() / std::max<int64_t>(C, 1);
    TensorRef w = channel_param(weight, C, *x, compute, op, "weight");
    TensorRef b = channel_param(bias, C, *x, compute, op, "bias");
    TensorRef rm = running_stat(running_mean, C, *x, compute, op, "running_mean");
    TensorRef rv = running_stat(running_var, C, *x, compute, op, "running_var");
    check(static_cast<bool>(rm) == static_cast<bool>(rv), WK_ERR_INVALID_ARGUMENT, op,
          ": give both running_mean and running_var, or neither");
    if (training)
        check(M > 1, WK_ERR_INVALID_ARGUMENT, op, ": expected more than 1 value per channel when training, got input of shape ",
              x->sizes());
    else
        check(static_cast<bool>(rm), WK_ERR_INVALID_ARGUMENT, op,
              ": evaluation mode normalises with the running statistics; pass running_mean and running_var (or train)");
    TensorRef xc = prepared(x, compute);
    TensorRef out = Tensor::empty(x->sizes(), compute, x->device());
    TensorRef mean = Tensor::empty(Shape{C}, compute, x->device());
    TensorRef invstd = Tensor::empty(Shape{C}, compute, x->device());
    const Backend& be = backend_for(x->device());
    if (x->numel() > 0)
        launch(be, be.nn->batch_norm, op, ncs(*out), view_of(*mean), view_of(*invstd), opt_view(rm), opt_view(rv), ncs(*xc),
               opt_view(w), opt_view(b), training, momentum, eps);
    if (training && rm) {
        rm->storage().bump_version();
        rv->storage().bump_version();
    }
    if (!training) {
        // The statistics used: the running ones, as (mean, 1 / sqrt(var + eps)) for the backward.
        copy_into(*mean, *rm);
        TensorRef shifted = binary_scalar(WK_BINARY_ADD, rv, Scalar::from_double(eps), false, nullptr);
        unary(WK_UNARY_RSQRT, shifted, 0, 0, invstd.get());
    }
    return {to_user(out, x->dtype()), to_user(mean, x->dtype()), to_user(invstd, x->dtype())};
}

Tensors3 batch_norm_backward(const TensorRef& grad_out, const TensorRef& x, const TensorRef* weight, const TensorRef& mean,
                             const TensorRef& invstd, bool training, int32_t mask) {
    const char* op = "batch_norm_backward";
    check(x->ndim() >= 2, WK_ERR_SHAPE, op, ": expected input (N, C, ...) with at least 2 dimensions, got shape ", x->sizes());
    const DType compute = float_compute(*x, op);
    check_same_device(*x, *grad_out, op);
    if (grad_out->sizes() != x->sizes())
        fail(WK_ERR_SHAPE, op, ": grad_output has shape ", grad_out->sizes(), " but the input has shape ", x->sizes());
    const int64_t C = x->size(1);
    TensorRef w = channel_param(weight, C, *x, compute, op, "weight");
    TensorRef m = channel_param(&mean, C, *x, compute, op, "mean");
    TensorRef is = channel_param(&invstd, C, *x, compute, op, "invstd");
    TensorRef xc = prepared(x, compute), g = prepared(grad_out, compute);
    Tensors3 r;
    if (mask & kGradInput) r.a = Tensor::empty(x->sizes(), compute, x->device());
    if (mask & kGradWeight) r.b = Tensor::empty(Shape{C}, compute, x->device());
    if (mask & kGradBias) r.c = Tensor::empty(Shape{C}, compute, x->device());
    const Backend& be = backend_for(x->device());
    if (mask & (kGradInput | kGradWeight | kGradBias))
        launch(be, be.nn->batch_norm_backward, op, r.a ? ncs(*r.a) : View{}, opt_view(r.b), opt_view(r.c), ncs(*g), ncs(*xc),
               opt_view(w), view_of(*m), view_of(*is), training);
    return {to_user(r.a, x->dtype()), to_user(r.b, x->dtype()), to_user(r.c, x->dtype())};
}

namespace {

// x (..., normalized_shape) as (M, N); mean / rstd have shape (..., 1, ..., 1).
struct LnShape {
    int64_t M, N;
    Shape stats;
};

LnShape ln_shape(const Tensor& x, const Shape& ns, const char* op) {
    check(ns.ndim >= 1, WK_ERR_INVALID_ARGUMENT, op, ": normalized_shape must have at least one dimension");
    bool ok = ns.ndim <= x.ndim();
    for (int i = 0; ok && i < ns.ndim; ++i) ok = x.size(x.ndim() - ns.ndim + i) == ns[i];
    if (!ok)
        fail(WK_ERR_SHAPE, op, ": normalized_shape ", ns, " does not match the last dimensions of the input ", x.sizes());
    LnShape s{1, ns.numel(), Shape{}};
    for (int i = 0; i < x.ndim() - ns.ndim; ++i) {
        s.M *= x.size(i);
        s.stats.push_back(x.size(i));
    }
    for (int i = 0; i < ns.ndim; ++i) s.stats.push_back(1);
    return s;
}

TensorRef ln_param(const TensorRef* t, const Shape& ns, const Tensor& x, DType compute, const char* op, const char* what) {
    if (t == nullptr || !*t) return TensorRef{};
    check_same_device(x, **t, op);
    if ((*t)->sizes() != ns) fail(WK_ERR_SHAPE, op, ": ", what, " must have the normalized shape ", ns, ", got ", (*t)->sizes());
    check(dtype_is_floating((*t)->dtype()), WK_ERR_DTYPE, op, ": ", what, " must be floating-point, got ",
          dtype_name((*t)->dtype()));
    return prepared(*t, compute);
}

}  // namespace

Tensors3 layer_norm(const TensorRef& x, const Shape& normalized_shape, const TensorRef* weight, const TensorRef* bias,
                    double eps) {
    const char* op = "layer_norm";
    check_eps(eps, op);
    const DType compute = float_compute(*x, op);
    const LnShape s = ln_shape(*x, normalized_shape, op);
    TensorRef w = ln_param(weight, normalized_shape, *x, compute, op, "weight");
    TensorRef b = ln_param(bias, normalized_shape, *x, compute, op, "bias");
    TensorRef xc = prepared(x, compute);
    TensorRef out = Tensor::empty(x->sizes(), compute, x->device());
    TensorRef mean = Tensor::empty(s.stats, compute, x->device());
    TensorRef rstd = Tensor::empty(s.stats, compute, x->device());
    const Backend& be = backend_for(x->device());
    if (s.M > 0)  // also when the normalised part is empty: the statistics are still defined
        launch(be, be.nn->layer_norm, op, folded(*out, {s.M, s.N}), folded(*mean, {s.M}), folded(*rstd, {s.M}),
               folded(*xc, {s.M, s.N}), opt_view(w), opt_view(b), eps);
    return {to_user(out, x->dtype()), to_user(mean, x->dtype()), to_user(rstd, x->dtype())};
}

Tensors3 layer_norm_backward(const TensorRef& grad_out, const TensorRef& x, const Shape& normalized_shape,
                             const TensorRef& mean, const TensorRef& rstd, const TensorRef* weight, int32_t mask) {
    const char* op = "layer_norm_backward";
    const DType compute = float_compute(*x, op);
    check_same_device(*x, *grad_out, op);
    if (grad_out->sizes() != x->sizes())
        fail(WK_ERR_SHAPE, op, ": grad_output has shape ", grad_out->sizes(), " but the input has shape ", x->sizes());
    const LnShape s = ln_shape(*x, normalized_shape, op);
    check(mean->numel() == s.M && rstd->numel() == s.M, WK_ERR_SHAPE, op, ": mean ", mean->sizes(), " and rstd ", rstd->sizes(),
          " must be the statistics layer_norm returned (", s.M, " values)");
    TensorRef w = ln_param(weight, normalized_shape, *x, compute, op, "weight");
    TensorRef xc = prepared(x, compute), g = prepared(grad_out, compute), m = prepared(mean, compute), rs = prepared(rstd, compute);
    Tensors3 r;
    if (mask & kGradInput) r.a = Tensor::empty(x->sizes(), compute, x->device());
    if (mask & kGradWeight) r.b = Tensor::empty(normalized_shape, compute, x->device());
    if (mask & kGradBias) r.c = Tensor::empty(normalized_shape, compute, x->device());
    const Backend& be = backend_for(x->device());
    if (mask & (kGradInput | kGradWeight | kGradBias)) {
        auto flat = [&](const TensorRef& t) { return t ? folded(*t, {s.N}) : View{}; };
        launch(be, be.nn->layer_norm_backward, op, r.a ? folded(*r.a, {s.M, s.N}) : View{}, flat(r.b), flat(r.c),
               folded(*g, {s.M, s.N}), folded(*xc, {s.M, s.N}), folded(*m, {s.M}), folded(*rs, {s.M}),
               w ? folded(*w, {s.N}) : View{});
    }
    return {to_user(r.a, x->dtype()), to_user(r.b, x->dtype()), to_user(r.c, x->dtype())};
}

Tensors3 group_norm(const TensorRef& x, int64_t groups, const TensorRef* weight, const TensorRef* bias, double eps) {
    const char* op = "group_norm";
    check(x->ndim() >= 2, WK_ERR_SHAPE, op, ": expected input (N, C, ...) with at least 2 dimensions, got shape ", x->sizes());
    check_eps(eps, op);
    const int64_t N = x->size(0), C = x->size(1);
    check(groups >= 1 && C % groups == 0, WK_ERR_SHAPE, op, ": the number of groups (", groups,
          ") must be positive and divide the ", C, " channels of the input ", x->sizes());
    const DType compute = float_compute(*x, op);
    TensorRef w = channel_param(weight, C, *x, compute, op, "weight");
    TensorRef b = channel_param(bias, C, *x, compute, op, "bias");
    TensorRef xc = prepared(x, compute);
    TensorRef out = Tensor::empty(x->sizes(), compute, x->device());
    TensorRef mean = Tensor::empty(Shape{N, groups}, compute, x->device());
    TensorRef rstd = Tensor::empty(Shape{N, groups}, compute, x->device());
    const Backend& be = backend_for(x->device());
    if (N * groups > 0)  // also for an empty spatial size: the statistics are still defined
        launch(be, be.nn->group_norm, op, ncs(*out), view_of(*mean), view_of(*rstd), ncs(*xc), opt_view(w), opt_view(b), groups,
               eps);
    return {to_user(out, x->dtype()), to_user(mean, x->dtype()), to_user(rstd, x->dtype())};
}

Tensors3 group_norm_backward(const TensorRef& grad_out, const TensorRef& x, const TensorRef& mean, const TensorRef& rstd,
                             const TensorRef* weight, int64_t groups, int32_t mask) {
    const char* op = "group_norm_backward";
    check(x->ndim() >= 2, WK_ERR_SHAPE, op, ": expected input (N, C, ...) with at least 2 dimensions, got shape ", x->sizes());
    const int64_t N = x->size(0), C = x->size(1);
    check(groups >= 1 && C % groups == 0, WK_ERR_SHAPE, op, ": the number of groups (", groups,
          ") must be positive and divide the ", C, " channels of the input ", x->sizes());
    const DType compute = float_compute(*x, op);
    check_same_device(*x, *grad_out, op);
    if (grad_out->sizes() != x->sizes())
        fail(WK_ERR_SHAPE, op, ": grad_output has shape ", grad_out->sizes(), " but the input has shape ", x->sizes());
    check(mean->numel() == N * groups && rstd->numel() == N * groups, WK_ERR_SHAPE, op, ": mean ", mean->sizes(), " and rstd ",
          rstd->sizes(), " must be the (N, groups) statistics group_norm returned");
    TensorRef w = channel_param(weight, C, *x, compute, op, "weight");
    TensorRef xc = prepared(x, compute), g = prepared(grad_out, compute), m = prepared(mean, compute), rs = prepared(rstd, compute);
    Tensors3 r;
    if (mask & kGradInput) r.a = Tensor::empty(x->sizes(), compute, x->device());
    if (mask & kGradWeight) r.b = Tensor::empty(Shape{C}, compute, x->device());
    if (mask & kGradBias) r.c = Tensor::empty(Shape{C}, compute, x->device());
    const Backend& be = backend_for(x->device());
    if (mask & (kGradInput | kGradWeight | kGradBias))
        launch(be, be.nn->group_norm_backward, op, r.a ? ncs(*r.a) : View{}, opt_view(r.b), opt_view(r.c), ncs(*g), ncs(*xc),
               folded(*m, {N * groups}), folded(*rs, {N * groups}), opt_view(w), groups);
    return {to_user(r.a, x->dtype()), to_user(r.b, x->dtype()), to_user(r.c, x->dtype())};
}

}  // namespace wick
