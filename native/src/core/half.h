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
        const uint32_t u = float_bits(f);
        const uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;  // round to nearest, ties to even
        const uint32_t quiet_nan = (u >> 16) | 0x40u;
        return static_cast<uint16_t>((u & 0x7fffffffu) > 0x7f800000u ? quiet_nan : rounded);  // a select: vectorises
    }
};

struct Half {
    uint16_t bits;
    Half() = default;
    explicit Half(float f) : bits(from_float(f)) {}
    explicit operator float() const { return to_float(bits); }

    // Branch-free (the three cases are computed and selected) so conversion loops vectorise.
    static uint16_t from_float(float f) {
        const uint32_t u = float_bits(f);
        const uint32_t sign = (u >> 16) & 0x8000u;
        const uint32_t a = u & 0x7fffffffu;
        // Normal result: rebias the exponent (-112 << 23) and round to nearest even (unsigned wrap is defined).
        const uint32_t normal = (a + 0xc8000fffu + ((a >> 13) & 1u)) >> 13;
        // Subnormal or zero result: one float add whose own round-to-nearest-even does the rounding
        // (0.5f = 2^-1 places the half ulp at bit 0); meaningless but harmless for other inputs.
        const uint32_t subnormal = float_bits(bits_float(a) + 0.5f) - 0x3f000000u;
        uint32_t r = a < 0x38800000u ? subnormal : normal;
        r = a >= 0x477ff000u ? 0x7c00u : r;  // overflow -> inf (65520 rounds up)
        r = a > 0x7f800000u ? 0x7e00u : r;   // NaN
        return static_cast<uint16_t>(sign | r);
    }

    static float to_float(uint16_t h) {
        const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
        const uint32_t exp = (h >> 10) & 0x1fu;
        const uint32_t mant = h & 0x3ffu;
        const uint32_t normal = sign | ((exp + 112) << 23) | (mant << 13);
        const uint32_t inf_nan = sign | 0x7f800000u | (mant << 13);
        const uint32_t subnormal = sign | float_bits(static_cast<float>(mant) * (1.0f / 16777216.0f));  // mant * 2^-24
        return bits_float(exp == 0x1fu ? inf_nan : (exp == 0 ? subnormal : normal));
    }
};

// Any element value as a double (16-bit floats through float).
template <class T>
inline double as_double(T v) {
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return static_cast<double>(static_cast<float>(v));
    else return static_cast<double>(v);
}

}  // namespace wick
