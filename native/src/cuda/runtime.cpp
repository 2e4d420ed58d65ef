// Devices, streams, events and host<->device copies of the CUDA backend (see runtime.cuh).
#include "cuda/runtime.cuh"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_set>

#include "cuda/allocator.cuh"
#include "cuda/common.cuh"
#include "cuda/deferred_error.cuh"
#include "cuda/pinned.cuh"

namespace wick::cuda {

[[noreturn]] void throw_cuda(cudaError_t error, const char* what) {
    cudaGetLastError();  // clear a non-sticky error so that later calls are not blamed for it
    const wk_status status = error == cudaErrorMemoryAllocation ? WK_ERR_OUT_OF_MEMORY : WK_ERR_DEVICE;
    fail(status, what, ": CUDA error ", cudaGetErrorName(error), " (", cudaGetErrorString(error), ")");
}

// ---------------------------------------------------------------------------------------------
// Devices
// ---------------------------------------------------------------------------------------------

namespace {

struct DeviceCount {
    int32_t count = 0;
    std::string reason;  // why count is 0
};

const DeviceCount& counted() {
    static const DeviceCount result = [] {
        DeviceCount c;
        int n = 0;
        cudaError_t e = cudaGetDeviceCount(&n);
        if (e != cudaSuccess) {
            cudaGetLastError();
            c.reason = std::string("cudaGetDeviceCount failed with ") + cudaGetErrorName(e) + " (" +
                       cudaGetErrorString(e) + ")";
        } else if (n <= 0) {
            c.reason = "the CUDA driver reports no device";
        } else {
            c.count = n > kMaxDevices ? kMaxDevices : n;
        }
        return c;
    }();
    return result;
}

thread_local int32_t t_device = 0;         // the device this thread's kernels run on
thread_local int32_t t_cuda_device = -1;   // what cudaSetDevice last got on this thread

// Makes `device` current for CUDA calls on this thread without changing the kernels' device.
void ensure_device(int32_t device) {
    if (t_cuda_device != device) {
        check_cuda(cudaSetDevice(device), "cudaSetDevice");
        t_cuda_device = device;
    }
}

void check_device(int32_t device, const char* what) {
    const int32_t n = counted().count;
    check(device >= 0 && device < n, WK_ERR_DEVICE, what, ": cuda:", device, " requested, but ", n,
          n == 1 ? " CUDA device is" : " CUDA devices are", " available");
}

// Per wk_tf32_scope: matrix products off, convolutions on (PyTorch's defaults).
std::atomic<int32_t> g_allow_tf32[WK_TF32_SCOPE_COUNT] = {0, 1};

std::atomic<int64_t> g_host_waits{0};

}  // namespace

int32_t device_count_or_zero() { return counted().count; }

void device_count(int32_t* out) {
    const DeviceCount& c = counted();
    *out = c.count;
    if (c.count == 0) set_last_error(WK_ERR_DEVICE, c.reason.c_str());  // the reason, for the caller's message
}

void activate(int32_t device) {
    check_device(device, "activate");
    ensure_device(device);
    t_device = device;
}

int32_t active_device() { return t_device; }

const DeviceInfo& device_info(int32_t device) {
    static DeviceInfo infos[kMaxDevices];
    static std::once_flag once[kMaxDevices];
    check_device(device, "device_info");
    std::call_once(once[device], [device] {
        cudaDeviceProp p;
        std::memset(&p, 0, sizeof(p));
        check_cuda(cudaGetDeviceProperties(&p, device), "cudaGetDeviceProperties");
        infos[device].multiprocessors = p.multiProcessorCount > 0 ? p.multiProcessorCount : 1;
        infos[device].max_threads_per_block = p.maxThreadsPerBlock > 0 ? p.maxThreadsPerBlock : 1024;
    });
    return infos[device];
}

void properties(int32_t device, DeviceProperties* out) {
    check_device(device, "device properties");
    cudaDeviceProp p;
    std::memset(&p, 0, sizeof(p));
    check_cuda(cudaGetDeviceProperties(&p, device), "cudaGetDeviceProperties");
    // p.name is NUL-terminated within its 256 bytes; copy at most what fits, always terminated.
    std::memset(out->name, 0, sizeof(out->name));
    std::memcpy(out->name, p.name, std::min(std::strlen(p.name), sizeof(out->name) - 1));
    out->major = p.major;
    out->minor = p.minor;
    out->multiprocessor_count = p.multiProcessorCount;
    out->max_threads_per_block = p.maxThreadsPerBlock;
    out->total_memory = static_cast<int64_t>(p.totalGlobalMem);
    out->l2_cache_bytes = p.l2CacheSize;
}

void memory_info(int32_t device, int64_t* free_bytes, int64_t* total_bytes) {
    check_device(device, "memory_info");
    ensure_device(device);
    size_t f = 0, t = 0;
    check_cuda(cudaMemGetInfo(&f, &t), "cudaMemGetInfo");
    *free_bytes = static_cast<int64_t>(f);
    *total_bytes = static_cast<int64_t>(t);
}

void note_host_wait() { g_host_waits.fetch_add(1, std::memory_order_relaxed); }
int64_t host_wait_count() { return g_host_waits.load(std::memory_order_relaxed); }

void synchronize(int32_t device) {
    check_device(device, "synchronize");
    ensure_device(device);
    note_host_wait();
    check_cuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    raise_deferred_error(device);
}

void set_sync_checks_entry(int32_t on) { set_sync_checks(on != 0); }
void get_sync_checks(int32_t* on) { *on = sync_checks() ? 1 : 0; }
void host_sync_count(int64_t* count) { *count = host_wait_count(); }

void set_allow_tf32(wk_tf32_scope scope, int32_t allow) { g_allow_tf32[scope].store(allow != 0 ? 1 : 0); }
void get_allow_tf32(wk_tf32_scope scope, int32_t* allow) { *allow = g_allow_tf32[scope].load(); }
bool allow_tf32(wk_tf32_scope scope) { return g_allow_tf32[scope].load() != 0; }

// ---------------------------------------------------------------------------------------------
// Streams and events
// ---------------------------------------------------------------------------------------------

namespace {

struct Stream {
    std::atomic<int32_t> refs{1};
    int32_t device = 0;
    cudaStream_t handle = nullptr;  // null: the legacy default stream
    bool owned = false;             // false: a device's default stream, never destroyed
};

struct Event {
    int32_t device = 0;
    cudaEvent_t handle = nullptr;
    bool timing = false;
};

// Live streams and events, so a released or foreign handle is reported instead of used.
struct Registry {
    std::mutex mu;
    std::unordered_set<const void*> live;
};
Registry& streams() {
    static Registry* r = new Registry;
    return *r;
}
Registry& events() {
    static Registry* r = new Registry;
    return *r;
}

Stream* default_stream(int32_t device) {
    static Stream* defaults = [] {
        auto* d = new Stream[kMaxDevices];
        for (int i = 0; i < kMaxDevices; ++i) d[i].device = i;
        return d;
    }();
    return &defaults[device];
}

Stream* as_stream(void* p, const char* what) {
    auto* s = static_cast<Stream*>(p);
    for (int d = 0; d < kMaxDevices; ++d)
        if (s == default_stream(d)) return s;
    Registry& r = streams();
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.live.count(s) == 0) fail(WK_ERR_NULL_HANDLE, what, ": the stream was already released");
    return s;
}

Event* as_event(void* p, const char* what) {
    auto* e = static_cast<Event*>(p);
    Registry& r = events();
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.live.count(e) == 0) fail(WK_ERR_NULL_HANDLE, what, ": the event was already released");
    return e;
}

