// Devices, streams and events of the CUDA backend: the implementations behind the backend's
// DeviceRuntime table (core/device_runtime.h) and its memory table. They throw wick::Error;
// backend_cuda.cu wraps each one with guarded<>.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/backend.h"

namespace wick::cuda {

// Number of GPUs; 0 (with the reason left in last_error()) when there is no driver or device.
int32_t device_count_or_zero();
void device_count(int32_t* out);
void activate(int32_t device);
void properties(int32_t device, DeviceProperties* out);
void memory_info(int32_t device, int64_t* free_bytes, int64_t* total_bytes);
// Waits for the device; raises a pending deferred index error (deferred_error.cuh), as do
// stream_synchronize, event_synchronize and copy_to_host.
void synchronize(int32_t device);
// Synchronous index checks (deferred_error.cuh) and the count of host waits (note_host_wait).
void set_sync_checks_entry(int32_t on);
void get_sync_checks(int32_t* on);
void host_sync_count(int64_t* count);

void stream_create(int32_t device, void** out);
void stream_default(int32_t device, void** out);
void stream_retain(void* stream);
void stream_release(void* stream);
void stream_current(int32_t device, void** out);
void stream_set_current(int32_t device, void* stream);
void stream_device(void* stream, int32_t* device);
void stream_synchronize(void* stream);
void stream_query(void* stream, int32_t* done);
void stream_wait_event(void* stream, void* event);

void event_create(int32_t device, int32_t enable_timing, void** out);
void event_destroy(void* event);
void event_record(void* event, void* stream);
void event_synchronize(void* event);
void event_query(void* event, int32_t* done);
void event_elapsed_ms(void* start, void* end, float* ms);

void set_allow_tf32(wk_tf32_scope scope, int32_t allow);
void get_allow_tf32(wk_tf32_scope scope, int32_t* allow);
bool allow_tf32(wk_tf32_scope scope);

// The memory table.
void mem_allocate(int32_t device, size_t nbytes, void** out);
void mem_deallocate(int32_t device, void* ptr, size_t nbytes);
void mem_stats(int32_t device, MemoryStats* out);
void mem_reset_peak(int32_t device);
void mem_empty_cache(int32_t device);
void mem_set_limit(int32_t device, int64_t limit);
void copy_to_host(int32_t device, void* host_dst, const void* device_src, size_t nbytes);
void copy_from_host(int32_t device, void* device_dst, const void* host_src, size_t nbytes);
void copy_from_host_async(int32_t device, void* device_dst, const void* host_src, size_t nbytes);
void pinned_allocate_entry(size_t nbytes, void** out);
void pinned_free_entry(void* ptr, size_t nbytes);
void pinned_empty_cache_entry();

}  // namespace wick::cuda
