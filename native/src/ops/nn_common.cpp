#include "ops/nn_common.h"

#include "ops/views.h"

namespace wick::nnops {

TensorRef channel_param(const TensorRef* t, int64_t n, const Tensor& x, DType compute, const char* op, const char* what) {
    if (t == nullptr || !*t) return TensorRef{};
    const Tensor& v = **t;
    check_same_device(x, v, op);
    if (v.numel() != n || v.ndim() > 1)
        fail(WK_ERR_SHAPE, op, ": ", what, " must have shape [", n, "] (one value per channel or normalised element), got ",
             v.sizes());
    check(dtype_is_floating(v.dtype()), WK_ERR_DTYPE, op, ": ", what, " must be floating-point, got ", dtype_name(v.dtype()));
    return prepared(*t, compute);
}

void check_same_float(const Tensor& x, const Tensor& t, const char* op, const char* what) {
    check_same_device(x, t, op);
    if (t.dtype() != x.dtype())
        fail(WK_ERR_DTYPE, op, ": the input is ", dtype_name(x.dtype()), " but ", what, " is ", dtype_name(t.dtype()),
             "; convert one of them so both have the same dtype");
}

View folded(const Tensor& t, std::initializer_list<int64_t> sizes) {
    Shape s(sizes);
    return view_with(t, s, contiguous_strides(s));
}

const Backend& cpu_or_device(const Tensor& t) { return backend_for(t.device()); }

}  // namespace wick::nnops