// This thread's current stream per device; null means the default stream. Holds a reference.
thread_local Stream* t_current[kMaxDevices] = {};

Stream* current_of(int32_t device) {
    Stream* s = t_current[device];
    return s != nullptr ? s : default_stream(device);
}

}  // namespace

cudaStream_t current_stream() { return current_of(t_device)->handle; }

void stream_create(int32_t device, void** out) {
    check_device(device, "stream_create");
    ensure_device(device);
    auto* s = new Stream;
    s->device = device;
    s->owned = true;
    cudaError_t e = cudaStreamCreateWithFlags(&s->handle, cudaStreamNonBlocking);
    if (e != cudaSuccess) {
        delete s;
        throw_cuda(e, "cudaStreamCreateWithFlags");
    }
    {
        Registry& r = streams();
        std::lock_guard<std::mutex> lock(r.mu);
        r.live.insert(s);
    }
    *out = s;
}

void stream_default(int32_t device, void** out) {
    check_device(device, "stream_default");
    *out = default_stream(device);
}

void stream_retain(void* stream) {
    Stream* s = as_stream(stream, "stream_retain");
    if (s->owned) s->refs.fetch_add(1);
}

void stream_release(void* stream) {
    Stream* s = as_stream(stream, "stream_release");
    if (!s->owned || s->refs.fetch_sub(1) != 1) return;
    {
        Registry& r = streams();
        std::lock_guard<std::mutex> lock(r.mu);
        r.live.erase(s);
    }
    // Blocks freed by work on this stream stay keyed by its handle in the allocator; waiting here
    // means a later stream that gets the same handle cannot reuse them while that work still runs.
    ensure_device(s->device);
    note_host_wait();
    cudaError_t e1 = cudaStreamSynchronize(s->handle);
    cudaError_t e2 = cudaStreamDestroy(s->handle);
    delete s;
    if (e1 != cudaSuccess) throw_cuda(e1, "stream release (cudaStreamSynchronize)");
    if (e2 != cudaSuccess) throw_cuda(e2, "cudaStreamDestroy");
}

