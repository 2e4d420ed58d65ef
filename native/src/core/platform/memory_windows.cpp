#if defined(_WIN32)
#include <malloc.h>

#include "core/platform/memory.h"

namespace wick::platform {

void* aligned_allocate(size_t alignment, size_t size) { return _aligned_malloc(size, alignment); }

void aligned_free(void* p) { _aligned_free(p); }

void advise_huge_pages(void*, size_t) {}  // large pages need a privilege on Windows: not asked for

}  // namespace wick::platform
#endif
