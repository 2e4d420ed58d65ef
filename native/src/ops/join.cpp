// cat copies each input into its slice of the result with the elementwise copy kernel, which
// coalesces dimensions: contiguous inputs joined along dim 0 are one memmove each, and inputs of
// another dtype convert on the way.
#include "ops/join.h"

#include "ops/common.h"
#include "ops/views.h"

namespace wick {

namespace {

// PyTorch's legacy rule: a 1-D tensor of shape (0) joins anything (it is skipped).
bool skipped(const Tensor& t) { return t.ndim() == 1 && t.size(0) == 0; }

}  // namespace

TensorRef cat(const std::vector<TensorRef>& tensors, int64_t dim, Tensor* out) {
    check(!tensors.empty(), WK_ERR_INVALID_ARGUMENT, "cat: expected a non-empty list of tensors");
    const Tensor* ref = nullptr;
    DType dtype = tensors[0]->dtype();
    for (size_t i = 0; i < tensors.size(); ++i) {
        const Tensor& t = *tensors[i];
        check(t.ndim() > 0, WK_ERR_SHAPE, "cat: the zero-dimensional tensor at position ", i,
              " cannot be concatenated; Unsqueeze it or use Stack");
        check_same_device(*tensors[0], t, "cat");
        dtype = promote_types(dtype, t.dtype());
        if (ref == nullptr && !skipped(t)) ref = &t;
    }
    if (ref == nullptr) ref = tensors[0].get();  // every input is (0): the result is (0)
    const int d = wrap_dim(dim, ref->ndim(), "cat");
    Shape shape = ref->sizes();
    shape[d] = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const Tensor& t = *tensors[i];
        if (skipped(t) && &t != ref) continue;
        check(t.ndim() == ref->ndim(), WK_ERR_SHAPE, "cat: tensors must have the same number of dimensions: got ",
              ref->ndim(), " (shape ", ref->sizes(), ") and ", t.ndim(), " (shape ", t.sizes(), ", tensor ", i, ")");
        for (int k = 0; k < t.ndim(); ++k)
            if (k != d)
                check(t.size(k) == ref->size(k), WK_ERR_SHAPE, "cat: sizes of tensors must match except in dimension ",
                      d, ": expected size ", ref->size(k), " but got size ", t.size(k), " in dimension ", k,
                      " for tensor ", i, " (shape ", t.sizes(), ")");
        shape[d] += t.size(d);
    }
    TensorRef result = prepare_out(out, shape, dtype, ref->device(), "cat");
    // Refuse an out that is also an input: the copies would read what they already overwrote.
    for (const TensorRef& t : tensors)
        check(&t->storage() != &result->storage() || t->numel() == 0, WK_ERR_INVALID_ARGUMENT,
              "cat: the output tensor shares memory with an input; write into a new tensor");
    int64_t offset = 0;
    for (const TensorRef& t : tensors) {
        if (skipped(*t) && t.get() != ref) continue;
        const int64_t n = t->size(d);
        if (n > 0 && t->numel() > 0) copy_into(*slice(result, d, offset, offset + n, 1), *t);
        offset += n;
    }
    return finish_out(out, result);
}

TensorRef stack(const std::vector<TensorRef>& tensors, int64_t dim, Tensor* out) {
    check(!tensors.empty(), WK_ERR_INVALID_ARGUMENT, "stack: expected a non-empty list of tensors");
    const Shape& shape = tensors[0]->sizes();
    const int d = wrap_dim(dim, tensors[0]->ndim() + 1, "stack");
    std::vector<TensorRef> expanded;
    expanded.reserve(tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
        check(tensors[i]->sizes() == shape, WK_ERR_SHAPE, "stack: expects each tensor to be equal size, but got ", shape,
              " at entry 0 and ", tensors[i]->sizes(), " at entry ", i);
        expanded.push_back(unsqueeze(tensors[i], d));
    }
    return cat(expanded, d, out);
}

std::vector<TensorRef> split(const TensorRef& t, const int64_t* sizes, int32_t count, int64_t dim) {
    check(count > 0 && sizes != nullptr, WK_ERR_INVALID_ARGUMENT, "split: expected at least one split size");
    check(t->ndim() > 0, WK_ERR_SHAPE, "split: cannot split a zero-dimensional tensor");
    const int d = wrap_dim(dim, t->ndim(), "split");
    int64_t total = 0;
    bool exact = true;
    for (int32_t i = 0; i < count; ++i) {
        check(sizes[i] >= 0, WK_ERR_INVALID_ARGUMENT, "split: split sizes must be non-negative, got ", sizes[i],
              " at position ", i);
        if (sizes[i] > t->size(d) - total) exact = false;  // also keeps the sum from overflowing
        else total += sizes[i];
    }
    if (!exact || total != t->size(d)) {
        Shape listed;  // only for the message
        for (int32_t i = 0; i < count && i < kMaxDims; ++i) listed.push_back(sizes[i]);
        fail(WK_ERR_SHAPE, "split: split sizes must sum exactly to ", t->size(d), " (the size of dimension ", d,
             " of the tensor of shape ", t->sizes(), "), but got split sizes ", listed, count > kMaxDims ? " ..." : "");
    }
    std::vector<TensorRef> parts;
    parts.reserve(static_cast<size_t>(count));
    int64_t offset = 0;
    for (int32_t i = 0; i < count; ++i) {
        parts.push_back(slice(t, d, offset, offset + sizes[i], 1));
        offset += sizes[i];
    }
    return parts;
}

}  // namespace wick
