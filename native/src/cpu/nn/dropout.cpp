// Dropout: element i is kept when the Philox uniform for counter (offset + i) is below 1 - p, the
// same draw as a Bernoulli(1 - p) fill (cpu/random.cpp), so a seed gives the same mask on every
// thread count and device; kept elements are scaled by 1 / (1 - p).
#include "core/parallel.h"
#include "core/philox.h"
#include "cpu/nn/nn_kernels.h"

namespace wick::cpu::nn {

void dropout(const View& out, const View& mask, const View& x, double p, uint64_t seed, uint64_t offset) {
    const int64_t n = x.numel();
    const double keep = 1.0 - p;
    dispatch_float(x.dtype, "dropout", [&](auto tag) {
        using T = decltype(tag);
        const T* xv = ptr<const T>(x);
        T* o = ptr<T>(out);
        bool* m = ptr<bool>(mask);
        const T scale = keep > 0 ? static_cast<T>(1.0 / keep) : T(0);
        parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                const philox::U32x4 w = philox::draw(seed, offset, static_cast<uint64_t>(i));
                const bool k = philox::uniform_f64(w.x[0], w.x[1]) < keep;
                m[i] = k;
                o[i] = k ? xv[i] * scale : T(0);
            }
        });
    });
}

}  // namespace wick::cpu::nn
