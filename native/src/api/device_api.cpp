// CUDA device queries, streams, events and pinned memory. Everything here goes through the CUDA
// backend's runtime table (core/device_runtime.h); without libwick_cuda the queries report no
// device and the rest fails with a device error that says how to get it.
#include <string>

#include "api/guard.h"
#include "core/backend.h"
#include "ops/copy.h"

using namespace wick;
using namespace wick::api;

namespace {

// The CUDA backend with a usable device `index` (activated for this thread).
const Backend& cuda_device(int32_t index, const char* what) {
    return backend_for(device_from_abi(WK_DEVICE_CUDA, index, what));
}

// The CUDA backend for calls on an existing stream or event (which were made by it).
const Backend& cuda_loaded(const char* what) {
    const char* why = nullptr;
    const Backend* be = cuda_backend_if_loaded(&why);
    if (be == nullptr) fail(WK_ERR_DEVICE, what, ": ", why);
    return *be;
}

void* stream_ptr(wk_cuda_stream s, const char* what) {
    if (s == nullptr) fail(WK_ERR_NULL_HANDLE, what, ": null stream handle");
    return reinterpret_cast<void*>(s);
}

void* event_ptr(wk_cuda_event e, const char* what) {
    if (e == nullptr) fail(WK_ERR_NULL_HANDLE, what, ": null event handle");
    return reinterpret_cast<void*>(e);
}

int32_t count_devices() {
    const Backend* be = cuda_backend_if_loaded(nullptr);
    if (be == nullptr) return 0;
    int32_t count = 0;
    if (be->device_count(&count) != WK_OK) return 0;
    return count;
}

}  // namespace

