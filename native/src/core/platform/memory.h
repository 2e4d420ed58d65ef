// Aligned host memory from the operating system. One implementation per platform: memory_posix.cpp
// (Linux, macOS: aligned_alloc, huge-page advice on Linux), memory_windows.cpp (_aligned_malloc),
// because MSVC's C library has no std::aligned_alloc.
#pragma once

#include <cstddef>

namespace wick::platform {

// `size` bytes aligned to `alignment` (a power of two); null when the system has no memory left.
void* aligned_allocate(size_t alignment, size_t size);
// Frees what aligned_allocate returned (null is ignored).
void aligned_free(void* p);
// Asks for transparent huge pages over [p, p + size) where the OS has them; advice only, never fails.
void advise_huge_pages(void* p, size_t size);

}  // namespace wick::platform
