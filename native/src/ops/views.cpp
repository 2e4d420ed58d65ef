#include "ops/views.h"

#include "core/checked.h"
#include "ops/common.h"

namespace wick {

namespace {

TensorRef make(const TensorRef& t, const Shape& sizes, const Shape& strides, int64_t offset) {
    return Tensor::make_view(t->storage_ref(), sizes, strides, offset, t->dtype());
}

// Strides for viewing (sizes, strides) as new_sizes without a copy, or ndim = -1 if impossible.
// Walks chunks of old dimensions that are contiguous with each other (as PyTorch's computeStride).
Shape view_strides(const Shape& old_sizes, const Shape& old_strides, const Shape& new_sizes) {
    Shape out;
    out.ndim = new_sizes.ndim;
    if (old_sizes.numel() == 0) return contiguous_strides(new_sizes);
    if (old_sizes.ndim == 0) {  // one element: any strides address it (a 0-d tensor viewed as (1), (1, 1), ...)
        for (int i = 0; i < out.ndim; ++i) out[i] = 1;
        return out;
    }
    int view_d = new_sizes.ndim - 1;
    int64_t chunk_base_stride = old_strides.ndim > 0 ? old_strides[old_strides.ndim - 1] : 1;
    int64_t tensor_numel = 1, view_numel = 1;
    for (int tensor_d = old_sizes.ndim - 1; tensor_d >= 0; --tensor_d) {
        tensor_numel *= old_sizes[tensor_d];
        if (tensor_d == 0 || (old_sizes[tensor_d - 1] != 1 &&
                              old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride)) {
            while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[view_d] == 1)) {
                out[view_d] = view_numel * chunk_base_stride;
                view_numel *= new_sizes[view_d];
                --view_d;
            }
            if (view_numel != tensor_numel) {
                Shape bad;
                bad.ndim = -1;
                return bad;
            }
            if (tensor_d > 0) {
                chunk_base_stride = old_strides[tensor_d - 1];
                tensor_numel = 1;
                view_numel = 1;
            }
        }
    }
    if (view_d != -1) {
        Shape bad;
        bad.ndim = -1;
        return bad;
    }
    return out;
}

}  // namespace

Shape infer_size(const Shape& sizes, int64_t numel, const Shape& from, const char* op) {
    Shape out = sizes;
    int infer = -1;
    int64_t known = 1;
    for (int i = 0; i < sizes.ndim; ++i) {
        if (sizes[i] == -1) {
            check(infer < 0, WK_ERR_SHAPE, op, ": only one dimension can be -1 in ", sizes);
            infer = i;
        } else {
            check(sizes[i] >= 0, WK_ERR_SHAPE, op, ": invalid size ", sizes[i], " in ", sizes);
            known *= sizes[i];
        }
    }
    if (infer >= 0) {
        check(known != 0 && numel % known == 0, WK_ERR_SHAPE, op, ": shape ", sizes,
              " is invalid for a tensor of shape ", from, " (", numel, " elements)");
        out[infer] = numel / known;
    } else {
        check(known == numel, WK_ERR_SHAPE, op, ": shape ", sizes, " is invalid for a tensor of shape ", from, " (",
              numel, " elements)");
    }
    return out;
}

TensorRef view(const TensorRef& t, const Shape& sizes) {
    Shape target = infer_size(sizes, t->numel(), t->sizes(), "view");
    Shape strides = view_strides(t->sizes(), t->strides(), target);
    if (strides.ndim < 0)
        fail(WK_ERR_SHAPE, "view: shape ", target, " is not compatible with the strides ", t->strides(), " of a tensor of shape ",
             t->sizes(), "; use Reshape (which copies) or call Contiguous() first");
    return make(t, target, strides, t->offset());
}

TensorRef reshape(const TensorRef& t, const Shape& sizes) {
    Shape target = infer_size(sizes, t->numel(), t->sizes(), "reshape");
    Shape strides = view_strides(t->sizes(), t->strides(), target);
    if (strides.ndim >= 0) return make(t, target, strides, t->offset());
    TensorRef c = contiguous(t);
    return make(c, target, contiguous_strides(target), c->offset());
}

TensorRef transpose(const TensorRef& t, int64_t dim0, int64_t dim1) {
    int d0 = wrap_dim(dim0, t->ndim(), "transpose"), d1 = wrap_dim(dim1, t->ndim(), "transpose");
    if (t->ndim() == 0) return make(t, t->sizes(), t->strides(), t->offset());
    Shape sizes = t->sizes(), strides = t->strides();
    std::swap(sizes[d0], sizes[d1]);
    std::swap(strides[d0], strides[d1]);
    return make(t, sizes, strides, t->offset());
}

TensorRef permute(const TensorRef& t, const int32_t* dims, int32_t ndim) {
    check(ndim == t->ndim(), WK_ERR_SHAPE, "permute: ", ndim, " dimensions given for a tensor with ", t->ndim());
    check(ndim == 0 || dims != nullptr, WK_ERR_INVALID_ARGUMENT, "permute: null dims");
    Shape sizes, strides;
    sizes.ndim = strides.ndim = ndim;
    bool seen[kMaxDims] = {};
    for (int i = 0; i < ndim; ++i) {
        int d = wrap_dim(dims[i], ndim, "permute");
        check(!seen[d], WK_ERR_INVALID_ARGUMENT, "permute: dimension ", d, " appears twice");
        seen[d] = true;
        sizes[i] = t->size(d);
        strides[i] = t->stride(d);
    }
    return make(t, sizes, strides, t->offset());
}

