// flip, roll, repeat and pad are one kernel (cpu/index_map.cpp) driven by a source position per
// output position of each dimension; this file builds those maps and checks the arguments.
#include "ops/rearrange.h"

#include <vector>

#include "core/checked.h"
#include "ops/common.h"
#include "ops/factory.h"
#include "ops/index_helpers.h"
#include "ops/views.h"

namespace wick {

namespace {

// Owns the per-dimension maps handed to the kernel (null entries: identity).
struct Maps {
    std::vector<int64_t> storage[kMaxDims];
    IndexMaps maps;

    int64_t* make(int d, int64_t n) {
        storage[d].assign(static_cast<size_t>(n), 0);
        maps.map[d] = storage[d].data();
        return storage[d].data();
    }
};

TensorRef run_index_map(const TensorRef& x, const View& xv, const Shape& out_shape, const Maps& m, Scalar fill,
                        const char* op) {
    TensorRef result = Tensor::empty(out_shape, x->dtype(), x->device());
    if (result->numel() > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).index_map, op, view_of(*result), xv, m.maps, fill);
    }
    return result;
}

const char* pad_mode_name(wk_pad_mode mode) {
    switch (mode) {
        case WK_PAD_CONSTANT: return "constant";
        case WK_PAD_REFLECT: return "reflect";
        case WK_PAD_REPLICATE: return "replicate";
        case WK_PAD_CIRCULAR: return "circular";
    }
    return "unknown";
}

// The padded shape of `sizes` and the maps that read it; checks the padding for the mode.
Shape pad_plan(const Shape& sizes, const int64_t* pad, int32_t npad, wk_pad_mode mode, Maps& m, const char* op) {
    check(mode >= WK_PAD_CONSTANT && mode <= WK_PAD_CIRCULAR, WK_ERR_INVALID_ARGUMENT, op, ": unknown padding mode ",
          static_cast<int>(mode));
    check(npad >= 0 && (npad == 0 || pad != nullptr), WK_ERR_INVALID_ARGUMENT, op, ": invalid padding array");
    check(npad % 2 == 0, WK_ERR_INVALID_ARGUMENT, op,
          ": the padding length must be even ((before, after) pairs, last dimension first), got ", npad, " values");
    check(npad / 2 <= sizes.ndim, WK_ERR_INVALID_ARGUMENT, op, ": ", npad, " padding values pad ", npad / 2,
          " dimensions but the tensor has only ", sizes.ndim, " (shape ", sizes, ")");
    Shape out = sizes;
    for (int i = 0; i < npad / 2; ++i) {
        const int d = sizes.ndim - 1 - i;
        const int64_t before = pad[2 * i], after = pad[2 * i + 1], n = sizes[d];
        int64_t grown = 0, size = 0;
        check(checked_add(n, before, &grown) && checked_add(grown, after, &size), WK_ERR_INVALID_ARGUMENT, op,
              ": padding (", before, ", ", after, ") overflows dimension ", d);
        check(size >= 0, WK_ERR_SHAPE, op, ": padding (", before, ", ", after, ") makes dimension ", d, " (size ", n,
              ") negative (", size, ")");
        switch (mode) {
            case WK_PAD_REFLECT:
                check(before < n && after < n, WK_ERR_INVALID_ARGUMENT, op,
                      ": reflect padding must be less than the size of the padded dimension: padding (", before, ", ",
                      after, ") at dimension ", d, " of a tensor of shape ", sizes);
                break;
            case WK_PAD_CIRCULAR:
                check(before <= n && after <= n, WK_ERR_INVALID_ARGUMENT, op, ": circular padding (", before, ", ", after,
                      ") wraps around dimension ", d, " (size ", n, ") more than once");
                [[fallthrough]];
            case WK_PAD_REPLICATE:
                check(n > 0 || size == 0, WK_ERR_INVALID_ARGUMENT, op, ": ", pad_mode_name(mode),
                      " padding needs a non-empty dimension, but dimension ", d, " of shape ", sizes, " has size 0");
                break;
            case WK_PAD_CONSTANT: break;
        }
        out[d] = size;
        if (before == 0 && after == 0) continue;
        int64_t* map = m.make(d, size);
        for (int64_t j = 0; j < size; ++j) {
            int64_t i_src = j - before;
            switch (mode) {
                case WK_PAD_CONSTANT: map[j] = (i_src >= 0 && i_src < n) ? i_src : -1; break;
                case WK_PAD_REFLECT: map[j] = i_src < 0 ? -i_src : (i_src >= n ? 2 * (n - 1) - i_src : i_src); break;
                case WK_PAD_REPLICATE: map[j] = i_src < 0 ? 0 : (i_src >= n ? n - 1 : i_src); break;
                case WK_PAD_CIRCULAR: map[j] = ((i_src % n) + n) % n; break;
            }
        }
    }
    return out;
}

}  // namespace

