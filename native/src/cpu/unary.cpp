// Unary elementwise kernels. The ops layer has already chosen the dtype: float-only functions are
// only instantiated for float and double.
#include <cmath>
#include <cstring>

#include "core/convert.h"
#include "cpu/dispatch.h"
#include "cpu/kernels.h"
#include "cpu/loops.h"
#include "cpu/math.h"

namespace wick::cpu {

namespace {

// out[i] = f(x[i]) with out of type O and x of type T.
template <class O, class T, class F>
void map(const View& out, const View& x, F f) {
    Loop<2> L = make_loop<2>({&out, &x});
    run_loop(L, [&f](char** p, const int64_t* s, int64_t n) {
        if (s[0] == static_cast<int64_t>(sizeof(O)) && s[1] == static_cast<int64_t>(sizeof(T))) {
            O* o = reinterpret_cast<O*>(p[0]);
            const T* a = reinterpret_cast<const T*>(p[1]);
            for (int64_t i = 0; i < n; ++i) o[i] = f(a[i]);
            return;
        }
        for (int64_t i = 0; i < n; ++i) {
            T v;
            std::memcpy(&v, p[1] + i * s[1], sizeof(T));
            O r = f(v);
            std::memcpy(p[0] + i * s[0], &r, sizeof(O));
        }
    });
}

template <class T>
void float_op(wk_unary_op op, const View& out, const View& x, double p0, double p1) {
    const T a0 = static_cast<T>(p0), a1 = static_cast<T>(p1);
    switch (op) {
        case WK_UNARY_EXP: return map<T, T>(out, x, [](T v) { return std::exp(v); });
        case WK_UNARY_EXPM1: return map<T, T>(out, x, [](T v) { return std::expm1(v); });
        case WK_UNARY_LOG: return map<T, T>(out, x, [](T v) { return std::log(v); });
        case WK_UNARY_LOG1P: return map<T, T>(out, x, [](T v) { return std::log1p(v); });
        case WK_UNARY_LOG2: return map<T, T>(out, x, [](T v) { return std::log2(v); });
        case WK_UNARY_LOG10: return map<T, T>(out, x, [](T v) { return std::log10(v); });
        case WK_UNARY_EXP2: return map<T, T>(out, x, [](T v) { return std::exp2(v); });
        case WK_UNARY_SQRT: return map<T, T>(out, x, [](T v) { return std::sqrt(v); });
        case WK_UNARY_RSQRT: return map<T, T>(out, x, [](T v) { return T(1) / std::sqrt(v); });
        case WK_UNARY_RECIPROCAL: return map<T, T>(out, x, [](T v) { return T(1) / v; });
        case WK_UNARY_SIN: return map<T, T>(out, x, [](T v) { return std::sin(v); });
        case WK_UNARY_COS: return map<T, T>(out, x, [](T v) { return std::cos(v); });
        case WK_UNARY_TAN: return map<T, T>(out, x, [](T v) { return std::tan(v); });
        case WK_UNARY_ASIN: return map<T, T>(out, x, [](T v) { return std::asin(v); });
        case WK_UNARY_ACOS: return map<T, T>(out, x, [](T v) { return std::acos(v); });
        case WK_UNARY_ATAN: return map<T, T>(out, x, [](T v) { return std::atan(v); });
        case WK_UNARY_SINH: return map<T, T>(out, x, [](T v) { return std::sinh(v); });
        case WK_UNARY_COSH: return map<T, T>(out, x, [](T v) { return std::cosh(v); });
        case WK_UNARY_TANH: return map<T, T>(out, x, [](T v) { return std::tanh(v); });
        case WK_UNARY_SIGMOID: return map<T, T>(out, x, [](T v) { return T(1) / (T(1) + std::exp(-v)); });
        case WK_UNARY_ERF: return map<T, T>(out, x, [](T v) { return std::erf(v); });
        case WK_UNARY_GELU:
            return map<T, T>(out, x, [](T v) { return T(0.5) * v * (T(1) + std::erf(v * T(0.70710678118654752440))); });
        case WK_UNARY_GELU_TANH:
            return map<T, T>(out, x, [](T v) {
                const T k = T(0.79788456080286535588);  // sqrt(2 / pi)
                return T(0.5) * v * (T(1) + std::tanh(k * (v + T(0.044715) * v * v * v)));
            });
        case WK_UNARY_SILU: return map<T, T>(out, x, [](T v) { return v / (T(1) + std::exp(-v)); });
        case WK_UNARY_SOFTPLUS:
            return map<T, T>(out, x, [a0, a1](T v) { return v * a0 > a1 ? v : std::log1p(std::exp(v * a0)) / a0; });
        case WK_UNARY_ELU: return map<T, T>(out, x, [a0](T v) { return v > 0 ? v : a0 * std::expm1(v); });
        case WK_UNARY_LEAKY_RELU: return map<T, T>(out, x, [a0](T v) { return v > 0 ? v : v * a0; });
        default: fail(WK_ERR_INTERNAL, "unary: op ", static_cast<int>(op), " is not a float op");
    }
}

// Ops that keep the dtype and work on integers too.
template <class T>
void same_type_op(wk_unary_op op, const View& out, const View& x, double p0, double p1) {
    constexpr bool fp = std::is_floating_point_v<T>;
    switch (op) {
        case WK_UNARY_NEG: return map<T, T>(out, x, [](T v) { return neg(v); });
        case WK_UNARY_ABS: return map<T, T>(out, x, [](T v) { return v < T(0) ? neg(v) : v; });
        case WK_UNARY_SIGN:
            return map<T, T>(out, x, [](T v) {
                if constexpr (fp)
                    if (std::isnan(v)) return v;
                return static_cast<T>((T(0) < v) - (v < T(0)));
            });
        case WK_UNARY_SQUARE: return map<T, T>(out, x, [](T v) { return mul(v, v); });
        case WK_UNARY_RELU: return map<T, T>(out, x, [](T v) { return v > T(0) ? v : (fp && v != v ? v : T(0)); });
        case WK_UNARY_FLOOR:
        case WK_UNARY_CEIL:
        case WK_UNARY_ROUND:
        case WK_UNARY_TRUNC:
            if constexpr (fp) {
                if (op == WK_UNARY_FLOOR) return map<T, T>(out, x, [](T v) { return std::floor(v); });
                if (op == WK_UNARY_CEIL) return map<T, T>(out, x, [](T v) { return std::ceil(v); });
                if (op == WK_UNARY_ROUND) return map<T, T>(out, x, [](T v) { return std::nearbyint(v); });
                return map<T, T>(out, x, [](T v) { return std::trunc(v); });
            } else {
                return map<T, T>(out, x, [](T v) { return v; });  // integers are already whole
            }
        case WK_UNARY_CLAMP: {
            const bool has_lo = !std::isnan(p0), has_hi = !std::isnan(p1);
            return map<T, T>(out, x, [=](T v) {
                if constexpr (fp)
                    if (std::isnan(v)) return v;
                double d = static_cast<double>(v);
                if (has_lo && d < p0) d = p0;
                if (has_hi && d > p1) d = p1;
                return saturate_from_double<T>(d);
            });
        }
        default: fail(WK_ERR_INTERNAL, "unary: op ", static_cast<int>(op), " does not keep the dtype");
    }
}

template <class T>
void predicate_op(wk_unary_op op, const View& out, const View& x) {
    constexpr bool fp = std::is_floating_point_v<T>;
    switch (op) {
        case WK_UNARY_ISNAN: return map<bool, T>(out, x, [](T v) { if constexpr (fp) return std::isnan(v); else return false; });
        case WK_UNARY_ISINF: return map<bool, T>(out, x, [](T v) { if constexpr (fp) return std::isinf(v); else return false; });
        case WK_UNARY_ISFINITE:
            return map<bool, T>(out, x, [](T v) { if constexpr (fp) return std::isfinite(v); else return true; });
        case WK_UNARY_LOGICAL_NOT: return map<bool, T>(out, x, [](T v) { return v == T(0); });
        default: fail(WK_ERR_INTERNAL, "unary: op ", static_cast<int>(op), " is not a predicate");
    }
}

}  // namespace

void unary(wk_unary_op op, const View& out, const View& x, double p0, double p1) {
    dispatch_compute(x.dtype, "unary", [&](auto tag) {
        using T = typename decltype(tag)::type;
        switch (op) {
            case WK_UNARY_ISNAN:
            case WK_UNARY_ISINF:
            case WK_UNARY_ISFINITE:
            case WK_UNARY_LOGICAL_NOT: return predicate_op<T>(op, out, x);
            case WK_UNARY_NEG:
            case WK_UNARY_ABS:
            case WK_UNARY_SIGN:
            case WK_UNARY_SQUARE:
            case WK_UNARY_RELU:
            case WK_UNARY_FLOOR:
            case WK_UNARY_CEIL:
            case WK_UNARY_ROUND:
            case WK_UNARY_TRUNC:
            case WK_UNARY_CLAMP:
                if constexpr (std::is_same_v<T, bool>) {
                    if (op == WK_UNARY_SIGN) return map<bool, bool>(out, x, [](bool v) { return v; });
                    fail(WK_ERR_DTYPE, "unary: op ", static_cast<int>(op), " is not defined for bool");
                } else {
                    return same_type_op<T>(op, out, x, p0, p1);
                }
            default:
                if constexpr (std::is_floating_point_v<T>) return float_op<T>(op, out, x, p0, p1);
                else fail(WK_ERR_DTYPE, "unary: op ", static_cast<int>(op), " needs a floating dtype");
        }
    });
}

}  // namespace wick::cpu
