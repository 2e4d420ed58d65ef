#include "ops/common.h"

namespace wick {

View view_of(const Tensor& t) {
    View v;
    v.data = t.data();
    v.dtype = t.dtype();
    v.ndim = t.ndim();
    for (int i = 0; i < t.ndim(); ++i) {
        v.sizes[i] = t.size(i);
        v.strides[i] = t.stride(i);
    }
    return v;
}

View view_with(const Tensor& t, const Shape& sizes, const Shape& strides) {
    View v;
    v.data = t.data();
    v.dtype = t.dtype();
    v.ndim = sizes.ndim;
    for (int i = 0; i < sizes.ndim; ++i) {
        v.sizes[i] = sizes[i];
        v.strides[i] = strides[i];
    }
    return v;
}

View broadcast_view(const Tensor& t, const Shape& shape) {
    return view_with(t, shape, broadcast_strides(t.sizes(), t.strides(), shape));
}

void check_same_device(const Tensor& a, const Tensor& b, const char* op) {
    if (a.device() != b.device())
        fail(WK_ERR_DEVICE, op, ": tensors are on different devices (", a.device(), " and ", b.device(),
             "); move one with To(device)");
}

void check_writable(const Tensor& t, const char* op) {
    for (int i = 0; i < t.ndim(); ++i)
        if (t.size(i) > 1 && t.stride(i) == 0)
            fail(WK_ERR_INVALID_ARGUMENT, op, ": cannot write into an expanded tensor (shape ", t.sizes(),
                 ", strides ", t.strides(), ") whose elements share memory; Clone() it first");
}

void copy_into(const Tensor& dst, const Tensor& src) {
    check_same_device(dst, src, "copy");
    if (dst.numel() == 0) return;  // the strided loops divide by sizes: an empty copy must not reach them
    const Backend& be = backend_for(dst.device());
    launch(be, be.elementwise->copy, "copy", view_of(dst), broadcast_view(src, dst.sizes()));
}

TensorRef to_dtype(const TensorRef& t, DType dtype) {
    if (t->dtype() == dtype) return t;
    TensorRef r = Tensor::empty(t->sizes(), dtype, t->device());
    copy_into(*r, *t);
    return r;
}

TensorRef contiguous(const TensorRef& t) {
    if (t->is_contiguous()) return t;
    TensorRef r = Tensor::empty(t->sizes(), t->dtype(), t->device());
    copy_into(*r, *t);
    return r;
}

bool can_cast(DType from, DType to) {
    if (dtype_is_floating(from) && !dtype_is_floating(to)) return false;
    if (from != DType::Bool && to == DType::Bool) return false;
    return true;
}

TensorRef prepare_out(Tensor* out, const Shape& shape, DType dtype, Device device, const char* op) {
    if (out == nullptr) return Tensor::empty(shape, dtype, device);
    if (out->sizes() != shape)
        fail(WK_ERR_SHAPE, op, ": the output tensor has shape ", out->sizes(), " but the result has shape ", shape);
    if (out->device() != device)
        fail(WK_ERR_DEVICE, op, ": the output tensor is on ", out->device(), " but the inputs are on ", device);
    if (!can_cast(dtype, out->dtype()))
        fail(WK_ERR_DTYPE, op, ": the result type ", dtype_name(dtype), " cannot be written into an output of type ",
             dtype_name(out->dtype()));
    check_writable(*out, op);
    if (out->dtype() == dtype) return Ref<Tensor>::retain(out);
    return Tensor::empty(shape, dtype, device);  // computed here, converted into out by finish_out
}

TensorRef finish_out(Tensor* out, const TensorRef& result) {
    if (out == nullptr) return result;
    if (result.get() != out) copy_into(*out, *result);
    out->storage().bump_version();
    return Ref<Tensor>::retain(out);
}

}  // namespace wick