TensorRef flip(const TensorRef& x, const int32_t* dims, int32_t ndims) {
    const char* op = "flip";
    check(ndims >= 0 && (ndims == 0 || dims != nullptr), WK_ERR_INVALID_ARGUMENT, op, ": invalid dims array");
    Maps m;
    bool seen[kMaxDims + 1] = {};
    for (int32_t i = 0; i < ndims; ++i) {
        const int d = wrap_dim(dims[i], x->ndim(), op);
        check(!seen[d], WK_ERR_INVALID_ARGUMENT, op, ": dim ", d, " appears multiple times in the list of dims");
        seen[d] = true;
        if (x->ndim() == 0) continue;
        const int64_t n = x->size(d);
        int64_t* map = m.make(d, n);
        for (int64_t j = 0; j < n; ++j) map[j] = n - 1 - j;
    }
    return run_index_map(x, view_of(*x), x->sizes(), m, Scalar{}, op);
}

TensorRef roll(const TensorRef& x, const int64_t* shifts, int32_t nshifts, const int32_t* dims, int32_t ndims) {
    const char* op = "roll";
    check(nshifts > 0 && shifts != nullptr, WK_ERR_INVALID_ARGUMENT, op, ": expected at least one shift");
    check(ndims >= 0 && (ndims == 0 || dims != nullptr), WK_ERR_INVALID_ARGUMENT, op, ": invalid dims array");
    if (ndims == 0) {
        check(nshifts == 1, WK_ERR_INVALID_ARGUMENT, op, ": without dims the flattened tensor rolls by one shift, got ",
              nshifts, " shifts");
        const int32_t dim0 = 0;
        TensorRef flat = reshape(x, Shape{x->numel()});
        return view(roll(flat, shifts, 1, &dim0, 1), x->sizes());
    }
    check(nshifts == ndims, WK_ERR_INVALID_ARGUMENT, op, ": shifts and dims must align: got ", nshifts, " shifts and ",
          ndims, " dims");
    int64_t total[kMaxDims] = {};
    for (int32_t i = 0; i < ndims; ++i) {
        const int d = wrap_dim(dims[i], x->ndim(), op);
        if (x->ndim() == 0) continue;
        const int64_t n = x->size(d);
        if (n > 0) total[d] = ((total[d] + shifts[i] % n) % n + n) % n;  // a dim may appear twice: shifts add
    }
    Maps m;
    for (int d = 0; d < x->ndim(); ++d) {
        if (total[d] == 0) continue;
        const int64_t n = x->size(d);
        int64_t* map = m.make(d, n);
        for (int64_t j = 0; j < n; ++j) map[j] = (j - total[d] + n) % n;
    }
    return run_index_map(x, view_of(*x), x->sizes(), m, Scalar{}, op);
}

