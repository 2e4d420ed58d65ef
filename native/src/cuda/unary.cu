// Unary elementwise ops. Three functor kinds keep the number of kernels moderate:
//  - FloatUnary<op>: the transcendental and activation functions, one kernel pair per op and
//    floating dtype (they differ enough that one kernel per op pays);
//  - SameTypeUnary: neg, abs, sign, square, relu, rounding and clamp for every numeric dtype, the
//    op chosen by a switch that is uniform across the grid (each case is a few instructions);
//  - Predicate: isnan, isinf, isfinite, logical_not for every dtype, writing bool.
#include "cuda/unary.cuh"

#include <cmath>

#include "cuda/copy.cuh"
#include "cuda/elementwise.cuh"
#include "cuda/math.cuh"

namespace wick::cuda {

namespace {

template <wk_unary_op OP>
struct FloatUnary {
    double p0, p1;

    template <class C>
    __device__ __forceinline__ C operator()(C v) const {
        const C a0 = static_cast<C>(p0), a1 = static_cast<C>(p1);
        (void)a0;
        (void)a1;
        if constexpr (OP == WK_UNARY_EXP) return m_exp(v);
        else if constexpr (OP == WK_UNARY_EXPM1) return m_expm1(v);
        else if constexpr (OP == WK_UNARY_LOG) return m_log(v);
        else if constexpr (OP == WK_UNARY_LOG1P) return m_log1p(v);
        else if constexpr (OP == WK_UNARY_LOG2) return m_log2(v);
        else if constexpr (OP == WK_UNARY_LOG10) return m_log10(v);
        else if constexpr (OP == WK_UNARY_EXP2) return m_exp2(v);
        else if constexpr (OP == WK_UNARY_SQRT) return m_sqrt(v);
        else if constexpr (OP == WK_UNARY_RSQRT) return C(1) / m_sqrt(v);
        else if constexpr (OP == WK_UNARY_RECIPROCAL) return C(1) / v;
        else if constexpr (OP == WK_UNARY_SIN) return m_sin(v);
        else if constexpr (OP == WK_UNARY_COS) return m_cos(v);
        else if constexpr (OP == WK_UNARY_TAN) return m_tan(v);
        else if constexpr (OP == WK_UNARY_ASIN) return m_asin(v);
        else if constexpr (OP == WK_UNARY_ACOS) return m_acos(v);
        else if constexpr (OP == WK_UNARY_ATAN) return m_atan(v);
        else if constexpr (OP == WK_UNARY_SINH) return m_sinh(v);
        else if constexpr (OP == WK_UNARY_COSH) return m_cosh(v);
        else if constexpr (OP == WK_UNARY_TANH) return m_tanh(v);
        else if constexpr (OP == WK_UNARY_SIGMOID) return C(1) / (C(1) + m_exp(-v));
        else if constexpr (OP == WK_UNARY_ERF) return m_erf(v);
        else if constexpr (OP == WK_UNARY_GELU) return C(0.5) * v * (C(1) + m_erf(v * C(0.70710678118654752440)));
        else if constexpr (OP == WK_UNARY_GELU_TANH) {
            const C k = C(0.79788456080286535588);  // sqrt(2 / pi)
            return C(0.5) * v * (C(1) + m_tanh(k * (v + C(0.044715) * v * v * v)));
        } else if constexpr (OP == WK_UNARY_SILU) return v / (C(1) + m_exp(-v));
        else if constexpr (OP == WK_UNARY_SOFTPLUS) return v * a0 > a1 ? v : m_log1p(m_exp(v * a0)) / a0;
        else if constexpr (OP == WK_UNARY_ELU) return v > C(0) ? v : a0 * m_expm1(v);
        else if constexpr (OP == WK_UNARY_LEAKY_RELU) return v > C(0) ? v : v * a0;
        else static_assert(OP == WK_UNARY_EXP, "not a float unary op");
    }
};

#define WICK_CUDA_FLOAT_UNARY(X)                                                                                    \
    X(WK_UNARY_EXP) X(WK_UNARY_EXPM1) X(WK_UNARY_LOG) X(WK_UNARY_LOG1P) X(WK_UNARY_LOG2) X(WK_UNARY_LOG10)          \
    X(WK_UNARY_EXP2) X(WK_UNARY_SQRT) X(WK_UNARY_RSQRT) X(WK_UNARY_RECIPROCAL) X(WK_UNARY_SIN) X(WK_UNARY_COS)      \
    X(WK_UNARY_TAN) X(WK_UNARY_ASIN) X(WK_UNARY_ACOS) X(WK_UNARY_ATAN) X(WK_UNARY_SINH) X(WK_UNARY_COSH)            \
    X(WK_UNARY_TANH) X(WK_UNARY_SIGMOID) X(WK_UNARY_ERF) X(WK_UNARY_GELU) X(WK_UNARY_GELU_TANH) X(WK_UNARY_SILU)   \
    X(WK_UNARY_SOFTPLUS) X(WK_UNARY_ELU) X(WK_UNARY_LEAKY_RELU)

struct SameTypeUnary {
    int32_t op;
    double lo, hi;  // clamp bounds
    bool has_lo, has_hi;

