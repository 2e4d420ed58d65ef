// The caching host allocator: alignment, reuse of big blocks, statistics, EmptyCache.
#include <cstdint>
#include <cstring>

#include "core/host_allocator.h"
#include "test.h"

using namespace wick;

WICK_TEST(host_blocks_are_64_byte_aligned_and_writable) {
    for (size_t n : {size_t(0), size_t(1), size_t(63), size_t(4096), size_t(3) << 20, size_t(9) << 20}) {
        void* p = host_allocate(n);
        EXPECT(reinterpret_cast<uintptr_t>(p) % 64 == 0);
        if (n > 0) std::memset(p, 0xab, n);
        host_deallocate(p, n);
    }
}

WICK_TEST(a_freed_big_block_is_reused_and_empty_cache_releases_it) {
    host_empty_cache();
    const MemoryStats s0 = host_memory_stats();
    const size_t n = size_t(48) << 20;
    void* a = host_allocate(n);
    const MemoryStats s1 = host_memory_stats();
    EXPECT(s1.allocated_bytes - s0.allocated_bytes == static_cast<int64_t>(n));
    EXPECT(s1.reserved_bytes >= s1.allocated_bytes);
    host_deallocate(a, n);
    const MemoryStats s2 = host_memory_stats();
    EXPECT(s2.allocated_bytes == s0.allocated_bytes);
    EXPECT(s2.reserved_bytes - s0.reserved_bytes >= static_cast<int64_t>(n));  // cached
    void* b = host_allocate(n);
    EXPECT(b == a);  // the same block comes back
    EXPECT(host_memory_stats().reserved_bytes == s2.reserved_bytes);
    host_deallocate(b, n);
    host_empty_cache();
    EXPECT(host_memory_stats().reserved_bytes == s0.reserved_bytes);
}

WICK_TEST(sizes_in_one_class_share_cached_blocks) {
    host_empty_cache();
    void* a = host_allocate((size_t(40) << 20) + 100);
    host_deallocate(a, (size_t(40) << 20) + 100);
    void* b = host_allocate((size_t(40) << 20) + 5000);  // same 2 MiB-rounded class
    EXPECT(b == a);
    host_deallocate(b, (size_t(40) << 20) + 5000);
    host_empty_cache();
}
