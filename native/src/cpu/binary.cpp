// Binary elementwise kernels: tensor-tensor (broadcast through stride 0) and tensor-scalar.
#include <atomic>
#include <cmath>
#include <cstring>

#include "cpu/dispatch.h"
#include "cpu/kernels.h"
#include "cpu/loops.h"
#include "cpu/math.h"

namespace wick::cpu {

namespace {

// out[i] = f(a[i], b[i]).
template <class O, class T, class F>
void map2(const View& out, const View& a, const View& b, F f) {
    Loop<3> L = make_loop<3>({&out, &a, &b});
    run_loop(L, [&f](char** p, const int64_t* s, int64_t n) {
        constexpr int64_t so = sizeof(O), st = sizeof(T);
        O* o = reinterpret_cast<O*>(p[0]);
        const T* x = reinterpret_cast<const T*>(p[1]);
        const T* y = reinterpret_cast<const T*>(p[2]);
        if (s[0] == so && s[1] == st && s[2] == st) {
            for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], y[i]);
        } else if (s[0] == so && s[1] == st && s[2] == 0) {
            const T yv = *y;
            for (int64_t i = 0; i < n; ++i) o[i] = f(x[i], yv);
        } else if (s[0] == so && s[1] == 0 && s[2] == st) {
            const T xv = *x;
            for (int64_t i = 0; i < n; ++i) o[i] = f(xv, y[i]);
        } else {
            for (int64_t i = 0; i < n; ++i) {
                T xv, yv;
                std::memcpy(&xv, p[1] + i * s[1], sizeof(T));
                std::memcpy(&yv, p[2] + i * s[2], sizeof(T));
                O r = f(xv, yv);
                std::memcpy(p[0] + i * s[0], &r, sizeof(O));
            }
        }
    });
}

// Integer division by zero has no value; it is reported after the loop instead of crashing.
struct ZeroDivision {
    std::atomic<bool> seen{false};
    void check(const char* op) const {
        if (seen.load()) fail(WK_ERR_INVALID_ARGUMENT, op, ": integer division by zero");
    }
};

