// Scalar element functions shared by the unary and binary kernels, defined for every input
// (integer overflow wraps instead of being undefined; division by zero is reported by the caller).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace wick::cpu {

template <class T>
using Unsigned = std::make_unsigned_t<std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>>;

// Wrapping integer arithmetic (two's complement), plain arithmetic for floats.
template <class T>
inline T add(T a, T b) {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
        return static_cast<T>(static_cast<Unsigned<T>>(a) + static_cast<Unsigned<T>>(b));
    else if constexpr (std::is_same_v<T, bool>) return a || b;
    else return a + b;
}
template <class T>
inline T sub(T a, T b) {
    if constexpr (std::is_integral_v<T>)
        return static_cast<T>(static_cast<Unsigned<T>>(a) - static_cast<Unsigned<T>>(b));
    else return a - b;
}
template <class T>
inline T mul(T a, T b) {
    if constexpr (std::is_same_v<T, bool>) return a && b;
    else if constexpr (std::is_integral_v<T>) {
        // Unsigned types narrower than int promote to (signed) int: multiply in a wide unsigned type.
        using W = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, Unsigned<T>>;
        return static_cast<T>(static_cast<W>(static_cast<Unsigned<T>>(a)) * static_cast<W>(static_cast<Unsigned<T>>(b)));
    } else return a * b;
}
template <class T>
inline T neg(T a) {
    if constexpr (std::is_integral_v<T>) return static_cast<T>(Unsigned<T>(0) - static_cast<Unsigned<T>>(a));
    else return -a;
}

// Python-style floor division and remainder for integers (b != 0, checked by the caller).
template <class T>
inline T int_floor_div(T a, T b) {
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return neg(a);  // avoids the overflow of min / -1
        T q = static_cast<T>(a / b);
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        return q;
    } else {
        return static_cast<T>(a / b);
    }
}
template <class T>
inline T int_remainder(T a, T b) {
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return 0;
        T r = static_cast<T>(a % b);
        if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
        return r;
    } else {
        return static_cast<T>(a % b);
    }
}
template <class T>
inline T int_fmod(T a, T b) {
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return 0;
    }
    return static_cast<T>(a % b);
}

template <class T>
inline T float_floor_div(T a, T b) {
    if (b == 0) return a / b;  // inf or nan, as IEEE division
    T mod = std::fmod(a, b);
    T div = (a - mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) div -= T(1);
    if (div == 0) return std::copysign(T(0), a / b);
    T floordiv = std::floor(div);
    if (div - floordiv > T(0.5)) floordiv += T(1);
    return floordiv;
}
template <class T>
inline T float_remainder(T a, T b) {
    T r = std::fmod(a, b);
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

// Integer power by squaring (exponent >= 0, checked by the caller); wraps on overflow.
template <class T>
inline T int_pow(T base, T exp) {
    T result = 1;
    while (exp > 0) {
        if (exp & 1) result = mul(result, base);
        base = mul(base, base);
        exp = static_cast<T>(exp >> 1);
    }
    return result;
}

}  // namespace wick::cpu
