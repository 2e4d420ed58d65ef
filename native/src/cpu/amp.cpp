// GradScaler's device-side steps on the CPU (wick.h, "Mixed precision"): one pass over a gradient
// that multiplies by 1/scale and notes any inf/NaN in a flag tensor, and the scale update that reads
// that flag. The finiteness test looks at the bits of the value before scaling, so it does not depend
// on floating-point flags or on how the compiler treats NaN comparisons.
#include <atomic>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "core/half.h"
#include "core/parallel.h"
#include "cpu/amp_kernels.h"
#include "cpu/dispatch.h"

namespace wick::cpu {

namespace {

constexpr int64_t kGrain = 32768;

// True for inf and NaN: all exponent bits set.
template <class T>
inline bool non_finite(T v) {
    if constexpr (std::is_same_v<T, float>) {
        uint32_t u;
        std::memcpy(&u, &v, 4);
        return (u & 0x7f800000u) == 0x7f800000u;
    } else if constexpr (std::is_same_v<T, double>) {
        uint64_t u;
        std::memcpy(&u, &v, 8);
        return (u & 0x7ff0000000000000ull) == 0x7ff0000000000000ull;
    } else if constexpr (std::is_same_v<T, Half>) {
        return (v.bits & 0x7c00u) == 0x7c00u;
    } else {
        return (v.bits & 0x7f80u) == 0x7f80u;  // BFloat16
    }
}

// g *= inv in the grad's dtype (16-bit floats through float, rounded once); returns whether any
// element of [begin, end) was inf or NaN.
template <class T>
bool unscale_range(T* g, int64_t begin, int64_t end, float inv) {
    bool bad = false;
    for (int64_t i = begin; i < end; ++i) {
        const T v = g[i];
        bad |= non_finite(v);
        if constexpr (std::is_same_v<T, double>) g[i] = v * static_cast<double>(inv);
        else if constexpr (std::is_same_v<T, float>) g[i] = v * inv;
        else g[i] = T(static_cast<float>(v) * inv);
    }
    return bad;
}

}  // namespace

void amp_unscale_check(const View& grad, const View& found_inf, const View& inv_scale) {
    const float inv = *reinterpret_cast<const float*>(inv_scale.data);
    std::atomic<bool> bad{false};
    dispatch_all(grad.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, Half> ||
                      std::is_same_v<T, BFloat16>) {
            T* g = reinterpret_cast<T*>(grad.data);
            parallel_for(grad.numel(), kGrain, [&](int64_t begin, int64_t end) {
                if (unscale_range(g, begin, end, inv)) bad.store(true, std::memory_order_relaxed);
            });
        } else {
            fail(WK_ERR_DTYPE, "amp_unscale_check: gradients must be floating-point, got ", dtype_name(grad.dtype));
        }
    });
    if (bad.load()) *reinterpret_cast<float*>(found_inf.data) = 1.0f;
}

void amp_update_scale(const View& scale, const View& growth_tracker, const View& found_inf, double growth_factor,
                      double backoff_factor, int32_t growth_interval) {
    float* s = reinterpret_cast<float*>(scale.data);
    int32_t* tracker = reinterpret_cast<int32_t*>(growth_tracker.data);
    if (*reinterpret_cast<const float*>(found_inf.data) != 0.0f) {
        *s = static_cast<float>(*s * backoff_factor);
        *tracker = 0;
        return;
    }
    const int32_t next = *tracker + 1;
    if (next >= growth_interval) {
        const float grown = static_cast<float>(*s * growth_factor);
        if (std::isfinite(grown)) *s = grown;
        *tracker = 0;
    } else {
        *tracker = next;
    }
}

}  // namespace wick::cpu
