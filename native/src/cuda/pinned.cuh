// Pinned (page-locked) host memory with a cache. Copies from pinned memory to a GPU can run
// asynchronously, so a block may still be read by a queued copy after its tensor is freed: each
// asynchronous copy records an event on the block, and a freed block is reused (or given back to
// the driver) only once all its events have completed.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>

namespace wick::cuda {

void* pinned_allocate(size_t nbytes);
void pinned_free(void* ptr);
// True when ptr points into a live pinned block.
bool is_pinned(const void* ptr);
// Marks the block holding ptr as read by work queued on `stream` up to now.
void pinned_record_use(const void* ptr, cudaStream_t stream);
// Waits for pending copies, then returns every cached free block to the driver.
void pinned_empty_cache();

}  // namespace wick::cuda
