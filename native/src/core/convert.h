// Element conversion between any two dtypes, defined for every input (no undefined behaviour):
// floating to integer truncates toward zero and saturates, NaN becomes 0; anything to bool is
// "nonzero"; integer to integer wraps around (two's complement, as PyTorch). Conversion to the
// 16-bit floats rounds once, to nearest even, from the exact source value: float64 and integer
// sources go through a round-to-odd float (see below), so a value just above a tie between two
// f16/bf16 numbers never lands on the tie first (PyTorch rounds through float32 and can be one
// ulp off there).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/half.h"

namespace wick {

template <class T>
inline constexpr bool is_half_v = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

// d rounded to float with round-to-odd (truncate, then set the last bit when inexact). Rounding
// that float to a format with at most 22 significant bits gives the same result as rounding d
// directly, because the odd last bit keeps "exactly a tie" and "above a tie" apart.
inline float to_float_round_odd(double d) {
    const float f = static_cast<float>(d);  // IEEE: out of range gives +-inf (handled below)
    const double back = static_cast<double>(f);
    // Branch-free so conversion loops vectorise. NaN compares unequal to itself: left alone.
    const uint32_t inexact = (back != d) & (d == d);
    const uint32_t away = inexact & (std::fabs(back) > std::fabs(d));  // rounded away from zero (f != 0)
    return bits_float((float_bits(f) - away) | inexact);
}

// An int64 as a double with round-to-odd (exact below 2^53), for the same reason.
inline double int64_to_double_round_odd(int64_t v) {
    const uint64_t mag = v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    if (mag < (uint64_t{1} << 53)) return static_cast<double>(v);
    const int shift = 64 - std::countl_zero(mag) - 53;  // bits dropped below the 53 kept
    uint64_t kept = mag >> shift;
    if ((mag & ((uint64_t{1} << shift) - 1)) != 0) kept |= 1;
    const double d = std::ldexp(static_cast<double>(kept), shift);
    return v < 0 ? -d : d;
}

template <class H>
inline H half_from_double(double v) {
    return H(to_float_round_odd(v));
}

template <class D>
inline D saturate_from_double(double v) {
    if constexpr (std::is_same_v<D, bool>) {
        return v != 0;
    } else if constexpr (is_half_v<D>) {
        return half_from_double<D>(v);
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
        if constexpr (std::is_same_v<S, float>) return D(v);
        else if constexpr (std::is_same_v<S, int64_t>) return half_from_double<D>(int64_to_double_round_odd(v));
        else return half_from_double<D>(static_cast<double>(v));  // double, or an integer exact in a double
    } else if constexpr (std::is_floating_point_v<S> && !std::is_floating_point_v<D>) {
        return saturate_from_double<D>(static_cast<double>(v));
    } else {
        return static_cast<D>(v);  // integer to integer wraps (defined since C++20), any to float rounds
    }
}

}  // namespace wick
