#include "ops/index_helpers.h"

#include "core/error.h"
#include "ops/common.h"
#include "ops/factory.h"
#include "ops/views.h"

namespace wick {

const ShapeKernels& shape_kernels(const Backend& be) {
    if (be.shape == nullptr) throw_not_implemented(be, "indexing and shape kernels");
    return *be.shape;
}

void check_index_dtype(const Tensor& index, bool allow_int32, const char* op) {
    if (index.dtype() == DType::I64 || (allow_int32 && index.dtype() == DType::I32)) return;
    fail(WK_ERR_DTYPE, op, ": expected an ", allow_int32 ? "int64 or int32" : "int64", " index tensor, got ",
         dtype_name(index.dtype()), "; convert it with To(DType.Int64)");
}

void check_mask_dtype(const Tensor& mask, const char* op) {
    check(mask.dtype() == DType::Bool, WK_ERR_DTYPE, op, ": expected a bool mask, got ", dtype_name(mask.dtype()),
          "; compare to get one (x.Ne(0)) or convert it with To(DType.Bool)");
}

TensorRef fill_value(const Scalar* value, const Tensor* value_tensor, DType dtype, Device device, const char* op) {
    check((value == nullptr) != (value_tensor == nullptr), WK_ERR_INVALID_ARGUMENT, op,
          ": give exactly one of a scalar value and a value tensor");
    if (value != nullptr) return full(Shape{}, dtype, device, *value);
    check(value_tensor->ndim() == 0, WK_ERR_SHAPE, op, ": the value tensor must be 0-dimensional, got shape ",
          value_tensor->sizes(), "; pass a scalar or a 0-d tensor");
    check(value_tensor->device() == device, WK_ERR_DEVICE, op, ": the value tensor is on ", value_tensor->device(),
          " but the tensor is on ", device);
    return to_dtype(TensorRef::retain(const_cast<Tensor*>(value_tensor)), dtype);
}

TensorRef modify_target(const TensorRef& x, Tensor* out, const char* op) {
    if (out == x.get()) {
        check_writable(*x, op);
        return x;
    }
    TensorRef t = prepare_out(out, x->sizes(), x->dtype(), x->device(), op);
    if (x->numel() > 0) copy_into(*t, *x);
    return t;
}

TensorRef finish_modified(Tensor* out, const TensorRef& target) { return finish_out(out, target); }

TensorRef insert_unit_dims(const TensorRef& t, int at, int count) {
    TensorRef r = t;
    for (int i = 0; i < count; ++i) r = unsqueeze(r, at);
    return r;
}

}  // namespace wick
