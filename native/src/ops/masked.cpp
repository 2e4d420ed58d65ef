// Argument checks and shapes of the mask-driven ops; kernels in cpu/masked.cpp. Out of place, x
// and the mask broadcast together (PyTorch); in place (out == x) the mask must broadcast to x.
#include "ops/masked.h"

#include "ops/common.h"
#include "ops/index_helpers.h"
#include "ops/views.h"

namespace wick {

namespace {

// The result shape: broadcast(x, mask), which must be x's own shape when writing into x.
Shape masked_shape(const Tensor& x, const Tensor& mask, const Tensor* out, const char* op) {
    Shape shape = broadcast_shapes(x.sizes(), mask.sizes(), op);
    if (out == &x)
        check(shape == x.sizes(), WK_ERR_SHAPE, op, ": the mask of shape ", mask.sizes(),
              " cannot be broadcast to the shape ", x.sizes(), " of the tensor updated in place");
    return shape;
}

// The tensor to write into: x itself in place, else a new result (or out) holding x broadcast.
TensorRef masked_target(const TensorRef& x, const Shape& shape, Tensor* out, const char* op) {
    if (out == x.get()) {
        check_writable(*x, op);
        return x;
    }
    TensorRef t = prepare_out(out, shape, x->dtype(), x->device(), op);
    if (t->numel() > 0) copy_into(*t, *x);
    return t;
}

int64_t count_nonzero_of(const View& v, Device device) {
    int64_t count = 0;
    if (v.numel() == 0) return 0;
    const Backend& be = backend_for(device);
    launch(be, shape_kernels(be).count_nonzero, "count_nonzero", v, &count);
    return count;
}

}  // namespace

TensorRef masked_fill(const TensorRef& x, const TensorRef& mask, const Scalar* value, const Tensor* value_tensor,
                      Tensor* out) {
    const char* op = "masked_fill";
    check_same_device(*x, *mask, op);
    check_mask_dtype(*mask, op);
    const Shape shape = masked_shape(*x, *mask, out, op);
    TensorRef v = fill_value(value, value_tensor, x->dtype(), x->device(), op);
    TensorRef target = masked_target(x, shape, out, op);
    if (target->numel() > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).masked_fill, op, view_of(*target), broadcast_view(*mask, shape),
               broadcast_view(*v, shape));
    }
    return finish_out(out, target);
}

TensorRef masked_select(const TensorRef& x, const TensorRef& mask) {
    const char* op = "masked_select";
    check_same_device(*x, *mask, op);
    check_mask_dtype(*mask, op);
    const Shape shape = broadcast_shapes(x->sizes(), mask->sizes(), op);
    const View mv = broadcast_view(*mask, shape);
    const int64_t count = count_nonzero_of(mv, x->device());
    TensorRef result = Tensor::empty(Shape{count}, x->dtype(), x->device());
    if (count > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).masked_select, op, view_of(*result), broadcast_view(*x, shape), mv);
    }
    return result;
}

TensorRef masked_scatter(const TensorRef& x, const TensorRef& mask, const TensorRef& source, Tensor* out) {
    const char* op = "masked_scatter";
    check_same_device(*x, *mask, op);
    check_same_device(*x, *source, op);
    check_mask_dtype(*mask, op);
    check(source->dtype() == x->dtype(), WK_ERR_DTYPE, op, ": x (", dtype_name(x->dtype()), ") and source (",
          dtype_name(source->dtype()), ") must have the same dtype; convert source with To(DType)");
    const Shape shape = masked_shape(*x, *mask, out, op);
    const View mv = broadcast_view(*mask, shape);
    const int64_t count = count_nonzero_of(mv, x->device());
    check(source->numel() >= count, WK_ERR_SHAPE, op, ": the mask selects ", count, " positions but the source has only ",
          source->numel(), " elements (shape ", source->sizes(), ")");
    TensorRef src = contiguous(source);
    TensorRef target = masked_target(x, shape, out, op);
    if (count > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).masked_scatter, op, view_of(*target), mv, view_of(*src));
    }
    return finish_out(out, target);
}

TensorRef nonzero(const TensorRef& x) {
    const View xv = view_of(*x);
    const int64_t count = count_nonzero_of(xv, x->device());
    TensorRef result = Tensor::empty(Shape{count, x->ndim()}, DType::I64, x->device());
    if (count > 0 && x->ndim() > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).nonzero, "nonzero", view_of(*result), xv);
    }
    return result;
}

}  // namespace wick
