#include "ops/copy.h"

#include <cstring>

#include "core/convert.h"
#include "ops/common.h"
#include "ops/views.h"

namespace wick {

TensorRef clone(const TensorRef& t) {
    TensorRef r = Tensor::empty(t->sizes(), t->dtype(), t->device());
    if (t->numel() > 0) copy_into(*r, *t);
    return r;
}

namespace {

// A contiguous copy of t on `device` (same dtype). Host <-> device transfers move contiguous bytes;
// from pinned host memory with non_blocking they are only queued (see to()).
TensorRef move_to_device(const TensorRef& t, Device device, bool non_blocking = false) {
    TensorRef src = contiguous(t);
    TensorRef dst = Tensor::empty(t->sizes(), t->dtype(), device);
    if (t->numel() == 0) return dst;
    size_t n = src->nbytes();
    if (src->device().is_cpu()) {
        const Backend& be = backend_for(device);
        const bool async = non_blocking && src->storage().is_pinned() && be.memory.copy_from_host_async != nullptr;
        auto copy_fn = async ? be.memory.copy_from_host_async : be.memory.copy_from_host;
        check_backend(be, copy_fn(device.index, dst->data(), src->data(), n));
    } else if (device.is_cpu()) {
        const Backend& be = backend_for(src->device());
        check_backend(be, be.memory.copy_to_host(src->device().index, dst->data(), src->data(), n));
    } else {
        // Between two accelerators: through the host (peer copies are the CUDA backend's business).
        TensorRef host = move_to_device(src, Device{});
        return move_to_device(host, device);
    }
    return dst;
}

}  // namespace

TensorRef to(const TensorRef& t, DType dtype, Device device, bool copy, bool non_blocking) {
    if (t->dtype() == dtype && t->device() == device) return copy ? clone(t) : t;
    TensorRef r = t;
    // Convert where the data is smaller, so the transfer moves fewer bytes.
    bool convert_first = dtype_size(dtype) <= dtype_size(t->dtype());
    if (convert_first) r = to_dtype(r, dtype);
    if (r->device() != device) r = move_to_device(r, device, non_blocking);
    if (!convert_first) r = to_dtype(r, dtype);
    return r;
}

void copy_(const Tensor& dst, const TensorRef& src, bool non_blocking) {
    check_writable(dst, "copy_");
    Shape checked = broadcast_shapes(dst.sizes(), src->sizes(), "copy_");
    check(checked == dst.sizes(), WK_ERR_SHAPE, "copy_: a source of shape ", src->sizes(),
          " cannot be broadcast to the destination shape ", dst.sizes());
    if (dst.numel() == 0) return;
    TensorRef s = src;
    if (s->device() != dst.device()) s = move_to_device(s, dst.device(), non_blocking);
    copy_into(dst, *s);
    dst.storage().bump_version();
}

TensorRef pin_memory(const TensorRef& t) {
    check(t->device().is_cpu(), WK_ERR_DEVICE, "pin_memory: the tensor is on ", t->device(),
          "; only CPU tensors can be pinned");
    if (t->storage().is_pinned() && t->is_contiguous()) return t;
    TensorRef r = Tensor::empty_pinned(t->sizes(), t->dtype());
    if (t->numel() > 0) copy_into(*r, *t);
    return r;
}

void copy_to_host(const TensorRef& t, void* data, size_t nbytes) {
    check(nbytes == t->nbytes(), WK_ERR_INVALID_ARGUMENT, "copy_to_host: the tensor holds ", t->nbytes(),
          " bytes but the buffer has ", nbytes);
    check(data != nullptr || nbytes == 0, WK_ERR_INVALID_ARGUMENT, "copy_to_host: null buffer");
    if (nbytes == 0) return;
    TensorRef host = t->device().is_cpu() ? contiguous(t) : move_to_device(t, Device{});
    std::memcpy(data, host->data(), nbytes);
}

namespace {

template <class T>
Scalar scalar_at(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    if constexpr (std::is_same_v<T, bool>) return Scalar::from_bool(v);
    else if constexpr (std::is_floating_point_v<T> || is_half_v<T>) return Scalar::from_double(as_double(v));
    else return Scalar::from_int(static_cast<int64_t>(v));
}

}  // namespace

Scalar item(const TensorRef& t) {
    check(t->numel() == 1, WK_ERR_INVALID_ARGUMENT, "Item: the tensor has ", t->numel(), " elements (shape ",
          t->sizes(), "); only a one-element tensor can be converted to a scalar");
    TensorRef host = t->device().is_cpu() ? t : move_to_device(t, Device{});
    const char* p = host->data();
    switch (host->dtype()) {
#define WICK_X(name, abi, type, fp, display) \
    case DType::name: return scalar_at<type>(p);
        WICK_DTYPES(WICK_X)
#undef WICK_X
    }
    fail(WK_ERR_INTERNAL, "item: unknown dtype");
}

}  // namespace wick
