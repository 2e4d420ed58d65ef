// Elementwise inner loops for one instruction set: unary, binary and ternary runs over contiguous
// elements (or a broadcast scalar, stride 0). Float32 and float64 arithmetic is written with vec.h;
// float32 transcendentals use vmath.h (AVX2/AVX-512) or the double-precision reference (scalar);
// integer loops are plain C++ that the compiler vectorises for the region's instruction set.
//
// A run's tail goes through the same vector code as its body (a partial vector), so an element's
// result never depends on where a run starts: the thread count cannot change any output bit.
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "core/convert.h"
#include "core/error.h"
#include "cpu/math.h"
#include "cpu/unary_ref.h"

#include "cpu/simd/isa_begin.h"
#include "cpu/simd/isa_entry.h"
#include "cpu/simd/vec.h"
#if WICK_ISA_LEVEL > 0
#  include "cpu/simd/vmath.h"
#endif

namespace wick::cpu::WICK_ISA_NS {

namespace {

template <class T>
constexpr bool kFloat = std::is_floating_point_v<T>;

// o[i] = f(x[i]) with vectors; the tail as a partial vector.
template <class T, class F>
inline void vmap(T* o, const T* x, int64_t n, F f) {
    constexpr int W = VecOf<T>::W;
    int64_t i = 0;
    for (; i + W <= n; i += W) vstore(o + i, f(vload(x + i)));
    if (i < n) vstore_partial(o + i, n - i, f(vload_partial(x + i, n - i)));
}

template <class O, class T, class F>
inline void smap(O* o, const T* x, int64_t n, F f) {
    for (int64_t i = 0; i < n; ++i) o[i] = f(x[i]);
}

// o[i] = f(a[i*sa], b[i*sb]) with sa, sb in {0, 1}; each case its own loop so it vectorises.
template <class O, class T, class F>
inline void bmap(O* o, const T* a, int64_t sa, const T* b, int64_t sb, int64_t n, F f) {
    if (sa && sb) {
        for (int64_t i = 0; i < n; ++i) o[i] = f(a[i], b[i]);
    } else if (sa) {
        const T y = *b;
        for (int64_t i = 0; i < n; ++i) o[i] = f(a[i], y);
    } else if (sb) {
        const T x = *a;
        for (int64_t i = 0; i < n; ++i) o[i] = f(x, b[i]);
    } else {
        const O r = f(*a, *b);
        for (int64_t i = 0; i < n; ++i) o[i] = r;
    }
}

template <class T, class F>
inline void vbmap(T* o, const T* a, int64_t sa, const T* b, int64_t sb, int64_t n, F f) {
    using VT = VecOf<T>;
    constexpr int W = VT::W;
    int64_t i = 0;
    if (sa && sb) {
        for (; i + W <= n; i += W) vstore(o + i, f(vload(a + i), vload(b + i)));
        if (i < n) vstore_partial(o + i, n - i, f(vload_partial(a + i, n - i), vload_partial(b + i, n - i)));
    } else if (sa) {
        const auto y = VT::set(*b);
        for (; i + W <= n; i += W) vstore(o + i, f(vload(a + i), y));
        if (i < n) vstore_partial(o + i, n - i, f(vload_partial(a + i, n - i), y));
    } else if (sb) {
        const auto x = VT::set(*a);
        for (; i + W <= n; i += W) vstore(o + i, f(x, vload(b + i)));
        if (i < n) vstore_partial(o + i, n - i, f(x, vload_partial(b + i, n - i)));
    } else {
        T r;
        vstore_partial(&r, 1, f(VT::set(*a), VT::set(*b)));
        for (; i < n; ++i) o[i] = r;
    }
}

// ------------------------------------------------------------------------------------ unary

// Float transcendentals without a vector version here: the double-precision reference per element.
template <class T>
void unary_ref_run(wk_unary_op op, T* o, const T* x, int64_t n, double p0, double p1) {
    smap(o, x, n, [=](T v) { return static_cast<T>(float_unary_ref(op, static_cast<double>(v), p0, p1)); });
}

template <class T>
void unary_float(wk_unary_op op, T* o, const T* x, int64_t n, double p0, double p1) {
    using VT = VecOf<T>;
    using V = typename VT::V;
    const V zero = VT::set(T(0)), one = VT::set(T(1));
    switch (op) {
        case WK_UNARY_NEG: return vmap(o, x, n, [](V v) { return vneg(v); });
        case WK_UNARY_ABS: return vmap(o, x, n, [](V v) { return vabs(v); });
        case WK_UNARY_SQUARE: return vmap(o, x, n, [](V v) { return v * v; });
        case WK_UNARY_RELU: return vmap(o, x, n, [=](V v) { return vselect(v < zero, zero, v); });
        case WK_UNARY_SQRT: return vmap(o, x, n, [](V v) { return vsqrt(v); });
        case WK_UNARY_RSQRT: return vmap(o, x, n, [=](V v) { return one / vsqrt(v); });
        case WK_UNARY_RECIPROCAL: return vmap(o, x, n, [=](V v) { return one / v; });
        case WK_UNARY_FLOOR: return vmap(o, x, n, [](V v) { return vfloor(v); });
        case WK_UNARY_CEIL: return vmap(o, x, n, [](V v) { return vceil(v); });
        case WK_UNARY_ROUND: return vmap(o, x, n, [](V v) { return vround(v); });
        case WK_UNARY_TRUNC: return vmap(o, x, n, [](V v) { return vtrunc(v); });
        case WK_UNARY_SIGN:
            return vmap(o, x, n, [=](V v) { return vselect(v > zero, one, vselect(v < zero, vneg(one), v)); });
        case WK_UNARY_LEAKY_RELU: {
            const V slope = VT::set(static_cast<T>(p0));
            return vmap(o, x, n, [=](V v) { return vselect(v > zero, v, v * slope); });
        }
        case WK_UNARY_CLAMP: {
            // A NaN bound means "no bound"; a NaN input stays NaN (comparisons with it are false).
            const bool has_lo = !std::isnan(p0), has_hi = !std::isnan(p1);
            const V lo = VT::set(static_cast<T>(p0)), hi = VT::set(static_cast<T>(p1));
            return vmap(o, x, n, [=](V v) {
                if (has_lo) v = vselect(v < lo, lo, v);
                if (has_hi) v = vselect(v > hi, hi, v);
                return v;
            });
        }
        default: break;
    }
#if WICK_ISA_LEVEL > 0
    if constexpr (std::is_same_v<T, float>) {
        switch (op) {
            case WK_UNARY_EXP: return vmap(o, x, n, [](VF v) { return vm::vexp(v); });
            case WK_UNARY_EXPM1: return vmap(o, x, n, [](VF v) { return vm::vexpm1(v); });
            case WK_UNARY_LOG: return vmap(o, x, n, [](VF v) { return vm::vlog(v); });
            case WK_UNARY_LOG1P: return vmap(o, x, n, [](VF v) { return vm::vlog1p(v); });
            case WK_UNARY_LOG2: return vmap(o, x, n, [](VF v) { return vm::vlog2(v); });
            case WK_UNARY_TANH: return vmap(o, x, n, [](VF v) { return vm::vtanh(v); });
            case WK_UNARY_SIGMOID: return vmap(o, x, n, [](VF v) { return vm::vsigmoid(v); });
            case WK_UNARY_SILU: return vmap(o, x, n, [](VF v) { return vm::vsilu(v); });
            case WK_UNARY_ERF: return vmap(o, x, n, [](VF v) { return vm::verf(v); });
            case WK_UNARY_GELU: return vmap(o, x, n, [](VF v) { return vm::vgelu(v); });
            case WK_UNARY_GELU_TANH: return vmap(o, x, n, [](VF v) { return vm::vgelu_tanh(v); });
            case WK_UNARY_SOFTPLUS: {
                const VF beta = vset(static_cast<float>(p0)), threshold = vset(static_cast<float>(p1));
                return vmap(o, x, n, [=](VF v) { return vm::vsoftplus(v, beta, threshold); });
            }
            case WK_UNARY_ELU: {
                const VF alpha = vset(static_cast<float>(p0));
                return vmap(o, x, n, [=](VF v) { return vm::velu(v, alpha); });
            }
            default: break;
        }
    }
#endif
    unary_ref_run(op, o, x, n, p0, p1);
}

// Ops that keep an integer or bool dtype (the ops layer refuses the others).
template <class T>
void unary_integral(wk_unary_op op, T* o, const T* x, int64_t n, double p0, double p1) {
    switch (op) {
        case WK_UNARY_NEG: return smap(o, x, n, [](T v) { return neg(v); });
        case WK_UNARY_ABS: return smap(o, x, n, [](T v) { return v < T(0) ? neg(v) : v; });
        case WK_UNARY_SIGN: return smap(o, x, n, [](T v) { return static_cast<T>((T(0) < v) - (v < T(0))); });
        case WK_UNARY_SQUARE: return smap(o, x, n, [](T v) { return mul(v, v); });
        case WK_UNARY_RELU: return smap(o, x, n, [](T v) { return v > T(0) ? v : T(0); });
        case WK_UNARY_FLOOR:
        case WK_UNARY_CEIL:
        case WK_UNARY_ROUND:
        case WK_UNARY_TRUNC: return smap(o, x, n, [](T v) { return v; });  // already whole
        case WK_UNARY_CLAMP: {
            const bool has_lo = !std::isnan(p0), has_hi = !std::isnan(p1);
            const T lo = saturate_from_double<T>(has_lo ? std::ceil(p0) : 0.0);
            const T hi = saturate_from_double<T>(has_hi ? std::floor(p1) : 0.0);
            return smap(o, x, n, [=](T v) {
                if (has_lo && v < lo) v = lo;
                if (has_hi && v > hi) v = hi;
                return v;
            });
        }
        default: fail(WK_ERR_DTYPE, "unary op ", static_cast<int>(op), " is not defined for integer dtypes");
    }
}

template <class T>
void unary_predicate(wk_unary_op op, bool* o, const T* x, int64_t n) {
    switch (op) {
        case WK_UNARY_ISNAN:
            if constexpr (kFloat<T>) return smap(o, x, n, [](T v) { return v != v; });
            else return smap(o, x, n, [](T) { return false; });
        case WK_UNARY_ISINF:
            if constexpr (kFloat<T>) return smap(o, x, n, [](T v) { return std::fabs(v) == std::numeric_limits<T>::infinity(); });
            else return smap(o, x, n, [](T) { return false; });
        case WK_UNARY_ISFINITE:
            if constexpr (kFloat<T>) return smap(o, x, n, [](T v) { return std::fabs(v) < std::numeric_limits<T>::infinity(); });
            else return smap(o, x, n, [](T) { return true; });
        case WK_UNARY_LOGICAL_NOT: return smap(o, x, n, [](T v) { return v == T(0); });
        default: fail(WK_ERR_INTERNAL, "unary op ", static_cast<int>(op), " is not a predicate");
    }
}

template <class T>
void unary_typed(wk_unary_op op, char* out, const char* xin, int64_t n, double p0, double p1) {
    const T* x = reinterpret_cast<const T*>(xin);
    switch (op) {
        case WK_UNARY_ISNAN:
        case WK_UNARY_ISINF:
        case WK_UNARY_ISFINITE:
        case WK_UNARY_LOGICAL_NOT: return unary_predicate<T>(op, reinterpret_cast<bool*>(out), x, n);
        default: break;
    }
    T* o = reinterpret_cast<T*>(out);
    if constexpr (kFloat<T>) {
        unary_float<T>(op, o, x, n, p0, p1);
    } else if constexpr (std::is_same_v<T, bool>) {
        if (op != WK_UNARY_SIGN) fail(WK_ERR_DTYPE, "unary op ", static_cast<int>(op), " is not defined for bool");
        smap(o, x, n, [](bool v) { return v; });
    } else {
        unary_integral<T>(op, o, x, n, p0, p1);
    }
}

// Calls fn(Tag<T>) for the dtypes the kernels compute in.
template <class T>
struct Tag {
    using type = T;
};
template <class F>
void dispatch(DType dt, F&& fn) {
    switch (dt) {
        case DType::F32: return fn(Tag<float>{});
        case DType::F64: return fn(Tag<double>{});
        case DType::I64: return fn(Tag<int64_t>{});
        case DType::I32: return fn(Tag<int32_t>{});
        case DType::I16: return fn(Tag<int16_t>{});
        case DType::I8: return fn(Tag<int8_t>{});
        case DType::U8: return fn(Tag<uint8_t>{});
        case DType::Bool: return fn(Tag<bool>{});
        default: fail(WK_ERR_DTYPE, "dtype ", dtype_name(dt), " is not supported by this CPU kernel");
    }
}

// ------------------------------------------------------------------------------------ binary

// x ** y for a float tensor and a scalar exponent that has a cheaper exact form (as PyTorch does).
template <class T>
bool pow_scalar_fast(T* o, const T* a, T y, int64_t n) {
    using VT = VecOf<T>;
    using V = typename VT::V;
    const V one = VT::set(T(1));
    if (y == T(2)) return vmap(o, a, n, [](V v) { return v * v; }), true;
    if (y == T(3)) return vmap(o, a, n, [](V v) { return v * v * v; }), true;
    if (y == T(0.5)) return vmap(o, a, n, [](V v) { return vsqrt(v); }), true;
    if (y == T(-0.5)) return vmap(o, a, n, [=](V v) { return one / vsqrt(v); }), true;
    if (y == T(1)) return vmap(o, a, n, [](V v) { return v; }), true;
    if (y == T(-1)) return vmap(o, a, n, [=](V v) { return one / v; }), true;
    if (y == T(-2)) return vmap(o, a, n, [=](V v) { return one / (v * v); }), true;
    return false;
}

template <class T>
int32_t binary_typed(wk_binary_op op, char* out, const T* a, int64_t sa, const T* b, int64_t sb, int64_t n) {
    T* o = reinterpret_cast<T*>(out);
    bool* ob = reinterpret_cast<bool*>(out);
    switch (op) {
        case WK_BINARY_EQ: return bmap(ob, a, sa, b, sb, n, [](T x, T y) { return x == y; }), kBinaryOk;
        case WK_BINARY_NE: return bmap(ob, a, sa, b, sb, n, [](T x, T y) { return x != y; }), kBinaryOk;
        case WK_BINARY_LT: return bmap(ob, a, sa, b, sb, n, [](T x, T y) { return x < y; }), kBinaryOk;
        case WK_BINARY_LE: return bmap(ob, a, sa, b, sb, n, [](T x, T y) { return x <= y; }), kBinaryOk;
        case WK_BINARY_GT: return bmap(ob, a, sa, b, sb, n, [](T x, T y) { return x > y; }), kBinaryOk;
        case WK_BINARY_GE: return bmap(ob, a, sa, b, sb, n, [](T x, T y) { return x >= y; }), kBinaryOk;
        case WK_BINARY_LOGICAL_AND:
            return bmap(ob, a, sa, b, sb, n, [](T x, T y) { return x != T(0) && y != T(0); }), kBinaryOk;
        case WK_BINARY_LOGICAL_OR:
            return bmap(ob, a, sa, b, sb, n, [](T x, T y) { return x != T(0) || y != T(0); }), kBinaryOk;
        case WK_BINARY_LOGICAL_XOR:
            return bmap(ob, a, sa, b, sb, n, [](T x, T y) { return (x != T(0)) != (y != T(0)); }), kBinaryOk;
        default: break;
    }
    if constexpr (kFloat<T>) {
        using V = typename VecOf<T>::V;
        switch (op) {
            case WK_BINARY_ADD: return vbmap(o, a, sa, b, sb, n, [](V x, V y) { return x + y; }), kBinaryOk;
            case WK_BINARY_SUB: return vbmap(o, a, sa, b, sb, n, [](V x, V y) { return x - y; }), kBinaryOk;
            case WK_BINARY_MUL: return vbmap(o, a, sa, b, sb, n, [](V x, V y) { return x * y; }), kBinaryOk;
            case WK_BINARY_DIV: return vbmap(o, a, sa, b, sb, n, [](V x, V y) { return x / y; }), kBinaryOk;
            case WK_BINARY_MAXIMUM:
                return vbmap(o, a, sa, b, sb, n, [](V x, V y) { return vmax_nan(y, x); }), kBinaryOk;
            case WK_BINARY_MINIMUM:
                return vbmap(o, a, sa, b, sb, n, [](V x, V y) { return vmin_nan(y, x); }), kBinaryOk;
            case WK_BINARY_POW:
                if (sa && !sb && pow_scalar_fast(o, a, *b, n)) return kBinaryOk;
                return bmap(o, a, sa, b, sb, n, [](T x, T y) { return std::pow(x, y); }), kBinaryOk;
            case WK_BINARY_ATAN2: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return std::atan2(x, y); }), kBinaryOk;
            case WK_BINARY_FLOOR_DIV: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return float_floor_div(x, y); }), kBinaryOk;
            case WK_BINARY_REMAINDER: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return float_remainder(x, y); }), kBinaryOk;
            case WK_BINARY_FMOD: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return std::fmod(x, y); }), kBinaryOk;
            default: break;
        }
    } else {
        switch (op) {
            case WK_BINARY_ADD: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return add(x, y); }), kBinaryOk;
            case WK_BINARY_MUL: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return mul(x, y); }), kBinaryOk;
            case WK_BINARY_MAXIMUM: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return x > y ? x : y; }), kBinaryOk;
            case WK_BINARY_MINIMUM: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return x < y ? x : y; }), kBinaryOk;
            case WK_BINARY_BITWISE_AND: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return static_cast<T>(x & y); }), kBinaryOk;
            case WK_BINARY_BITWISE_OR: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return static_cast<T>(x | y); }), kBinaryOk;
            case WK_BINARY_BITWISE_XOR: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return static_cast<T>(x ^ y); }), kBinaryOk;
            default: break;
        }
        if constexpr (!std::is_same_v<T, bool>) {
            // Division by zero has no integer value: 0 is stored and the run reports it.
            bool zero = false;
            auto guarded = [&zero](auto f) {
                return [&zero, f](T x, T y) {
                    if (y == T(0)) {
                        zero = true;
                        return T(0);
                    }
                    return f(x, y);
                };
            };
            switch (op) {
                case WK_BINARY_SUB: return bmap(o, a, sa, b, sb, n, [](T x, T y) { return sub(x, y); }), kBinaryOk;
                case WK_BINARY_FLOOR_DIV:
                    bmap(o, a, sa, b, sb, n, guarded([](T x, T y) { return int_floor_div(x, y); }));
                    return zero ? kIntDivByZero : kBinaryOk;
                case WK_BINARY_REMAINDER:
                    bmap(o, a, sa, b, sb, n, guarded([](T x, T y) { return int_remainder(x, y); }));
                    return zero ? kIntDivByZero : kBinaryOk;
                case WK_BINARY_FMOD:
                    bmap(o, a, sa, b, sb, n, guarded([](T x, T y) { return int_fmod(x, y); }));
                    return zero ? kIntDivByZero : kBinaryOk;
                case WK_BINARY_POW: {
                    bool negative = false;
                    bmap(o, a, sa, b, sb, n, [&negative](T x, T y) {
                        if constexpr (std::is_signed_v<T>) {
                            if (y < 0) {
                                negative = true;
                                return T(0);
                            }
                        }
                        return int_pow(x, y);
                    });
                    return negative ? kNegativeIntPow : kBinaryOk;
                }
                default: break;
            }
        }
    }
    fail(WK_ERR_DTYPE, "binary op ", static_cast<int>(op), " is not defined for this dtype");
}

