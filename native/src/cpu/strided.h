// Moving a strided run of elements to and from a small contiguous buffer, so the contiguous inner
// loops of the per-ISA kernels serve strided and broadcast operands too (and give the same bits).
#pragma once

#include <cstdint>
#include <cstring>

namespace wick::cpu {

// Elements per buffer: small enough for the stack and L1, big enough to amortise the call.
constexpr int64_t kGatherElems = 256;

// dst[i] = element at src + i * stride (bytes), for n elements of `size` bytes.
inline void gather(char* dst, const char* src, int64_t stride, int64_t n, int64_t size) {
    switch (size) {
        case 1: for (int64_t i = 0; i < n; ++i) dst[i] = src[i * stride]; return;
        case 2: for (int64_t i = 0; i < n; ++i) std::memcpy(dst + 2 * i, src + i * stride, 2); return;
        case 4: for (int64_t i = 0; i < n; ++i) std::memcpy(dst + 4 * i, src + i * stride, 4); return;
        case 8: for (int64_t i = 0; i < n; ++i) std::memcpy(dst + 8 * i, src + i * stride, 8); return;
        default:
            for (int64_t i = 0; i < n; ++i) std::memcpy(dst + size * i, src + i * stride, static_cast<size_t>(size));
    }
}

// Element at dst + i * stride (bytes) = src[i].
inline void scatter(char* dst, int64_t stride, const char* src, int64_t n, int64_t size) {
    switch (size) {
        case 1: for (int64_t i = 0; i < n; ++i) dst[i * stride] = src[i]; return;
        case 2: for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * stride, src + 2 * i, 2); return;
        case 4: for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * stride, src + 4 * i, 4); return;
        case 8: for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * stride, src + 8 * i, 8); return;
        default:
            for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * stride, src + size * i, static_cast<size_t>(size));
    }
}

}  // namespace wick::cpu
