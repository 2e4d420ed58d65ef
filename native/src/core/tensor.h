// A tensor is a view of a storage: sizes, strides (in elements), an offset (in elements) and a dtype.
// Views share the storage; the tensor object itself is refcounted and is what wk_tensor points to.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>

#include "core/device.h"
#include "core/dtype.h"
#include "core/ref.h"
#include "core/small_pool.h"
#include "core/shape.h"
#include "core/storage.h"

namespace wick {

class Tensor {
public:
    // A new contiguous tensor with uninitialised contents.
    static Ref<Tensor> empty(const Shape& sizes, DType dtype, Device device);
    // A new contiguous CPU tensor in pinned (page-locked) memory, for asynchronous copies to a GPU.
    static Ref<Tensor> empty_pinned(const Shape& sizes, DType dtype);
    // A view over an existing storage.
    static Ref<Tensor> make_view(Ref<Storage> storage, const Shape& sizes, const Shape& strides,
                                 int64_t offset, DType dtype);

    const Shape& sizes() const { return sizes_; }
    const Shape& strides() const { return strides_; }
    int32_t ndim() const { return sizes_.ndim; }
    int64_t size(int d) const { return sizes_[d]; }
    int64_t stride(int d) const { return strides_[d]; }
    int64_t offset() const { return offset_; }
    DType dtype() const { return dtype_; }
    Device device() const { return storage_->device(); }
    int64_t numel() const { return sizes_.numel(); }
    size_t nbytes() const { return static_cast<size_t>(numel()) * dtype_size(dtype_); }
    bool is_contiguous() const;

    Storage& storage() const { return *storage_; }
    const Ref<Storage>& storage_ref() const { return storage_; }
    // Address of the first element.
    char* data() const {
        return static_cast<char*>(storage_->data()) + offset_ * static_cast<int64_t>(dtype_size(dtype_));
    }

    // Made and dropped at the rate of ops: from the per-thread small-block pool, not malloc.
    static void* operator new(size_t n) { return small_pool_allocate(n); }
    static void operator delete(void* p, size_t n) { small_pool_free(p, n); }

    void retain() { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }
    // Set while alive, cleared on destruction: catches most uses of a released handle.
    bool alive() const { return magic_ == kMagic; }

    static int64_t live_count();

private:
    Tensor(Ref<Storage> storage, const Shape& sizes, const Shape& strides, int64_t offset, DType dtype);
    ~Tensor();

    static constexpr uint32_t kMagic = 0x5749434bu;  // "WICK"
    uint32_t magic_ = kMagic;
    std::atomic<int32_t> refs_{1};
    Ref<Storage> storage_;
    int64_t offset_;
    DType dtype_;
    Shape sizes_;
    Shape strides_;
};

using TensorRef = Ref<Tensor>;

}  // namespace wick
