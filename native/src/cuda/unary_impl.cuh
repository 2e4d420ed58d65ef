// Shared by the unary family's files (unary.cu, unary_exp.cu, unary_trig.cu): the float functor and
// the launcher. The float ops are split over two files only so that nvcc compiles them in parallel.
#pragma once

#include "cuda/elementwise.cuh"
#include "cuda/math.cuh"

namespace wick::cuda {

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

// Every float op, in two groups (one per file).
#define WICK_CUDA_FLOAT_UNARY_EXP(X)                                                                   \
    X(WK_UNARY_EXP) X(WK_UNARY_EXPM1) X(WK_UNARY_LOG) X(WK_UNARY_LOG1P) X(WK_UNARY_LOG2) X(WK_UNARY_LOG10) \
    X(WK_UNARY_EXP2) X(WK_UNARY_SQRT) X(WK_UNARY_RSQRT) X(WK_UNARY_RECIPROCAL) X(WK_UNARY_SIGMOID)        \
    X(WK_UNARY_SILU) X(WK_UNARY_SOFTPLUS) X(WK_UNARY_ELU)
#define WICK_CUDA_FLOAT_UNARY_TRIG(X)                                                                   \
    X(WK_UNARY_SIN) X(WK_UNARY_COS) X(WK_UNARY_TAN) X(WK_UNARY_ASIN) X(WK_UNARY_ACOS) X(WK_UNARY_ATAN)    \
    X(WK_UNARY_SINH) X(WK_UNARY_COSH) X(WK_UNARY_TANH) X(WK_UNARY_ERF) X(WK_UNARY_GELU)                 \
    X(WK_UNARY_GELU_TANH) X(WK_UNARY_LEAKY_RELU)

template <class O, class T, class F>
void run_unary(const char* name, const View& out, const View& x, F f) {
    const View* in[1] = {&x};
    const Operand kinds[1] = {Operand::Array};
    const OpMath<T> scalars[1] = {};
    run_map<O, T, 1>(name, out, in, kinds, scalars, f);
}

// Each runs op when it belongs to its file's group (returns false otherwise).
bool unary_float_exp(wk_unary_op op, const View& out, const View& x, double p0, double p1);
bool unary_float_trig(wk_unary_op op, const View& out, const View& x, double p0, double p1);

}  // namespace wick::cuda
