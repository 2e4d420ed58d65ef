#include "core/tensor.h"

#include "core/error.h"

namespace wick {

namespace {
std::atomic<int64_t> g_live_tensors{0};
}

int64_t Tensor::live_count() { return g_live_tensors.load(std::memory_order_relaxed); }

Ref<Tensor> Tensor::empty(const Shape& sizes, DType dtype, Device device) {
    int64_t n = checked_numel(sizes, "empty");
    size_t elem = dtype_size(dtype);
    check(static_cast<uint64_t>(n) <= (UINT64_MAX >> 1) / elem, WK_ERR_OUT_OF_MEMORY, "empty: shape ", sizes,
          " of ", dtype_name(dtype), " needs more bytes than can be addressed");
    auto storage = Storage::allocate(device, static_cast<size_t>(n) * elem);
    return Ref<Tensor>::adopt(new Tensor(std::move(storage), sizes, contiguous_strides(sizes), 0, dtype));
}

Ref<Tensor> Tensor::empty_pinned(const Shape& sizes, DType dtype) {
    int64_t n = checked_numel(sizes, "empty_pinned");
    size_t elem = dtype_size(dtype);
    check(static_cast<uint64_t>(n) <= (UINT64_MAX >> 1) / elem, WK_ERR_OUT_OF_MEMORY, "empty_pinned: shape ", sizes,
          " of ", dtype_name(dtype), " needs more bytes than can be addressed");
    auto storage = Storage::allocate_pinned(static_cast<size_t>(n) * elem);
    return Ref<Tensor>::adopt(new Tensor(std::move(storage), sizes, contiguous_strides(sizes), 0, dtype));
}

Ref<Tensor> Tensor::make_view(Ref<Storage> storage, const Shape& sizes, const Shape& strides, int64_t offset,
                              DType dtype) {
    return Ref<Tensor>::adopt(new Tensor(std::move(storage), sizes, strides, offset, dtype));
}

Tensor::Tensor(Ref<Storage> storage, const Shape& sizes, const Shape& strides, int64_t offset, DType dtype)
    : storage_(std::move(storage)), offset_(offset), dtype_(dtype), sizes_(sizes), strides_(strides) {
    g_live_tensors.fetch_add(1, std::memory_order_relaxed);
}

Tensor::~Tensor() {
    magic_ = 0;
    g_live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

bool Tensor::is_contiguous() const {
    int64_t expected = 1;
    for (int i = sizes_.ndim - 1; i >= 0; --i) {
        if (sizes_.v[i] == 1) continue;  // any stride is fine for a size-1 dimension
        if (sizes_.v[i] == 0) return true;
        if (strides_.v[i] != expected) return false;
        expected *= sizes_.v[i];
    }
    return true;
}

}  // namespace wick
