// Fused optimizer steps on CUDA: one thread per parameter element reads the gradient and the state
// and writes them back in one pass, with the formulas and operation order of cpu/optim.cpp (the
// step's scalar factors are computed in double on the host and rounded once to the parameter's
// dtype, as PyTorch does with Python floats). Results match the CPU within rounding: the GPU may
// contract a * b + c into one fused multiply-add.
#include "cuda/nn_common.cuh"
#include "cuda/optim.cuh"

namespace wick::cuda {

namespace kernels {

// PyTorch's lerp: self + w * (end - self), or end - (end - self) * (1 - w) when w >= 0.5.
template <class T>
__device__ __forceinline__ T lerp(T self, T end, T w) {
    return w < T(0.5) ? self + w * (end - self) : end - (end - self) * (T(1) - w);
}

template <class T>
struct SgdArgs {
    T lr, wd, mom, keep, sign;
    int32_t use_wd, use_mom, first, nesterov;
};

template <class T>
struct AdamArgs {
    T step_size, bias2_sqrt, w1, beta2, w2, eps, wd, decay, sign;
    int32_t coupled, decoupled, amsgrad;
};

template <class T>
struct RmspropArgs {
    T lr, alpha, w, eps, wd, mom, sign;
    int32_t use_wd, centered, use_mom;
};

template <class T>
struct AdagradArgs {
    T clr, eps, wd, sign;
    int32_t use_wd;
};


template <class T>
__global__ void __launch_bounds__(kThreads) sgd_kernel(T* p, const T* g, T* buf, int64_t n, SgdArgs<T> a) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    T d = a.sign * g[i];
    if (a.use_wd) d = d + a.wd * p[i];
    if (a.use_mom) {
        const T b = a.first ? d : buf[i] * a.mom + a.keep * d;
        buf[i] = b;
        d = a.nesterov ? d + a.mom * b : b;
    }
    p[i] = p[i] - a.lr * d;
}

template <class T>
__global__ void __launch_bounds__(kThreads) adam_kernel(T* p, const T* g, T* m, T* v, T* vmax, int64_t n, AdamArgs<T> a) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    T x = p[i];
    if (a.decoupled) x = x * a.decay;
    T d = a.sign * g[i];
    if (a.coupled) d = d + a.wd * x;
    const T mi = lerp(m[i], d, a.w1);
    T vi = v[i] * a.beta2 + a.w2 * d * d;
    m[i] = mi;
    v[i] = vi;
    if (a.amsgrad) {
        vi = vmax[i] > vi ? vmax[i] : vi;
        vmax[i] = vi;
    }
    const T denom = m_sqrt(vi) / a.bias2_sqrt + a.eps;
    p[i] = x - a.step_size * (mi / denom);
}

template <class T>
__global__ void __launch_bounds__(kThreads)
    rmsprop_kernel(T* p, const T* g, T* sq, T* ga, T* buf, int64_t n, RmspropArgs<T> a) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    T d = a.sign * g[i];
    if (a.use_wd) d = d + a.wd * p[i];
    const T s = sq[i] * a.alpha + a.w * d * d;
    sq[i] = s;
    T avg;
    if (a.centered) {
        const T c = lerp(ga[i], d, a.w);
        ga[i] = c;
        avg = m_sqrt(s + T(-1) * c * c) + a.eps;
    } else {
        avg = m_sqrt(s) + a.eps;
    }
    if (a.use_mom) {
        const T b = buf[i] * a.mom + d / avg;
        buf[i] = b;
        p[i] = p[i] - a.lr * b;
    } else {
        p[i] = p[i] - a.lr * (d / avg);
    }
}

template <class T>
__global__ void __launch_bounds__(kThreads) adagrad_kernel(T* p, const T* g, T* sum, int64_t n, AdagradArgs<T> a) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    T d = a.sign * g[i];
    if (a.use_wd) d = d + a.wd * p[i];
    const T s = sum[i] + d * d;
    sum[i] = s;
    p[i] = p[i] - a.clr * (d / (m_sqrt(s) + a.eps));
}

}  // namespace kernels

