// Argument checks, shapes and dtypes of the index-tensor ops; the kernels live in
// cpu/index_gather.cpp and cpu/index_scatter.cpp. A 0-d x is handled as a 1-element vector.
#include "ops/indexing.h"

#include "ops/common.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "ops/factory.h"
#include "ops/index_helpers.h"
#include "ops/masked.h"
#include "ops/reduce.h"
#include "ops/views.h"

namespace wick {

namespace {

// t viewed with at least one dimension (0-d becomes (1)).
TensorRef at_least_1d(const TensorRef& t) { return t->ndim() == 0 ? view(t, Shape{1}) : t; }

// The index as a 1-D kernel view (a 0-d index is one entry).
View index_vector(const TensorRef& index) {
    return index->ndim() == 0 ? view_with(*index, Shape{1}, Shape{1}) : view_of(*index);
}

void check_vector_index(const Tensor& index, const char* op) {
    check(index.ndim() <= 1, WK_ERR_SHAPE, op, ": the index must be a vector (0-d or 1-D), got shape ", index.sizes(),
          "; flatten it first");
}

// x's shape with dimension d of size n.
Shape with_size(const Shape& s, int d, int64_t n) {
    Shape r = s;
    r[d] = n;
    return r;
}

// Runs the index_reduce kernel on target (x's dtype), computing f16/bf16 accumulation in float32.
void run_index_reduce(wk_scatter_mode mode, const TensorRef& target, int d, const TensorRef& index, const View& src,
                      const TensorRef* src_owner, bool wrap, const char* op) {
    const Backend& be = backend_for(target->device());
    const DType compute = compute_dtype_on(target->device(), target->dtype());
    if (mode == WK_SCATTER_ADD && compute != target->dtype()) {
        TensorRef t = to_dtype(target, compute);
        TensorRef s = to_dtype(*src_owner, compute);
        launch(be, shape_kernels(be).index_reduce, op, mode, view_of(*at_least_1d(t)), d, index_vector(index),
               view_of(*at_least_1d(s)), wrap, op);
        copy_into(*target, *t);
        return;
    }
    launch(be, shape_kernels(be).index_reduce, op, mode, view_of(*at_least_1d(target)), d, index_vector(index), src,
           wrap, op);
}

// Shared by index_add and index_copy: source must have x's shape with dim of size index.numel().
TensorRef index_reduce_op(wk_scatter_mode mode, const TensorRef& x, int64_t dim, const TensorRef& index,
                          const TensorRef& source, bool allow_int32, Tensor* out, const char* op) {
    check_same_device(*x, *index, op);
    check_same_device(*x, *source, op);
    check_index_dtype(*index, allow_int32, op);
    check_vector_index(*index, op);
    const int d = wrap_dim(dim, x->ndim(), op);
    check(source->dtype() == x->dtype(), WK_ERR_DTYPE, op, ": x (", dtype_name(x->dtype()), ") and source (",
          dtype_name(source->dtype()), ") must have the same dtype; convert source with To(DType)");
    const TensorRef x1 = at_least_1d(x);
    const Shape expected = with_size(x1->sizes(), d, index->numel());
    const TensorRef src1 = at_least_1d(source);
    check(src1->sizes() == expected, WK_ERR_SHAPE, op, ": source has shape ", source->sizes(), " but expected ",
          expected, " (x's shape ", x->sizes(), " with dimension ", d, " of size index.numel() = ", index->numel(), ")");
    TensorRef target = modify_target(x, out, op);
    if (index->numel() > 0) run_index_reduce(mode, target, d, index, view_of(*src1), &src1, false, op);
    return finish_modified(out, target);
}

}  // namespace

TensorRef index_select(const TensorRef& x, int64_t dim, const TensorRef& index, Tensor* out) {
    const char* op = "index_select";
    check_same_device(*x, *index, op);
    check_index_dtype(*index, true, op);
    check_vector_index(*index, op);
    const int d = wrap_dim(dim, x->ndim(), op);
    const TensorRef x1 = at_least_1d(x);
    const Shape shape = with_size(x1->sizes(), d, index->numel());
    TensorRef result = prepare_out(out, x->ndim() == 0 ? index->sizes() : shape, x->dtype(), x->device(), op);
    if (index->numel() > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).index_select, op, view_of(*view(result, shape)), view_of(*x1), d,
               index_vector(index), false, op);
    }
    return finish_out(out, result);
}

