// One kernel for every dtype and distribution: the value is computed in double exactly as the
// CPU kernel does (cpu/random.cpp) and stored with the CPU's conversion (value.cuh). Uniform,
// integer and Bernoulli fills match the CPU bit for bit; normal fills use the device's log and
// cos, which may differ from the host's in the last bit of the double before rounding.
#include "cuda/random.cuh"

#include "core/philox.h"
#include "cuda/value.cuh"

namespace wick::cuda {

namespace kernels {

__global__ void __launch_bounds__(kThreads) random_any(char* out, DType dt, int64_t elem, int32_t dist, double a, double b,
                                                       uint64_t seed, uint64_t offset, int64_t n) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const philox::U32x4 w = philox::draw(seed, offset, static_cast<uint64_t>(i));
    double v = 0;
    switch (dist) {
        case WK_RANDOM_UNIFORM:
            if (dt == DType::F64) v = a + (b - a) * philox::uniform_f64(w.x[0], w.x[1]);
            else v = a + (b - a) * static_cast<double>(philox::uniform_f32(w.x[0]));
            // Rounding to the element type must not reach the excluded upper bound.
            if (dt != DType::F64 && static_cast<double>(static_cast<float>(v)) >= b && b > a)
                v = static_cast<double>(::nextafterf(static_cast<float>(b), static_cast<float>(a)));
            break;
        case WK_RANDOM_NORMAL: {
            const double u1 = 1.0 - philox::uniform_f64(w.x[0], w.x[1]);  // (0, 1]: log is finite
            const double u2 = philox::uniform_f64(w.x[2], w.x[3]);
            v = a + b * (::sqrt(-2.0 * ::log(u1)) * ::cos(6.283185307179586 * u2));
            break;
        }
        case WK_RANDOM_INTEGERS: {
            const uint64_t range = static_cast<uint64_t>(b - a);
            const uint64_t r = (static_cast<uint64_t>(w.x[0]) << 32 | w.x[1]) % range;
            v = a + static_cast<double>(r);
            break;
        }
        default:  // WK_RANDOM_BERNOULLI
            v = philox::uniform_f64(w.x[0], w.x[1]) < a ? 1.0 : 0.0;
            break;
    }
    store_value(out + i * elem, dt, Value{v, 0, true});
}

}  // namespace kernels

void random_fill(const View& out, wk_random_dist dist, double a, double b, uint64_t seed, uint64_t offset) {
    const int64_t n = out.numel();
    if (n == 0) return;
    check(out.is_contiguous(), WK_ERR_INTERNAL, "random: the CUDA kernel needs a contiguous tensor");
    launch_kernel("random", &kernels::random_any, grid_1d(ceil_div(n, kThreads), "random"), dim3(kThreads), out.data,
                  out.dtype, static_cast<int64_t>(dtype_size(out.dtype)), static_cast<int32_t>(dist), a, b, seed, offset, n);
}

}  // namespace wick::cuda