void sgd(const View& param, const View& grad, const View& momentum_buffer, const wk_sgd_options& o) {
    const char* op = "sgd";
    const int64_t n = param.numel();
    if (n == 0) return;
    dispatch_f32_f64(param.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        kernels::SgdArgs<T> a{static_cast<T>(o.lr), static_cast<T>(o.weight_decay), static_cast<T>(o.momentum),
                     static_cast<T>(1.0 - o.dampening), o.maximize ? T(-1) : T(1), o.weight_decay != 0,
                     o.momentum != 0, o.first_step != 0, o.nesterov != 0};
        launch_kernel(op, &kernels::sgd_kernel<T>, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads), data_of<T>(param),
                      data_of<const T>(grad), data_of<T>(momentum_buffer), n, a);
    });
}

void adam(const View& param, const View& grad, const View& exp_avg, const View& exp_avg_sq, const View& max_exp_avg_sq,
          const wk_adam_options& o) {
    const char* op = "adam";
    const int64_t n = param.numel();
    if (n == 0) return;
    const double t = static_cast<double>(o.step);
    const double bias1 = 1.0 - std::pow(o.beta1, t), bias2 = 1.0 - std::pow(o.beta2, t);
    dispatch_f32_f64(param.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        kernels::AdamArgs<T> a{static_cast<T>(o.lr / bias1),
                      static_cast<T>(std::sqrt(bias2)),
                      static_cast<T>(1.0 - o.beta1),
                      static_cast<T>(o.beta2),
                      static_cast<T>(1.0 - o.beta2),
                      static_cast<T>(o.eps),
                      static_cast<T>(o.weight_decay),
                      static_cast<T>(1.0 - o.lr * o.weight_decay),
                      o.maximize ? T(-1) : T(1),
                      o.weight_decay != 0 && !o.decoupled_weight_decay,
                      o.weight_decay != 0 && o.decoupled_weight_decay,
                      o.amsgrad != 0};
        launch_kernel(op, &kernels::adam_kernel<T>, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads), data_of<T>(param),
                      data_of<const T>(grad), data_of<T>(exp_avg), data_of<T>(exp_avg_sq), data_of<T>(max_exp_avg_sq), n, a);
    });
}

void rmsprop(const View& param, const View& grad, const View& square_avg, const View& grad_avg,
             const View& momentum_buffer, const wk_rmsprop_options& o) {
    const char* op = "rmsprop";
    const int64_t n = param.numel();
    if (n == 0) return;
    dispatch_f32_f64(param.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        kernels::RmspropArgs<T> a{static_cast<T>(o.lr),    static_cast<T>(o.alpha),        static_cast<T>(1.0 - o.alpha),
                         static_cast<T>(o.eps),   static_cast<T>(o.weight_decay), static_cast<T>(o.momentum),
                         o.maximize ? T(-1) : T(1), o.weight_decay != 0,          o.centered != 0,
                         o.momentum > 0};
        launch_kernel(op, &kernels::rmsprop_kernel<T>, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads),
                      data_of<T>(param), data_of<const T>(grad), data_of<T>(square_avg), data_of<T>(grad_avg),
                      data_of<T>(momentum_buffer), n, a);
    });
}

void adagrad(const View& param, const View& grad, const View& state_sum, const wk_adagrad_options& o) {
    const char* op = "adagrad";
    const int64_t n = param.numel();
    if (n == 0) return;
    dispatch_f32_f64(param.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        kernels::AdagradArgs<T> a{static_cast<T>(o.lr / (1.0 + static_cast<double>(o.step - 1) * o.lr_decay)),
                         static_cast<T>(o.eps), static_cast<T>(o.weight_decay), o.maximize ? T(-1) : T(1),
                         o.weight_decay != 0};
        launch_kernel(op, &kernels::adagrad_kernel<T>, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads),
                      data_of<T>(param), data_of<const T>(grad), data_of<T>(state_sum), n, a);
    });
}

}  // namespace wick::cuda