    template <class C>
    __device__ __forceinline__ C operator()(C v) const {
        constexpr bool fp = std::is_floating_point_v<C>;
        switch (op) {
            case WK_UNARY_NEG: return w_neg(v);
            case WK_UNARY_ABS: return v < C(0) ? w_neg(v) : v;
            case WK_UNARY_SIGN:
                if (is_nan(v)) return v;
                return static_cast<C>((C(0) < v) - (v < C(0)));
            case WK_UNARY_SQUARE: return w_mul(v, v);
            case WK_UNARY_RELU: return v > C(0) ? v : (is_nan(v) ? v : C(0));
            case WK_UNARY_FLOOR:
                if constexpr (fp) return m_floor(v);
                else return v;
            case WK_UNARY_CEIL:
                if constexpr (fp) return m_ceil(v);
                else return v;
            case WK_UNARY_ROUND:
                if constexpr (fp) return m_rint(v);  // half to even in the default rounding mode
                else return v;
            case WK_UNARY_TRUNC:
                if constexpr (fp) return m_trunc(v);
                else return v;
            default: {  // WK_UNARY_CLAMP
                if (is_nan(v)) return v;
                double d = static_cast<double>(v);
                if (has_lo && d < lo) d = lo;
                if (has_hi && d > hi) d = hi;
                return saturate_from_double<C>(d);
            }
        }
    }
};

struct Predicate {
    int32_t op;

    template <class C>
    __device__ __forceinline__ bool operator()(C v) const {
        constexpr bool fp = std::is_floating_point_v<C>;
        switch (op) {
            case WK_UNARY_ISNAN: return is_nan(v);
            case WK_UNARY_ISINF:
                if constexpr (fp) return m_fabs(v) == static_cast<C>(INFINITY);
                else return false;
            case WK_UNARY_ISFINITE:
                if constexpr (fp) return !is_nan(v) && m_fabs(v) != static_cast<C>(INFINITY);
                else return true;
            default: return v == C(0);  // WK_UNARY_LOGICAL_NOT
        }
    }
};

template <class O, class T, class F>
void run_unary(const char* name, const View& out, const View& x, F f) {
    const View* in[1] = {&x};
    const Operand kinds[1] = {Operand::Array};
    const OpMath<T> scalars[1] = {};
    run_map<O, T, 1>(name, out, in, kinds, scalars, f);
}

}  // namespace

void unary(wk_unary_op op, const View& out, const View& x, double p0, double p1) {
    switch (op) {
        case WK_UNARY_ISNAN:
        case WK_UNARY_ISINF:
        case WK_UNARY_ISFINITE:
        case WK_UNARY_LOGICAL_NOT:
            return dispatch_all(x.dtype, "unary", [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_unary<bool, T>("unary (predicate)", out, x, Predicate{static_cast<int32_t>(op)});
            });
        case WK_UNARY_NEG:
        case WK_UNARY_ABS:
        case WK_UNARY_SIGN:
        case WK_UNARY_SQUARE:
        case WK_UNARY_RELU:
        case WK_UNARY_FLOOR:
        case WK_UNARY_CEIL:
        case WK_UNARY_ROUND:
        case WK_UNARY_TRUNC:
        case WK_UNARY_CLAMP: {
            if (x.dtype == DType::Bool) {
                check(op == WK_UNARY_SIGN, WK_ERR_DTYPE, "unary: op ", static_cast<int>(op), " is not defined for bool");
                return copy(out, x);  // the sign of a bool is itself
            }
            const SameTypeUnary f{static_cast<int32_t>(op), p0, p1, !std::isnan(p0), !std::isnan(p1)};
            return dispatch_numeric(x.dtype, "unary", [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_unary<T, T>("unary", out, x, f);
            });
        }
        default: break;
    }
    dispatch_floating(x.dtype, "unary", [&](auto tag) {
        using T = typename decltype(tag)::type;
        switch (op) {
#define WICK_X(o) \
    case o: return run_unary<T, T>("unary", out, x, FloatUnary<o>{p0, p1});
            WICK_CUDA_FLOAT_UNARY(WICK_X)
#undef WICK_X
            default: fail(WK_ERR_INVALID_ARGUMENT, "unary: unknown op id ", static_cast<int>(op));
        }
    });
}

}  // namespace wick::cuda
