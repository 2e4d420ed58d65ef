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
        check(param == 1 || param == 2 || std::isinf(param) || param > 0, WK_ERR_INVALID_ARGUMENT, name,
              ": p must be positive, got ", param);

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
            if (op == WK_REDUCE_MAX || op == WK_REDUCE_MIN || arg)
                check(x->size(d) > 0, WK_ERR_INVALID_ARGUMENT, name, ": cannot reduce over dimension ", d,
                      " of size 0 (shape ", x->sizes(), "): there is no identity for this reduction");
        }
        if (!(arg && all) && (!reduced[d] || keepdim)) result_shape.push_back(keep_shape[d]);
    }

    DType compute = compute_dtype_on(x->device(), x->dtype());
    x = to_dtype(x, compute);
    DType result = default_result(op, logical);
    DType kernel_out = default_result(op, compute);

    TensorRef target = prepare_out(out, result_shape, result, x->device(), name);
    TensorRef computed = Tensor::empty(keep_shape, kernel_out, x->device());
    const Backend& be = backend_for(x->device());
    if (keep_shape.numel() > 0) launch(be, be.reduce->reduce, name, op, view_of(*computed), view_of(*x), param);
    TensorRef shaped = view(computed, result_shape);
    if (out == nullptr && target->dtype() == kernel_out) return shaped;
    copy_into(*target, *shaped);
    return finish_out(out, target);
}

}  // namespace wick
