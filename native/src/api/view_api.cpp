// Views and copies.
#include "api/guard.h"
#include "ops/copy.h"
#include "ops/common.h"
#include "ops/factory.h"
#include "ops/views.h"

using namespace wick;
using namespace wick::api;

extern "C" {

WK_API wk_status wk_tensor_view(wk_tensor t, const int64_t* sizes, int32_t ndim, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "view"), view(unwrap_ref(t, "view"), Shape::from(sizes, ndim, "view"))); });
}

WK_API wk_status wk_tensor_reshape(wk_tensor t, const int64_t* sizes, int32_t ndim, wk_tensor* out) {
    return guard([&] {
        give(&out_param(out, "reshape"), reshape(unwrap_ref(t, "reshape"), Shape::from(sizes, ndim, "reshape")));
    });
}

WK_API wk_status wk_tensor_transpose(wk_tensor t, int32_t dim0, int32_t dim1, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "transpose"), transpose(unwrap_ref(t, "transpose"), dim0, dim1)); });
}

WK_API wk_status wk_tensor_permute(wk_tensor t, const int32_t* dims, int32_t ndim, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "permute"), permute(unwrap_ref(t, "permute"), dims, ndim)); });
}

WK_API wk_status wk_tensor_expand(wk_tensor t, const int64_t* sizes, int32_t ndim, wk_tensor* out) {
    return guard([&] {
        give(&out_param(out, "expand"), expand(unwrap_ref(t, "expand"), Shape::from(sizes, ndim, "expand")));
    });
}

WK_API wk_status wk_tensor_slice(wk_tensor t, int32_t dim, int64_t start, int64_t end, int64_t step, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "slice"), slice(unwrap_ref(t, "slice"), dim, start, end, step)); });
}

WK_API wk_status wk_tensor_select(wk_tensor t, int32_t dim, int64_t index, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "select"), select(unwrap_ref(t, "select"), dim, index)); });
}

WK_API wk_status wk_tensor_squeeze(wk_tensor t, int32_t dim, int32_t all_dims, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "squeeze"), squeeze(unwrap_ref(t, "squeeze"), dim, all_dims != 0)); });
}

WK_API wk_status wk_tensor_unsqueeze(wk_tensor t, int32_t dim, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "unsqueeze"), unsqueeze(unwrap_ref(t, "unsqueeze"), dim)); });
}

WK_API wk_status wk_tensor_flatten(wk_tensor t, int32_t start_dim, int32_t end_dim, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "flatten"), flatten(unwrap_ref(t, "flatten"), start_dim, end_dim)); });
}

WK_API wk_status wk_tensor_as_strided(wk_tensor t, const int64_t* sizes, const int64_t* strides, int32_t ndim,
                                      int64_t offset, wk_tensor* out) {
    return guard([&] {
        give(&out_param(out, "as_strided"),
             as_strided(unwrap_ref(t, "as_strided"), Shape::from(sizes, ndim, "as_strided"),
                        Shape::from(strides, ndim, "as_strided"), offset));
    });
}

WK_API wk_status wk_tensor_contiguous(wk_tensor t, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "contiguous"), contiguous(unwrap_ref(t, "contiguous"))); });
}

WK_API wk_status wk_tensor_clone(wk_tensor t, wk_tensor* out) {
    return guard([&] { give(&out_param(out, "clone"), clone(unwrap_ref(t, "clone"))); });
}

WK_API wk_status wk_tensor_to(wk_tensor t, wk_dtype dtype, wk_device_type device, int32_t device_index, int32_t copy,
                              wk_tensor* out) {
    return guard([&] {
        give(&out_param(out, "to"), to(unwrap_ref(t, "to"), dtype_from_abi(dtype, "to"),
                                       device_from_abi(device, device_index, "to"), copy != 0));
    });
}

WK_API wk_status wk_tensor_copy_(wk_tensor dst, wk_tensor src) {
    return guard([&] { copy_(unwrap(dst, "copy_"), unwrap_ref(src, "copy_")); });
}

WK_API wk_status wk_tensor_fill_(wk_tensor t, const wk_scalar* value) {
    return guard([&] {
        Tensor& x = unwrap(t, "fill_");
        fill(x, scalar_from_abi(value, "fill_"));
        x.storage().bump_version();
    });
}

}  // extern "C"
