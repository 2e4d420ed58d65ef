// Per-thread caches of free blocks in 7 size classes (64 B to 4 KiB, powers of two), at most
// kPerClass blocks each; beyond that, and at thread exit, blocks go back to the C allocator. A
// block freed on another thread (a .NET finalizer, say) simply joins that thread's cache.
#include "core/small_pool.h"
#include "core/platform/memory.h"

#include <bit>
#include <cstdlib>
#include <new>

namespace wick {

namespace {

constexpr int kClasses = 7;  // 64, 128, ..., 4096
constexpr int kPerClass = 32;

int class_of(size_t bytes) {
    if (bytes <= 64) return 0;
    return static_cast<int>(std::bit_width(bytes - 1)) - 6;  // 65..128 -> 1, ..., 2049..4096 -> 6
}

constexpr size_t class_bytes(int c) { return size_t(64) << c; }

struct ThreadCache {
    void* blocks[kClasses][kPerClass];
    int count[kClasses] = {};

    ~ThreadCache() { trim(); }

    void trim() {
        for (int c = 0; c < kClasses; ++c) {
            for (int i = 0; i < count[c]; ++i) platform::aligned_free(blocks[c][i]);
            count[c] = 0;
        }
    }
};

// The cache is reached through an initial-exec TLS pointer (one load, no __tls_get_addr call: that
// call cost more than the allocation itself); 8 bytes fit the static TLS that glibc keeps for
// libraries loaded with dlopen, as .NET loads this one. A second, ordinary thread_local owns the
// cache and frees it at thread exit; after that the thread uses malloc directly.
#if defined(__GNUC__) && !defined(_WIN32)
#  define WICK_TLS_FAST __attribute__((tls_model("initial-exec")))
#else
#  define WICK_TLS_FAST
#endif

thread_local ThreadCache* t_cache_ptr WICK_TLS_FAST = nullptr;
thread_local bool t_cache_dead WICK_TLS_FAST = false;

struct CacheOwner {
    ThreadCache* cache = nullptr;
    ~CacheOwner() {
        t_cache_ptr = nullptr;
        t_cache_dead = true;
        delete cache;  // trims
    }
};
thread_local CacheOwner t_owner;

ThreadCache* thread_cache() {
    ThreadCache* c = t_cache_ptr;
    if (c != nullptr || t_cache_dead) return c;
    c = new ThreadCache();
    t_owner.cache = c;
    t_cache_ptr = c;
    return c;
}

}  // namespace

void* small_pool_allocate(size_t bytes) {
    const int c = class_of(bytes);
    ThreadCache* tc = thread_cache();
    if (tc != nullptr && tc->count[c] > 0) return tc->blocks[c][--tc->count[c]];
    void* p = platform::aligned_allocate(64, class_bytes(c));
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

void small_pool_free(void* p, size_t bytes) {
    if (p == nullptr) return;
    const int c = class_of(bytes);
    ThreadCache* tc = thread_cache();
    if (tc != nullptr && tc->count[c] < kPerClass) {
        tc->blocks[c][tc->count[c]++] = p;
        return;
    }
    platform::aligned_free(p);
}

void small_pool_trim() {
    if (ThreadCache* tc = thread_cache()) tc->trim();
}

}  // namespace wick