TensorRef gather(const TensorRef& x, int64_t dim, const TensorRef& index, Tensor* out) {
    const char* op = "gather";
    check_same_device(*x, *index, op);
    check_index_dtype(*index, false, op);
    const int d = wrap_dim(dim, x->ndim(), op);
    check(index->ndim() == x->ndim(), WK_ERR_SHAPE, op, ": the index tensor must have the same number of dimensions as x: got index shape ",
          index->sizes(), " and x shape ", x->sizes());
    for (int k = 0; k < x->ndim(); ++k)
        check(k == d || index->size(k) <= x->size(k), WK_ERR_SHAPE, op, ": size does not match at dimension ", k,
              ": expected index ", index->sizes(), " to be no larger than x ", x->sizes(), " apart from dimension ", d);
    TensorRef result = prepare_out(out, index->sizes(), x->dtype(), x->device(), op);
    if (index->numel() > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).gather, op, view_of(*at_least_1d(result)), view_of(*at_least_1d(x)), d,
               view_of(*at_least_1d(index)), op);
    }
    return finish_out(out, result);
}

TensorRef scatter(const TensorRef& x, int64_t dim, const TensorRef& index, const Tensor* src, const Scalar* value,
                  wk_scatter_mode mode, Tensor* out) {
    const char* op = mode == WK_SCATTER_ADD ? "scatter_add" : "scatter";
    check(mode == WK_SCATTER_ADD || mode == WK_SCATTER_ASSIGN, WK_ERR_INVALID_ARGUMENT, "scatter: unknown mode ",
          static_cast<int>(mode));
    check_same_device(*x, *index, op);
    check_index_dtype(*index, false, op);
    const int d = wrap_dim(dim, x->ndim(), op);
    check(index->ndim() == x->ndim(), WK_ERR_SHAPE, op, ": the index tensor must have the same number of dimensions as x: got index shape ",
          index->sizes(), " and x shape ", x->sizes());
    TensorRef src_ref;
    if (src != nullptr) {
        src_ref = TensorRef::retain(const_cast<Tensor*>(src));
        check_same_device(*x, *src, op);
        check(src->dtype() == x->dtype(), WK_ERR_DTYPE, op, ": src (", dtype_name(src->dtype()),
              ") must have the same dtype as x (", dtype_name(x->dtype()), "); convert it with To(DType)");
        check(src->ndim() == x->ndim(), WK_ERR_SHAPE, op, ": src must have the same number of dimensions as x: got src shape ",
              src->sizes(), " and x shape ", x->sizes());
    } else {
        check(value != nullptr, WK_ERR_INVALID_ARGUMENT, op, ": give a src tensor or a value");
        src_ref = fill_value(value, nullptr, x->dtype(), x->device(), op);
    }
    for (int k = 0; k < x->ndim(); ++k) {
        check(k == d || index->size(k) <= x->size(k), WK_ERR_SHAPE, op, ": expected index ", index->sizes(),
              " to be no larger than x ", x->sizes(), " apart from dimension ", d);
        check(src == nullptr || index->size(k) <= src->size(k), WK_ERR_SHAPE, op, ": expected index ", index->sizes(),
              " to be no larger than src ", src ? src->sizes() : Shape{}, " in every dimension");
    }
    TensorRef target = modify_target(x, out, op);
    if (index->numel() > 0) {
        const TensorRef idx1 = at_least_1d(index);
        const Backend& be = backend_for(x->device());
        const DType compute = compute_dtype_on(x->device(), x->dtype());
        TensorRef work = mode == WK_SCATTER_ADD ? to_dtype(target, compute) : target;
        TensorRef s = to_dtype(src_ref, work->dtype());
        // src read at index's sizes; a scalar value is broadcast (stride 0).
        View sv = src != nullptr ? view_with(*s, idx1->sizes(), at_least_1d(s)->strides())
                                 : broadcast_view(*s, idx1->sizes());
        launch(be, shape_kernels(be).scatter, op, mode, view_of(*at_least_1d(work)), d, view_of(*idx1), sv, op);
        if (work.get() != target.get()) copy_into(*target, *work);
    }
    return finish_modified(out, target);
}

TensorRef index_add(const TensorRef& x, int64_t dim, const TensorRef& index, const TensorRef& source,
                    const Scalar* alpha, Tensor* out) {
    const char* op = "index_add";
    TensorRef src = source;
    if (alpha != nullptr && !(alpha->is_float() ? alpha->f == 1.0 : alpha->i == 1)) {
        check(!alpha->is_float() || dtype_is_floating(x->dtype()), WK_ERR_INVALID_ARGUMENT, op,
              ": alpha must be an integer for an integral tensor (", dtype_name(x->dtype()), "), got ", alpha->f);
        check(source->dtype() == x->dtype(), WK_ERR_DTYPE, op, ": x (", dtype_name(x->dtype()), ") and source (",
              dtype_name(source->dtype()), ") must have the same dtype; convert source with To(DType)");
        src = binary_scalar(WK_BINARY_MUL, source, *alpha, false, nullptr);
        src = to_dtype(src, x->dtype());
    }
    return index_reduce_op(WK_SCATTER_ADD, x, dim, index, src, true, out, op);
}

