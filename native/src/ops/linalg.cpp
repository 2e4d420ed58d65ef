#include "ops/linalg.h"

#include <cmath>

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

DType product_dtype(const Tensor& a, const Tensor& b, const char* op) {
    check_same_device(a, b, op);
    DType dt = promote_types(a.dtype(), b.dtype());
    check(dt != DType::Bool, WK_ERR_DTYPE, op, ": not supported for bool tensors; convert them with To(DType.Int64) or a float type");
    return dt;
}

// result (shape `result_shape`, dtype dt) = alpha * a3 @ b3 + beta * init, where a3 is (B, n, k) and
// b3 (B, k, m) in the compute dtype and init (broadcast to the result) is only read when beta != 0.
TensorRef run_product(const TensorRef& a3, const TensorRef& b3, const Shape& result_shape, DType dt, Tensor* out,
                      const char* op, double alpha = 1.0, double beta = 0.0, const TensorRef* init = nullptr) {
    const int64_t nbatch = a3->size(0), n = a3->size(1), m = b3->size(2);
    const DType compute = a3->dtype();
    TensorRef target = prepare_out(out, result_shape, dt, a3->device(), op);
    const Backend& be = backend_for(a3->device());
    // The GEMM writes C while it still reads A and B: an out that shares memory with an operand gets a temporary.
    // Without a GEMM the product lands in C before init is read, so an out sharing init's memory (in-place
    // addmm) needs one too.
    const bool init_read_late = be.linalg->gemm == nullptr && beta != 0 && init != nullptr;
    const bool aliased = &target->storage() == &a3->storage() || &target->storage() == &b3->storage() ||
                         (init_read_late && &target->storage() == &(*init)->storage());
    TensorRef c = target->dtype() == compute && target->is_contiguous() && !aliased ? target
                                                                                    : Tensor::empty(result_shape, compute, a3->device());
    View cv = view_with(*c, Shape{nbatch, n, m}, Shape{n * m, m, 1});
    if (c->numel() > 0 && be.linalg->gemm != nullptr) {
        if (beta != 0 && init != nullptr) copy_into(*c, **init);
        launch(be, be.linalg->gemm, op, cv, view_of(*a3), view_of(*b3), alpha, beta);
    } else if (c->numel() > 0) {
        // A backend with only the plain product (bmm): scale and add the input with elementwise ops.
        auto scalar = [&](double v) {
            return dtype_is_floating(compute) ? Scalar::from_double(v) : Scalar::from_int(static_cast<int64_t>(v));
        };
        launch(be, be.linalg->bmm, op, cv, view_of(*a3), view_of(*b3));
        if (alpha != 1) binary_scalar(WK_BINARY_MUL, c, scalar(alpha), false, c.get());
        if (beta != 0 && init != nullptr) {
            TensorRef scaled = beta == 1 ? *init : binary_scalar(WK_BINARY_MUL, *init, scalar(beta), false, nullptr);
            binary(WK_BINARY_ADD, c, scaled, c.get());
        }
    }
    if (c.get() != target.get()) copy_into(*target, *c);
    return finish_out(out, target);
}

// A 2-D tensor as a one-batch 3-D view (no copy).
TensorRef batch1(const TensorRef& t) {
    return as_strided(t, Shape{1, t->size(0), t->size(1)}, Shape{0, t->stride(0), t->stride(1)}, t->offset());
}

void check_ndim(const Tensor& t, int nd, const char* op, const char* what) {
    if (t.ndim() != nd)
        fail(WK_ERR_SHAPE, op, ": expected ", what, " to be ", nd, "-D, got shape ", t.sizes(),
             nd == 1 ? "; flatten it or use MatMul" : "; use MatMul for other ranks");
}

}  // namespace

TensorRef matmul(const TensorRef& a_in, const TensorRef& b_in, Tensor* out) {
    check(a_in->ndim() >= 1 && b_in->ndim() >= 1, WK_ERR_SHAPE, "matmul: both arguments need at least 1 dimension, got shapes ",
          a_in->sizes(), " and ", b_in->sizes());
    DType dt = product_dtype(*a_in, *b_in, "matmul");
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
    return run_product(a3, b3, result_shape, dt, out, "matmul");
}

