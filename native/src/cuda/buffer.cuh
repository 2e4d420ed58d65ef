// Scratch device memory for one op (reduction partials, staging copies), taken from the caching
// allocator on the current stream. Freeing it right after queuing the kernels that use it is safe:
// the block is only reused by later work on the same stream.
#pragma once

#include <cstddef>

#include "cuda/allocator.cuh"
#include "cuda/common.cuh"

namespace wick::cuda {

class DeviceBuffer {
public:
    // nbytes == 0 takes no memory (as() is then null).
    explicit DeviceBuffer(size_t nbytes)
        : device_(active_device()), ptr_(nbytes == 0 ? nullptr : device_allocator(device_).allocate(nbytes, current_stream())) {}
    ~DeviceBuffer() {
        if (ptr_ != nullptr) device_allocator(device_).free(ptr_);
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    template <class T>
    T* as() const { return static_cast<T*>(ptr_); }

private:
    int32_t device_;
    void* ptr_;
};

}  // namespace wick::cuda
