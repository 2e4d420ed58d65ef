// Variance, standard deviation, norms and logsumexp, accumulated in double (see reduce_engine.cuh).
#include "cuda/reduce_engine.cuh"

namespace wick::cuda {

// Variance and standard deviation (Welford, combined with Chan's formula), in double.
template <class T>
struct VarOp {
    using C = OpMath<T>;
    struct alignas(8) Acc {
        double mean, m2;
        int64_t n;
    };
    using Out = T;
    double correction;
    int32_t is_std;

    __device__ Acc identity() const { return Acc{0.0, 0.0, 0}; }
    __device__ Acc reduce(Acc a, C x, int64_t) const {
        const double v = static_cast<double>(x);
        a.n += 1;
        const double delta = v - a.mean;
        a.mean += delta / static_cast<double>(a.n);
        a.m2 += delta * (v - a.mean);
        return a;
    }
    __device__ Acc combine(Acc a, Acc b) const {
        if (a.n == 0) return b;
        if (b.n == 0) return a;
        const double n = static_cast<double>(a.n + b.n);
        const double delta = b.mean - a.mean;
        Acc r;
        r.n = a.n + b.n;
        r.mean = a.mean + delta * (static_cast<double>(b.n) / n);
        r.m2 = a.m2 + b.m2 + delta * delta * (static_cast<double>(a.n) * static_cast<double>(b.n) / n);
        return r;
    }
    __device__ Out finalize(Acc a, int64_t) const {
        double denom = static_cast<double>(a.n) - correction;
        if (denom < 0) denom = 0;
        const double var = a.m2 / denom;  // n <= correction gives inf, or NaN when m2 is 0, as the CPU
        return saturate_from_double<Out>(is_std ? ::sqrt(var) : var);
    }
};

template <class T>
struct NormOp {
    using C = OpMath<T>;
    struct alignas(8) Acc {
        double v;
    };
    using Out = T;
    int32_t kind;  // 0: max |x| (p = inf), 1: sum |x|, 2: sqrt(sum x^2), 3: (sum |x|^p)^(1/p)
    double p;

    __device__ Acc identity() const { return Acc{0.0}; }
    __device__ Acc reduce(Acc a, C x, int64_t) const {
        const double v = ::fabs(static_cast<double>(x));
        switch (kind) {
            case 0: return Acc{nan_max(a.v, v)};
            case 1: return Acc{a.v + v};
            case 2: return Acc{a.v + v * v};
            default: return Acc{a.v + ::pow(v, p)};
        }
    }
    __device__ Acc combine(Acc a, Acc b) const { return Acc{kind == 0 ? nan_max(a.v, b.v) : a.v + b.v}; }
    __device__ Out finalize(Acc a, int64_t) const {
        switch (kind) {
            case 0:
            case 1: return saturate_from_double<Out>(a.v);
            case 2: return saturate_from_double<Out>(::sqrt(a.v));
            default: return saturate_from_double<Out>(::pow(a.v, 1.0 / p));
        }
    }
};

// log(sum(exp(x))) with a running maximum; a non-finite maximum is the result (all -inf, any +inf,
// or NaN), as on the CPU.
template <class T>
struct LogSumExpOp {
    using C = OpMath<T>;
    struct alignas(8) Acc {
        double m, s;
    };
    using Out = T;

    __device__ Acc identity() const { return Acc{-static_cast<double>(INFINITY), 0.0}; }
    __device__ Acc combine(Acc a, Acc b) const {
        if (a.m != a.m || b.m != b.m) return Acc{static_cast<double>(NAN), 0.0};
        if (a.m == -static_cast<double>(INFINITY)) return b;
        if (b.m == -static_cast<double>(INFINITY)) return a;
        const double m = a.m > b.m ? a.m : b.m;
        return Acc{m, a.s * ::exp(a.m - m) + b.s * ::exp(b.m - m)};
    }
    __device__ Acc reduce(Acc a, C x, int64_t) const { return combine(a, Acc{static_cast<double>(x), 1.0}); }
    __device__ Out finalize(Acc a, int64_t) const {
        if (a.m != a.m || a.m == static_cast<double>(INFINITY) || a.m == -static_cast<double>(INFINITY))
            return saturate_from_double<Out>(a.m);
        return saturate_from_double<Out>(a.m + ::log(a.s));
    }
};

bool reduce_stats(wk_reduce_op op, const View& out, const View& x, double param) {
    const char* name = "reduce";
    switch (op) {
        case WK_REDUCE_VAR:
        case WK_REDUCE_STD:
            dispatch_floating(x.dtype, name, [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_reduce<T>(name, out, x, VarOp<T>{param, op == WK_REDUCE_STD ? 1 : 0});
            });
            return true;
        case WK_REDUCE_NORM: {
            const int32_t kind = std::isinf(param) ? 0 : param == 1 ? 1 : param == 2 ? 2 : 3;
            dispatch_floating(x.dtype, name, [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_reduce<T>(name, out, x, NormOp<T>{kind, param});
            });
            return true;
        }
        case WK_REDUCE_LOGSUMEXP:
            dispatch_floating(x.dtype, name, [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_reduce<T>(name, out, x, LogSumExpOp<T>{});
            });
            return true;
        default: return false;
    }
}

}  // namespace wick::cuda
