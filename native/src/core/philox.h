// Philox 4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a
// counter-based generator. Element i of a random fill uses counter (offset + i) and key seed, so
// its value depends only on (seed, offset, i): the same on every device and thread count.
// Header-only and usable from CUDA device code.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define WICK_HD __host__ __device__ __forceinline__
#else
#define WICK_HD inline
#endif

namespace wick::philox {

struct U32x4 {
    uint32_t x[4];
};

WICK_HD uint32_t mulhilo(uint32_t a, uint32_t b, uint32_t* hi) {
    uint64_t p = static_cast<uint64_t>(a) * b;
    *hi = static_cast<uint32_t>(p >> 32);
    return static_cast<uint32_t>(p);
}

// Ten rounds over a 128-bit counter with a 64-bit key.
WICK_HD U32x4 philox4x32_10(uint64_t counter_lo, uint64_t counter_hi, uint64_t key) {
    constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
    constexpr uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
    uint32_t c0 = static_cast<uint32_t>(counter_lo), c1 = static_cast<uint32_t>(counter_lo >> 32);
    uint32_t c2 = static_cast<uint32_t>(counter_hi), c3 = static_cast<uint32_t>(counter_hi >> 32);
    uint32_t k0 = static_cast<uint32_t>(key), k1 = static_cast<uint32_t>(key >> 32);
    for (int round = 0; round < 10; ++round) {
        uint32_t hi0, hi1;
        uint32_t lo0 = mulhilo(kM0, c0, &hi0);
        uint32_t lo1 = mulhilo(kM1, c2, &hi1);
        uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        k0 += kW0;
        k1 += kW1;
    }
    return U32x4{{c0, c1, c2, c3}};
}

// The four words for element `index` of a fill that starts at generator offset `offset`.
WICK_HD U32x4 draw(uint64_t seed, uint64_t offset, uint64_t index) {
    return philox4x32_10(offset + index, 0, seed);
}

// Uniform in [0, 1) with 24 random bits (exactly representable in float).
WICK_HD float uniform_f32(uint32_t w) { return static_cast<float>(w >> 8) * (1.0f / 16777216.0f); }
// Uniform in [0, 1) with 53 random bits.
WICK_HD double uniform_f64(uint32_t w0, uint32_t w1) {
    uint64_t bits = (static_cast<uint64_t>(w0) << 21) ^ (static_cast<uint64_t>(w1) >> 11);
    return static_cast<double>(bits & ((1ull << 53) - 1)) * (1.0 / 9007199254740992.0);
}

// A standard normal from four words by Box-Muller in double precision (the same on every device).
WICK_HD double normal(const U32x4& w) {
    double u1 = 1.0 - uniform_f64(w.x[0], w.x[1]);  // (0, 1]: log is finite
    double u2 = uniform_f64(w.x[2], w.x[3]);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace wick::philox
