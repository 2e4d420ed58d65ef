// Reduction and scan inner loops for one instruction set (drivers: cpu/reduce.cpp, cpu/scan.cpp).
//
// fold_run folds a contiguous segment into one accumulator ("inner" reductions, the reduced
// elements adjacent in memory); fold_rows_run folds one contiguous row into a row of accumulators
// ("outer" reductions over a non-last dimension, vectorised across the kept columns).
//
// Accuracy: float32 sums add vectors in float within blocks of 8 vectors x 8 steps (each lane adds
// 8 numbers), then add the block totals in double; float64 sums keep 4 vector accumulators. Column
// folds accumulate in double. The segment boundaries come from the shapes, never from the thread
// count, so every result is reproducible bit for bit.
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "core/error.h"
#include "cpu/math.h"

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

constexpr double kInfD = std::numeric_limits<double>::infinity();

// NaN-propagating max/min of doubles (a NaN in either operand wins).
inline double dmax_nan(double a, double b) { return (a != a || a > b) ? a : b; }
inline double dmin_nan(double a, double b) { return (a != a || a < b) ? a : b; }

// Sum of g(x[i]) for a vector transform g (applied to whole vectors) and its scalar twin gs.
template <class T, class G, class GS>
double sum_transformed(const T* x, int64_t n, G g, GS gs) {
    using VT = VecOf<T>;
    using V = typename VT::V;
    constexpr int W = VT::W;
    constexpr int64_t kBlock = 8 * 8 * W;
    const V zero = VT::set(T(0));
    double total = 0;
    int64_t i = 0;
    if constexpr (std::is_same_v<T, float>) {
        for (; i + kBlock <= n; i += kBlock) {
            V a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            for (int64_t k = i; k < i + kBlock; k += 8 * W) {
                a0 = a0 + g(vload(x + k));
                a1 = a1 + g(vload(x + k + W));
                a2 = a2 + g(vload(x + k + 2 * W));
                a3 = a3 + g(vload(x + k + 3 * W));
                a4 = a4 + g(vload(x + k + 4 * W));
                a5 = a5 + g(vload(x + k + 5 * W));
                a6 = a6 + g(vload(x + k + 6 * W));
                a7 = a7 + g(vload(x + k + 7 * W));
            }
            total += static_cast<double>(vsum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))));
        }
        V a = zero;
        for (; i + W <= n; i += W) a = a + g(vload(x + i));
        total += static_cast<double>(vsum(a));
    } else {
        V a0 = zero, a1 = zero, a2 = zero, a3 = zero;
        for (; i + 4 * W <= n; i += 4 * W) {
            a0 = a0 + g(vload(x + i));
            a1 = a1 + g(vload(x + i + W));
            a2 = a2 + g(vload(x + i + 2 * W));
            a3 = a3 + g(vload(x + i + 3 * W));
        }
        for (; i + W <= n; i += W) a0 = a0 + g(vload(x + i));
        total = vsum((a0 + a1) + (a2 + a3));
    }
    for (; i < n; ++i) total += static_cast<double>(gs(x[i]));
    return total;
}

// The extreme of x[0..n) (NaN if any element is NaN), as a double.
template <class T>
double extreme(const T* x, int64_t n, bool is_max, bool absolute) {
    using VT = VecOf<T>;
    using V = typename VT::V;
    constexpr int W = VT::W;
    double best = is_max ? -kInfD : kInfD;
    int64_t i = 0;
    if (n >= W) {
        V m = VT::set(is_max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity());
        auto nan_seen = visnan(m);
        for (; i + W <= n; i += W) {
            V v = vload(x + i);
            if (absolute) v = vabs(v);
            nan_seen = nan_seen | visnan(v);
            m = is_max ? vmax(m, v) : vmin(m, v);
        }
        if (vany(nan_seen)) return std::numeric_limits<double>::quiet_NaN();
        best = is_max ? static_cast<double>(vhmax(m)) : static_cast<double>(vhmin(m));
    }
    for (; i < n; ++i) {
        double v = static_cast<double>(absolute ? std::fabs(x[i]) : x[i]);
        best = is_max ? dmax_nan(v, best) : dmin_nan(v, best);
    }
    return best;
}

