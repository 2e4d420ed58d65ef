// 16-bit floating types stored as raw bits. Conversions from float round to nearest even and keep
// NaN a NaN; they are the only arithmetic these types have on the CPU (compute upcasts to float).
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace wick {

inline uint32_t float_bits(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
inline float bits_float(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }

struct BFloat16 {
    uint16_t bits;
    BFloat16() = default;
    explicit BFloat16(float f) : bits(from_float(f)) {}
    explicit operator float() const { return bits_float(static_cast<uint32_t>(bits) << 16); }

    static uint16_t from_float(float f) {
        uint32_t u = float_bits(f);
        if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40);  // quiet NaN
        uint32_t rounding = 0x7fffu + ((u >> 16) & 1u);  // round to nearest, ties to even
        return static_cast<uint16_t>((u + rounding) >> 16);
    }
};

struct Half {
    uint16_t bits;
    Half() = default;
    explicit Half(float f) : bits(from_float(f)) {}
    explicit operator float() const { return to_float(bits); }

    static uint16_t from_float(float f) {
        uint32_t u = float_bits(f);
        uint32_t sign = (u >> 16) & 0x8000u;
        uint32_t a = u & 0x7fffffffu;
        if (a > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u);       // NaN
        if (a >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);      // overflow -> inf (65520 rounds up)
        if (a < 0x38800000u) {
            // Result is subnormal or zero: scale into the subnormal range with one float add, whose
            // own round-to-nearest-even does the rounding (0.5f = 2^-1 places the half ulp at bit 0).
            float scaled = bits_float(a) + 0.5f;
            return static_cast<uint16_t>(sign | (float_bits(scaled) - 0x3f000000u));
        }
        uint32_t mant_odd = (a >> 13) & 1u;
        a += 0xc8000fffu + mant_odd;  // rebias exponent (-112 << 23) and round to nearest even
        return static_cast<uint16_t>(sign | (a >> 13));
    }

    static float to_float(uint16_t h) {
        uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
        uint32_t exp = (h >> 10) & 0x1fu;
        uint32_t mant = h & 0x3ffu;
        if (exp == 0x1f) return bits_float(sign | 0x7f800000u | (mant << 13));  // inf / NaN
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24
            float v = static_cast<float>(mant) * (1.0f / 16777216.0f);
            return sign ? -v : v;
        }
        return bits_float(sign | ((exp + 112) << 23) | (mant << 13));
    }
};

// Any element value as a double (16-bit floats through float).
template <class T>
inline double as_double(T v) {
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return static_cast<double>(static_cast<float>(v));
    else return static_cast<double>(v);
}

}  // namespace wick
