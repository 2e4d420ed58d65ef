// Small blocks (at most 4 KiB, 64-byte aligned) recycled through per-thread caches: the storages of
// small tensors and the Tensor and Storage objects themselves. A tiny op allocates three of them
// and frees three; through the C allocator (memalign, free) that was about a third of its cost.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wick {

constexpr size_t kSmallPoolMax = 4096;

// Never null for bytes <= kSmallPoolMax: throws std::bad_alloc when the system refuses.
void* small_pool_allocate(size_t bytes);
// bytes must be what was asked for at allocation (it picks the size class).
void small_pool_free(void* p, size_t bytes);
// Frees the calling thread's cached blocks.
void small_pool_trim();

}  // namespace wick
