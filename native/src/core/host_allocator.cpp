#include "core/host_allocator.h"

#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace wick {

namespace {

constexpr size_t kAlignment = 64;

std::atomic<int64_t> g_live_bytes{0};
std::atomic<int64_t> g_peak_bytes{0};
std::atomic<int64_t> g_limit_bytes{0};  // 0: no cap

void update_peak(int64_t now) {
    int64_t peak = g_peak_bytes.load(std::memory_order_relaxed);
    while (now > peak && !g_peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
}

}  // namespace

void* host_allocate(size_t nbytes) {
    // Round up so aligned_alloc's size requirement holds; a zero-byte tensor still gets a unique block.
    size_t rounded = (nbytes + kAlignment - 1) / kAlignment * kAlignment;
    if (rounded == 0) rounded = kAlignment;
    const int64_t limit = g_limit_bytes.load(std::memory_order_relaxed);
    if (limit > 0 && g_live_bytes.load(std::memory_order_relaxed) + static_cast<int64_t>(nbytes) > limit) {
        fail(WK_ERR_OUT_OF_MEMORY, "out of host memory allocating ", nbytes, " bytes: the limit set with Memory.SetLimit is ",
             limit, " bytes and live tensors hold ", g_live_bytes.load(), " bytes (peak ", g_peak_bytes.load(), ")");
    }
    void* p = std::aligned_alloc(kAlignment, rounded);
    if (p == nullptr) {
        fail(WK_ERR_OUT_OF_MEMORY, "out of host memory allocating ", nbytes, " bytes (", g_live_bytes.load(),
             " bytes in live tensors)");
    }
    int64_t now = g_live_bytes.fetch_add(static_cast<int64_t>(nbytes), std::memory_order_relaxed) +
                  static_cast<int64_t>(nbytes);
    update_peak(now);
    return p;
}

void host_deallocate(void* ptr, size_t nbytes) {
    if (ptr == nullptr) return;
    std::free(ptr);
    g_live_bytes.fetch_sub(static_cast<int64_t>(nbytes), std::memory_order_relaxed);
}

MemoryStats host_memory_stats() {
    MemoryStats s;
    s.allocated_bytes = g_live_bytes.load(std::memory_order_relaxed);
    s.peak_bytes = g_peak_bytes.load(std::memory_order_relaxed);
    s.reserved_bytes = s.allocated_bytes;
    return s;
}

void host_reset_peak() { g_peak_bytes.store(g_live_bytes.load(std::memory_order_relaxed), std::memory_order_relaxed); }

void host_empty_cache() {}

void host_set_limit(int64_t limit) { g_limit_bytes.store(limit > 0 ? limit : 0, std::memory_order_relaxed); }

const std::atomic<int64_t>& host_live_bytes() { return g_live_bytes; }

}  // namespace wick
