// The caching device allocator, one per GPU. cudaMalloc and cudaFree are slow and cudaFree waits
// for the whole device, so memory is taken from the driver in segments and handed out as blocks:
//  - sizes are rounded up to 512 bytes; requests up to 1 MiB come from 2 MiB "small" segments,
//    larger ones from "large" segments (20 MiB, or the request rounded up to 2 MiB);
//  - a free block larger than a request is split, and neighbours merge again when both are free;
//  - blocks are stream-ordered: a block freed by work on stream S is reused only by allocations
//    on S, whose later kernels run after the earlier ones, so no synchronisation is needed. A
//    tensor used on another stream than the one it was allocated on must be synchronised by the
//    caller before it is freed (as in PyTorch without record_stream);
//  - on cudaMalloc failure the cached, wholly free segments are released (after waiting for the
//    device) and the allocation retried once; then it fails with the statistics in the message.
// Freeing never calls CUDA, so tensors can be released from any thread (the .NET finalizer).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <set>
#include <unordered_map>

#include "core/backend.h"

namespace wick::cuda {

class DeviceAllocator {
public:
    explicit DeviceAllocator(int32_t device) : device_(device) {}

    // Never null for any nbytes (0 gives a minimal block); throws out-of-memory.
    void* allocate(size_t nbytes, cudaStream_t stream);
    void free(void* ptr);
    MemoryStats stats();
    void reset_peak();
    // Waits for the device, then returns every wholly free segment to the driver.
    void empty_cache();
    void set_limit(int64_t limit_bytes);

private:
    struct Block {
        cudaStream_t stream = nullptr;
        size_t size = 0;
        char* ptr = nullptr;
        bool allocated = false;
        bool small = false;
        Block* prev = nullptr;  // neighbours inside the segment
        Block* next = nullptr;
    };
    struct BlockOrder {
        bool operator()(const Block* a, const Block* b) const {
            if (a->stream != b->stream) return reinterpret_cast<uintptr_t>(a->stream) < reinterpret_cast<uintptr_t>(b->stream);
            if (a->size != b->size) return a->size < b->size;
            return reinterpret_cast<uintptr_t>(a->ptr) < reinterpret_cast<uintptr_t>(b->ptr);
        }
    };
    using Pool = std::set<Block*, BlockOrder>;

    Block* find_free(Pool& pool, size_t size, cudaStream_t stream, bool small);
    Block* new_segment(size_t segment_size, cudaStream_t stream, bool small);
    // Releases wholly free segments; the caller holds mu_ and has waited for the device.
    void release_cached();
    [[noreturn]] void fail_out_of_memory(size_t nbytes, size_t segment_size, cudaError_t error);

    const int32_t device_;
    std::mutex mu_;
    Pool small_pool_, large_pool_;
    std::unordered_map<void*, Block*> live_;  // allocated blocks by address
    int64_t allocated_ = 0;  // bytes in allocated blocks (rounded sizes)
    int64_t peak_ = 0;
    int64_t reserved_ = 0;  // bytes in segments from cudaMalloc
    int64_t limit_ = 0;     // 0: no cap
};

DeviceAllocator& device_allocator(int32_t device);

// Rounding rules, exposed for tests of the policy.
constexpr size_t kMinBlock = 512;
constexpr size_t kSmallRequest = 1 << 20;   // requests up to this come from small segments
constexpr size_t kSmallSegment = 2 << 20;
constexpr size_t kLargeSegment = 20 << 20;  // minimum large segment
constexpr size_t kLargeRound = 2 << 20;     // larger segments are rounded to this
constexpr size_t kMinLargeSplit = 1 << 20;  // a large block is split only when this much remains

inline size_t round_block(size_t n) { return n < kMinBlock ? kMinBlock : (n + kMinBlock - 1) / kMinBlock * kMinBlock; }

}  // namespace wick::cuda
