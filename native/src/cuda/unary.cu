// Unary elementwise ops. Three functor kinds keep the number of kernels moderate:
//  - FloatUnary<op> (unary_impl.cuh; instantiated in unary_exp.cu and unary_trig.cu): the
//    transcendental and activation functions, one kernel pair per op and floating dtype (they
//    differ enough that one kernel per op pays);
//  - SameTypeUnary: neg, abs, sign, square, relu, rounding and clamp for every numeric dtype, the
//    op chosen by a switch that is uniform across the grid (each case is a few instructions);
//  - Predicate: isnan, isinf, isfinite, logical_not for every dtype, writing bool.
#include "cuda/unary.cuh"

#include <cmath>

#include "cuda/copy.cuh"
#include "cuda/unary_impl.cuh"

namespace wick::cuda {

namespace {

struct SameTypeUnary {
    int32_t op;
    double lo, hi;  // clamp bounds
    bool has_lo, has_hi;

    template <class C>
    __device__ __forceinline__ C operator()(C v) const {
        constexpr bool fp = std::is_floating_point_v<C>;
        switch (op) {
            case WK_UNARY_NEG: return w_neg(v);
            case WK_UNARY_ABS:
                if constexpr (std::is_unsigned_v<C>) return v;  // (uint8, bool): no negative values
                else return v < C(0) ? w_neg(v) : v;
            case WK_UNARY_SIGN:
                if (is_nan(v)) return v;
                if constexpr (std::is_unsigned_v<C>) return static_cast<C>(C(0) < v);
                else return static_cast<C>((C(0) < v) - (v < C(0)));
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
    if (unary_float_exp(op, out, x, p0, p1) || unary_float_trig(op, out, x, p0, p1)) return;
    fail(WK_ERR_INVALID_ARGUMENT, "unary: unknown op id ", static_cast<int>(op));
}

}  // namespace wick::cuda
