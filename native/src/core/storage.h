// A refcounted block of device memory shared by all views of it. The version counter is bumped
// by every in-place write so autograd can tell when a tensor it saved has been modified.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "core/device.h"
#include "core/ref.h"
#include "core/small_pool.h"

namespace wick {

struct Backend;

class Storage {
public:
    // Allocates nbytes on the device through its backend's allocator. When the device is out of
    // memory, the out-of-memory handler (if any) runs once and the allocation is retried once.
    static Ref<Storage> allocate(Device device, size_t nbytes);
    // Page-locked host memory from the CUDA backend: a CPU storage whose copies to a GPU can run
    // asynchronously. Fails with a device error when the CUDA backend is not available.
    static Ref<Storage> allocate_pinned(size_t nbytes);

    void* data() const { return data_; }
    size_t nbytes() const { return nbytes_; }
    Device device() const { return device_; }
    uint64_t id() const { return id_; }
    bool is_pinned() const { return pinned_; }

    int64_t version() const { return version_.load(std::memory_order_relaxed); }
    void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

    // Made and dropped at the rate of ops: from the per-thread small-block pool, not malloc.
    static void* operator new(size_t n) { return small_pool_allocate(n); }
    static void operator delete(void* p, size_t n) { small_pool_free(p, n); }

    void retain() { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

private:
    Storage(void* data, size_t nbytes, Device device, const Backend* backend, bool pinned);
    ~Storage();

    std::atomic<int32_t> refs_{1};
    std::atomic<int64_t> version_{0};
    void* data_;
    size_t nbytes_;
    Device device_;
    const Backend* backend_;
    uint64_t id_;
    bool pinned_;  // memory from backend_->runtime->pinned_allocate (device_ is the CPU)
};

// Runs when an allocation fails for lack of memory, before its one retry: a garbage-collected host
// finalizes unreachable tensors here so their memory returns to the allocator. No locks are held.
using OutOfMemoryHandler = void (*)(int32_t device_type, int32_t device_index, uint64_t nbytes);
void set_out_of_memory_handler(OutOfMemoryHandler handler);

}  // namespace wick