void stream_current(int32_t device, void** out) {
    check_device(device, "stream_current");
    Stream* s = current_of(device);
    if (s->owned) s->refs.fetch_add(1);
    *out = s;
}

void stream_set_current(int32_t device, void* stream) {
    check_device(device, "stream_set_current");
    Stream* s = stream != nullptr ? as_stream(stream, "stream_set_current") : default_stream(device);
    check(s->device == device, WK_ERR_DEVICE, "stream_set_current: the stream belongs to cuda:", s->device,
          ", not cuda:", device);
    Stream* old = t_current[device];
    if (s->owned) s->refs.fetch_add(1);
    t_current[device] = s->owned ? s : nullptr;
    if (old != nullptr) stream_release(old);
}

void stream_device(void* stream, int32_t* device) { *device = as_stream(stream, "stream_device")->device; }

void stream_synchronize(void* stream) {
    Stream* s = as_stream(stream, "stream_synchronize");
    ensure_device(s->device);
    DeferredErrorRead pending(s->device, s->handle);
    note_host_wait();
    check_cuda(cudaStreamSynchronize(s->handle), "cudaStreamSynchronize");
    pending.raise_if_set();
}

void stream_query(void* stream, int32_t* done) {
    Stream* s = as_stream(stream, "stream_query");
    ensure_device(s->device);
    cudaError_t e = cudaStreamQuery(s->handle);
    if (e == cudaErrorNotReady) {
        cudaGetLastError();
        *done = 0;
        return;
    }
    check_cuda(e, "cudaStreamQuery");
    *done = 1;
}

void stream_wait_event(void* stream, void* event) {
    Stream* s = as_stream(stream, "stream_wait_event");
    Event* e = as_event(event, "stream_wait_event");
    ensure_device(s->device);
    check_cuda(cudaStreamWaitEvent(s->handle, e->handle, 0), "cudaStreamWaitEvent");
}

void event_create(int32_t device, int32_t enable_timing, void** out) {
    check_device(device, "event_create");
    ensure_device(device);
    auto* e = new Event;
    e->device = device;
    e->timing = enable_timing != 0;
    cudaError_t r = cudaEventCreateWithFlags(&e->handle, e->timing ? cudaEventDefault : cudaEventDisableTiming);
    if (r != cudaSuccess) {
        delete e;
        throw_cuda(r, "cudaEventCreateWithFlags");
    }
    Registry& reg = events();
    std::lock_guard<std::mutex> lock(reg.mu);
    reg.live.insert(e);
    *out = e;
}

void event_destroy(void* event) {
    Event* e = as_event(event, "event_release");
    {
        Registry& reg = events();
        std::lock_guard<std::mutex> lock(reg.mu);
        reg.live.erase(e);
    }
    ensure_device(e->device);
    cudaError_t r = cudaEventDestroy(e->handle);
    delete e;
    check_cuda(r, "cudaEventDestroy");
}

void event_record(void* event, void* stream) {
    Event* e = as_event(event, "event_record");
    Stream* s = stream != nullptr ? as_stream(stream, "event_record") : current_of(e->device);
    check(s->device == e->device, WK_ERR_DEVICE, "event_record: the event belongs to cuda:", e->device,
          " but the stream to cuda:", s->device);
    ensure_device(e->device);
    check_cuda(cudaEventRecord(e->handle, s->handle), "cudaEventRecord");
}