// First index of the max (or min) of x[0..n); the first NaN when there is one. n > 0.
template <class T>
void arg_extreme(const T* x, int64_t n, bool is_max, double* value, int64_t* index) {
    double best;
    if constexpr (kFloat<T>) {
        best = extreme(x, n, is_max, false);
    } else {
        T b = x[0];
        for (int64_t i = 1; i < n; ++i) b = is_max ? (x[i] > b ? x[i] : b) : (x[i] < b ? x[i] : b);
        best = static_cast<double>(b);
    }
    int64_t i = 0;
    if (best != best) {
        if constexpr (kFloat<T>) {
            while (!(x[i] != x[i])) ++i;
        }
    } else {
        if constexpr (kFloat<T>) {
            const T bt = static_cast<T>(best);
            while (x[i] != bt) ++i;
        } else {
            while (static_cast<double>(x[i]) != best) ++i;
        }
    }
    *value = best;
    *index = i;
}

// Merges a segment's (value, index) into an arg accumulator (index < 0: empty).
inline void arg_merge(FoldAcc* acc, double v, int64_t idx, bool is_max) {
    if (acc->index < 0) {
        acc->f = v, acc->index = idx;
        return;
    }
    const bool acc_nan = acc->f != acc->f, v_nan = v != v;
    if (acc_nan) return;
    if (v_nan || (is_max ? v > acc->f : v < acc->f)) acc->f = v, acc->index = idx;
}

template <class T>
void fold_float(Fold op, const T* x, int64_t n, int64_t index0, double center, FoldAcc* acc) {
    using VT = VecOf<T>;
    using V = typename VT::V;
    const T c = static_cast<T>(center);
    const V cv = VT::set(c);
    switch (op) {
        case Fold::Sum: acc->f += sum_transformed(x, n, [](V v) { return v; }, [](T v) { return v; }); return;
        case Fold::AbsSum: acc->f += sum_transformed(x, n, [](V v) { return vabs(v); }, [](T v) { return std::fabs(v); }); return;
        case Fold::SqSum: acc->f += sum_transformed(x, n, [](V v) { return v * v; }, [](T v) { return v * v; }); return;
        case Fold::DevSqSum:
            acc->f += sum_transformed(x, n, [=](V v) { V d = v - cv; return d * d; }, [=](T v) { T d = v - c; return d * d; });
            return;
        case Fold::ExpSum:
#if WICK_ISA_LEVEL > 0
            if constexpr (std::is_same_v<T, float>) {
                acc->f += sum_transformed(x, n, [=](VF v) { return vm::vexp(v - cv); },
                                          [=](float v) { return static_cast<float>(std::exp(static_cast<double>(v) - center)); });
                return;
            }
#endif
            for (int64_t i = 0; i < n; ++i) acc->f += std::exp(static_cast<double>(x[i]) - center);
            return;
        case Fold::Max: acc->f = dmax_nan(extreme(x, n, true, false), acc->f); return;
        case Fold::Min: acc->f = dmin_nan(extreme(x, n, false, false), acc->f); return;
        case Fold::AbsMax: acc->f = dmax_nan(extreme(x, n, true, true), acc->f); return;
        case Fold::AbsMin: acc->f = dmin_nan(extreme(x, n, false, true), acc->f); return;
        case Fold::Prod:
            for (int64_t i = 0; i < n; ++i) acc->f *= static_cast<double>(x[i]);
            return;
        case Fold::PowSum:
            for (int64_t i = 0; i < n; ++i) acc->f += std::pow(std::fabs(static_cast<double>(x[i])), center);
            return;
        case Fold::CountNonzero:
            for (int64_t i = 0; i < n; ++i) acc->f += x[i] != T(0) ? 1.0 : 0.0;
            return;
        case Fold::All:
            for (int64_t i = 0; i < n; ++i) acc->i &= x[i] != T(0) ? 1 : 0;
            return;
        case Fold::Any:
            for (int64_t i = 0; i < n; ++i) acc->i |= x[i] != T(0) ? 1 : 0;
            return;
        case Fold::ArgMax:
        case Fold::ArgMin: {
            if (n == 0) return;
            double v;
            int64_t idx;
            arg_extreme(x, n, op == Fold::ArgMax, &v, &idx);
            arg_merge(acc, v, index0 + idx, op == Fold::ArgMax);
            return;
        }
    }
}

