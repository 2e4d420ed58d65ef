// The reference element functions of the unary ops: plain C++ on libm, computed in double (float
// inputs are widened and the result rounded once), with the rewrites that keep them accurate where
// the textbook formula cancels (gelu and sigmoid of negative numbers, softplus of large ones).
// The scalar ISA uses them directly; the AVX2/AVX-512 kernels use them for the ops they do not
// vectorise (sin, atan, ...) and f64; tests compare everything against float64 on their own side.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

#include "wick/wick.h"

namespace wick::cpu {

inline double sigmoid_ref(double x) {
    if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
    double e = std::exp(x);
    return e / (1.0 + e);
}

// x * sigmoid(z), NaN for x = -inf (as -inf * 0 in PyTorch's formula).
inline double mul_sigmoid_ref(double x, double z) {
    if (std::isnan(z)) return z;
    if (x == -std::numeric_limits<double>::infinity()) return std::numeric_limits<double>::quiet_NaN();
    return x * sigmoid_ref(z);
}

// f(x) for the floating-point unary ops (every op whose TypeRule is FloatResult).
inline double float_unary_ref(wk_unary_op op, double v, double p0, double p1) {
    switch (op) {
        case WK_UNARY_EXP: return std::exp(v);
        case WK_UNARY_EXPM1: return std::expm1(v);
        case WK_UNARY_LOG: return std::log(v);
        case WK_UNARY_LOG1P: return std::log1p(v);
        case WK_UNARY_LOG2: return std::log2(v);
        case WK_UNARY_LOG10: return std::log10(v);
        case WK_UNARY_EXP2: return std::exp2(v);
        case WK_UNARY_SQRT: return std::sqrt(v);
        case WK_UNARY_RSQRT: return 1.0 / std::sqrt(v);
        case WK_UNARY_RECIPROCAL: return 1.0 / v;
        case WK_UNARY_SIN: return std::sin(v);
        case WK_UNARY_COS: return std::cos(v);
        case WK_UNARY_TAN: return std::tan(v);
        case WK_UNARY_ASIN: return std::asin(v);
        case WK_UNARY_ACOS: return std::acos(v);
        case WK_UNARY_ATAN: return std::atan(v);
        case WK_UNARY_SINH: return std::sinh(v);
        case WK_UNARY_COSH: return std::cosh(v);
        case WK_UNARY_TANH: return std::tanh(v);
        case WK_UNARY_SIGMOID: return std::isnan(v) ? v : sigmoid_ref(v);
        case WK_UNARY_ERF: return std::erf(v);
        case WK_UNARY_GELU:
            if (v == -std::numeric_limits<double>::infinity()) return std::numeric_limits<double>::quiet_NaN();
            return 0.5 * v * std::erfc(-v * 0.70710678118654752440);
        case WK_UNARY_GELU_TANH: {
            const double u = 0.79788456080286535588 * (v + 0.044715 * v * v * v);
            return mul_sigmoid_ref(v, 2.0 * u);
        }
        case WK_UNARY_SILU: return mul_sigmoid_ref(v, v);
        case WK_UNARY_SOFTPLUS: {
            const double z = v * p0;
            if (std::isnan(v) || z > p1) return v;
            return (std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z)))) / p0;
        }
        case WK_UNARY_ELU: return v > 0 ? v : p0 * std::expm1(v);
        case WK_UNARY_LEAKY_RELU: return v > 0 ? v : v * p0;
        default: return std::numeric_limits<double>::quiet_NaN();
    }
}

}  // namespace wick::cpu