TensorRef bmm(const TensorRef& a, const TensorRef& b, Tensor* out) {
    check_ndim(*a, 3, "bmm", "the first argument");
    check_ndim(*b, 3, "bmm", "the second argument");
    DType dt = product_dtype(*a, *b, "bmm");
    if (a->size(0) != b->size(0) || a->size(2) != b->size(1))
        fail(WK_ERR_SHAPE, "bmm: shapes ", a->sizes(), " and ", b->sizes(), " cannot be multiplied: need (B, n, k) and (B, k, m)",
             " with the same batch size B and inner size k (MatMul broadcasts batch dimensions)");
    DType compute = compute_dtype_on(a->device(), dt);
    return run_product(to_dtype(a, compute), to_dtype(b, compute), Shape{a->size(0), a->size(1), b->size(2)}, dt, out, "bmm");
}

TensorRef addmm(const TensorRef& input, const TensorRef& mat1, const TensorRef& mat2, double beta, double alpha, Tensor* out) {
    check_ndim(*mat1, 2, "addmm", "mat1");
    check_ndim(*mat2, 2, "addmm", "mat2");
    check_same_device(*input, *mat1, "addmm");
    DType dt = promote_types(input->dtype(), product_dtype(*mat1, *mat2, "addmm"));
    check(dt != DType::Bool, WK_ERR_DTYPE, "addmm: not supported for bool tensors");
    if (mat1->size(1) != mat2->size(0))
        fail(WK_ERR_SHAPE, "addmm: mat1 ", mat1->sizes(), " and mat2 ", mat2->sizes(), " cannot be multiplied: the inner dimensions ",
             mat1->size(1), " and ", mat2->size(0), " must match");
    check(std::isfinite(alpha) && std::isfinite(beta), WK_ERR_INVALID_ARGUMENT, "addmm: alpha and beta must be finite, got ", alpha,
          " and ", beta);
    if (!dtype_is_floating(dt))
        check(alpha == std::floor(alpha) && beta == std::floor(beta), WK_ERR_INVALID_ARGUMENT,
              "addmm: alpha and beta must be integers for ", dtype_name(dt), " tensors, got ", alpha, " and ", beta);
    const Shape result_shape{mat1->size(0), mat2->size(1)};
    // The message of broadcast_shapes names the op; the result must keep the product's shape.
    if (broadcast_shapes(input->sizes(), result_shape, "addmm") != result_shape)
        fail(WK_ERR_SHAPE, "addmm: input of shape ", input->sizes(), " does not broadcast to the product's shape ", result_shape);
    DType compute = compute_dtype_on(mat1->device(), dt);
    TensorRef init = to_dtype(input, compute);
    return run_product(batch1(to_dtype(mat1, compute)), batch1(to_dtype(mat2, compute)), result_shape, dt, out, "addmm", alpha,
                       beta, &init);
}

TensorRef outer(const TensorRef& a, const TensorRef& b, Tensor* out) {
    check_ndim(*a, 1, "outer", "the first argument");
    check_ndim(*b, 1, "outer", "the second argument");
    DType dt = product_dtype(*a, *b, "outer");
    DType compute = compute_dtype_on(a->device(), dt);
    TensorRef ac = to_dtype(a, compute), bc = to_dtype(b, compute);
    // (n) -> (1, n, 1) and (m) -> (1, 1, m): a product with k = 1.
    TensorRef a3 = as_strided(ac, Shape{1, a->size(0), 1}, Shape{0, ac->stride(0), 1}, ac->offset());
    TensorRef b3 = as_strided(bc, Shape{1, 1, b->size(0)}, Shape{0, 1, bc->stride(0)}, bc->offset());
    return run_product(a3, b3, Shape{a->size(0), b->size(0)}, dt, out, "outer");
}

TensorRef dot(const TensorRef& a, const TensorRef& b, Tensor* out) {
    check_ndim(*a, 1, "dot", "the first argument");
    check_ndim(*b, 1, "dot", "the second argument");
    if (a->size(0) != b->size(0))
        fail(WK_ERR_SHAPE, "dot: the vectors have different lengths ", a->size(0), " and ", b->size(0));
    product_dtype(*a, *b, "dot");
    return matmul(a, b, out);
}

TensorRef mv(const TensorRef& mat, const TensorRef& vec, Tensor* out) {
    check_ndim(*mat, 2, "mv", "the matrix");
    check_ndim(*vec, 1, "mv", "the vector");
    if (mat->size(1) != vec->size(0))
        fail(WK_ERR_SHAPE, "mv: matrix ", mat->sizes(), " and vector ", vec->sizes(), " cannot be multiplied: the matrix has ",
             mat->size(1), " columns but the vector has ", vec->size(0), " elements");
    product_dtype(*mat, *vec, "mv");
    return matmul(mat, vec, out);
}

}  // namespace wick
