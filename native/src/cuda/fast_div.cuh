// Division by a divisor fixed at launch, for kernels that split a flat index into coordinates
// (im2col, col2im, direct convolution, pooling). NVIDIA GPUs have no integer divider: a 64-bit
// division is a long instruction sequence, and these kernels divide several times per element
// (with 64-bit divisions, im2col took most of a 64-channel 56x56 convolution's time on the H200; this
// header took that convolution's forward and backward from 4.06 to 2.29 ms). The host computes a
// magic multiplier once (Granlund and Montgomery's round-up method), and each division is a
// multiply-high, an add and a shift. Valid for dividends in [0, 2^31): kernels use it when every
// dividend fits (fits_fast_div), and their 64-bit version otherwise.
// Plain C++ too (no CUDA types), so the native tests check it against '/' on the CPU, and the CUDA
// emulator compiles it as host code.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define WICK_FAST_DIV_FN __host__ __device__ __forceinline__
#else
#define WICK_FAST_DIV_FN inline
#endif

namespace wick::cuda {

inline constexpr int64_t kFastDivLimit = int64_t(1) << 31;  // dividends and divisors stay below this

// True when every dividend of a kernel (its flat indices, below `count`) can use FastDiv.
inline bool fits_fast_div(int64_t count) { return count >= 0 && count <= kFastDivLimit; }

struct FastDiv {
    uint32_t d = 1;      // the divisor, 1 <= d < 2^31
    uint32_t magic = 1;  // floor(2^32 * (2^shift - d) / d) + 1
    uint32_t shift = 0;  // ceil(log2(d))

    FastDiv() = default;
    explicit FastDiv(int64_t divisor) : d(static_cast<uint32_t>(divisor)) {
        while ((uint64_t(1) << shift) < d) ++shift;
        magic = static_cast<uint32_t>(((uint64_t(1) << 32) * ((uint64_t(1) << shift) - d)) / d + 1);
    }

    // n / d for 0 <= n < 2^31: floor(n * (2^32 + magic) / 2^(32 + shift)), with the sum below 2^32.
    WICK_FAST_DIV_FN uint32_t div(uint32_t n) const {
#if defined(__CUDA_ARCH__)
        const uint32_t hi = __umulhi(n, magic);
#else
        const uint32_t hi = static_cast<uint32_t>((static_cast<uint64_t>(n) * magic) >> 32);
#endif
        return (hi + n) >> shift;
    }

    // q = n / d and r = n - q * d.
    WICK_FAST_DIV_FN uint32_t divmod(uint32_t n, uint32_t& r) const {
        const uint32_t q = div(n);
        r = n - q * d;
        return q;
    }
};

// A divisor of a kernel's index split: FastDiv in kernels launched with Fast (every dividend below
// 2^31, fits_fast_div), plain 64-bit division otherwise.
struct IndexDiv {
    int64_t d = 1;
    FastDiv fast;

    IndexDiv() = default;
    explicit IndexDiv(int64_t divisor) : d(divisor) {
        if (divisor < kFastDivLimit) {
            fast = FastDiv(divisor);
        } else {  // above every dividend of a Fast kernel: quotient 0 ((n + 0) >> 31), remainder n
            fast.magic = 0;
            fast.shift = 31;
        }
    }

    // Returns n / d and sets r = n % d (n >= 0).
    template <bool Fast>
    WICK_FAST_DIV_FN int64_t divmod(int64_t n, int64_t& r) const {
        if constexpr (Fast) {
            uint32_t rr = 0;
            const uint32_t q = fast.divmod(static_cast<uint32_t>(n), rr);
            r = rr;
            return q;
        } else {
            const int64_t q = n / d;
            r = n - q * d;
            return q;
        }
    }
};

}  // namespace wick::cuda
