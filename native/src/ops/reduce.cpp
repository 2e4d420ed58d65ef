#include "ops/reduce.h"

#include <cmath>

#include "ops/common.h"
#include "ops/op_info.h"
#include "ops/views.h"

namespace wick {

namespace {

bool needs_float(wk_reduce_op op) {
    return op == WK_REDUCE_MEAN || op == WK_REDUCE_VAR || op == WK_REDUCE_STD || op == WK_REDUCE_NORM ||
           op == WK_REDUCE_LOGSUMEXP;
}

DType default_result(wk_reduce_op op, DType in) {
    switch (op) {
        case WK_REDUCE_SUM:
        case WK_REDUCE_PROD: return dtype_is_floating(in) ? in : DType::I64;
        case WK_REDUCE_ALL:
        case WK_REDUCE_ANY: return DType::Bool;
        case WK_REDUCE_ARGMAX:
        case WK_REDUCE_ARGMIN: return DType::I64;
        default: return in;
    }
}

}  // namespace

TensorRef reduce(wk_reduce_op op, const TensorRef& x_in, const int32_t* dims, int32_t ndims, bool keepdim,
                 double param, int32_t dtype_id, Tensor* out) {
    const char* name = reduce_name(op);
    check(ndims >= 0 && (ndims == 0 || dims != nullptr), WK_ERR_INVALID_ARGUMENT, name, ": invalid dims list");
    TensorRef x = x_in;
    if (dtype_id >= 0) {
        DType want = dtype_from_abi(dtype_id, name);
        x = to_dtype(x, want);
    }
    const DType logical = x->dtype();  // before any CPU upcast of f16/bf16
    const bool arg = op == WK_REDUCE_ARGMAX || op == WK_REDUCE_ARGMIN;
    if (needs_float(op))
        check(dtype_is_floating(x->dtype()), WK_ERR_DTYPE, name, ": needs a floating-point tensor, got ",
              dtype_name(x->dtype()), "; convert with To(DType.Float32) or pass a dtype");
    if (op == WK_REDUCE_NORM)
        check(!std::isnan(param), WK_ERR_INVALID_ARGUMENT, name, ": p must be a number (0, 1, 2, inf, -inf or any other), got NaN");

    // Which dimensions are reduced.
    bool reduced[kMaxDims] = {};
    bool all = ndims == 0;
    if (arg) check(ndims <= 1, WK_ERR_INVALID_ARGUMENT, name, ": takes one dimension or none, got ", ndims);
    for (int i = 0; i < ndims; ++i) {
        int d = wrap_dim(dims[i], x->ndim(), name);
        if (x->ndim() == 0) continue;
        check(!reduced[d], WK_ERR_INVALID_ARGUMENT, name, ": dimension ", d, " appears twice");
        reduced[d] = true;
    }
    if (all)
        for (int d = 0; d < x->ndim(); ++d) reduced[d] = true;

    // argmax/argmin over all dimensions index the flattened tensor.
    Shape result_shape;
    if (arg && all) {
        if (keepdim)
            for (int d = 0; d < x->ndim(); ++d) result_shape.push_back(1);
        x = reshape(x, Shape{x->numel()});
        reduced[0] = true;
    }
    Shape keep_shape = x->sizes();  // keepdim form for the kernel
    for (int d = 0; d < x->ndim(); ++d) {
        if (reduced[d]) {
            keep_shape[d] = 1;
            if (op == WK_REDUCE_MAX || op == WK_REDUCE_MIN || arg || (op == WK_REDUCE_NORM && std::isinf(param)))
                check(x->size(d) > 0, WK_ERR_INVALID_ARGUMENT, name, ": cannot reduce over dimension ", d,
                      " of size 0 (shape ", x->sizes(), "): there is no identity for this reduction");
        }
        if (!(arg && all) && (!reduced[d] || keepdim)) result_shape.push_back(keep_shape[d]);
    }

    DType compute = compute_dtype_on(x->device(), x->dtype());
    x = to_dtype(x, compute);
    DType result = default_result(op, logical);
    DType kernel_out = default_result(op, compute);

    // Checks a given out before computing; without one, a result in another dtype (f16 computed in
    // f32) is converted at the end.
    TensorRef target;
    if (out != nullptr) target = prepare_out(out, result_shape, result, x->device(), name);
    TensorRef computed = Tensor::empty(keep_shape, kernel_out, x->device());
    const Backend& be = backend_for(x->device());
    if (keep_shape.numel() > 0) launch(be, be.reduce->reduce, name, op, view_of(*computed), view_of(*x), param);
    TensorRef shaped = view(computed, result_shape);
    if (out == nullptr) return to_dtype(shaped, result);
    copy_into(*target, *shaped);
    return finish_out(out, target);
}

ValuesIndices reduce_indices(wk_reduce_op op, const TensorRef& x_in, int32_t dim, bool keepdim) {
    check(op == WK_REDUCE_MAX || op == WK_REDUCE_MIN, WK_ERR_INVALID_ARGUMENT,
          "reduce_indices: op must be max or min, got ", reduce_name(op));
    const char* name = op == WK_REDUCE_MAX ? "max" : "min";
    TensorRef x = x_in;
    const int d = wrap_dim(dim, x->ndim(), name);
    Shape keep_shape = x->sizes(), result_shape;
    if (x->ndim() > 0) {
        check(x->size(d) > 0, WK_ERR_INVALID_ARGUMENT, name, ": cannot reduce over dimension ", d,
              " of size 0 (shape ", x->sizes(), "): an empty dimension has no ", name);
        keep_shape[d] = 1;
        for (int i = 0; i < x->ndim(); ++i)
            if (i != d || keepdim) result_shape.push_back(keep_shape[i]);
    }
    const DType logical = x->dtype();
    const DType compute = compute_dtype_on(x->device(), logical);
    x = to_dtype(x, compute);
    const Backend& be = backend_for(x->device());
    TensorRef values = Tensor::empty(keep_shape, compute, x->device());
    TensorRef indices = Tensor::empty(keep_shape, DType::I64, x->device());
    if (keep_shape.numel() > 0)
        launch(be, be.reduce->reduce_indices, name, op, view_of(*values), view_of(*indices), view_of(*x));
    ValuesIndices r;
    r.values = to_dtype(view(values, result_shape), logical);
    r.indices = view(indices, result_shape);
    return r;
}

TensorRef scan(wk_scan_op op, const TensorRef& x_in, int32_t dim, int32_t dtype_id, Tensor* out) {
    const char* name = scan_name(op);
    TensorRef x = x_in;
    if (dtype_id >= 0) x = to_dtype(x, dtype_from_abi(dtype_id, name));
    const DType result = dtype_is_floating(x->dtype()) ? x->dtype() : DType::I64;
    const DType compute = dtype_is_floating(result) ? compute_dtype_on(x->device(), result) : DType::I64;
    const int d = wrap_dim(dim, x->ndim(), name);
    TensorRef target;
    if (out != nullptr) target = prepare_out(out, x->sizes(), result, x->device(), name);
    if (x->numel() == 0) return out != nullptr ? finish_out(out, target) : Tensor::empty(x->sizes(), result, x->device());
    TensorRef xin = to_dtype(x, compute);
    TensorRef computed = Tensor::empty(x->sizes(), compute, x->device());
    // A 0-d tensor scans as a 1-element vector.
    const Shape one{1};
    View xv = x->ndim() == 0 ? view_with(*xin, one, one) : view_of(*xin);
    View ov = x->ndim() == 0 ? view_with(*computed, one, one) : view_of(*computed);
    const Backend& be = backend_for(x->device());
    launch(be, be.reduce->scan, name, op, ov, xv, static_cast<int32_t>(d));
    if (out == nullptr) return to_dtype(computed, result);
    copy_into(*target, *computed);
    return finish_out(out, target);
}

}  // namespace wick
