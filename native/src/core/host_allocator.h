// Host memory for CPU storages: 64-byte aligned, with statistics. Large blocks may be cached for
// reuse so repeated big temporaries do not page-fault on every call.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "core/backend.h"

namespace wick {

// Throws an out-of-memory error (with the statistics) when the system refuses.
void* host_allocate(size_t nbytes);
void host_deallocate(void* ptr, size_t nbytes);
MemoryStats host_memory_stats();
void host_reset_peak();
void host_empty_cache();
// Caps the bytes live host storages may hold (limit <= 0: no cap); see MemoryKernels::set_limit.
void host_set_limit(int64_t limit);
// Bytes held by live host storages (what a garbage-collected host reports as memory pressure).
const std::atomic<int64_t>& host_live_bytes();

}  // namespace wick