TensorRef repeat(const TensorRef& x, const int64_t* repeats, int32_t count) {
    const char* op = "repeat";
    check(count >= 0 && (count == 0 || repeats != nullptr), WK_ERR_INVALID_ARGUMENT, op, ": invalid repeats array");
    check(count >= x->ndim(), WK_ERR_INVALID_ARGUMENT, op, ": the number of repeats (", count,
          ") cannot be smaller than the number of dimensions of the tensor (", x->ndim(), ", shape ", x->sizes(), ")");
    check(count <= kMaxDims, WK_ERR_INVALID_ARGUMENT, op, ": at most ", kMaxDims, " repeats, got ", count);
    // x viewed with `count` dims (leading ones of size 1), and the result's sizes.
    const int lead = count - x->ndim();
    View xv = view_of(*x);
    xv.ndim = count;
    Shape out;
    out.ndim = count;
    for (int d = count - 1; d >= 0; --d) {
        check(repeats[d] >= 0, WK_ERR_INVALID_ARGUMENT, op, ": repeats must be non-negative, got ", repeats[d],
              " at position ", d);
        const int64_t n = d >= lead ? x->size(d - lead) : 1;
        xv.sizes[d] = n;
        xv.strides[d] = d >= lead ? x->stride(d - lead) : 0;
        check(checked_mul(n, repeats[d], &out[d]), WK_ERR_INVALID_ARGUMENT, op, ": repeating size ", n, " by ",
              repeats[d], " overflows");
    }
    Maps m;
    for (int d = 0; d < count; ++d) {
        if (repeats[d] == 1) continue;
        int64_t* map = m.make(d, out[d]);
        for (int64_t j = 0; j < out[d]; ++j) map[j] = j % xv.sizes[d];
    }
    return run_index_map(x, xv, out, m, Scalar{}, op);
}

TensorRef triangle(const TensorRef& x, int64_t diagonal, bool upper, Tensor* out) {
    const char* op = upper ? "triu" : "tril";
    check(x->ndim() >= 2, WK_ERR_SHAPE, op, ": expected a tensor with at least 2 dimensions, got shape ", x->sizes());
    TensorRef result;
    if (out == x.get()) {
        check_writable(*x, op);
        result = x;
    } else {
        result = prepare_out(out, x->sizes(), x->dtype(), x->device(), op);
    }
    if (x->numel() > 0) {
        const Backend& be = backend_for(x->device());
        launch(be, shape_kernels(be).triangle, op, view_of(*result), view_of(*x), diagonal, upper);
    }
    return finish_out(out, result);
}

TensorRef pad(const TensorRef& x, const int64_t* padding, int32_t npad, wk_pad_mode mode, const Scalar* value) {
    const char* op = "pad";
    check(value == nullptr || mode == WK_PAD_CONSTANT, WK_ERR_INVALID_ARGUMENT, op, ": padding mode ",
          pad_mode_name(mode), " does not take a value");
    Maps m;
    const Shape out = pad_plan(x->sizes(), padding, npad, mode, m, op);
    return run_index_map(x, view_of(*x), out, m, value != nullptr ? *value : Scalar::from_int(0), op);
}

TensorRef pad_backward(const TensorRef& grad, const Shape& input_sizes, const int64_t* padding, int32_t npad,
                       wk_pad_mode mode) {
    const char* op = "pad_backward";
    check(dtype_is_floating(grad->dtype()), WK_ERR_DTYPE, op, ": gradients must be floating point, got ",
          dtype_name(grad->dtype()));
    Maps m;
    const Shape out = pad_plan(input_sizes, padding, npad, mode, m, op);
    check(grad->sizes() == out, WK_ERR_SHAPE, op, ": grad has shape ", grad->sizes(), " but padding ", input_sizes,
          " gives ", out);
    const DType compute = compute_dtype_on(grad->device(), grad->dtype());
    TensorRef result = full(input_sizes, compute, grad->device(), Scalar::from_int(0));
    TensorRef g = to_dtype(grad, compute);
    if (g->numel() > 0) {
        const Backend& be = backend_for(grad->device());
        launch(be, shape_kernels(be).index_map_add, op, view_of(*result), view_of(*g), m.maps);
    }
    return to_dtype(result, grad->dtype());
}

}  // namespace wick
