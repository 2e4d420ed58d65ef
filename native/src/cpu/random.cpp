// Random fills of a contiguous tensor: element i uses Philox counter (offset + i) with key seed.
#include <cmath>

#include "core/convert.h"
#include "core/philox.h"
#include <algorithm>

#include "core/parallel.h"
#include "cpu/dispatch.h"
#include "cpu/kernels.h"

namespace wick::cpu {

void random_fill(const View& out, wk_random_dist dist, double a, double b, uint64_t seed, uint64_t offset) {
    const int64_t n = out.numel();
    dispatch_all(out.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* o = reinterpret_cast<T*>(out.data);
        // The value is computed in double (the same arithmetic on every device) and then converted.
        auto body = [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                philox::U32x4 w = philox::draw(seed, offset, static_cast<uint64_t>(i));
                double v = 0;
                switch (dist) {
                    case WK_RANDOM_UNIFORM:
                        if constexpr (std::is_same_v<T, double>) v = a + (b - a) * philox::uniform_f64(w.x[0], w.x[1]);
                        else v = a + (b - a) * static_cast<double>(philox::uniform_f32(w.x[0]));
                        // Rounding to the element type must not reach the excluded upper bound.
                        if (static_cast<double>(convert<float>(v)) >= b && b > a && !std::is_same_v<T, double>)
                            v = std::nextafter(static_cast<float>(b), static_cast<float>(a));
                        break;
                    case WK_RANDOM_NORMAL: v = a + b * philox::normal(w); break;
                    case WK_RANDOM_INTEGERS: {
                        const uint64_t range = static_cast<uint64_t>(b - a);
                        const uint64_t r = (static_cast<uint64_t>(w.x[0]) << 32 | w.x[1]) % range;
                        v = a + static_cast<double>(r);
                        break;
                    }
                    case WK_RANDOM_BERNOULLI: v = philox::uniform_f64(w.x[0], w.x[1]) < a ? 1.0 : 0.0; break;
                }
                o[i] = saturate_from_double<T>(v);
            }
        };
        if (n < 16384) body(0, n);
        else parallel_for(n, 16384, body);
    });
}

}  // namespace wick::cpu