// Applies op to (a, b) views of type T; `b_view` may be a stride-0 broadcast of a scalar.
template <class T>
void apply(wk_binary_op op, const View& out, const View& a, const View& b) {
    constexpr bool fp = std::is_floating_point_v<T>;
    constexpr bool is_bool = std::is_same_v<T, bool>;
    ZeroDivision zd;
    switch (op) {
        case WK_BINARY_ADD: return map2<T, T>(out, a, b, [](T x, T y) { return add(x, y); });
        case WK_BINARY_SUB: return map2<T, T>(out, a, b, [](T x, T y) { return sub(x, y); });
        case WK_BINARY_MUL: return map2<T, T>(out, a, b, [](T x, T y) { return mul(x, y); });
        case WK_BINARY_DIV:
            if constexpr (fp) return map2<T, T>(out, a, b, [](T x, T y) { return x / y; });
            break;
        case WK_BINARY_MAXIMUM: return map2<T, T>(out, a, b, [](T x, T y) { return nan_max(x, y); });
        case WK_BINARY_MINIMUM: return map2<T, T>(out, a, b, [](T x, T y) { return nan_min(x, y); });
        case WK_BINARY_EQ: return map2<bool, T>(out, a, b, [](T x, T y) { return x == y; });
        case WK_BINARY_NE: return map2<bool, T>(out, a, b, [](T x, T y) { return x != y; });
        case WK_BINARY_LT: return map2<bool, T>(out, a, b, [](T x, T y) { return x < y; });
        case WK_BINARY_LE: return map2<bool, T>(out, a, b, [](T x, T y) { return x <= y; });
        case WK_BINARY_GT: return map2<bool, T>(out, a, b, [](T x, T y) { return x > y; });
        case WK_BINARY_GE: return map2<bool, T>(out, a, b, [](T x, T y) { return x >= y; });
        case WK_BINARY_LOGICAL_AND: return map2<bool, T>(out, a, b, [](T x, T y) { return x != T(0) && y != T(0); });
        case WK_BINARY_LOGICAL_OR: return map2<bool, T>(out, a, b, [](T x, T y) { return x != T(0) || y != T(0); });
        case WK_BINARY_LOGICAL_XOR: return map2<bool, T>(out, a, b, [](T x, T y) { return (x != T(0)) != (y != T(0)); });
        case WK_BINARY_ATAN2:
            if constexpr (fp) return map2<T, T>(out, a, b, [](T x, T y) { return std::atan2(x, y); });
            break;
        case WK_BINARY_FLOOR_DIV:
            if constexpr (fp) return map2<T, T>(out, a, b, [](T x, T y) { return float_floor_div(x, y); });
            else if constexpr (!is_bool) {
                map2<T, T>(out, a, b, [&zd](T x, T y) {
                    if (y == 0) { zd.seen = true; return T(0); }
                    return int_floor_div(x, y);
                });
                return zd.check("floor_divide");
            }
            break;
        case WK_BINARY_REMAINDER:
            if constexpr (fp) return map2<T, T>(out, a, b, [](T x, T y) { return float_remainder(x, y); });
            else if constexpr (!is_bool) {
                map2<T, T>(out, a, b, [&zd](T x, T y) {
                    if (y == 0) { zd.seen = true; return T(0); }
                    return int_remainder(x, y);
                });
                return zd.check("remainder");
            }
            break;
        case WK_BINARY_FMOD:
            if constexpr (fp) return map2<T, T>(out, a, b, [](T x, T y) { return std::fmod(x, y); });
            else if constexpr (!is_bool) {
                map2<T, T>(out, a, b, [&zd](T x, T y) {
                    if (y == 0) { zd.seen = true; return T(0); }
                    return int_fmod(x, y);
                });
                return zd.check("fmod");
            }
            break;
        case WK_BINARY_POW:
            if constexpr (fp) return map2<T, T>(out, a, b, [](T x, T y) { return std::pow(x, y); });
            else if constexpr (!is_bool) {
                std::atomic<bool> negative{false};
                map2<T, T>(out, a, b, [&negative](T x, T y) {
                    if constexpr (std::is_signed_v<T>) {
                        if (y < 0) { negative = true; return T(0); }
                    }
                    return int_pow(x, y);
                });
                if (negative.load()) fail(WK_ERR_INVALID_ARGUMENT, "pow: integers to negative integer powers are not allowed");
                return;
            }
            break;
        case WK_BINARY_BITWISE_AND:
            if constexpr (!fp) return map2<T, T>(out, a, b, [](T x, T y) { return static_cast<T>(x & y); });
            break;
        case WK_BINARY_BITWISE_OR:
            if constexpr (!fp) return map2<T, T>(out, a, b, [](T x, T y) { return static_cast<T>(x | y); });
            break;
        case WK_BINARY_BITWISE_XOR:
            if constexpr (!fp) return map2<T, T>(out, a, b, [](T x, T y) { return static_cast<T>(x ^ y); });
            break;
        default: break;
    }
    fail(WK_ERR_DTYPE, "binary op ", static_cast<int>(op), " is not defined for ", dtype_name(a.dtype));
}

}  // namespace

void binary(wk_binary_op op, const View& out, const View& a, const View& b) {
    dispatch_compute(a.dtype, "binary", [&](auto tag) { apply<typename decltype(tag)::type>(op, out, a, b); });
}

void binary_scalar(wk_binary_op op, const View& out, const View& a, Scalar s, bool reverse) {
    dispatch_compute(a.dtype, "binary", [&](auto tag) {
        using T = typename decltype(tag)::type;
        T value = s.to<T>();
        // The scalar as a stride-0 view of the same shape: one code path with tensor-tensor ops.
        View sv = a;
        sv.data = reinterpret_cast<char*>(&value);
        for (int d = 0; d < sv.ndim; ++d) sv.strides[d] = 0;
        if (reverse) apply<T>(op, out, sv, a);
        else apply<T>(op, out, a, sv);
    });
}

}  // namespace wick::cpu