// ------------------------------------------------------------------------------------ ternary

template <class T>
void ternary_typed(wk_ternary_op op, T* o, const char* ac, int64_t sa, const T* b, int64_t sb, const T* c, int64_t sc,
                   int64_t n, double s) {
    if (op == WK_TERNARY_WHERE) {
        const bool* cond = reinterpret_cast<const bool*>(ac);
        if (sa && sb && sc) {
            for (int64_t i = 0; i < n; ++i) o[i] = cond[i] ? b[i] : c[i];
        } else {
            for (int64_t i = 0; i < n; ++i) o[i] = cond[i * sa] ? b[i * sb] : c[i * sc];
        }
        return;
    }
    const T* a = reinterpret_cast<const T*>(ac);
    switch (op) {
        case WK_TERNARY_LERP:
            if constexpr (kFloat<T>) {
                // PyTorch's form: exact at both ends, and monotonic.
                auto lerp = [](T x, T y, T w) { return std::fabs(w) < T(0.5) ? x + w * (y - x) : y - (y - x) * (T(1) - w); };
                if (c == nullptr) {
                    const T w = static_cast<T>(s);
                    for (int64_t i = 0; i < n; ++i) o[i] = lerp(a[i * sa], b[i * sb], w);
                } else {
                    for (int64_t i = 0; i < n; ++i) o[i] = lerp(a[i * sa], b[i * sb], c[i * sc]);
                }
                return;
            }
            break;
        case WK_TERNARY_ADDCMUL: {
            if constexpr (std::is_same_v<T, bool>) {
                for (int64_t i = 0; i < n; ++i) o[i] = a[i * sa] || (s != 0 && b[i * sb] && c[i * sc]);
            } else if constexpr (kFloat<T>) {
                const T v = static_cast<T>(s);
                for (int64_t i = 0; i < n; ++i) o[i] = a[i * sa] + v * b[i * sb] * c[i * sc];
            } else {
                const T v = saturate_from_double<T>(s);
                for (int64_t i = 0; i < n; ++i) o[i] = add(a[i * sa], mul(v, mul(b[i * sb], c[i * sc])));
            }
            return;
        }
        case WK_TERNARY_ADDCDIV:
            if constexpr (kFloat<T>) {
                const T v = static_cast<T>(s);
                for (int64_t i = 0; i < n; ++i) o[i] = a[i * sa] + v * (b[i * sb] / c[i * sc]);
                return;
            }
            break;
        case WK_TERNARY_CLAMP: {
            // NaN in the input or a bound gives NaN (PyTorch's clamp with tensor bounds).
            for (int64_t i = 0; i < n; ++i) {
                T v = a[i * sa];
                if (b != nullptr) {
                    T lo = b[i * sb];
                    if constexpr (kFloat<T>) {
                        if (lo != lo) v = lo;
                    }
                    v = v < lo ? lo : v;
                }
                if (c != nullptr) {
                    T hi = c[i * sc];
                    if constexpr (kFloat<T>) {
                        if (hi != hi) v = hi;
                    }
                    v = v > hi ? hi : v;
                }
                o[i] = v;
            }
            return;
        }
        default: break;
    }
    fail(WK_ERR_DTYPE, "ternary op ", static_cast<int>(op), " is not defined for this dtype");
}

}  // namespace

