// Tensor lifetime, creation and inspection.
#include <cstring>

#include "api/guard.h"
#include "ops/copy.h"
#include "ops/factory.h"

using namespace wick;
using namespace wick::api;

extern "C" {

WK_API wk_status wk_tensor_retain(wk_tensor t) {
    return guard([&] { unwrap(t, "wk_tensor_retain").retain(); });
}

WK_API wk_status wk_tensor_release(wk_tensor t) {
    return guard([&] { unwrap(t, "wk_tensor_release").release(); });
}

WK_API wk_status wk_tensor_empty(const int64_t* sizes, int32_t ndim, wk_dtype dtype, wk_device_type device,
                                 int32_t device_index, wk_tensor* out) {
    return guard([&] {
        auto& o = out_param(out, "empty");
        give(&o, Tensor::empty(Shape::from(sizes, ndim, "empty"), dtype_from_abi(dtype, "empty"),
                               device_from_abi(device, device_index, "empty")));
    });
}

WK_API wk_status wk_tensor_full(const int64_t* sizes, int32_t ndim, wk_dtype dtype, wk_device_type device,
                                int32_t device_index, const wk_scalar* value, wk_tensor* out) {
    return guard([&] {
        auto& o = out_param(out, "full");
        give(&o, full(Shape::from(sizes, ndim, "full"), dtype_from_abi(dtype, "full"),
                      device_from_abi(device, device_index, "full"), scalar_from_abi(value, "full")));
    });
}

WK_API wk_status wk_tensor_from_data(const void* data, size_t nbytes, const int64_t* sizes, int32_t ndim,
                                     wk_dtype dtype, wk_device_type device, int32_t device_index, wk_tensor* out) {
    return guard([&] {
        auto& o = out_param(out, "from_data");
        give(&o, from_host_data(data, nbytes, Shape::from(sizes, ndim, "from_data"), dtype_from_abi(dtype, "from_data"),
                                device_from_abi(device, device_index, "from_data")));
    });
}

WK_API wk_status wk_tensor_arange(double start, double end, double step, wk_dtype dtype, wk_device_type device,
                                  int32_t device_index, wk_tensor* out) {
    return guard([&] {
        auto& o = out_param(out, "arange");
        give(&o, arange(start, end, step, dtype_from_abi(dtype, "arange"), device_from_abi(device, device_index, "arange")));
    });
}

WK_API wk_status wk_tensor_linspace(double start, double end, int64_t steps, wk_dtype dtype, wk_device_type device,
                                    int32_t device_index, wk_tensor* out) {
    return guard([&] {
        auto& o = out_param(out, "linspace");
        give(&o, linspace(start, end, steps, dtype_from_abi(dtype, "linspace"),
                          device_from_abi(device, device_index, "linspace")));
    });
}

WK_API wk_status wk_tensor_eye(int64_t rows, int64_t cols, wk_dtype dtype, wk_device_type device, int32_t device_index,
                               wk_tensor* out) {
    return guard([&] {
        auto& o = out_param(out, "eye");
        give(&o, eye(rows, cols, dtype_from_abi(dtype, "eye"), device_from_abi(device, device_index, "eye")));
    });
}

WK_API wk_status wk_tensor_ndim(wk_tensor t, int32_t* ndim) {
    return guard([&] { out_param(ndim, "ndim") = unwrap(t, "ndim").ndim(); });
}

WK_API wk_status wk_tensor_sizes(wk_tensor t, int64_t* sizes, int32_t capacity) {
    return guard([&] {
        Tensor& x = unwrap(t, "sizes");
        check(capacity >= x.ndim() && (sizes != nullptr || x.ndim() == 0), WK_ERR_INVALID_ARGUMENT,
              "sizes: buffer of ", capacity, " for ", x.ndim(), " dimensions");
        for (int i = 0; i < x.ndim(); ++i) sizes[i] = x.size(i);
    });
}

WK_API wk_status wk_tensor_strides(wk_tensor t, int64_t* strides, int32_t capacity) {
    return guard([&] {
        Tensor& x = unwrap(t, "strides");
        check(capacity >= x.ndim() && (strides != nullptr || x.ndim() == 0), WK_ERR_INVALID_ARGUMENT,
              "strides: buffer of ", capacity, " for ", x.ndim(), " dimensions");
        for (int i = 0; i < x.ndim(); ++i) strides[i] = x.stride(i);
    });
}

WK_API wk_status wk_tensor_offset(wk_tensor t, int64_t* offset) {
    return guard([&] { out_param(offset, "offset") = unwrap(t, "offset").offset(); });
}

WK_API wk_status wk_tensor_numel(wk_tensor t, int64_t* numel) {
    return guard([&] { out_param(numel, "numel") = unwrap(t, "numel").numel(); });
}

WK_API wk_status wk_tensor_dtype(wk_tensor t, wk_dtype* dtype) {
    return guard([&] { out_param(dtype, "dtype") = static_cast<wk_dtype>(unwrap(t, "dtype").dtype()); });
}

WK_API wk_status wk_tensor_device(wk_tensor t, wk_device_type* device, int32_t* device_index) {
    return guard([&] {
        Device d = unwrap(t, "device").device();
        out_param(device, "device") = static_cast<wk_device_type>(d.type);
        out_param(device_index, "device") = d.index;
    });
}

WK_API wk_status wk_tensor_is_contiguous(wk_tensor t, int32_t* contiguous) {
    return guard([&] { out_param(contiguous, "is_contiguous") = unwrap(t, "is_contiguous").is_contiguous() ? 1 : 0; });
}

WK_API wk_status wk_tensor_version(wk_tensor t, int64_t* version) {
    return guard([&] { out_param(version, "version") = unwrap(t, "version").storage().version(); });
}

WK_API wk_status wk_tensor_storage_id(wk_tensor t, uint64_t* id) {
    return guard([&] { out_param(id, "storage_id") = unwrap(t, "storage_id").storage().id(); });
}

WK_API wk_status wk_tensor_data_ptr(wk_tensor t, void** data) {
    return guard([&] {
        Tensor& x = unwrap(t, "data_ptr");
        check(x.device().is_cpu(), WK_ERR_DEVICE, "data_ptr: the tensor is on ", x.device(),
              "; only CPU memory can be read directly (copy it with Cpu() first)");
        out_param(data, "data_ptr") = x.data();
    });
}

WK_API wk_status wk_tensor_copy_to_host(wk_tensor t, void* data, size_t nbytes) {
    return guard([&] { copy_to_host(unwrap_ref(t, "copy_to_host"), data, nbytes); });
}

WK_API wk_status wk_tensor_item(wk_tensor t, wk_scalar* value) {
    return guard([&] { out_param(value, "item") = scalar_to_abi(item(unwrap_ref(t, "item"))); });
}

}  // extern "C"