TensorRef index_copy(const TensorRef& x, int64_t dim, const TensorRef& index, const TensorRef& source, Tensor* out) {
    return index_reduce_op(WK_SCATTER_ASSIGN, x, dim, index, source, false, out, "index_copy");
}

TensorRef index_fill(const TensorRef& x, int64_t dim, const TensorRef& index, const Scalar* value,
                     const Tensor* value_tensor, Tensor* out) {
    const char* op = "index_fill";
    check_same_device(*x, *index, op);
    check_index_dtype(*index, false, op);
    check_vector_index(*index, op);
    const int d = wrap_dim(dim, x->ndim(), op);
    TensorRef v = fill_value(value, value_tensor, x->dtype(), x->device(), op);
    TensorRef target = modify_target(x, out, op);
    if (index->numel() > 0) {
        const Shape shape = with_size(at_least_1d(x)->sizes(), d, index->numel());
        run_index_reduce(WK_SCATTER_ASSIGN, target, d, index, broadcast_view(*v, shape), nullptr, false, op);
    }
    return finish_modified(out, target);
}

TensorRef one_hot(const TensorRef& index, int64_t num_classes) {
    const char* op = "one_hot";
    check(index->dtype() == DType::I64, WK_ERR_DTYPE, op, ": expected an int64 tensor of class indices, got ",
          dtype_name(index->dtype()), "; convert it with To(DType.Int64)");
    if (index->numel() == 0) {
        check(num_classes >= 0, WK_ERR_INVALID_ARGUMENT, op,
              ": cannot infer the number of classes from an empty tensor; pass num_classes");
    } else if (num_classes < 0 || index->device().is_cpu()) {
        // Reading min and max back waits for the device. With num_classes given, a GPU leaves the check to the
        // scatter below, which reports a bad class as an index error of the class dimension at the next synchronisation
        // (as PyTorch leaves it to a device-side assert there).
        const int64_t lo = item(reduce(WK_REDUCE_MIN, index, nullptr, 0, false, 0, -1, nullptr)).i;
        const int64_t hi = item(reduce(WK_REDUCE_MAX, index, nullptr, 0, false, 0, -1, nullptr)).i;
        check(lo >= 0, WK_ERR_INDEX, op, ": class values must be non-negative, got ", lo);
        if (num_classes < 0) num_classes = hi + 1;
        check(hi < num_classes, WK_ERR_INDEX, op, ": class values must be smaller than num_classes (", num_classes,
              "), got ", hi);
    }
    Shape shape = index->sizes();
    shape.push_back(num_classes);
    TensorRef result = full(shape, DType::I64, index->device(), Scalar::from_int(0));
    if (index->numel() > 0) {
        const int last = shape.ndim - 1;
        TensorRef idx = unsqueeze(index, last);
        TensorRef one = full(Shape{}, DType::I64, index->device(), Scalar::from_int(1));
        const Backend& be = backend_for(index->device());
        launch(be, shape_kernels(be).scatter, op, WK_SCATTER_ASSIGN, view_of(*result), last, view_of(*idx),
               broadcast_view(*one, idx->sizes()), op);
    }
    return result;
}

namespace {

// Checks a bool mask over x's dims [d, d + k) and returns it viewed and expanded to x's shape.
TensorRef expand_mask(const TensorRef& x, int d, const TensorRef& mask, const char* op) {
    const int k = mask->ndim();
    check(d + k <= x->ndim(), WK_ERR_INDEX, op, ": too many indices for a tensor of dimension ", x->ndim(),
          " (a mask of shape ", mask->sizes(), " at dimension ", d, ")");
    for (int j = 0; j < k; ++j)
        check(mask->size(j) == x->size(d + j), WK_ERR_INDEX, op, ": the shape of the mask ", mask->sizes(), " at index ", j,
              " does not match the shape of the indexed tensor ", x->sizes(), " at index ", d + j);
    TensorRef m = insert_unit_dims(insert_unit_dims(mask, 0, d), d + k, x->ndim() - d - k);
    return expand(m, x->sizes());
}

// x's shape with dims [d, d + k) replaced by `middle`.
Shape replace_dims(const Shape& s, int d, int k, const Shape& middle) {
    Shape r;
    for (int i = 0; i < d; ++i) r.push_back(s[i]);
    for (int i = 0; i < middle.ndim; ++i) r.push_back(middle[i]);
    for (int i = d + k; i < s.ndim; ++i) r.push_back(s[i]);
    return r;
}

int64_t count_true(const Tensor& mask) {
    int64_t count = 0;
    const Backend& be = backend_for(mask.device());
    if (mask.numel() > 0) launch(be, shape_kernels(be).count_nonzero, "count_nonzero", view_of(mask), &count);
    return count;
}

// True when a tensor of shape `from` broadcasts to exactly `to`.
bool broadcasts_to(const Shape& from, const Shape& to) {
    if (from.ndim > to.ndim) return false;
    for (int i = 0; i < from.ndim; ++i) {
        int64_t f = from[from.ndim - 1 - i], t = to[to.ndim - 1 - i];
        if (f != t && f != 1) return false;
    }
    return true;
}

void check_index_tensor_dtype(const Tensor& index, const char* op) {
    DType t = index.dtype();
    check(t == DType::I64 || t == DType::I32 || t == DType::Bool, WK_ERR_DTYPE, op,
          ": tensors used as indices must be int64, int32 or bool, got ", dtype_name(t));
}

}  // namespace

