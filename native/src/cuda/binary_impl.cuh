// Shared by the binary family's files (binary.cu, binary_arith.cu, binary_divmod.cu): the operand
// description, the launcher and the arithmetic functor. The arithmetic ops are spread over two
// files only so that nvcc compiles them in parallel.
#pragma once

#include "core/scalar.h"
#include "cuda/elementwise.cuh"
#include "cuda/math.cuh"

namespace wick::cuda {

template <wk_binary_op OP>
struct Arith {
    template <class C>
    __device__ __forceinline__ C operator()(C x, C y) const {
        if constexpr (OP == WK_BINARY_ADD) return w_add(x, y);
        else if constexpr (OP == WK_BINARY_SUB) return w_sub(x, y);
        else if constexpr (OP == WK_BINARY_MUL) return w_mul(x, y);
        else if constexpr (OP == WK_BINARY_MAXIMUM) return nan_max(x, y);
        else if constexpr (OP == WK_BINARY_MINIMUM) return nan_min(x, y);
        else if constexpr (OP == WK_BINARY_DIV) return x / y;
        else if constexpr (OP == WK_BINARY_ATAN2) return m_atan2(x, y);
        else if constexpr (OP == WK_BINARY_FLOOR_DIV) {
            if constexpr (std::is_floating_point_v<C>) return float_floor_div(x, y);
            else return int_floor_div(x, y);
        } else if constexpr (OP == WK_BINARY_REMAINDER) {
            if constexpr (std::is_floating_point_v<C>) return float_remainder(x, y);
            else return int_remainder(x, y);
        } else if constexpr (OP == WK_BINARY_FMOD) {
            if constexpr (std::is_floating_point_v<C>) return m_fmod(x, y);
            else return int_fmod(x, y);
        } else if constexpr (OP == WK_BINARY_POW) {
            if constexpr (std::is_floating_point_v<C>) return m_pow(x, y);
            else return int_pow(x, y);
        } else {
            static_assert(OP == WK_BINARY_ADD, "not an arithmetic op");
        }
    }
};

// One operand: a tensor view, or (view null) a host scalar.
struct Side {
    const View* view;
    Scalar value;
};

template <class O, class T, class F>
void run_binary(const char* name, const View& out, const Side& a, const Side& b, F f) {
    const View* in[2] = {a.view != nullptr ? a.view : &out, b.view != nullptr ? b.view : &out};
    const Operand kinds[2] = {a.view != nullptr ? Operand::Array : Operand::HostScalar,
                              b.view != nullptr ? Operand::Array : Operand::HostScalar};
    const OpMath<T> scalars[2] = {a.view != nullptr ? OpMath<T>{} : to_op(a.value.template to<T>()),
                                  b.view != nullptr ? OpMath<T>{} : to_op(b.value.template to<T>())};
    run_map<O, T, 2>(name, out, in, kinds, scalars, f);
}

// Dispatch callbacks: result of the input's dtype, or bool.
template <class F>
auto same_type(const char* name, const View& out, const Side& a, const Side& b, F f) {
    return [=, &out, &a, &b](auto tag) {
        using T = typename decltype(tag)::type;
        run_binary<T, T>(name, out, a, b, f);
    };
}
template <class F>
auto to_bool(const char* name, const View& out, const Side& a, const Side& b, F f) {
    return [=, &out, &a, &b](auto tag) {
        using T = typename decltype(tag)::type;
        run_binary<bool, T>(name, out, a, b, f);
    };
}

// Each runs op when it belongs to its file's group (returns false otherwise).
bool binary_arith(wk_binary_op op, const View& out, const Side& a, const Side& b);   // + - * / max min
bool binary_divmod(wk_binary_op op, const View& out, const Side& a, const Side& b);  // // % fmod pow atan2

}  // namespace wick::cuda