void unary_run(wk_unary_op op, DType dt, char* out, const char* x, int64_t n, double p0, double p1) {
    dispatch(dt, [&](auto tag) { unary_typed<typename decltype(tag)::type>(op, out, x, n, p0, p1); });
}

int32_t binary_run(wk_binary_op op, DType dt, char* out, const char* a, int64_t sa, const char* b, int64_t sb,
                   int64_t n) {
    int32_t flags = kBinaryOk;
    dispatch(dt, [&](auto tag) {
        using T = typename decltype(tag)::type;
        flags = binary_typed<T>(op, out, reinterpret_cast<const T*>(a), sa, reinterpret_cast<const T*>(b), sb, n);
    });
    return flags;
}

void ternary_run(wk_ternary_op op, DType dt, char* out, const char* a, int64_t sa, const char* b, int64_t sb,
                 const char* c, int64_t sc, int64_t n, double s) {
    dispatch(dt, [&](auto tag) {
        using T = typename decltype(tag)::type;
        ternary_typed<T>(op, reinterpret_cast<T*>(out), a, sa, reinterpret_cast<const T*>(b), sb,
                         reinterpret_cast<const T*>(c), sc, n, s);
    });
}

}  // namespace wick::cpu::WICK_ISA_NS

#include "cpu/simd/isa_end.h"
