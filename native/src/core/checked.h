// Overflow-checked integer arithmetic (portable: no compiler builtins), for sizes and offsets
// that come from callers or files.
#pragma once

#include <cstdint>
#include <limits>

namespace wick {

// Returns false (and leaves *out unspecified) when a * b overflows int64.
inline bool checked_mul(int64_t a, int64_t b, int64_t* out) {
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
    if (a > 0 ? (b > 0 ? a > kMax / b : b < kMin / a) : (b > 0 ? a < kMin / b : (a != 0 && b < kMax / a)))
        return false;
    *out = a * b;
    return true;
}

inline bool checked_add(int64_t a, int64_t b, int64_t* out) {
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
    if ((b > 0 && a > kMax - b) || (b < 0 && a < kMin - b)) return false;
    *out = a + b;
    return true;
}

}  // namespace wick
