// Known-answer tests: Philox 4x32-10 against the Random123 reference vectors, and 16-bit float
// rounding against an independent double-precision rounding.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/half.h"
#include "core/philox.h"
#include "test.h"

using namespace wick;

// Random123's kat_vectors for philox4x32_10.
WICK_TEST(philox_matches_random123_zero_vector) {
    philox::U32x4 r = philox::philox4x32_10(0, 0, 0);
    EXPECT(r.x[0] == 0x6627e8d5u && r.x[1] == 0xe169c58du && r.x[2] == 0xbc57ac4cu && r.x[3] == 0x9b00dbd8u);
}

WICK_TEST(philox_matches_random123_ones_vector) {
    philox::U32x4 r = philox::philox4x32_10(0xffffffffffffffffull, 0xffffffffffffffffull, 0xffffffffffffffffull);
    EXPECT(r.x[0] == 0x408f276du && r.x[1] == 0x41c83b0eu && r.x[2] == 0xa20bc7c6u && r.x[3] == 0x6d5451fdu);
}

WICK_TEST(philox_matches_random123_pi_vector) {
    // counter {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, key {0xa4093822, 0x299f31d0}
    philox::U32x4 r = philox::philox4x32_10(0x85a308d3243f6a88ull, 0x0370734413198a2eull, 0x299f31d0a4093822ull);
    EXPECT(r.x[0] == 0xd16cfe09u && r.x[1] == 0x94fdccebu && r.x[2] == 0x5001e420u && r.x[3] == 0x24126ea1u);
}

namespace {

// Round a double to the nearest value with `mant` fraction bits and exponent range [emin, emax], ties to even.
double round_to_format(double x, int mant, int emin, int emax) {
    if (std::isnan(x) || std::isinf(x) || x == 0) return x;
    int e;
    std::frexp(std::fabs(x), &e);  // |x| = f * 2^e with f in [0.5, 1)
    int exp = e - 1;
    if (exp < emin) exp = emin;  // subnormal range: fixed quantum
    double quantum = std::ldexp(1.0, exp - mant);
    double q = x / quantum;
    double r = std::nearbyint(q);  // ties to even in the default rounding mode
    double v = r * quantum;
    double max = std::ldexp(2.0 - std::ldexp(1.0, -mant), emax);
    if (std::fabs(v) > max) return std::copysign(INFINITY, x);
    return v;
}

}  // namespace

WICK_TEST(half_round_trip_is_exact_for_every_bit_pattern) {
    int bad = 0;
    for (uint32_t h = 0; h < 65536; ++h) {
        float f = Half::to_float(static_cast<uint16_t>(h));
        uint16_t back = Half::from_float(f);
        bool nan = ((h >> 10) & 0x1f) == 0x1f && (h & 0x3ff) != 0;
        if (nan ? !std::isnan(Half::to_float(back)) : back != h) ++bad;
    }
    EXPECT(bad == 0);
}

WICK_TEST(float_to_half_rounds_to_nearest_even) {
    int bad = 0;
    // Every 4099th float bit pattern covers normals, subnormals, overflow and ties.
    for (uint64_t u = 0; u <= 0xffffffffull; u += 4099) {
        float f;
        uint32_t bits = static_cast<uint32_t>(u);
        std::memcpy(&f, &bits, 4);
        if (std::isnan(f)) continue;
        double expected = round_to_format(static_cast<double>(f), 10, -14, 15);
        float got = Half::to_float(Half::from_float(f));
        if (!(static_cast<double>(got) == expected || (std::isnan(expected) && std::isnan(got)))) ++bad;
    }
    EXPECT(bad == 0);
}

WICK_TEST(float_to_bfloat16_rounds_to_nearest_even) {
    int bad = 0;
    for (uint64_t u = 0; u <= 0xffffffffull; u += 4099) {
        float f;
        uint32_t bits = static_cast<uint32_t>(u);
        std::memcpy(&f, &bits, 4);
        if (std::isnan(f)) {
            if (!std::isnan(static_cast<float>(BFloat16(f)))) ++bad;
            continue;
        }
        double expected = round_to_format(static_cast<double>(f), 7, -126, 127);
        float got = static_cast<float>(BFloat16(f));
        if (static_cast<double>(got) != expected) ++bad;
    }
    EXPECT(bad == 0);
}

WICK_TEST(half_ties_round_to_even) {
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even gives 1.
    EXPECT(Half::to_float(Half::from_float(1.0f + std::ldexp(1.0f, -11))) == 1.0f);
    // 1 + 3 * 2^-11 is halfway between 1 + 2^-10 and 1 + 2^-9: even is 1 + 2^-9.
    EXPECT(Half::to_float(Half::from_float(1.0f + 3 * std::ldexp(1.0f, -11))) == 1.0f + std::ldexp(1.0f, -9));
    EXPECT(std::isinf(Half::to_float(Half::from_float(65520.0f))));
    EXPECT(Half::to_float(Half::from_float(65519.0f)) == 65504.0f);
}
