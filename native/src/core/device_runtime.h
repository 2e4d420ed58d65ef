// The device runtime of an accelerator backend: device queries, streams, events, pinned host
// memory and math switches. The CPU backend has none (Backend::runtime is null); the CUDA backend
// (libwick_cuda.so) fills every entry. Conventions as in backend.h: plain data across the table,
// a wk_status result and the message in the backend's last_error().
//
// Streams and events are opaque pointers owned by the backend; the C ABI hands them out as
// wk_cuda_stream / wk_cuda_event. A stream is refcounted (retain/release) because the thread's
// "current stream" slot holds a reference too.
#pragma once

#include <cstddef>
#include <cstdint>

#include "wick/wick.h"

namespace wick {

struct DeviceProperties {
    char name[256] = {};
    int32_t major = 0;
    int32_t minor = 0;
    int32_t multiprocessor_count = 0;
    int32_t max_threads_per_block = 0;
    int64_t total_memory = 0;
    int64_t l2_cache_bytes = 0;
};

struct DeviceRuntime {
    // Makes `device_index` the device that the following kernels of this thread run on. Called by
    // backend_for() before every op on that device; cheap when it is already active.
    wk_status (*activate)(int32_t device_index);
    wk_status (*properties)(int32_t device_index, DeviceProperties* out);
    wk_status (*memory_info)(int32_t device_index, int64_t* free_bytes, int64_t* total_bytes);
    // Waits for all work queued on the device.
    wk_status (*synchronize)(int32_t device_index);

    // Streams: a new non-blocking stream, or the device's default (legacy) stream; both come back
    // with one reference for the caller.
    wk_status (*stream_create)(int32_t device_index, void** out);
    wk_status (*stream_default)(int32_t device_index, void** out);
    wk_status (*stream_retain)(void* stream);
    wk_status (*stream_release)(void* stream);
    // The stream this thread's kernels on the device are queued on (a new reference).
    wk_status (*stream_current)(int32_t device_index, void** out);
    // Makes `stream` (null: the default stream) current for this thread on its device.
    wk_status (*stream_set_current)(int32_t device_index, void* stream);
    wk_status (*stream_device)(void* stream, int32_t* device_index);
    wk_status (*stream_synchronize)(void* stream);
    wk_status (*stream_query)(void* stream, int32_t* done);
    wk_status (*stream_wait_event)(void* stream, void* event);

    wk_status (*event_create)(int32_t device_index, int32_t enable_timing, void** out);
    wk_status (*event_destroy)(void* event);
    // Records on `stream` (null: the thread's current stream of the event's device).
    wk_status (*event_record)(void* event, void* stream);
    wk_status (*event_synchronize)(void* event);
    wk_status (*event_query)(void* event, int32_t* done);
    wk_status (*event_elapsed_ms)(void* start, void* end, float* ms);

    // Page-locked host memory: copies from it to a device can run asynchronously.
    wk_status (*pinned_allocate)(size_t nbytes, void** out);
    wk_status (*pinned_free)(void* ptr, size_t nbytes);
    wk_status (*pinned_empty_cache)();

    // TF32 for float32 matrix products or convolutions (PyTorch's torch.backends.cuda.matmul.allow_tf32 and
    // torch.backends.cudnn.allow_tf32); the scope is checked by the caller.
    wk_status (*set_allow_tf32)(wk_tf32_scope scope, int32_t allow);
    wk_status (*get_allow_tf32)(wk_tf32_scope scope, int32_t* allow);

    // Index checks that wait for their result and fail in the op itself instead of at the next
    // synchronisation (wk_cuda_set_sync_checks); process-wide.
    wk_status (*set_sync_checks)(int32_t on);
    wk_status (*get_sync_checks)(int32_t* on);
    // How often the host has waited for a device since the process started.
    wk_status (*host_sync_count)(int64_t* count);
};

}  // namespace wick
