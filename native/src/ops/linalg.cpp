#include "ops/linalg.h"

#include "ops/common.h"
#include "ops/elementwise.h"
#include "ops/views.h"

namespace wick {

namespace {

// Views t (..., r, c), already expanded to the batch shape, as 3-D (batch, r, c) without copying
// when its batch strides allow, else as a contiguous copy.
TensorRef as_batched(const TensorRef& t, int64_t batch) {
    int nd = t->ndim();
    int64_t r = t->size(nd - 2), c = t->size(nd - 1);
    Shape batch_sizes, batch_strides;
    for (int i = 0; i < nd - 2; ++i) {
        batch_sizes.push_back(t->size(i));
        batch_strides.push_back(t->stride(i));
    }
    // The batch dims collapse to one stride when each is a multiple of the next (or broadcast as a whole).
    bool all_zero = true, collapsible = true;
    for (int i = 0; i < batch_sizes.ndim; ++i) all_zero = all_zero && (batch_strides[i] == 0 || batch_sizes[i] == 1);
    int64_t stride = 0;
    if (!all_zero) {
        int64_t expected = -1;
        for (int i = batch_sizes.ndim - 1; i >= 0; --i) {
            if (batch_sizes[i] == 1) continue;
            if (expected < 0) {
                stride = batch_strides[i];
                expected = stride * batch_sizes[i];
            } else if (batch_strides[i] != expected) {
                collapsible = false;
                break;
            } else {
                expected *= batch_sizes[i];
            }
        }
        collapsible = collapsible && stride != 0;
    }
    if (all_zero || collapsible)
        return as_strided(t, Shape{batch, r, c}, Shape{stride, t->stride(nd - 2), t->stride(nd - 1)}, t->offset());
    TensorRef cont = contiguous(t);
    return view(cont, Shape{batch, r, c});
}

}  // namespace

TensorRef matmul(const TensorRef& a_in, const TensorRef& b_in, Tensor* out) {
    check(a_in->ndim() >= 1 && b_in->ndim() >= 1, WK_ERR_SHAPE, "matmul: both arguments need at least 1 dimension, got shapes ",
          a_in->sizes(), " and ", b_in->sizes());
    check_same_device(*a_in, *b_in, "matmul");
    DType dt = promote_types(a_in->dtype(), b_in->dtype());
    check(dt != DType::Bool, WK_ERR_DTYPE, "matmul: not supported for bool tensors");
    DType compute = compute_dtype_on(a_in->device(), dt);

    // 1-D operands become matrices: a (n) -> (1, n); b (n) -> (n, 1); the extra dims are dropped at the end.
    const bool a_vec = a_in->ndim() == 1, b_vec = b_in->ndim() == 1;
    TensorRef a = a_vec ? unsqueeze(a_in, 0) : a_in;
    TensorRef b = b_vec ? unsqueeze(b_in, 1) : b_in;
    int64_t n = a->size(a->ndim() - 2), k = a->size(a->ndim() - 1);
    int64_t k2 = b->size(b->ndim() - 2), m = b->size(b->ndim() - 1);
    if (k != k2)
        fail(WK_ERR_SHAPE, "matmul: shapes ", a_in->sizes(), " and ", b_in->sizes(), " cannot be multiplied (", n, "x", k,
             " and ", k2, "x", m, "): the inner dimensions ", k, " and ", k2, " must match");

    // Broadcast batch dimensions.
    Shape a_batch, b_batch;
    for (int i = 0; i < a->ndim() - 2; ++i) a_batch.push_back(a->size(i));
    for (int i = 0; i < b->ndim() - 2; ++i) b_batch.push_back(b->size(i));
    Shape batch = broadcast_shapes(a_batch, b_batch, "matmul");
    int64_t nbatch = batch.numel();

    Shape a_full = batch, b_full = batch;
    a_full.push_back(n); a_full.push_back(k);
    b_full.push_back(k); b_full.push_back(m);
    TensorRef a3 = as_batched(expand(to_dtype(a, compute), a_full), nbatch);
    TensorRef b3 = as_batched(expand(to_dtype(b, compute), b_full), nbatch);

    Shape result_shape = batch;
    if (!a_vec) result_shape.push_back(n);
    if (!b_vec) result_shape.push_back(m);

    TensorRef target = prepare_out(out, result_shape, dt, a->device(), "matmul");
    TensorRef c = target->dtype() == compute && target->is_contiguous() ? target : Tensor::empty(result_shape, compute, a->device());
    if (c->numel() > 0) {
        View cv = view_with(*c, Shape{nbatch, n, m}, Shape{n * m, m, 1});
        const Backend& be = backend_for(a->device());
        launch(be, be.linalg->bmm, "matmul", cv, view_of(*a3), view_of(*b3));
    }
    if (c.get() != target.get()) copy_into(*target, *c);
    return finish_out(out, target);
}

}  // namespace wick
