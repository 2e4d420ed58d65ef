// Errors, version, memory statistics.
#include "api/guard.h"
#include "core/backend.h"
#include "core/host_allocator.h"

using namespace wick;
using namespace wick::api;

extern "C" {

WK_API wk_status wk_last_error(const char** message) {
    if (message == nullptr) return WK_ERR_INVALID_ARGUMENT;
    *message = last_error_message();
    return WK_OK;
}

WK_API wk_status wk_abi_version(int32_t* version) {
    return guard([&] { out_param(version, "wk_abi_version") = WK_ABI_VERSION; });
}

WK_API wk_status wk_memory_stats_get(wk_device_type device, int32_t device_index, wk_memory_stats* stats) {
    return guard([&] {
        wk_memory_stats& s = out_param(stats, "wk_memory_stats_get");
        Device d = device_from_abi(device, device_index, "memory_stats");
        const Backend& be = backend_for(d);
        MemoryStats m;
        check_backend(be, be.memory.stats(d.index, &m));
        s.live_tensors = Tensor::live_count();
        s.allocated_bytes = m.allocated_bytes;
        s.peak_bytes = m.peak_bytes;
        s.reserved_bytes = m.reserved_bytes;
    });
}

WK_API wk_status wk_memory_reset_peak(wk_device_type device, int32_t device_index) {
    return guard([&] {
        Device d = device_from_abi(device, device_index, "memory_reset_peak");
        const Backend& be = backend_for(d);
        check_backend(be, be.memory.reset_peak(d.index));
    });
}

WK_API wk_status wk_memory_empty_cache(wk_device_type device, int32_t device_index) {
    return guard([&] {
        Device d = device_from_abi(device, device_index, "memory_empty_cache");
        const Backend& be = backend_for(d);
        check_backend(be, be.memory.empty_cache(d.index));
        if (d.is_cpu()) {
            // Pinned host blocks are CPU memory cached by the CUDA backend.
            if (const Backend* cuda = cuda_backend_if_loaded(nullptr))
                check_backend(*cuda, cuda->runtime->pinned_empty_cache());
        }
    });
}

WK_API wk_status wk_memory_set_limit(wk_device_type device, int32_t device_index, int64_t limit_bytes) {
    return guard([&] {
        Device d = device_from_abi(device, device_index, "memory_set_limit");
        const Backend& be = backend_for(d);
        check_backend(be, be.memory.set_limit(d.index, limit_bytes));
    });
}

WK_API wk_status wk_memory_set_out_of_memory_handler(wk_out_of_memory_handler handler) {
    return guard([&] { set_out_of_memory_handler(handler); });
}

WK_API wk_status wk_memory_host_counter(const int64_t** counter) {
    return guard([&] {
        // std::atomic<int64_t> is lock-free and layout-compatible with int64_t on every supported platform.
        static_assert(sizeof(std::atomic<int64_t>) == sizeof(int64_t) && std::atomic<int64_t>::is_always_lock_free);
        out_param(counter, "wk_memory_host_counter") = reinterpret_cast<const int64_t*>(&host_live_bytes());
    });
}

}  // extern "C"
