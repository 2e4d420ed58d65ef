// Binary elementwise ops. Arithmetic has one functor per op (add is the one that must run at
// memory speed); comparisons, logical and bitwise ops share a functor per group, the op chosen by
// a switch that is uniform across the grid. A scalar operand travels by value in the kernel's
// parameters (converted to the tensor's dtype first, as on the CPU).
#include "cuda/binary.cuh"

#include "cuda/elementwise.cuh"
#include "cuda/math.cuh"

namespace wick::cuda {

namespace {

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

struct Compare {
    int32_t op;
    template <class C>
    __device__ __forceinline__ bool operator()(C x, C y) const {
        switch (op) {
            case WK_BINARY_EQ: return x == y;
            case WK_BINARY_NE: return x != y;
            case WK_BINARY_LT: return x < y;
            case WK_BINARY_LE: return x <= y;
            case WK_BINARY_GT: return x > y;
            default: return x >= y;
        }
    }
};

struct Logical {
    int32_t op;
    template <class C>
    __device__ __forceinline__ bool operator()(C x, C y) const {
        const bool a = x != C(0), b = y != C(0);
        switch (op) {
            case WK_BINARY_LOGICAL_AND: return a && b;
            case WK_BINARY_LOGICAL_OR: return a || b;
            default: return a != b;
        }
    }
};

struct Bitwise {
    int32_t op;
    template <class C>
    __device__ __forceinline__ C operator()(C x, C y) const {
        switch (op) {
            case WK_BINARY_BITWISE_AND: return static_cast<C>(x & y);
            case WK_BINARY_BITWISE_OR: return static_cast<C>(x | y);
            default: return static_cast<C>(x ^ y);
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

void apply(wk_binary_op op, const View& out, const Side& a, const Side& b) {
    const DType dt = a.view != nullptr ? a.view->dtype : b.view->dtype;
    const char* n = "binary";
    const int32_t id = static_cast<int32_t>(op);
    switch (op) {
        case WK_BINARY_ADD: return dispatch_all(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_ADD>{}));
        case WK_BINARY_MUL: return dispatch_all(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_MUL>{}));
        case WK_BINARY_MAXIMUM: return dispatch_all(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_MAXIMUM>{}));
        case WK_BINARY_MINIMUM: return dispatch_all(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_MINIMUM>{}));
        case WK_BINARY_SUB: return dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_SUB>{}));
        case WK_BINARY_FLOOR_DIV: return dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_FLOOR_DIV>{}));
        case WK_BINARY_REMAINDER: return dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_REMAINDER>{}));
        case WK_BINARY_FMOD: return dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_FMOD>{}));
        case WK_BINARY_POW: return dispatch_numeric(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_POW>{}));
        case WK_BINARY_DIV: return dispatch_floating(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_DIV>{}));
        case WK_BINARY_ATAN2: return dispatch_floating(dt, n, same_type(n, out, a, b, Arith<WK_BINARY_ATAN2>{}));
        case WK_BINARY_EQ:
        case WK_BINARY_NE:
        case WK_BINARY_LT:
        case WK_BINARY_LE:
        case WK_BINARY_GT:
        case WK_BINARY_GE: return dispatch_all(dt, n, to_bool(n, out, a, b, Compare{id}));
        case WK_BINARY_LOGICAL_AND:
        case WK_BINARY_LOGICAL_OR:
        case WK_BINARY_LOGICAL_XOR: return dispatch_all(dt, n, to_bool(n, out, a, b, Logical{id}));
        case WK_BINARY_BITWISE_AND:
        case WK_BINARY_BITWISE_OR:
        case WK_BINARY_BITWISE_XOR: return dispatch_integral(dt, n, same_type(n, out, a, b, Bitwise{id}));
        default: break;
    }
    fail(WK_ERR_INVALID_ARGUMENT, "binary: unknown op id ", id);
}

}  // namespace

void binary(wk_binary_op op, const View& out, const View& a, const View& b) {
    apply(op, out, Side{&a, Scalar{}}, Side{&b, Scalar{}});
}

void binary_scalar(wk_binary_op op, const View& out, const View& a, Scalar s, bool reverse) {
    if (reverse) apply(op, out, Side{nullptr, s}, Side{&a, Scalar{}});
    else apply(op, out, Side{&a, Scalar{}}, Side{nullptr, s});
}

}  // namespace wick::cuda
