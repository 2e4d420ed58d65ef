#if !defined(_WIN32)
#include <cstdlib>

#include "core/platform/memory.h"
#if defined(__linux__)
#  include <sys/mman.h>
#endif

namespace wick::platform {

void* aligned_allocate(size_t alignment, size_t size) {
    // aligned_alloc wants a size that is a multiple of the alignment.
    return std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
}

void aligned_free(void* p) { std::free(p); }

void advise_huge_pages([[maybe_unused]] void* p, [[maybe_unused]] size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p != nullptr) madvise(p, size, MADV_HUGEPAGE);
#endif
}

}  // namespace wick::platform
#endif
