// Host memory: 64-byte aligned blocks. Blocks of 1 MiB and more are cached on free and handed out again for a
// request of the same size class, so a loop that makes the same big temporary every iteration
// touches memory that is already mapped instead of page-faulting it in again (a fresh 64 MiB
// block costs ~16,000 faults, several milliseconds). Big blocks are 2 MiB aligned and marked for
// transparent huge pages where the OS offers them, which makes their first touch cheaper too.
//
// Blocks up to 4 KiB come from per-thread caches (core/small_pool.h).
//
// Statistics: allocated = bytes of live storages as requested; reserved = live blocks at their class
// size plus the cached big blocks (the per-thread caches of free small blocks, which the Tensor and
// Storage objects share, are not counted: at most 32 blocks per size class and thread, < 256 KiB).
// EmptyCache frees the big-block cache and the calling thread's small blocks.
#include "core/host_allocator.h"
#include "core/platform/memory.h"

#include <bit>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>


#include "core/error.h"
#include "core/small_pool.h"

namespace wick {

namespace {

constexpr size_t kAlignment = 64;
constexpr size_t kCacheMin = size_t(1) << 20;  // blocks from 1 MiB up are cached
constexpr size_t kHuge = size_t(2) << 20;      // huge-page size and alignment of the biggest blocks

std::atomic<int64_t> g_live_bytes{0};
std::atomic<int64_t> g_peak_bytes{0};
std::atomic<int64_t> g_limit_bytes{0};  // 0: no cap
std::atomic<int64_t> g_block_bytes{0};  // class sizes of live blocks

struct Cache {
    std::mutex mutex;
    std::multimap<size_t, void*> free_blocks;  // class size -> block
    size_t cached_bytes = 0;
    size_t limit = size_t(4) << 30;
};

Cache& cache() {
    static Cache* c = [] {
        auto* cc = new Cache();  // never freed: storages may be released during static destruction
        if (const char* env = std::getenv("WICK_HOST_CACHE_MB"); env != nullptr && *env != '\0') {
            char* end = nullptr;
            unsigned long long mb = std::strtoull(env, &end, 10);
            if (end != env && *end == '\0') cc->limit = static_cast<size_t>(mb) << 20;
        }
        return cc;
    }();
    return *c;
}

void update_peak(int64_t now) {
    int64_t peak = g_peak_bytes.load(std::memory_order_relaxed);
    while (now > peak && !g_peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
}

// The size actually reserved for a request: powers of two up to 4 KiB (the small pool), then
// 64-byte multiples below 1 MiB; for cached ones
// steps of 1/8 of the power of two below (at most 12.5% slack), and whole huge pages from 2 MiB.
size_t class_size(size_t nbytes) {
    size_t rounded = (nbytes + kAlignment - 1) / kAlignment * kAlignment;
    if (rounded == 0) rounded = kAlignment;  // a zero-byte tensor still gets a unique block
    if (rounded <= kSmallPoolMax) return std::bit_ceil(rounded);
    if (rounded < kCacheMin) return rounded;
    int top = static_cast<int>(std::bit_width(rounded)) - 1;
    size_t step = size_t(1) << (top - 3);
    if (step < kHuge && rounded >= kHuge) step = kHuge;
    return (rounded + step - 1) / step * step;
}

void* system_allocate(size_t size) {
    const size_t align = size >= kHuge ? kHuge : kAlignment;
    void* p = platform::aligned_allocate(align, size);
    if (p != nullptr && size >= kHuge) platform::advise_huge_pages(p, size);
    return p;
}

void release_cache(Cache& c, size_t keep) {
    // Largest blocks first: they free the most with the fewest calls.
    while (c.cached_bytes > keep && !c.free_blocks.empty()) {
        auto it = std::prev(c.free_blocks.end());
        c.cached_bytes -= it->first;
        platform::aligned_free(it->second);
        c.free_blocks.erase(it);
    }
}

}  // namespace

void* host_allocate(size_t nbytes) {
    const int64_t limit = g_limit_bytes.load(std::memory_order_relaxed);
    if (limit > 0 && g_live_bytes.load(std::memory_order_relaxed) + static_cast<int64_t>(nbytes) > limit) {
        fail(WK_ERR_OUT_OF_MEMORY, "out of host memory allocating ", nbytes, " bytes: the limit set with Memory.SetLimit is ",
             limit, " bytes and live tensors hold ", g_live_bytes.load(), " bytes (peak ", g_peak_bytes.load(), ")");
    }
    const size_t size = class_size(nbytes);
    void* p = nullptr;
    if (size >= kCacheMin) {
        Cache& c = cache();
        std::lock_guard<std::mutex> lock(c.mutex);
        auto it = c.free_blocks.find(size);
        if (it != c.free_blocks.end()) {
            p = it->second;
            c.cached_bytes -= size;
            c.free_blocks.erase(it);
        } else {
            p = system_allocate(size);
            if (p == nullptr) {  // the cache may be what is using the memory
                release_cache(c, 0);
                p = system_allocate(size);
            }
        }
    } else if (size <= kSmallPoolMax) {
        try {
            p = small_pool_allocate(size);
        } catch (const std::bad_alloc&) {
            p = nullptr;
        }
    } else {
        p = platform::aligned_allocate(kAlignment, size);
    }
    if (p == nullptr) {
        fail(WK_ERR_OUT_OF_MEMORY, "out of host memory allocating ", nbytes, " bytes (", g_live_bytes.load(),
             " bytes in live tensors)");
    }
    g_block_bytes.fetch_add(static_cast<int64_t>(size), std::memory_order_relaxed);
    int64_t now = g_live_bytes.fetch_add(static_cast<int64_t>(nbytes), std::memory_order_relaxed) +
                  static_cast<int64_t>(nbytes);
    update_peak(now);
    return p;
}

void host_deallocate(void* ptr, size_t nbytes) {
    if (ptr == nullptr) return;
    const size_t size = class_size(nbytes);
    g_live_bytes.fetch_sub(static_cast<int64_t>(nbytes), std::memory_order_relaxed);
    g_block_bytes.fetch_sub(static_cast<int64_t>(size), std::memory_order_relaxed);
    if (size >= kCacheMin) {
        Cache& c = cache();
        std::lock_guard<std::mutex> lock(c.mutex);
        if (size <= c.limit) {
            c.free_blocks.emplace(size, ptr);
            c.cached_bytes += size;
            release_cache(c, c.limit);
            return;
        }
    }
    if (size <= kSmallPoolMax) return small_pool_free(ptr, size);
    platform::aligned_free(ptr);
}

MemoryStats host_memory_stats() {
    MemoryStats s;
    s.allocated_bytes = g_live_bytes.load(std::memory_order_relaxed);
    s.peak_bytes = g_peak_bytes.load(std::memory_order_relaxed);
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    s.reserved_bytes = g_block_bytes.load(std::memory_order_relaxed) + static_cast<int64_t>(c.cached_bytes);
    return s;
}

void host_reset_peak() { g_peak_bytes.store(g_live_bytes.load(std::memory_order_relaxed), std::memory_order_relaxed); }

void host_empty_cache() {
    small_pool_trim();  // the calling thread's small blocks (other threads keep at most 32 per size class)
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    release_cache(c, 0);
}

void host_set_limit(int64_t limit) { g_limit_bytes.store(limit > 0 ? limit : 0, std::memory_order_relaxed); }

const std::atomic<int64_t>& host_live_bytes() { return g_live_bytes; }

}  // namespace wick
