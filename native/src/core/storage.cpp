#include "core/storage.h"

#include "core/backend.h"

namespace wick {

namespace {
std::atomic<uint64_t> g_next_storage_id{1};
}

Ref<Storage> Storage::allocate(Device device, size_t nbytes) {
    const Backend& be = backend_for(device);
    void* data = nullptr;
    check_backend(be, be.memory.allocate(device.index, nbytes, &data));
    try {
        return Ref<Storage>::adopt(new Storage(data, nbytes, device, &be));
    } catch (...) {
        be.memory.deallocate(device.index, data, nbytes);
        throw;
    }
}

Storage::Storage(void* data, size_t nbytes, Device device, const Backend* backend)
    : data_(data), nbytes_(nbytes), device_(device), backend_(backend), id_(g_next_storage_id.fetch_add(1, std::memory_order_relaxed)) {}

// Freeing cannot fail in a way a destructor could report; the backend keeps its own statistics.
Storage::~Storage() { backend_->memory.deallocate(device_.index, data_, nbytes_); }

}  // namespace wick
