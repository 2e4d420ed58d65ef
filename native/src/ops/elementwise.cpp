#include "ops/elementwise.h"

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
    bool a0 = a.ndim() == 0, b0 = b.ndim() == 0;
    if (a0 == b0) return promote_types(a.dtype(), b.dtype());
    const Tensor& dim = a0 ? b : a;
    const Tensor& zero = a0 ? a : b;
    return category(zero.dtype()) > category(dim.dtype()) ? zero.dtype() : dim.dtype();
}

TensorRef unary(wk_unary_op op, const TensorRef& x, double p0, double p1, Tensor* out) {
    const OpInfo& info = unary_info(op);
    Plan plan = plan_for(info, x->dtype(), x->device());
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

}  // namespace wick