template <class T>
void fold_integral(Fold op, const T* x, int64_t n, int64_t index0, FoldAcc* acc) {
    switch (op) {
        case Fold::Sum: {
            int64_t s = acc->i;
            for (int64_t i = 0; i < n; ++i) s = add<int64_t>(s, static_cast<int64_t>(x[i]));
            acc->i = s;
            return;
        }
        case Fold::Prod:
            for (int64_t i = 0; i < n; ++i) acc->i = mul<int64_t>(acc->i, static_cast<int64_t>(x[i]));
            return;
        case Fold::Max:
            for (int64_t i = 0; i < n; ++i) acc->i = acc->i > static_cast<int64_t>(x[i]) ? acc->i : static_cast<int64_t>(x[i]);
            return;
        case Fold::Min:
            for (int64_t i = 0; i < n; ++i) acc->i = acc->i < static_cast<int64_t>(x[i]) ? acc->i : static_cast<int64_t>(x[i]);
            return;
        case Fold::All: {
            int64_t r = acc->i;
            for (int64_t i = 0; i < n; ++i) r &= x[i] != T(0) ? 1 : 0;
            acc->i = r;
            return;
        }
        case Fold::Any: {
            int64_t r = acc->i;
            for (int64_t i = 0; i < n; ++i) r |= x[i] != T(0) ? 1 : 0;
            acc->i = r;
            return;
        }
        case Fold::ArgMax:
        case Fold::ArgMin: {
            if (n == 0) return;
            double v;
            int64_t idx;
            arg_extreme(x, n, op == Fold::ArgMax, &v, &idx);
            const int64_t iv = static_cast<int64_t>(x[idx]);
            const bool is_max = op == Fold::ArgMax;
            if (acc->index < 0 || (is_max ? iv > acc->i : iv < acc->i)) acc->i = iv, acc->index = index0 + idx;
            return;
        }
        default: fail(WK_ERR_DTYPE, "this reduction needs a floating-point tensor");
    }
}

template <class T>
void rows_float(Fold op, const T* x, int64_t n, int64_t row, const double* centers, double p, double* a, int64_t* index) {
    switch (op) {
        case Fold::Sum:
            for (int64_t j = 0; j < n; ++j) a[j] += static_cast<double>(x[j]);
            return;
        case Fold::Prod:
            for (int64_t j = 0; j < n; ++j) a[j] *= static_cast<double>(x[j]);
            return;
        case Fold::AbsSum:
            for (int64_t j = 0; j < n; ++j) a[j] += std::fabs(static_cast<double>(x[j]));
            return;
        case Fold::SqSum:
            for (int64_t j = 0; j < n; ++j) a[j] += static_cast<double>(x[j]) * static_cast<double>(x[j]);
            return;
        case Fold::DevSqSum:
            for (int64_t j = 0; j < n; ++j) {
                const double d = static_cast<double>(x[j]) - centers[j];
                a[j] += d * d;
            }
            return;
        case Fold::ExpSum:
            for (int64_t j = 0; j < n; ++j) a[j] += std::exp(static_cast<double>(x[j]) - centers[j]);
            return;
        case Fold::PowSum:
            for (int64_t j = 0; j < n; ++j) a[j] += std::pow(std::fabs(static_cast<double>(x[j])), p);
            return;
        case Fold::CountNonzero:
            for (int64_t j = 0; j < n; ++j) a[j] += x[j] != T(0) ? 1.0 : 0.0;
            return;
        case Fold::Max:
            for (int64_t j = 0; j < n; ++j) a[j] = dmax_nan(static_cast<double>(x[j]), a[j]);
            return;
        case Fold::Min:
            for (int64_t j = 0; j < n; ++j) a[j] = dmin_nan(static_cast<double>(x[j]), a[j]);
            return;
        case Fold::AbsMax:
            for (int64_t j = 0; j < n; ++j) a[j] = dmax_nan(std::fabs(static_cast<double>(x[j])), a[j]);
            return;
        case Fold::AbsMin:
            for (int64_t j = 0; j < n; ++j) a[j] = dmin_nan(std::fabs(static_cast<double>(x[j])), a[j]);
            return;
        case Fold::ArgMax:
        case Fold::ArgMin: {
            const bool is_max = op == Fold::ArgMax;
            for (int64_t j = 0; j < n; ++j) {
                const double v = static_cast<double>(x[j]);
                const bool better = index[j] < 0 || (a[j] == a[j] && (v != v || (is_max ? v > a[j] : v < a[j])));
                if (better) a[j] = v, index[j] = row;
            }
            return;
        }
        case Fold::All:
        case Fold::Any: break;
    }
    fail(WK_ERR_INTERNAL, "column fold ", static_cast<int>(op), " on a float tensor");
}

// all / any of any dtype: flags in the int64 accumulators.
template <class T>
void rows_logical(Fold op, const T* x, int64_t n, int64_t* a) {
    if (op == Fold::All)
        for (int64_t j = 0; j < n; ++j) a[j] &= x[j] != T(0) ? 1 : 0;
    else
        for (int64_t j = 0; j < n; ++j) a[j] |= x[j] != T(0) ? 1 : 0;
}

