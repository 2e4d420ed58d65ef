// Binary elementwise ops. Arithmetic has one functor per op (add is the one that must run at
// memory speed; binary_arith.cu and binary_divmod.cu); comparisons, logical and bitwise ops share
// a functor per group, the op chosen by a switch that is uniform across the grid. A scalar operand travels by value in the kernel's
// parameters (converted to the tensor's dtype first, as on the CPU).
#include "cuda/binary.cuh"

#include "cuda/binary_impl.cuh"

namespace wick::cuda {

namespace {

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

void apply(wk_binary_op op, const View& out, const Side& a, const Side& b) {
    const DType dt = a.view != nullptr ? a.view->dtype : b.view->dtype;
    const char* n = "binary";
    const int32_t id = static_cast<int32_t>(op);
    if (binary_arith(op, out, a, b) || binary_divmod(op, out, a, b)) return;
    switch (op) {
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
