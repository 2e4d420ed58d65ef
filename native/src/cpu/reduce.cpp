// Reductions. `out` is in keepdim form: every dimension where out has size 1 and x does not is
// reduced. Each output element reduces one "lane" of x (the reduced dimensions, coalesced where
// they are contiguous); output elements are independent and split across threads.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/convert.h"
#include <algorithm>

#include "core/parallel.h"
#include "cpu/dispatch.h"
#include "cpu/kernels.h"
#include "cpu/math.h"

namespace wick::cpu {

namespace {

struct Lane {
    int ndim = 0;  // reduced dims after coalescing (0 means a single element)
    int64_t sizes[kMaxDims];
    int64_t strides[kMaxDims];  // elements of x
    int64_t count = 1;
};

// Calls f(value) for every element of the lane starting at base, in row-major order.
template <class T, class F>
inline void for_lane(const T* base, const Lane& lane, F&& f) {
    if (lane.ndim == 0) {
        f(base[0]);
        return;
    }
    if (lane.ndim == 1) {
        const int64_t n = lane.sizes[0], s = lane.strides[0];
        if (s == 1)
            for (int64_t i = 0; i < n; ++i) f(base[i]);
        else
            for (int64_t i = 0; i < n; ++i) f(base[i * s]);
        return;
    }
    int64_t idx[kMaxDims] = {};
    const int last = lane.ndim - 1;
    for (int64_t done = 0; done < lane.count; done += lane.sizes[last]) {
        const T* p = base;
        for (int d = 0; d < last; ++d) p += idx[d] * lane.strides[d];
        const int64_t n = lane.sizes[last], s = lane.strides[last];
        for (int64_t i = 0; i < n; ++i) f(p[i * s]);
        for (int d = last - 1; d >= 0; --d) {
            if (++idx[d] < lane.sizes[d]) break;
            idx[d] = 0;
        }
    }
}

template <class T>
using Acc = std::conditional_t<std::is_floating_point_v<T>, double, int64_t>;

// Reduces one lane to the value written into out (as double or int64 before conversion).
template <class T, class O>
O reduce_lane(wk_reduce_op op, const T* base, const Lane& lane, double param) {
    constexpr bool fp = std::is_floating_point_v<T>;
    const int64_t n = lane.count;
    switch (op) {
        case WK_REDUCE_SUM:
        case WK_REDUCE_MEAN: {
            Acc<T> acc = 0;
            for_lane(base, lane, [&](T v) { acc = add<Acc<T>>(acc, static_cast<Acc<T>>(v)); });
            if (op == WK_REDUCE_MEAN) return convert<O>(static_cast<double>(acc) / static_cast<double>(n));
            return convert<O>(acc);
        }
        case WK_REDUCE_PROD: {
            Acc<T> acc = 1;
            for_lane(base, lane, [&](T v) { acc = mul<Acc<T>>(acc, static_cast<Acc<T>>(v)); });
            return convert<O>(acc);
        }
        case WK_REDUCE_MAX:
        case WK_REDUCE_MIN: {
            T best = base[0];
            const bool is_max = op == WK_REDUCE_MAX;
            for_lane(base, lane, [&](T v) { best = is_max ? nan_max(best, v) : nan_min(best, v); });
            return convert<O>(best);
        }
        case WK_REDUCE_ALL: {
            bool all = true;
            for_lane(base, lane, [&](T v) { all = all && v != T(0); });
            return convert<O>(all);
        }
        case WK_REDUCE_ANY: {
            bool any = false;
            for_lane(base, lane, [&](T v) { any = any || v != T(0); });
            return convert<O>(any);
        }
        case WK_REDUCE_ARGMAX:
        case WK_REDUCE_ARGMIN: {
            // First index of the extreme value; NaN counts as the extreme, as in PyTorch.
            const bool is_max = op == WK_REDUCE_ARGMAX;
            T best = base[0];
            int64_t best_i = 0, i = 0;
            bool best_nan = false;
            for_lane(base, lane, [&](T v) {
                bool v_nan = false;
                if constexpr (fp) v_nan = std::isnan(v);
                if (!best_nan && (v_nan || (is_max ? v > best : v < best))) {
                    best = v;
                    best_i = i;
                    best_nan = v_nan;
                }
                ++i;
            });
            return convert<O>(best_i);
        }
        default: break;
    }
    if constexpr (fp) {
        switch (op) {
            case WK_REDUCE_VAR:
            case WK_REDUCE_STD: {
                double sum = 0;
                for_lane(base, lane, [&](T v) { sum += static_cast<double>(v); });
                const double mean = sum / static_cast<double>(n);
                double sq = 0;
                for_lane(base, lane, [&](T v) {
                    double d = static_cast<double>(v) - mean;
                    sq += d * d;
                });
                // n - correction <= 0 gives inf (or NaN when every deviation is 0), as PyTorch.
                const double denom = std::max(static_cast<double>(n) - param, 0.0);
                const double var = sq / denom;
                return convert<O>(op == WK_REDUCE_STD ? std::sqrt(var) : var);
            }
            case WK_REDUCE_NORM: {
                double acc = 0;
                if (std::isinf(param)) {
                    for_lane(base, lane, [&](T v) { acc = nan_max(acc, std::fabs(static_cast<double>(v))); });
                    return convert<O>(acc);
                }
                if (param == 1) {
                    for_lane(base, lane, [&](T v) { acc += std::fabs(static_cast<double>(v)); });
                    return convert<O>(acc);
                }
                if (param == 2) {
                    for_lane(base, lane, [&](T v) { acc += static_cast<double>(v) * static_cast<double>(v); });
                    return convert<O>(std::sqrt(acc));
                }
                for_lane(base, lane, [&](T v) { acc += std::pow(std::fabs(static_cast<double>(v)), param); });
                return convert<O>(std::pow(acc, 1.0 / param));
            }
            case WK_REDUCE_LOGSUMEXP: {
                double m = -std::numeric_limits<double>::infinity();
                for_lane(base, lane, [&](T v) { m = nan_max(m, static_cast<double>(v)); });
                if (!std::isfinite(m)) return convert<O>(m);  // all -inf (or empty), any +inf, or NaN
                double s = 0;
                for_lane(base, lane, [&](T v) { s += std::exp(static_cast<double>(v) - m); });
                return convert<O>(m + std::log(s));
            }
            default: break;
        }
    }
    fail(WK_ERR_DTYPE, "reduce op ", static_cast<int>(op), " is not defined for this dtype");
}

}  // namespace

void reduce(wk_reduce_op op, const View& out, const View& x, double param) {
    // Split x's dimensions into kept (iterated over out) and reduced (the lane).
    Lane lane;
    int kept_ndim = 0;
    int64_t kept_sizes[kMaxDims], kept_xstrides[kMaxDims], kept_ostrides[kMaxDims];
    for (int d = 0; d < x.ndim; ++d) {
        if (x.sizes[d] == 1) continue;
        if (out.sizes[d] == 1) {
            // Coalesce with the previous reduced dim when contiguous across them.
            if (lane.ndim > 0 && lane.strides[lane.ndim - 1] == x.strides[d] * x.sizes[d]) {
                lane.sizes[lane.ndim - 1] *= x.sizes[d];
                lane.strides[lane.ndim - 1] = x.strides[d];
            } else {
                lane.sizes[lane.ndim] = x.sizes[d];
                lane.strides[lane.ndim] = x.strides[d];
                ++lane.ndim;
            }
            lane.count *= x.sizes[d];
        } else {
            kept_sizes[kept_ndim] = x.sizes[d];
            kept_xstrides[kept_ndim] = x.strides[d];
            kept_ostrides[kept_ndim] = out.strides[d];
            ++kept_ndim;
        }
    }
    for (int d = 0; d < x.ndim; ++d)
        if (x.sizes[d] == 0) lane.count = 0;  // an empty input: every lane is empty
    if (lane.count == 0) lane.ndim = 1, lane.sizes[0] = 0, lane.strides[0] = 1;

    int64_t outer = 1;
    for (int d = 0; d < kept_ndim; ++d) outer *= kept_sizes[d];

    dispatch_compute(x.dtype, "reduce", [&](auto xtag) {
        using T = typename decltype(xtag)::type;
        dispatch_compute(out.dtype, "reduce", [&](auto otag) {
            using O = typename decltype(otag)::type;
            auto body = [&](int64_t begin, int64_t end) {
                for (int64_t o = begin; o < end; ++o) {
                    int64_t rem = o, xoff = 0, ooff = 0;
                    for (int d = kept_ndim - 1; d >= 0; --d) {
                        int64_t i = rem % kept_sizes[d];
                        rem /= kept_sizes[d];
                        xoff += i * kept_xstrides[d];
                        ooff += i * kept_ostrides[d];
                    }
                    const T* base = reinterpret_cast<const T*>(x.data) + xoff;
                    O r = reduce_lane<T, O>(op, base, lane, param);
                    std::memcpy(out.data + ooff * static_cast<int64_t>(sizeof(O)), &r, sizeof(O));
                }
            };
            const int64_t work = outer * (lane.count > 0 ? lane.count : 1);
            if (work < 32768 || outer == 1) body(0, outer);
            else parallel_for(outer, std::max<int64_t>(1, 32768 / std::max<int64_t>(lane.count, 1)), body);
        });
    });
}

}  // namespace wick::cpu
