// Fused optimizer updates on the CPU: one pass over param, grad and the state buffers per step,
// the formulas of wick.h's "Optimizer steps" section in the order PyTorch's torch.optim applies
// them (so float32 results round like PyTorch's). Arithmetic runs in the parameter's dtype, with
// the step's scalar factors computed in double and rounded once, as PyTorch does with Python floats.
// Loops are over contiguous arrays with loop-invariant branches, so the compiler unswitches and
// vectorises them; large tensors are split across the intra-op pool.
#include <cmath>
#include <type_traits>

#include "core/parallel.h"
#include "cpu/dispatch.h"
#include "cpu/optim_kernels.h"

namespace wick::cpu {

namespace {

// Parameters per chunk: updates are memory-bound, so a chunk must be large enough to amortise a
// task hand-off (several passes over 32K elements is ~0.1 ms).
constexpr int64_t kGrain = 32768;

template <class T>
T* ptr(const View& v) {
    return reinterpret_cast<T*>(v.data);
}

// PyTorch's lerp: self + w * (end - self), or end - (end - self) * (1 - w) when w >= 0.5 (more
// accurate near 1). w is loop-invariant, so the branch is hoisted.
template <class T>
inline T lerp(T self, T end, T w) {
    return w < T(0.5) ? self + w * (end - self) : end - (end - self) * (T(1) - w);
}

// ptr + offset for the optional state buffers, which are null when the option that uses them is off.
template <class T>
T* at(T* ptr, int64_t offset) {
    return ptr == nullptr ? nullptr : ptr + offset;
}

template <class F>
void for_float_dtype(DType t, const char* op, F&& fn) {
    switch (t) {
        case DType::F32: fn(Tag<float>{}); return;
        case DType::F64: fn(Tag<double>{}); return;
        default: fail(WK_ERR_DTYPE, op, ": dtype ", dtype_name(t), " is not supported by this CPU kernel");
    }
}

template <class T>
void sgd_typed(const View& pv, const View& gv, const View& bv, const wk_sgd_options& o) {
    T* p_base = ptr<T>(pv);
    const T* g_base = ptr<T>(gv);
    T* buf_base = ptr<T>(bv);
    const T lr = static_cast<T>(o.lr), wd = static_cast<T>(o.weight_decay), mom = static_cast<T>(o.momentum);
    const T keep = static_cast<T>(1.0 - o.dampening);
    const T sign = o.maximize ? T(-1) : T(1);
    const bool use_wd = o.weight_decay != 0, use_mom = o.momentum != 0, first = o.first_step != 0,
               nesterov = o.nesterov != 0;
    // The loop takes its arrays as restrict parameters (a lambda's captures carry no restrict), so the
    // compiler knows the stores do not alias the inputs and vectorises it.
    auto chunk = [&](T* __restrict p, const T* __restrict g, T* __restrict buf, int64_t n) {
        for (int64_t i = 0; i < n; ++i) {
            T d = sign * g[i];
            if (use_wd) d = d + wd * p[i];
            if (use_mom) {
                T b = first ? d : buf[i] * mom + keep * d;
                buf[i] = b;
                d = nesterov ? d + mom * b : b;
            }
            p[i] = p[i] - lr * d;
        }
    };
    parallel_for(pv.numel(), kGrain,
                 [&](int64_t b, int64_t e) { chunk(p_base + b, g_base + b, at(buf_base, b), e - b); });
}

template <class T>
void adam_typed(const View& pv, const View& gv, const View& mv, const View& vv, const View& vmaxv,
                const wk_adam_options& o) {
    T* p_base = ptr<T>(pv);
    const T* g_base = ptr<T>(gv);
    T* m_base = ptr<T>(mv);
    T* v_base = ptr<T>(vv);
    T* vmax_base = ptr<T>(vmaxv);
    const double t = static_cast<double>(o.step);
    const double bias1 = 1.0 - std::pow(o.beta1, t), bias2 = 1.0 - std::pow(o.beta2, t);
    const T step_size = static_cast<T>(o.lr / bias1);
    const T bias2_sqrt = static_cast<T>(std::sqrt(bias2));
    const T w1 = static_cast<T>(1.0 - o.beta1), beta2 = static_cast<T>(o.beta2), w2 = static_cast<T>(1.0 - o.beta2);
    const T eps = static_cast<T>(o.eps), wd = static_cast<T>(o.weight_decay);
    const bool coupled = o.weight_decay != 0 && !o.decoupled_weight_decay;
    const bool decoupled = o.weight_decay != 0 && o.decoupled_weight_decay;
    // Decoupled decay as an unconditional factor (1 when off: x * 1 is x exactly, NaN and inf included).
    const T decay = decoupled ? static_cast<T>(1.0 - o.lr * o.weight_decay) : T(1);
    const T sign = o.maximize ? T(-1) : T(1);
    const bool low = w1 < T(0.5);  // lerp's branch, hoisted
    // The remaining options are template flags, so each variant's loop has no branches and vectorises.
    auto chunk = [&](auto amsgrad_c, auto coupled_c, auto low_c, T* __restrict p, const T* __restrict g, T* __restrict m,
                     T* __restrict v, T* __restrict vmax, int64_t n) {
        constexpr bool kAmsgrad = decltype(amsgrad_c)::value, kCoupled = decltype(coupled_c)::value;
        constexpr bool kLow = decltype(low_c)::value;
        for (int64_t i = 0; i < n; ++i) {
            const T x = p[i] * decay;
            T d = sign * g[i];
            if constexpr (kCoupled) d = d + wd * x;
            const T mi = kLow ? m[i] + w1 * (d - m[i]) : d - (d - m[i]) * (T(1) - w1);  // lerp(m, d, w1)
            T vi = v[i] * beta2 + w2 * d * d;
            m[i] = mi;
            v[i] = vi;
            if constexpr (kAmsgrad) {
                vi = vmax[i] > vi ? vmax[i] : vi;
                vmax[i] = vi;
            }
            const T denom = std::sqrt(vi) / bias2_sqrt + eps;
            p[i] = x - step_size * (mi / denom);
        }
    };
    using Yes = std::true_type;
    using No = std::false_type;
    parallel_for(pv.numel(), kGrain, [&](int64_t b, int64_t e) {
        T *p = p_base + b, *m = m_base + b, *v = v_base + b, *vmax = at(vmax_base, b);
        const T* g = g_base + b;
        const int64_t n = e - b;
        const int variant = (o.amsgrad != 0 ? 4 : 0) + (coupled ? 2 : 0) + (low ? 1 : 0);
        switch (variant) {
            case 0: return chunk(No{}, No{}, No{}, p, g, m, v, vmax, n);
            case 1: return chunk(No{}, No{}, Yes{}, p, g, m, v, vmax, n);
            case 2: return chunk(No{}, Yes{}, No{}, p, g, m, v, vmax, n);
            case 3: return chunk(No{}, Yes{}, Yes{}, p, g, m, v, vmax, n);
            case 4: return chunk(Yes{}, No{}, No{}, p, g, m, v, vmax, n);
            case 5: return chunk(Yes{}, No{}, Yes{}, p, g, m, v, vmax, n);
            case 6: return chunk(Yes{}, Yes{}, No{}, p, g, m, v, vmax, n);
            default: return chunk(Yes{}, Yes{}, Yes{}, p, g, m, v, vmax, n);
        }
    });
}

template <class T>
void rmsprop_typed(const View& pv, const View& gv, const View& sv, const View& av, const View& bv,
                   const wk_rmsprop_options& o) {
    T* p_base = ptr<T>(pv);
    const T* g_base = ptr<T>(gv);
    T* sq_base = ptr<T>(sv);
    T* ga_base = ptr<T>(av);
    T* buf_base = ptr<T>(bv);
    const T lr = static_cast<T>(o.lr), alpha = static_cast<T>(o.alpha), w = static_cast<T>(1.0 - o.alpha);
    const T eps = static_cast<T>(o.eps), wd = static_cast<T>(o.weight_decay), mom = static_cast<T>(o.momentum);
    const T sign = o.maximize ? T(-1) : T(1);
    const bool use_wd = o.weight_decay != 0, centered = o.centered != 0, use_mom = o.momentum > 0;
    auto chunk = [&](T* __restrict p, const T* __restrict g, T* __restrict sq, T* __restrict ga, T* __restrict buf,
                     int64_t n) {
        for (int64_t i = 0; i < n; ++i) {
            T d = sign * g[i];
            if (use_wd) d = d + wd * p[i];
            T s = sq[i] * alpha + w * d * d;
            sq[i] = s;
            T avg;
            if (centered) {
                T a = lerp(ga[i], d, w);
                ga[i] = a;
                avg = std::sqrt(s + T(-1) * a * a) + eps;
            } else {
                avg = std::sqrt(s) + eps;
            }
            if (use_mom) {
                T b = buf[i] * mom + d / avg;
                buf[i] = b;
                p[i] = p[i] - lr * b;
            } else {
                p[i] = p[i] - lr * (d / avg);
            }
        }
    };
    parallel_for(pv.numel(), kGrain,
                 [&](int64_t b, int64_t e) {
                     chunk(p_base + b, g_base + b, sq_base + b, at(ga_base, b), at(buf_base, b), e - b);
                 });
}

template <class T>
void adagrad_typed(const View& pv, const View& gv, const View& sv, const wk_adagrad_options& o) {
    T* p_base = ptr<T>(pv);
    const T* g_base = ptr<T>(gv);
    T* sum_base = ptr<T>(sv);
    const T clr = static_cast<T>(o.lr / (1.0 + static_cast<double>(o.step - 1) * o.lr_decay));
    const T eps = static_cast<T>(o.eps), wd = static_cast<T>(o.weight_decay);
    const T sign = o.maximize ? T(-1) : T(1);
    const bool use_wd = o.weight_decay != 0;
    auto chunk = [&](T* __restrict p, const T* __restrict g, T* __restrict sum, int64_t n) {
        for (int64_t i = 0; i < n; ++i) {
            T d = sign * g[i];
            if (use_wd) d = d + wd * p[i];
            T s = sum[i] + d * d;
            sum[i] = s;
            p[i] = p[i] - clr * (d / (std::sqrt(s) + eps));
        }
    };
    parallel_for(pv.numel(), kGrain,
                 [&](int64_t b, int64_t e) { chunk(p_base + b, g_base + b, sum_base + b, e - b); });
}

}  // namespace

void sgd_step(const View& param, const View& grad, const View& momentum_buffer, const wk_sgd_options& o) {
    for_float_dtype(param.dtype, "sgd", [&](auto tag) {
        sgd_typed<typename decltype(tag)::type>(param, grad, momentum_buffer, o);
    });
}

void adam_step(const View& param, const View& grad, const View& exp_avg, const View& exp_avg_sq,
               const View& max_exp_avg_sq, const wk_adam_options& o) {
    for_float_dtype(param.dtype, "adam", [&](auto tag) {
        adam_typed<typename decltype(tag)::type>(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, o);
    });
}

void rmsprop_step(const View& param, const View& grad, const View& square_avg, const View& grad_avg,
                  const View& momentum_buffer, const wk_rmsprop_options& o) {
    for_float_dtype(param.dtype, "rmsprop", [&](auto tag) {
        rmsprop_typed<typename decltype(tag)::type>(param, grad, square_avg, grad_avg, momentum_buffer, o);
    });
}

void adagrad_step(const View& param, const View& grad, const View& state_sum, const wk_adagrad_options& o) {
    for_float_dtype(param.dtype, "adagrad", [&](auto tag) {
        adagrad_typed<typename decltype(tag)::type>(param, grad, state_sum, o);
    });
}

}  // namespace wick::cpu