template <class T>
void rows_integral(Fold op, const T* x, int64_t n, int64_t row, int64_t* a, int64_t* index) {
    switch (op) {
        case Fold::Sum:
            for (int64_t j = 0; j < n; ++j) a[j] = add<int64_t>(a[j], static_cast<int64_t>(x[j]));
            return;
        case Fold::Prod:
            for (int64_t j = 0; j < n; ++j) a[j] = mul<int64_t>(a[j], static_cast<int64_t>(x[j]));
            return;
        case Fold::Max:
            for (int64_t j = 0; j < n; ++j) a[j] = a[j] > static_cast<int64_t>(x[j]) ? a[j] : static_cast<int64_t>(x[j]);
            return;
        case Fold::Min:
            for (int64_t j = 0; j < n; ++j) a[j] = a[j] < static_cast<int64_t>(x[j]) ? a[j] : static_cast<int64_t>(x[j]);
            return;
        case Fold::All:
            for (int64_t j = 0; j < n; ++j) a[j] &= x[j] != T(0) ? 1 : 0;
            return;
        case Fold::Any:
            for (int64_t j = 0; j < n; ++j) a[j] |= x[j] != T(0) ? 1 : 0;
            return;
        case Fold::ArgMax:
        case Fold::ArgMin: {
            const bool is_max = op == Fold::ArgMax;
            for (int64_t j = 0; j < n; ++j) {
                const int64_t v = static_cast<int64_t>(x[j]);
                if (index[j] < 0 || (is_max ? v > a[j] : v < a[j])) a[j] = v, index[j] = row;
            }
            return;
        }
        default: fail(WK_ERR_DTYPE, "this reduction needs a floating-point tensor");
    }
}

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
        default: fail(WK_ERR_DTYPE, "dtype ", dtype_name(dt), " is not supported by this CPU reduction");
    }
}

template <class T, class A>
void scan_typed(wk_scan_op op, T* o, const T* x, int64_t n, A* acc, bool rows) {
    const bool sum = op == WK_SCAN_CUMSUM;
    auto step = [sum](A a, T v) {
        if constexpr (std::is_same_v<A, int64_t>) return sum ? add<int64_t>(a, static_cast<int64_t>(v)) : mul<int64_t>(a, static_cast<int64_t>(v));
        else return sum ? a + static_cast<A>(v) : a * static_cast<A>(v);
    };
    if (rows) {
        for (int64_t j = 0; j < n; ++j) {
            acc[j] = step(acc[j], x[j]);
            o[j] = static_cast<T>(acc[j]);
        }
    } else {
        A a = acc[0];
        for (int64_t i = 0; i < n; ++i) {
            a = step(a, x[i]);
            o[i] = static_cast<T>(a);
        }
        acc[0] = a;
    }
}

}  // namespace

void fold_run(Fold op, DType dt, const char* x, int64_t n, int64_t index0, double center, FoldAcc* acc) {
    dispatch(dt, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (kFloat<T>) fold_float<T>(op, reinterpret_cast<const T*>(x), n, index0, center, acc);
        else fold_integral<T>(op, reinterpret_cast<const T*>(x), n, index0, acc);
    });
}

void fold_rows_run(Fold op, DType dt, const char* x, int64_t n, int64_t row, const double* centers, double param,
                   double* accf, int64_t* acci, int64_t* index) {
    dispatch(dt, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if (op == Fold::All || op == Fold::Any) rows_logical<T>(op, reinterpret_cast<const T*>(x), n, acci);
        else if constexpr (kFloat<T>) rows_float<T>(op, reinterpret_cast<const T*>(x), n, row, centers, param, accf, index);
        else rows_integral<T>(op, reinterpret_cast<const T*>(x), n, row, acci, index);
    });
}

void scan_run(wk_scan_op op, DType dt, char* out, const char* x, int64_t n, double* accf, int64_t* acci, bool rows) {
    switch (dt) {
        case DType::F32: return scan_typed(op, reinterpret_cast<float*>(out), reinterpret_cast<const float*>(x), n, accf, rows);
        case DType::F64: return scan_typed(op, reinterpret_cast<double*>(out), reinterpret_cast<const double*>(x), n, accf, rows);
        case DType::I64: return scan_typed(op, reinterpret_cast<int64_t*>(out), reinterpret_cast<const int64_t*>(x), n, acci, rows);
        default: fail(WK_ERR_DTYPE, "scan: dtype ", dtype_name(dt), " reaches the kernel unconverted");
    }
}

}  // namespace wick::cpu::WICK_ISA_NS

#include "cpu/simd/isa_end.h"
