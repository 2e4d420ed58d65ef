// The CUDA kernels' FastDiv (cuda/fast_div.cuh) against the '/' and '%' of the CPU: every divisor up to
// 4096 with dividends at the ends of the range and around multiples of the divisor, and divisors near
// powers of two up to 2^31 - 1, where the magic multiplier is largest.
#include <cstdint>
#include <vector>

#include "cuda/fast_div.cuh"
#include "test.h"

using wick::cuda::FastDiv;
using wick::cuda::IndexDiv;

namespace {

// Dividends where a wrong multiplier shows first: 0, the top of the range, and q * d - 1, q * d, q * d + 1.
std::vector<uint32_t> probes(uint32_t d) {
    const uint32_t top = 0x7fffffffu;
    std::vector<uint32_t> n{0, 1, top, top - 1, top - d + 1};
    for (uint64_t q : {uint64_t(1), uint64_t(2), uint64_t(3), uint64_t(1000), uint64_t(top / d), uint64_t(top / d - 1)})
        for (int64_t delta = -1; delta <= 1; ++delta) {
            const int64_t v = static_cast<int64_t>(q * d) + delta;
            if (v >= 0 && v <= top) n.push_back(static_cast<uint32_t>(v));
        }
    return n;
}

int mismatches(uint32_t d) {
    const FastDiv f(d);
    int bad = 0;
    for (uint32_t n : probes(d)) {
        uint32_t r = 0;
        const uint32_t q = f.divmod(n, r);
        if (q != n / d || r != n % d) ++bad;
    }
    return bad;
}

}  // namespace

WICK_TEST(fast_div_matches_division_for_every_small_divisor) {
    int bad = 0;
    for (uint32_t d = 1; d <= 4096; ++d) bad += mismatches(d);
    EXPECT(bad == 0);
}

WICK_TEST(fast_div_matches_division_near_powers_of_two) {
    int bad = 0;
    for (int b = 1; b <= 31; ++b)
        for (int64_t delta = -2; delta <= 2; ++delta) {
            const int64_t d = (int64_t(1) << b) + delta;
            if (d >= 1 && d < (int64_t(1) << 31)) bad += mismatches(static_cast<uint32_t>(d));
        }
    EXPECT(bad == 0);
}

WICK_TEST(fast_div_matches_division_for_every_dividend_of_a_conv_shape) {
    // All flat indices of a 3 x 3 x 56 x 56 tap grid, split as im2col splits them.
    const FastDiv ow(56), p(56 * 56), k(9);
    int bad = 0;
    for (uint32_t i = 0; i < 9u * 56 * 56 * 7; ++i) {
        uint32_t rp = 0, rw = 0;
        const uint32_t rest = p.divmod(i, rp), oh = ow.divmod(rp, rw);
        if (rest != i / 3136 || rp != i % 3136 || oh != rp / 56 || rw != rp % 56 || k.div(rest) != rest / 9) ++bad;
    }
    EXPECT(bad == 0);
}

WICK_TEST(index_div_by_a_divisor_past_the_fast_range_gives_quotient_zero) {
    // A stride of 2^33 in a kernel whose dividends all fit 31 bits.
    for (int64_t d : {int64_t(1) << 31, (int64_t(1) << 33) + 5}) {
        const IndexDiv div(d);
        for (int64_t n : {int64_t(0), int64_t(1), int64_t(12345), int64_t(0x7fffffff)}) {
            int64_t r_fast = -1, r_wide = -1;
            const int64_t q_fast = div.divmod<true>(n, r_fast), q_wide = div.divmod<false>(n, r_wide);
            EXPECT(q_fast == 0 && r_fast == n && q_wide == 0 && r_wide == n);
        }
    }
}