TensorRef expand(const TensorRef& t, const Shape& sizes) {
    check(sizes.ndim >= t->ndim(), WK_ERR_SHAPE, "expand: the target ", sizes, " has fewer dimensions than the tensor ",
          t->sizes());
    Shape out_sizes = sizes, out_strides;
    out_strides.ndim = sizes.ndim;
    int lead = sizes.ndim - t->ndim();
    for (int i = 0; i < sizes.ndim; ++i) {
        int j = i - lead;
        if (j < 0) {
            check(sizes[i] >= 0, WK_ERR_SHAPE, "expand: size -1 is not allowed for a new leading dimension in ", sizes);
            out_strides[i] = 0;
            continue;
        }
        int64_t have = t->size(j);
        int64_t want = sizes[i] == -1 ? have : sizes[i];
        out_sizes[i] = want;
        if (have == want) {
            out_strides[i] = t->stride(j);
        } else {
            check(have == 1, WK_ERR_SHAPE, "expand: the tensor of shape ", t->sizes(), " cannot be expanded to ", sizes,
                  " (dimension ", i, " has size ", have, "; only size-1 dimensions can be expanded)");
            out_strides[i] = 0;
        }
    }
    return make(t, out_sizes, out_strides, t->offset());
}

TensorRef slice(const TensorRef& t, int64_t dim, int64_t start, int64_t end, int64_t step) {
    check(t->ndim() > 0, WK_ERR_INDEX, "slice: cannot slice a 0-d tensor");
    int d = wrap_dim(dim, t->ndim(), "slice");
    check(step > 0, WK_ERR_INVALID_ARGUMENT, "slice: step must be positive, got ", step);
    int64_t n = t->size(d);
    if (start < 0) start += n;
    if (end < 0) end += n;
    start = start < 0 ? 0 : (start > n ? n : start);
    end = end < start ? start : (end > n ? n : end);
    Shape sizes = t->sizes(), strides = t->strides();
    sizes[d] = (end - start + step - 1) / step;
    strides[d] = t->stride(d) * step;
    return make(t, sizes, strides, t->offset() + start * t->stride(d));
}

TensorRef select(const TensorRef& t, int64_t dim, int64_t index) {
    check(t->ndim() > 0, WK_ERR_INDEX, "select: cannot index a 0-d tensor");
    int d = wrap_dim(dim, t->ndim(), "select");
    int64_t n = t->size(d);
    check(index >= -n && index < n, WK_ERR_INDEX, "index ", index, " is out of range for dimension ", d,
          " with size ", n);
    if (index < 0) index += n;
    Shape sizes = t->sizes(), strides = t->strides();
    sizes.erase(d);
    strides.erase(d);
    return make(t, sizes, strides, t->offset() + index * t->stride(d));
}

TensorRef squeeze(const TensorRef& t, int64_t dim, bool all_dims) {
    Shape sizes, strides;
    int target = all_dims ? -1 : wrap_dim(dim, t->ndim(), "squeeze");
    for (int i = 0; i < t->ndim(); ++i) {
        bool drop = t->size(i) == 1 && (all_dims || i == target);
        if (!drop) {
            sizes.push_back(t->size(i));
            strides.push_back(t->stride(i));
        }
    }
    return make(t, sizes, strides, t->offset());
}

TensorRef unsqueeze(const TensorRef& t, int64_t dim) {
    int d = wrap_dim(dim, t->ndim() + 1, "unsqueeze");
    Shape sizes = t->sizes(), strides = t->strides();
    int64_t st = d < t->ndim() ? t->stride(d) * t->size(d) : 1;
    sizes.insert(d, 1);
    strides.insert(d, st);
    return make(t, sizes, strides, t->offset());
}

TensorRef flatten(const TensorRef& t, int64_t start_dim, int64_t end_dim) {
    if (t->ndim() == 0) return reshape(t, Shape{1});
    int s = wrap_dim(start_dim, t->ndim(), "flatten"), e = wrap_dim(end_dim, t->ndim(), "flatten");
    check(s <= e, WK_ERR_INVALID_ARGUMENT, "flatten: start_dim ", s, " comes after end_dim ", e);
    Shape sizes;
    for (int i = 0; i < s; ++i) sizes.push_back(t->size(i));
    int64_t n = 1;
    for (int i = s; i <= e; ++i) n *= t->size(i);
    sizes.push_back(n);
    for (int i = e + 1; i < t->ndim(); ++i) sizes.push_back(t->size(i));
    return reshape(t, sizes);
}

TensorRef as_strided(const TensorRef& t, const Shape& sizes, const Shape& strides, int64_t offset) {
    check(sizes.ndim == strides.ndim, WK_ERR_SHAPE, "as_strided: ", sizes.ndim, " sizes but ", strides.ndim, " strides");
    check(offset >= 0, WK_ERR_INVALID_ARGUMENT, "as_strided: negative offset ", offset);
    int64_t n = checked_numel(sizes, "as_strided");
    int64_t last = offset;  // highest element index touched
    for (int i = 0; i < sizes.ndim; ++i) {
        check(strides[i] >= 0, WK_ERR_INVALID_ARGUMENT, "as_strided: negative stride ", strides[i]);
        int64_t span = 0;
        if (n > 0 && (!checked_mul(sizes[i] - 1, strides[i], &span) || !checked_add(last, span, &last)))
            fail(WK_ERR_INVALID_ARGUMENT, "as_strided: sizes ", sizes, " with strides ", strides, " overflow");
    }
    int64_t capacity = static_cast<int64_t>(t->storage().nbytes() / dtype_size(t->dtype()));
    check(n == 0 || last < capacity, WK_ERR_INDEX, "as_strided: sizes ", sizes, " with strides ", strides,
          " and offset ", offset, " reach element ", last, " but the storage holds ", capacity);
    return make(t, sizes, strides, offset);
}

}  // namespace wick
