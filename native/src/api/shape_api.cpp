// Indexing, joining, sorting: the extern "C" shims.
#include <vector>

#include "api/guard.h"
#include "ops/indexing.h"
#include "ops/join.h"
#include "ops/masked.h"
#include "ops/rearrange.h"
#include "ops/sort.h"

using namespace wick;
using namespace wick::api;

namespace {

std::vector<TensorRef> unwrap_list(const wk_tensor* tensors, int32_t count, const char* what) {
    check(count >= 0 && (count == 0 || tensors != nullptr), WK_ERR_INVALID_ARGUMENT, what, ": invalid tensor list");
    std::vector<TensorRef> list;
    list.reserve(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) list.push_back(unwrap_ref(tensors[i], what));
    return list;
}

// An optional scalar argument (null allowed).
struct OptionalScalar {
    Scalar value;
    const Scalar* ptr = nullptr;
    OptionalScalar(const wk_scalar* s, const char* what) {
        if (s != nullptr) {
            value = scalar_from_abi(s, what);
            ptr = &value;
        }
    }
};

}  // namespace

extern "C" {

WK_API wk_status wk_op_cat(const wk_tensor* tensors, int32_t count, int32_t dim, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "cat");
        give(&r, cat(unwrap_list(tensors, count, "cat"), dim, unwrap_optional(out, "cat")));
    });
}

WK_API wk_status wk_op_stack(const wk_tensor* tensors, int32_t count, int32_t dim, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "stack");
        give(&r, stack(unwrap_list(tensors, count, "stack"), dim, unwrap_optional(out, "stack")));
    });
}

WK_API wk_status wk_op_split(wk_tensor t, const int64_t* sizes, int32_t count, int32_t dim, wk_tensor* results) {
    return guard([&] {
        check(results != nullptr, WK_ERR_INVALID_ARGUMENT, "split: null results array");
        std::vector<TensorRef> parts = split(unwrap_ref(t, "split"), sizes, count, dim);
        for (size_t i = 0; i < parts.size(); ++i) give(&results[i], parts[i]);
    });
}

WK_API wk_status wk_op_index_select(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "index_select");
        give(&r, index_select(unwrap_ref(x, "index_select"), dim, unwrap_ref(index, "index_select"),
                              unwrap_optional(out, "index_select")));
    });
}

WK_API wk_status wk_op_gather(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "gather");
        give(&r, gather(unwrap_ref(x, "gather"), dim, unwrap_ref(index, "gather"), unwrap_optional(out, "gather")));
    });
}

WK_API wk_status wk_op_scatter(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor src, const wk_scalar* value,
                               wk_scatter_mode mode, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "scatter");
        OptionalScalar v(value, "scatter");
        give(&r, scatter(unwrap_ref(x, "scatter"), dim, unwrap_ref(index, "scatter"), unwrap_optional(src, "scatter"),
                         v.ptr, mode, unwrap_optional(out, "scatter")));
    });
}

WK_API wk_status wk_op_index_add(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor source, const wk_scalar* alpha,
                                 wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "index_add");
        OptionalScalar a(alpha, "index_add");
        give(&r, index_add(unwrap_ref(x, "index_add"), dim, unwrap_ref(index, "index_add"),
                           unwrap_ref(source, "index_add"), a.ptr, unwrap_optional(out, "index_add")));
    });
}

WK_API wk_status wk_op_index_copy(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor source, wk_tensor out,
                                  wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "index_copy");
        give(&r, index_copy(unwrap_ref(x, "index_copy"), dim, unwrap_ref(index, "index_copy"),
                            unwrap_ref(source, "index_copy"), unwrap_optional(out, "index_copy")));
    });
}

WK_API wk_status wk_op_index_fill(wk_tensor x, int32_t dim, wk_tensor index, const wk_scalar* value,
                                  wk_tensor value_tensor, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "index_fill");
        OptionalScalar v(value, "index_fill");
        give(&r, index_fill(unwrap_ref(x, "index_fill"), dim, unwrap_ref(index, "index_fill"), v.ptr,
                            unwrap_optional(value_tensor, "index_fill"), unwrap_optional(out, "index_fill")));
    });
}

WK_API wk_status wk_op_masked_fill(wk_tensor x, wk_tensor mask, const wk_scalar* value, wk_tensor value_tensor,
                                   wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "masked_fill");
        OptionalScalar v(value, "masked_fill");
        give(&r, masked_fill(unwrap_ref(x, "masked_fill"), unwrap_ref(mask, "masked_fill"), v.ptr,
                             unwrap_optional(value_tensor, "masked_fill"), unwrap_optional(out, "masked_fill")));
    });
}

WK_API wk_status wk_op_masked_select(wk_tensor x, wk_tensor mask, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "masked_select");
        give(&r, masked_select(unwrap_ref(x, "masked_select"), unwrap_ref(mask, "masked_select")));
    });
}