extern "C" {

WK_API wk_status wk_cuda_is_available(int32_t* available) {
    return guard([&] { out_param(available, "cuda_is_available") = count_devices() > 0 ? 1 : 0; });
}

WK_API wk_status wk_cuda_device_count(int32_t* count) {
    return guard([&] { out_param(count, "cuda_device_count") = count_devices(); });
}

WK_API wk_status wk_cuda_unavailable_reason(const char** reason) {
    return guard([&] {
        auto& r = out_param(reason, "cuda_unavailable_reason");
        // Computed once: neither the backend nor the set of devices changes while the process runs.
        static const std::string text = [] {
            const char* why = nullptr;
            const Backend* be = cuda_backend_if_loaded(&why);
            if (be == nullptr) return std::string(why);
            int32_t count = 0;
            if (be->device_count(&count) != WK_OK) return std::string("the CUDA runtime failed: ") + be->last_error();
            if (count == 0) return std::string("no CUDA device is available: ") + be->last_error();
            return std::string();
        }();
        r = text.c_str();
    });
}

WK_API wk_status wk_cuda_device_properties_get(int32_t device_index, wk_cuda_device_properties* properties) {
    return guard([&] {
        auto& out = out_param(properties, "cuda_device_properties");
        const Backend& be = cuda_device(device_index, "cuda_device_properties");
        DeviceProperties p;
        check_backend(be, be.runtime->properties(device_index, &p));
        static_assert(sizeof(out.name) == sizeof(p.name));
        for (size_t i = 0; i < sizeof(p.name); ++i) out.name[i] = static_cast<uint8_t>(p.name[i]);
        out.name[sizeof(out.name) - 1] = '\0';
        out.major = p.major;
        out.minor = p.minor;
        out.multiprocessor_count = p.multiprocessor_count;
        out.max_threads_per_block = p.max_threads_per_block;
        out.total_memory = p.total_memory;
        out.l2_cache_bytes = p.l2_cache_bytes;
    });
}

WK_API wk_status wk_cuda_memory_info(int32_t device_index, int64_t* free_bytes, int64_t* total_bytes) {
    return guard([&] {
        auto& f = out_param(free_bytes, "cuda_memory_info");
        auto& t = out_param(total_bytes, "cuda_memory_info");
        const Backend& be = cuda_device(device_index, "cuda_memory_info");
        check_backend(be, be.runtime->memory_info(device_index, &f, &t));
    });
}

WK_API wk_status wk_cuda_synchronize(int32_t device_index) {
    return guard([&] {
        const Backend& be = cuda_device(device_index, "cuda_synchronize");
        check_backend(be, be.runtime->synchronize(device_index));
    });
}

namespace {
void check_tf32_scope(wk_tf32_scope scope, const char* what) {
    check(scope >= 0 && scope < WK_TF32_SCOPE_COUNT, WK_ERR_INVALID_ARGUMENT, what, ": unknown TF32 scope ",
          static_cast<int>(scope), " (0 = matrix products, 1 = convolutions)");
}
}  // namespace

WK_API wk_status wk_cuda_set_allow_tf32(wk_tf32_scope scope, int32_t allow) {
    return guard([&] {
        check_tf32_scope(scope, "cuda_set_allow_tf32");
        const Backend& be = cuda_loaded("cuda_set_allow_tf32");
        check_backend(be, be.runtime->set_allow_tf32(scope, allow != 0 ? 1 : 0));
    });
}

WK_API wk_status wk_cuda_get_allow_tf32(wk_tf32_scope scope, int32_t* allow) {
    return guard([&] {
        auto& a = out_param(allow, "cuda_get_allow_tf32");
        check_tf32_scope(scope, "cuda_get_allow_tf32");
        const Backend& be = cuda_loaded("cuda_get_allow_tf32");
        check_backend(be, be.runtime->get_allow_tf32(scope, &a));
    });
}

WK_API wk_status wk_cuda_set_sync_checks(int32_t on) {
    return guard([&] {
        const Backend& be = cuda_loaded("cuda_set_sync_checks");
        check_backend(be, be.runtime->set_sync_checks(on != 0 ? 1 : 0));
    });
}

WK_API wk_status wk_cuda_get_sync_checks(int32_t* on) {
    return guard([&] {
        auto& o = out_param(on, "cuda_get_sync_checks");
        const Backend& be = cuda_loaded("cuda_get_sync_checks");
        check_backend(be, be.runtime->get_sync_checks(&o));
    });
}

WK_API wk_status wk_cuda_host_sync_count(int64_t* count) {
    return guard([&] {
        auto& c = out_param(count, "cuda_host_sync_count");
        const Backend& be = cuda_loaded("cuda_host_sync_count");
        check_backend(be, be.runtime->host_sync_count(&c));
    });
}

WK_API wk_status wk_cuda_stream_create(int32_t device_index, wk_cuda_stream* out) {
    return guard([&] {
        auto& o = out_param(out, "cuda_stream_create");
        const Backend& be = cuda_device(device_index, "cuda_stream_create");
        void* s = nullptr;
        check_backend(be, be.runtime->stream_create(device_index, &s));
        o = reinterpret_cast<wk_cuda_stream>(s);
    });
}

WK_API wk_status wk_cuda_stream_default(int32_t device_index, wk_cuda_stream* out) {
    return guard([&] {
        auto& o = out_param(out, "cuda_stream_default");
        const Backend& be = cuda_device(device_index, "cuda_stream_default");
        void* s = nullptr;
        check_backend(be, be.runtime->stream_default(device_index, &s));
        o = reinterpret_cast<wk_cuda_stream>(s);
    });
}

WK_API wk_status wk_cuda_stream_current(int32_t device_index, wk_cuda_stream* out) {
    return guard([&] {
        auto& o = out_param(out, "cuda_stream_current");
        const Backend& be = cuda_device(device_index, "cuda_stream_current");
        void* s = nullptr;
        check_backend(be, be.runtime->stream_current(device_index, &s));
        o = reinterpret_cast<wk_cuda_stream>(s);
    });
}

WK_API wk_status wk_cuda_stream_set_current(int32_t device_index, wk_cuda_stream s) {
    return guard([&] {
        const Backend& be = cuda_device(device_index, "cuda_stream_set_current");
        check_backend(be, be.runtime->stream_set_current(device_index, reinterpret_cast<void*>(s)));
    });
}

WK_API wk_status wk_cuda_stream_release(wk_cuda_stream s) {
    return guard([&] {
        void* p = stream_ptr(s, "cuda_stream_release");
        const Backend& be = cuda_loaded("cuda_stream_release");
        check_backend(be, be.runtime->stream_release(p));
    });
}

WK_API wk_status wk_cuda_stream_device(wk_cuda_stream s, int32_t* device_index) {
    return guard([&] {
        auto& d = out_param(device_index, "cuda_stream_device");
        void* p = stream_ptr(s, "cuda_stream_device");
        const Backend& be = cuda_loaded("cuda_stream_device");
        check_backend(be, be.runtime->stream_device(p, &d));
    });
}

WK_API wk_status wk_cuda_stream_synchronize(wk_cuda_stream s) {
    return guard([&] {
        void* p = stream_ptr(s, "cuda_stream_synchronize");
        const Backend& be = cuda_loaded("cuda_stream_synchronize");
        check_backend(be, be.runtime->stream_synchronize(p));
    });
}

WK_API wk_status wk_cuda_stream_query(wk_cuda_stream s, int32_t* done) {
    return guard([&] {
        auto& d = out_param(done, "cuda_stream_query");
        void* p = stream_ptr(s, "cuda_stream_query");
        const Backend& be = cuda_loaded("cuda_stream_query");
        check_backend(be, be.runtime->stream_query(p, &d));
    });
}

WK_API wk_status wk_cuda_event_create(int32_t device_index, int32_t enable_timing, wk_cuda_event* out) {
    return guard([&] {
        auto& o = out_param(out, "cuda_event_create");
        const Backend& be = cuda_device(device_index, "cuda_event_create");
        void* e = nullptr;
        check_backend(be, be.runtime->event_create(device_index, enable_timing != 0 ? 1 : 0, &e));
        o = reinterpret_cast<wk_cuda_event>(e);
    });
}

WK_API wk_status wk_cuda_event_release(wk_cuda_event e) {
    return guard([&] {
        void* p = event_ptr(e, "cuda_event_release");
        const Backend& be = cuda_loaded("cuda_event_release");
        check_backend(be, be.runtime->event_destroy(p));
    });
}

WK_API wk_status wk_cuda_event_record(wk_cuda_event e, wk_cuda_stream s) {
    return guard([&] {
        void* p = event_ptr(e, "cuda_event_record");
        const Backend& be = cuda_loaded("cuda_event_record");
        check_backend(be, be.runtime->event_record(p, reinterpret_cast<void*>(s)));
    });
}

WK_API wk_status wk_cuda_event_synchronize(wk_cuda_event e) {
    return guard([&] {
        void* p = event_ptr(e, "cuda_event_synchronize");
        const Backend& be = cuda_loaded("cuda_event_synchronize");
        check_backend(be, be.runtime->event_synchronize(p));
    });
}

WK_API wk_status wk_cuda_event_query(wk_cuda_event e, int32_t* done) {
    return guard([&] {
        auto& d = out_param(done, "cuda_event_query");
        void* p = event_ptr(e, "cuda_event_query");
        const Backend& be = cuda_loaded("cuda_event_query");
        check_backend(be, be.runtime->event_query(p, &d));
    });
}

WK_API wk_status wk_cuda_event_elapsed_ms(wk_cuda_event start, wk_cuda_event end, float* ms) {
    return guard([&] {
        auto& m = out_param(ms, "cuda_event_elapsed_ms");
        void* a = event_ptr(start, "cuda_event_elapsed_ms");
        void* b = event_ptr(end, "cuda_event_elapsed_ms");
        const Backend& be = cuda_loaded("cuda_event_elapsed_ms");
        check_backend(be, be.runtime->event_elapsed_ms(a, b, &m));
    });
}

WK_API wk_status wk_cuda_stream_wait_event(wk_cuda_stream s, wk_cuda_event e) {
    return guard([&] {
        void* sp = stream_ptr(s, "cuda_stream_wait_event");
        void* ep = event_ptr(e, "cuda_stream_wait_event");
        const Backend& be = cuda_loaded("cuda_stream_wait_event");
        check_backend(be, be.runtime->stream_wait_event(sp, ep));
    });
}

WK_API wk_status wk_tensor_empty_pinned(const int64_t* sizes, int32_t ndim, wk_dtype dtype, wk_tensor* out) {
    return guard([&] {
        auto& o = out_param(out, "empty_pinned");
        give(&o, Tensor::empty_pinned(Shape::from(sizes, ndim, "empty_pinned"), dtype_from_abi(dtype, "empty_pinned")));
    });
}

WK_API wk_status wk_tensor_pin_memory(wk_tensor t, wk_tensor* out) {
    return guard([&] {
        auto& o = out_param(out, "pin_memory");
        give(&o, pin_memory(unwrap_ref(t, "pin_memory")));
    });
}

WK_API wk_status wk_tensor_is_pinned(wk_tensor t, int32_t* pinned) {
    return guard([&] { out_param(pinned, "is_pinned") = unwrap(t, "is_pinned").storage().is_pinned() ? 1 : 0; });
}

WK_API wk_status wk_tensor_to_ex(wk_tensor t, wk_dtype dtype, wk_device_type device, int32_t device_index, int32_t copy,
                                 int32_t non_blocking, wk_tensor* out) {
    return guard([&] {
        auto& o = out_param(out, "to");
        give(&o, to(unwrap_ref(t, "to"), dtype_from_abi(dtype, "to"), device_from_abi(device, device_index, "to"),
                    copy != 0, non_blocking != 0));
    });
}

WK_API wk_status wk_tensor_copy_ex_(wk_tensor dst, wk_tensor src, int32_t non_blocking) {
    return guard([&] { copy_(unwrap(dst, "copy_"), unwrap_ref(src, "copy_"), non_blocking != 0); });
}

}  // extern "C"
