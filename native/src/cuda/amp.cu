// GradScaler on CUDA, with no host synchronisation: the unscale kernel reads 1/scale from device
// memory and writes 1 into a device flag when it meets an inf or NaN (every writer stores the same
// value, so the race is benign); the update kernel, one thread, reads that flag and adjusts the scale
// and the growth tracker in place. The host reads the flag once, in GradScaler.Step.
#include "cuda/amp.cuh"
#include "cuda/nn_common.cuh"

namespace wick::cuda {

namespace kernels {

template <class T>
__device__ __forceinline__ bool non_finite(T v) {
    if constexpr (std::is_same_v<T, Half>) return (v.bits & 0x7c00u) == 0x7c00u;
    else if constexpr (std::is_same_v<T, BFloat16>) return (v.bits & 0x7f80u) == 0x7f80u;
    else return is_nan(v) || m_fabs(v) == static_cast<T>(INFINITY);
}

// grad: n contiguous elements; found_inf, inv_scale: one float each.
template <class T>
__global__ void __launch_bounds__(kThreads) unscale_check_kernel(T* g, int64_t n, float* found_inf, const float* inv_scale) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const T v = g[i];
    if (non_finite(v)) *found_inf = 1.0f;
    if constexpr (std::is_same_v<T, double>) g[i] = v * static_cast<double>(*inv_scale);
    else g[i] = from_op<T>(to_op(v) * *inv_scale);
}

__global__ void update_scale_kernel(float* scale, int32_t* tracker, const float* found_inf, double growth,
                                    double backoff, int32_t interval) {
    if (blockIdx.x != 0 || threadIdx.x != 0) return;
    if (*found_inf != 0.0f) {
        *scale = static_cast<float>(*scale * backoff);
        *tracker = 0;
        return;
    }
    const int32_t next = *tracker + 1;
    if (next >= interval) {
        const float grown = static_cast<float>(*scale * growth);
        if (!is_nan(grown) && m_fabs(grown) != INFINITY) *scale = grown;
        *tracker = 0;
    } else {
        *tracker = next;
    }
}

}  // namespace kernels

void amp_unscale_check(const View& grad, const View& found_inf, const View& inv_scale) {
    const char* op = "amp_unscale_check";
    const int64_t n = grad.numel();
    if (n == 0) return;
    dispatch_floating(grad.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::unscale_check_kernel<T>, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads),
                      data_of<T>(grad), n, data_of<float>(found_inf), data_of<const float>(inv_scale));
    });
}

void amp_update_scale(const View& scale, const View& growth_tracker, const View& found_inf, double growth_factor,
                      double backoff_factor, int32_t growth_interval) {
    const char* op = "amp_update_scale";
    launch_kernel(op, &kernels::update_scale_kernel, dim3(1), dim3(1), data_of<float>(scale),
                  data_of<int32_t>(growth_tracker), data_of<const float>(found_inf), growth_factor, backoff_factor,
                  growth_interval);
}

}  // namespace wick::cuda
