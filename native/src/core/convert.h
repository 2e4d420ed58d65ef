// Element conversion between any two dtypes, defined for every input (no undefined behaviour):
// floating to integer truncates toward zero and saturates, NaN becomes 0; anything to bool is
// "nonzero"; 16-bit floats go through float with round-to-nearest-even.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/half.h"

namespace wick {

template <class T>
inline constexpr bool is_half_v = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

template <class D>
inline D saturate_from_double(double v) {
    if constexpr (std::is_same_v<D, bool>) {
        return v != 0;
    } else if constexpr (is_half_v<D>) {
        return D(static_cast<float>(v));
    } else if constexpr (std::is_floating_point_v<D>) {
        return static_cast<D>(v);
    } else {
        if (std::isnan(v)) return D(0);
        // Bounds as doubles: the max of int64 rounds up to 2^63, so compare with >=.
        constexpr double lo = static_cast<double>(std::numeric_limits<D>::min());
        constexpr double hi = static_cast<double>(std::numeric_limits<D>::max());
        if (v <= lo) return std::numeric_limits<D>::min();
        if (v >= hi) return std::numeric_limits<D>::max();
        return static_cast<D>(v);
    }
}

template <class D, class S>
inline D convert(S v) {
    if constexpr (std::is_same_v<D, S>) {
        return v;
    } else if constexpr (is_half_v<S>) {
        return convert<D>(static_cast<float>(v));
    } else if constexpr (std::is_same_v<D, bool>) {
        return v != S(0);
    } else if constexpr (is_half_v<D>) {
        return D(static_cast<float>(v));
    } else if constexpr (std::is_floating_point_v<S> && !std::is_floating_point_v<D>) {
        return saturate_from_double<D>(static_cast<double>(v));
    } else {
        return static_cast<D>(v);  // integer to integer wraps (defined since C++20), any to float rounds
    }
}

}  // namespace wick
