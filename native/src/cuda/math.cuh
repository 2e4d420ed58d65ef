// Element functions on the device, with the CPU's semantics (cpu/math.h, cpu/unary.cpp,
// cpu/binary.cpp): wrapping integer arithmetic, Python's floor division and remainder, NaN
// propagating maximum/minimum. One difference, documented in the README: integer division by
// zero gives 0 instead of an error, since reporting it would need a host synchronisation.
#pragma once

#include <type_traits>

#include "cuda/common.cuh"

namespace wick::cuda {

template <class T>
using Unsigned = std::make_unsigned_t<std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>>;

template <class T>
__device__ __forceinline__ bool is_nan(T v) {
    if constexpr (std::is_floating_point_v<T>) return v != v;
    else return false;
}

// The C math library for float and double (device versions).
#define WICK_CUDA_FN1(name, ff, df) \
    __device__ __forceinline__ float name(float v) { return ::ff(v); } \
    __device__ __forceinline__ double name(double v) { return ::df(v); }
WICK_CUDA_FN1(m_exp, expf, exp)
WICK_CUDA_FN1(m_expm1, expm1f, expm1)
WICK_CUDA_FN1(m_exp2, exp2f, exp2)
WICK_CUDA_FN1(m_log, logf, log)
WICK_CUDA_FN1(m_log1p, log1pf, log1p)
WICK_CUDA_FN1(m_log2, log2f, log2)
WICK_CUDA_FN1(m_log10, log10f, log10)
WICK_CUDA_FN1(m_sqrt, sqrtf, sqrt)
WICK_CUDA_FN1(m_sin, sinf, sin)
WICK_CUDA_FN1(m_cos, cosf, cos)
WICK_CUDA_FN1(m_tan, tanf, tan)
WICK_CUDA_FN1(m_asin, asinf, asin)
WICK_CUDA_FN1(m_acos, acosf, acos)
WICK_CUDA_FN1(m_atan, atanf, atan)
WICK_CUDA_FN1(m_sinh, sinhf, sinh)
WICK_CUDA_FN1(m_cosh, coshf, cosh)
WICK_CUDA_FN1(m_tanh, tanhf, tanh)
WICK_CUDA_FN1(m_erf, erff, erf)
WICK_CUDA_FN1(m_floor, floorf, floor)
WICK_CUDA_FN1(m_ceil, ceilf, ceil)
WICK_CUDA_FN1(m_trunc, truncf, trunc)
WICK_CUDA_FN1(m_rint, rintf, rint)
WICK_CUDA_FN1(m_fabs, fabsf, fabs)
#undef WICK_CUDA_FN1

__device__ __forceinline__ float m_fmod(float a, float b) { return ::fmodf(a, b); }
__device__ __forceinline__ double m_fmod(double a, double b) { return ::fmod(a, b); }
__device__ __forceinline__ float m_pow(float a, float b) { return ::powf(a, b); }
__device__ __forceinline__ double m_pow(double a, double b) { return ::pow(a, b); }
__device__ __forceinline__ float m_atan2(float a, float b) { return ::atan2f(a, b); }
__device__ __forceinline__ double m_atan2(double a, double b) { return ::atan2(a, b); }
__device__ __forceinline__ float m_copysign(float a, float b) { return ::copysignf(a, b); }
__device__ __forceinline__ double m_copysign(double a, double b) { return ::copysign(a, b); }

template <class T>
__device__ __forceinline__ T w_add(T a, T b) {
    if constexpr (std::is_same_v<T, bool>) return a || b;
    else if constexpr (std::is_integral_v<T>) return static_cast<T>(static_cast<Unsigned<T>>(a) + static_cast<Unsigned<T>>(b));
    else return a + b;
}
template <class T>
__device__ __forceinline__ T w_sub(T a, T b) {
    if constexpr (std::is_integral_v<T>) return static_cast<T>(static_cast<Unsigned<T>>(a) - static_cast<Unsigned<T>>(b));
    else return a - b;
}
template <class T>
__device__ __forceinline__ T w_mul(T a, T b) {
    if constexpr (std::is_same_v<T, bool>) {
        return a && b;
    } else if constexpr (std::is_integral_v<T>) {
        using W = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, Unsigned<T>>;
        return static_cast<T>(static_cast<W>(static_cast<Unsigned<T>>(a)) * static_cast<W>(static_cast<Unsigned<T>>(b)));
    } else {
        return a * b;
    }
}
template <class T>
__device__ __forceinline__ T w_neg(T a) {
    if constexpr (std::is_integral_v<T>) return static_cast<T>(Unsigned<T>(0) - static_cast<Unsigned<T>>(a));
    else return -a;
}

template <class T>
__device__ __forceinline__ T int_floor_div(T a, T b) {
    if (b == 0) return T(0);
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return w_neg(a);
        T q = static_cast<T>(a / b);
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        return q;
    } else {
        return static_cast<T>(a / b);
    }
}
template <class T>
__device__ __forceinline__ T int_remainder(T a, T b) {
    if (b == 0) return T(0);
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return T(0);
        T r = static_cast<T>(a % b);
        if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
        return r;
    } else {
        return static_cast<T>(a % b);
    }
}
template <class T>
__device__ __forceinline__ T int_fmod(T a, T b) {
    if (b == 0) return T(0);
    if constexpr (std::is_signed_v<T>) {
        if (b == -1) return T(0);
    }
    return static_cast<T>(a % b);
}

template <class T>
__device__ __forceinline__ T float_floor_div(T a, T b) {
    if (b == 0) return a / b;
    T mod = m_fmod(a, b);
    T div = (a - mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) div -= T(1);
    if (div == 0) return m_copysign(T(0), a / b);
    T floordiv = m_floor(div);
    if (div - floordiv > T(0.5)) floordiv += T(1);
    return floordiv;
}
template <class T>
__device__ __forceinline__ T float_remainder(T a, T b) {
    T r = m_fmod(a, b);
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}

// Integer power by squaring; a negative exponent gives the truncated value of 1 / a^-e (the CPU
// refuses it, which would need a host synchronisation here).
template <class T>
__device__ __forceinline__ T int_pow(T base, T exp) {
    if constexpr (std::is_signed_v<T>) {
        if (exp < 0) {
            if (base == 1) return T(1);
            if (base == -1) return (exp & 1) ? T(-1) : T(1);
            return T(0);
        }
    }
    T result = 1;
    while (exp > 0) {
        if (exp & 1) result = w_mul(result, base);
        base = w_mul(base, base);
        exp = static_cast<T>(exp >> 1);
    }
    return result;
}

template <class T>
__device__ __forceinline__ T nan_max(T a, T b) {
    if (is_nan(a) || is_nan(b)) return is_nan(a) ? a : b;
    return a > b ? a : b;
}
template <class T>
__device__ __forceinline__ T nan_min(T a, T b) {
    if (is_nan(a) || is_nan(b)) return is_nan(a) ? a : b;
    return a < b ? a : b;
}

}  // namespace wick::cuda
