// Shapes and checks of the sorting ops; kernels in cpu/sort.cpp. A 0-d x sorts as one element.
#include "ops/sort.h"

#include "ops/common.h"
#include "ops/factory.h"
#include "ops/index_helpers.h"
#include "ops/views.h"

namespace wick {

namespace {

TensorRef at_least_1d(const TensorRef& t) { return t->ndim() == 0 ? view(t, Shape{1}) : t; }

}  // namespace

std::pair<TensorRef, TensorRef> sort(const TensorRef& x, int64_t dim, bool descending) {
    const char* op = "sort";
    const int d = wrap_dim(dim, x->ndim(), op);
    TensorRef values = Tensor::empty(x->sizes(), x->dtype(), x->device());
    TensorRef indices = Tensor::empty(x->sizes(), DType::I64, x->device());
    if (x->numel() > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).sort, op, view_of(*at_least_1d(values)), view_of(*at_least_1d(indices)),
               view_of(*at_least_1d(x)), d, descending);
    }
    return {values, indices};
}

std::pair<TensorRef, TensorRef> topk(const TensorRef& x, int64_t k, int64_t dim, bool largest) {
    const char* op = "topk";
    const int d = wrap_dim(dim, x->ndim(), op);
    const TensorRef x1 = at_least_1d(x);
    const int64_t n = x1->size(d);
    check(k >= 0 && k <= n, WK_ERR_INDEX, op, ": k (", k, ") is out of range for dimension ", d, " of size ", n,
          " (shape ", x->sizes(), ")");
    Shape shape = x1->sizes();
    shape[d] = k;
    TensorRef values = Tensor::empty(shape, x->dtype(), x->device());
    TensorRef indices = Tensor::empty(shape, DType::I64, x->device());
    if (values->numel() > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).topk, op, view_of(*values), view_of(*indices), view_of(*x1), d, k, largest);
    }
    if (x->ndim() == 0 && k == 1) return {view(values, Shape{}), view(indices, Shape{})};
    return {values, indices};
}

UniqueResult unique(const TensorRef& x, bool want_inverse, bool want_counts) {
    const char* op = "unique";
    const int64_t n = x->numel();
    TensorRef flat = reshape(x, Shape{n});
    auto [sorted, perm] = sort(flat, 0, false);
    TensorRef values = Tensor::empty(Shape{n}, x->dtype(), x->device());
    TensorRef inverse = want_inverse ? Tensor::empty(x->sizes(), DType::I64, x->device()) : TensorRef();
    TensorRef counts = want_counts ? Tensor::empty(Shape{n}, DType::I64, x->device()) : TensorRef();
    int64_t count = 0;
    if (n > 0) {
        View none;  // data == nullptr: not wanted
        none.dtype = DType::I64;
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).unique_sorted, op, view_of(*values), inverse ? view_of(*inverse) : none,
               counts ? view_of(*counts) : none, view_of(*sorted), view_of(*perm), &count);
    }
    UniqueResult r;
    r.values = slice(values, 0, 0, count, 1);
    r.inverse = inverse;
    if (counts) r.counts = slice(counts, 0, 0, count, 1);
    return r;
}

}  // namespace wick
