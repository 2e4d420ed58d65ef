#include "ops/elementwise.h"

#include <cmath>

#include "ops/common.h"
#include "ops/op_info.h"

namespace wick {

namespace {

int category(DType t) { return t == DType::Bool ? 0 : (dtype_is_floating(t) ? 2 : 1); }

// The dtype kernels compute in and the dtype of the result, from the promoted input dtype.
struct Plan {
    DType compute;     // inputs are converted to this before the kernel
    DType kernel_out;  // what the kernel writes (compute, or bool)
    DType result;      // the dtype the caller sees
};

Plan plan_for(const OpInfo& info, DType promoted, Device device) {
    switch (info.rule) {
        case TypeRule::Same:
            check(promoted != DType::Bool || info.allows_bool, WK_ERR_DTYPE, info.name,
                  ": not supported for bool tensors; convert with To(DType.Int64) or To(DType.Float32) first");
            break;
        case TypeRule::FloatResult:
            if (!dtype_is_floating(promoted)) promoted = kDefaultFloat;
            break;
        case TypeRule::IntegralOnly:
            check(!dtype_is_floating(promoted), WK_ERR_DTYPE, info.name, ": needs integer or bool tensors, got ",
                  dtype_name(promoted));
            break;
        case TypeRule::BoolResult: break;
    }
    Plan p;
    p.compute = compute_dtype_on(device, promoted);
    p.kernel_out = info.rule == TypeRule::BoolResult ? DType::Bool : p.compute;
    p.result = info.rule == TypeRule::BoolResult ? DType::Bool : promoted;
    return p;
}

// Runs `kernel(out_view)` writing the result of `plan` into `out` or a new tensor.
template <class Kernel>
TensorRef run_into(const Plan& plan, const Shape& shape, Device device, Tensor* out, const char* name, Kernel&& kernel) {
    TensorRef target = prepare_out(out, shape, plan.result, device, name);
    if (shape.numel() == 0) return finish_out(out, target);
    if (target->dtype() == plan.kernel_out) {
        kernel(view_of(*target));
    } else {
        TensorRef tmp = Tensor::empty(shape, plan.kernel_out, device);
        kernel(view_of(*tmp));
        copy_into(*target, *tmp);
    }
    return finish_out(out, target);
}

}  // namespace

DType result_type(const Tensor& a, const Tensor& b) {
    const Tensor* ts[2] = {&a, &b};
    return result_type(ts, 2);
}

DType result_type(const Tensor* const* ts, int n) {
    // PyTorch: tensors with dimensions decide, unless a 0-d tensor is of a higher category
    // (bool < integer < floating), in which case the two are promoted together.
    bool have_dim = false, have_zero = false;
    DType dim = DType::Bool, zero = DType::Bool;
    for (int i = 0; i < n; ++i) {
        if (ts[i] == nullptr) continue;
        DType t = ts[i]->dtype();
        if (ts[i]->ndim() > 0) dim = have_dim ? promote_types(dim, t) : t, have_dim = true;
        else zero = have_zero ? promote_types(zero, t) : t, have_zero = true;
    }
    if (!have_dim) return zero;
    if (!have_zero) return dim;
    return category(zero) > category(dim) ? promote_types(dim, zero) : dim;
}

TensorRef unary(wk_unary_op op, const TensorRef& x, double p0, double p1, Tensor* out) {
    const OpInfo& info = unary_info(op);
    DType in = x->dtype();
    // clamp of an integer tensor with a fractional bound computes in float, as PyTorch's promotion.
    if (op == WK_UNARY_CLAMP && !dtype_is_floating(in) &&
        ((!std::isnan(p0) && p0 != std::floor(p0)) || (!std::isnan(p1) && p1 != std::floor(p1))))
        in = kDefaultFloat;
    Plan plan = plan_for(info, in, x->device());
    TensorRef xin = to_dtype(x, plan.compute);
    const Backend& be = backend_for(x->device());
    return run_into(plan, x->sizes(), x->device(), out, info.name, [&](const View& o) {
        launch(be, be.elementwise->unary, info.name, op, o, view_of(*xin), p0, p1);
    });
}

TensorRef binary(wk_binary_op op, const TensorRef& a, const TensorRef& b, Tensor* out) {
    const OpInfo& info = binary_info(op);
    check_same_device(*a, *b, info.name);
    Shape shape = broadcast_shapes(a->sizes(), b->sizes(), info.name);
    Plan plan = plan_for(info, result_type(*a, *b), a->device());
    TensorRef ain = to_dtype(a, plan.compute), bin = to_dtype(b, plan.compute);
    const Backend& be = backend_for(a->device());
    return run_into(plan, shape, a->device(), out, info.name, [&](const View& o) {
        launch(be, be.elementwise->binary, info.name, op, o, broadcast_view(*ain, shape), broadcast_view(*bin, shape));
    });
}

TensorRef binary_scalar(wk_binary_op op, const TensorRef& a, const Scalar& s, bool reverse, Tensor* out) {
    const OpInfo& info = binary_info(op);
    Plan plan = plan_for(info, result_type_with_scalar(a->dtype(), s), a->device());
    TensorRef ain = to_dtype(a, plan.compute);
    const Backend& be = backend_for(a->device());
    return run_into(plan, a->sizes(), a->device(), out, info.name, [&](const View& o) {
        launch(be, be.elementwise->binary_scalar, info.name, op, o, view_of(*ain), s, reverse);
    });
}

TensorRef ternary(wk_ternary_op op, const TensorRef& a, const TensorRef& b, const TensorRef& c, const Scalar* s,
                  Tensor* out) {
    const char* name = ternary_name(op);
    const bool where = op == WK_TERNARY_WHERE;
    check(bool(b) || op == WK_TERNARY_CLAMP, WK_ERR_NULL_HANDLE, name, ": the second tensor is missing");
    check(bool(c) || op == WK_TERNARY_CLAMP || op == WK_TERNARY_LERP, WK_ERR_NULL_HANDLE, name,
          ": the third tensor is missing");
    check(!(op == WK_TERNARY_LERP && !c && s == nullptr), WK_ERR_INVALID_ARGUMENT, name,
          ": give the weight as a tensor or a scalar");
    if (b) check_same_device(*a, *b, name);
    if (c) check_same_device(*a, *c, name);
    if (where)
        check(a->dtype() == DType::Bool, WK_ERR_DTYPE, name, ": the condition must be a bool tensor, got ",
              dtype_name(a->dtype()), "; compare first (x.Gt(0)) or convert with To(DType.Bool)");

    Shape shape = a->sizes();
    if (b) shape = broadcast_shapes(shape, b->sizes(), name);
    if (c) shape = broadcast_shapes(shape, c->sizes(), name);

    const Tensor* operands[3] = {where ? nullptr : a.get(), b.get(), c.get()};
    DType promoted = result_type(operands, 3);
    if (op == WK_TERNARY_LERP || op == WK_TERNARY_ADDCDIV) {
        if (op == WK_TERNARY_ADDCDIV)
            check(dtype_is_floating(promoted), WK_ERR_DTYPE, name,
                  ": integer division is not supported (got ", dtype_name(promoted),
                  " tensors); convert them with To(DType.Float32)");
        else
            check(dtype_is_floating(promoted), WK_ERR_DTYPE, name, ": needs floating-point tensors, got ",
                  dtype_name(promoted), "; convert them with To(DType.Float32)");
    }
    if (op == WK_TERNARY_CLAMP || op == WK_TERNARY_ADDCMUL)
        check(promoted != DType::Bool, WK_ERR_DTYPE, name,
              ": not supported for bool tensors; convert with To(DType.Int64) or To(DType.Float32) first");
    double sv = 1.0;
    if (s != nullptr) {
        sv = s->to_double();
        if (op == WK_TERNARY_ADDCMUL && !dtype_is_floating(promoted))
            check(!s->is_float() || sv == std::floor(sv), WK_ERR_DTYPE, name, ": the value ", sv,
                  " is not a whole number, so it cannot scale ", dtype_name(promoted), " tensors");
    }
    if (op == WK_TERNARY_LERP && !c) sv = s->to_double();

    const Device device = a->device();
    Plan plan;
    plan.compute = compute_dtype_on(device, promoted);
    plan.kernel_out = plan.compute;
    plan.result = promoted;
    TensorRef ain = where ? a : to_dtype(a, plan.compute);
    TensorRef bin = b ? to_dtype(b, plan.compute) : TensorRef();
    TensorRef cin = c ? to_dtype(c, plan.compute) : TensorRef();
    const Backend& be = backend_for(device);
    return run_into(plan, shape, device, out, name, [&](const View& o) {
        View av = broadcast_view(*ain, shape);
        View bv, cv;
        if (bin) bv = broadcast_view(*bin, shape);
        if (cin) cv = broadcast_view(*cin, shape);
        launch(be, be.elementwise->ternary, name, op, o, av, bin ? &bv : nullptr, cin ? &cv : nullptr, sv);
    });
}

}  // namespace wick