void event_synchronize(void* event) {
    Event* e = as_event(event, "event_synchronize");
    ensure_device(e->device);
    note_host_wait();
    check_cuda(cudaEventSynchronize(e->handle), "cudaEventSynchronize");
    raise_deferred_error(e->device);
}

void event_query(void* event, int32_t* done) {
    Event* e = as_event(event, "event_query");
    ensure_device(e->device);
    cudaError_t r = cudaEventQuery(e->handle);
    if (r == cudaErrorNotReady) {
        cudaGetLastError();
        *done = 0;
        return;
    }
    check_cuda(r, "cudaEventQuery");
    *done = 1;
}

void event_elapsed_ms(void* start, void* end, float* ms) {
    Event* a = as_event(start, "event_elapsed_ms");
    Event* b = as_event(end, "event_elapsed_ms");
    check(a->timing && b->timing, WK_ERR_INVALID_ARGUMENT,
          "event_elapsed_ms: both events must be created with timing enabled");
    ensure_device(a->device);
    check_cuda(cudaEventElapsedTime(ms, a->handle, b->handle), "cudaEventElapsedTime");
}

// ---------------------------------------------------------------------------------------------
// Memory table
// ---------------------------------------------------------------------------------------------

void mem_allocate(int32_t device, size_t nbytes, void** out) {
    check_device(device, "allocate");
    ensure_device(device);
    *out = device_allocator(device).allocate(nbytes, current_of(device)->handle);
}

void mem_deallocate(int32_t device, void* ptr, size_t) { device_allocator(device).free(ptr); }

void mem_stats(int32_t device, MemoryStats* out) { *out = device_allocator(device).stats(); }

void mem_reset_peak(int32_t device) { device_allocator(device).reset_peak(); }

void mem_empty_cache(int32_t device) {
    check_device(device, "EmptyCache");
    ensure_device(device);
    device_allocator(device).empty_cache();
}

void mem_set_limit(int32_t device, int64_t limit) { device_allocator(device).set_limit(limit); }

void copy_to_host(int32_t device, void* host_dst, const void* device_src, size_t nbytes) {
    ensure_device(device);
    cudaStream_t s = current_of(device)->handle;
    check_cuda(cudaMemcpyAsync(host_dst, device_src, nbytes, cudaMemcpyDeviceToHost, s), "copy to host (cudaMemcpyAsync)");
    DeferredErrorRead pending(device, s);
    note_host_wait();
    check_cuda(cudaStreamSynchronize(s), "copy to host (cudaStreamSynchronize)");
    pending.raise_if_set();
}

void copy_from_host(int32_t device, void* device_dst, const void* host_src, size_t nbytes) {
    ensure_device(device);
    cudaStream_t s = current_of(device)->handle;
    check_cuda(cudaMemcpyAsync(device_dst, host_src, nbytes, cudaMemcpyHostToDevice, s),
               "copy from host (cudaMemcpyAsync)");
    // The caller may reuse or free the source as soon as this returns.
    note_host_wait();
    check_cuda(cudaStreamSynchronize(s), "copy from host (cudaStreamSynchronize)");
}

void copy_from_host_async(int32_t device, void* device_dst, const void* host_src, size_t nbytes) {
    if (!is_pinned(host_src)) return copy_from_host(device, device_dst, host_src, nbytes);
    ensure_device(device);
    cudaStream_t s = current_of(device)->handle;
    check_cuda(cudaMemcpyAsync(device_dst, host_src, nbytes, cudaMemcpyHostToDevice, s),
               "asynchronous copy from pinned memory (cudaMemcpyAsync)");
    pinned_record_use(host_src, s);  // the block is not reused until this copy has run
}

void pinned_allocate_entry(size_t nbytes, void** out) {
    check(device_count_or_zero() > 0, WK_ERR_DEVICE, "pinned memory needs a CUDA device, but ", counted().reason);
    ensure_device(t_device);
    *out = pinned_allocate(nbytes);
}

void pinned_free_entry(void* ptr, size_t) { pinned_free(ptr); }

void pinned_empty_cache_entry() { pinned_empty_cache(); }

}  // namespace wick::cuda