WK_API wk_status wk_op_masked_scatter(wk_tensor x, wk_tensor mask, wk_tensor source, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "masked_scatter");
        give(&r, masked_scatter(unwrap_ref(x, "masked_scatter"), unwrap_ref(mask, "masked_scatter"),
                                unwrap_ref(source, "masked_scatter"), unwrap_optional(out, "masked_scatter")));
    });
}

WK_API wk_status wk_op_nonzero(wk_tensor x, wk_tensor* result) {
    return guard([&] { give(&out_param(result, "nonzero"), nonzero(unwrap_ref(x, "nonzero"))); });
}

WK_API wk_status wk_op_one_hot(wk_tensor index, int64_t num_classes, wk_tensor* result) {
    return guard([&] { give(&out_param(result, "one_hot"), one_hot(unwrap_ref(index, "one_hot"), num_classes)); });
}

WK_API wk_status wk_op_index(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "index");
        give(&r, wick::index(unwrap_ref(x, "index"), dim, unwrap_ref(index, "index")));
    });
}

WK_API wk_status wk_op_index_put_(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor values, int32_t accumulate) {
    return guard([&] {
        index_put_(unwrap_ref(x, "index_put_"), dim, unwrap_ref(index, "index_put_"), unwrap_ref(values, "index_put_"),
                   accumulate != 0);
    });
}

WK_API wk_status wk_op_flip(wk_tensor x, const int32_t* dims, int32_t ndims, wk_tensor* result) {
    return guard([&] { give(&out_param(result, "flip"), flip(unwrap_ref(x, "flip"), dims, ndims)); });
}

WK_API wk_status wk_op_roll(wk_tensor x, const int64_t* shifts, int32_t nshifts, const int32_t* dims, int32_t ndims,
                            wk_tensor* result) {
    return guard([&] { give(&out_param(result, "roll"), roll(unwrap_ref(x, "roll"), shifts, nshifts, dims, ndims)); });
}

WK_API wk_status wk_op_repeat(wk_tensor x, const int64_t* repeats, int32_t count, wk_tensor* result) {
    return guard([&] { give(&out_param(result, "repeat"), repeat(unwrap_ref(x, "repeat"), repeats, count)); });
}

WK_API wk_status wk_op_tril(wk_tensor x, int64_t diagonal, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "tril");
        give(&r, triangle(unwrap_ref(x, "tril"), diagonal, false, unwrap_optional(out, "tril")));
    });
}

WK_API wk_status wk_op_triu(wk_tensor x, int64_t diagonal, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "triu");
        give(&r, triangle(unwrap_ref(x, "triu"), diagonal, true, unwrap_optional(out, "triu")));
    });
}

WK_API wk_status wk_op_pad(wk_tensor x, const int64_t* padding, int32_t npad, wk_pad_mode mode, const wk_scalar* value,
                           wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "pad");
        OptionalScalar v(value, "pad");
        give(&r, pad(unwrap_ref(x, "pad"), padding, npad, mode, v.ptr));
    });
}

WK_API wk_status wk_op_pad_backward(wk_tensor grad, const int64_t* input_sizes, int32_t ndim, const int64_t* padding,
                                    int32_t npad, wk_pad_mode mode, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "pad_backward");
        give(&r, pad_backward(unwrap_ref(grad, "pad_backward"), Shape::from(input_sizes, ndim, "pad_backward"), padding,
                              npad, mode));
    });
}

WK_API wk_status wk_op_sort(wk_tensor x, int32_t dim, int32_t descending, wk_tensor* values, wk_tensor* indices) {
    return guard([&] {
        check(values != nullptr || indices != nullptr, WK_ERR_INVALID_ARGUMENT, "sort: no output requested");
        auto [v, i] = sort(unwrap_ref(x, "sort"), dim, descending != 0);
        if (values != nullptr) give(values, v);
        if (indices != nullptr) give(indices, i);
    });
}

WK_API wk_status wk_op_topk(wk_tensor x, int64_t k, int32_t dim, int32_t largest, wk_tensor* values,
                            wk_tensor* indices) {
    return guard([&] {
        check(values != nullptr || indices != nullptr, WK_ERR_INVALID_ARGUMENT, "topk: no output requested");
        auto [v, i] = topk(unwrap_ref(x, "topk"), k, dim, largest != 0);
        if (values != nullptr) give(values, v);
        if (indices != nullptr) give(indices, i);
    });
}

WK_API wk_status wk_op_unique(wk_tensor x, wk_tensor* values, wk_tensor* inverse, wk_tensor* counts) {
    return guard([&] {
        auto& v = out_param(values, "unique");
        UniqueResult u = unique(unwrap_ref(x, "unique"), inverse != nullptr, counts != nullptr);
        give(&v, u.values);
        if (inverse != nullptr) give(inverse, u.inverse);
        if (counts != nullptr) give(counts, u.counts);
    });
}

}  // extern "C"