TensorRef index(const TensorRef& x, int64_t dim, const TensorRef& idx) {
    const char* op = "index";
    check_same_device(*x, *idx, op);
    check_index_tensor_dtype(*idx, op);
    if (idx->dtype() == DType::Bool) {
        const int d = wrap_dim(dim, x->ndim() + 1, op);
        if (idx->ndim() == 0) {  // x[True] adds a dimension of size 1, x[False] one of size 0
            TensorRef r = unsqueeze(x, d);
            return clone(item(idx).i != 0 ? r : slice(r, d, 0, 0, 1));
        }
        TensorRef m = expand_mask(x, d, idx, op);
        const int64_t count = count_true(*idx);
        TensorRef flat = masked_select(x, m);
        return view(flat, replace_dims(x->sizes(), d, idx->ndim(), Shape{count}));
    }
    check(x->ndim() > 0, WK_ERR_INDEX, op, ": cannot index a 0-d tensor with an integer index tensor");
    const int d = wrap_dim(dim, x->ndim(), op);
    const Shape result_shape = replace_dims(x->sizes(), d, 1, idx->sizes());
    const Shape kernel_shape = with_size(x->sizes(), d, idx->numel());
    TensorRef result = Tensor::empty(result_shape, x->dtype(), x->device());
    if (idx->numel() > 0) {
        const Backend& be = backend_for(x->device());
        TensorRef flat = reshape(idx, Shape{idx->numel()});
        launch(be, shape_kernels(be).index_select, op, view_of(*view(result, kernel_shape)), view_of(*x), d,
               view_of(*flat), true, op);
    }
    return result;
}

void index_put_(const TensorRef& x, int64_t dim, const TensorRef& idx, const TensorRef& values, bool accumulate) {
    const char* op = "index_put_";
    check_same_device(*x, *idx, op);
    check_same_device(*x, *values, op);
    check_index_tensor_dtype(*idx, op);
    check_writable(*x, op);
    auto fit_values = [&](const Shape& shape) {
        check(broadcasts_to(values->sizes(), shape), WK_ERR_SHAPE, op,
              ": shape mismatch: the value tensor of shape ", values->sizes(),
              " cannot be broadcast to the indexing result of shape ", shape);
        return expand(to_dtype(values, x->dtype()), shape);
    };
    if (idx->dtype() == DType::Bool) {
        const int d = wrap_dim(dim, x->ndim() + 1, op);
        if (idx->ndim() == 0) {
            TensorRef r = unsqueeze(x, d);
            TensorRef v = fit_values(r->sizes());
            if (item(idx).i == 0) return;
            if (accumulate) v = binary(WK_BINARY_ADD, r, v, nullptr);
            copy_into(*r, *v);
            x->storage().bump_version();
            return;
        }
        TensorRef m = expand_mask(x, d, idx, op);
        const int64_t count = count_true(*idx);
        TensorRef v = contiguous(fit_values(replace_dims(x->sizes(), d, idx->ndim(), Shape{count})));
        if (accumulate && v->numel() > 0) v = binary(WK_BINARY_ADD, view(masked_select(x, m), v->sizes()), v, nullptr);
        if (v->numel() > 0) {
            const Backend& be = backend_for(x->device());
            launch(be, shape_kernels(be).masked_scatter, op, view_of(*x), view_of(*m), view_of(*contiguous(v)));
        }
        x->storage().bump_version();
        return;
    }
    check(x->ndim() > 0, WK_ERR_INDEX, op, ": cannot index a 0-d tensor with an integer index tensor");
    const int d = wrap_dim(dim, x->ndim(), op);
    TensorRef v = fit_values(replace_dims(x->sizes(), d, 1, idx->sizes()));
    if (idx->numel() > 0) {
        TensorRef src = reshape(v, with_size(x->sizes(), d, idx->numel()));
        TensorRef flat = reshape(idx, Shape{idx->numel()});
        run_index_reduce(accumulate ? WK_SCATTER_ADD : WK_SCATTER_ASSIGN, x, d, flat, view_of(*src), &src, true, op);
    }
    x->storage().bump_version();
}

}  // namespace wick
