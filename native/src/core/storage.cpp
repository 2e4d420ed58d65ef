#include "core/storage.h"

#include "core/backend.h"
#include "core/error.h"

namespace wick {

namespace {
std::atomic<uint64_t> g_next_storage_id{1};
std::atomic<OutOfMemoryHandler> g_oom_handler{nullptr};
}  // namespace

void set_out_of_memory_handler(OutOfMemoryHandler handler) { g_oom_handler.store(handler); }

Ref<Storage> Storage::allocate(Device device, size_t nbytes) {
    const Backend& be = backend_for(device);
    void* data = nullptr;
    wk_status status = be.memory.allocate(device.index, nbytes, &data);
    if (status == WK_ERR_OUT_OF_MEMORY) {
        // The allocator has already returned its cached blocks; the host may still hold tensors
        // that are unreachable but not yet finalized.
        if (OutOfMemoryHandler handler = g_oom_handler.load()) {
            handler(static_cast<int32_t>(device.type), device.index, static_cast<uint64_t>(nbytes));
            status = be.memory.allocate(device.index, nbytes, &data);
        }
    }
    check_backend(be, status);
    try {
        return Ref<Storage>::adopt(new Storage(data, nbytes, device, &be, false));
    } catch (...) {
        be.memory.deallocate(device.index, data, nbytes);
        throw;
    }
}

Ref<Storage> Storage::allocate_pinned(size_t nbytes) {
    const char* why = nullptr;
    const Backend* be = cuda_backend_if_loaded(&why);
    if (be == nullptr) fail(WK_ERR_DEVICE, "pinned memory needs the CUDA backend, but ", why);
    void* data = nullptr;
    wk_status status = be->runtime->pinned_allocate(nbytes, &data);
    if (status == WK_ERR_OUT_OF_MEMORY) {
        if (OutOfMemoryHandler handler = g_oom_handler.load()) {
            handler(WK_DEVICE_CPU, 0, static_cast<uint64_t>(nbytes));
            status = be->runtime->pinned_allocate(nbytes, &data);
        }
    }
    check_backend(*be, status);
    try {
        return Ref<Storage>::adopt(new Storage(data, nbytes, Device{}, be, true));
    } catch (...) {
        be->runtime->pinned_free(data, nbytes);
        throw;
    }
}

Storage::Storage(void* data, size_t nbytes, Device device, const Backend* backend, bool pinned)
    : data_(data),
      nbytes_(nbytes),
      device_(device),
      backend_(backend),
      id_(g_next_storage_id.fetch_add(1, std::memory_order_relaxed)),
      pinned_(pinned) {}

// Freeing cannot fail in a way a destructor could report; the backend keeps its own statistics.
Storage::~Storage() {
    if (pinned_) backend_->runtime->pinned_free(data_, nbytes_);
    else backend_->memory.deallocate(device_.index, data_, nbytes_);
}

}  // namespace wick
