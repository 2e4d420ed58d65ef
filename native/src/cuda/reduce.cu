// Reductions over any set of dimensions (every wk_reduce_op); the engine is in reduce_engine.cuh.
// This file: sum, mean, product, max, min, and the dispatch to reduce_index.cu / reduce_stats.cu.
#include "cuda/reduce.cuh"

#include "cuda/reduce_engine.cuh"

namespace wick::cuda {

// ---------------------------------------------------------------------------------------------
// Reduction ops: identity, fold one element, combine two accumulators, finalize into the output.
// ---------------------------------------------------------------------------------------------

template <class T>
struct SumOp {  // sum and mean
    using C = OpMath<T>;
    using V = std::conditional_t<std::is_floating_point_v<C>, C, int64_t>;
    struct alignas(acc_align<V>) Acc {
        V v;
    };
    using Out = std::conditional_t<std::is_floating_point_v<C>, T, int64_t>;
    int32_t mean;

    __device__ Acc identity() const { return Acc{V(0)}; }
    __device__ Acc reduce(Acc a, C x, int64_t) const { return Acc{w_add(a.v, static_cast<V>(x))}; }
    __device__ Acc combine(Acc a, Acc b) const { return Acc{w_add(a.v, b.v)}; }
    __device__ Out finalize(Acc a, int64_t count) const {
        if constexpr (std::is_floating_point_v<V>) {
            if (mean) return from_op<Out>(a.v / static_cast<V>(count));
        }
        return from_op<Out>(a.v);
    }
};

// Products accumulate in double for every floating type: rounding errors multiply along the lane.
template <class T>
struct ProdOp {
    using C = OpMath<T>;
    using V = std::conditional_t<std::is_floating_point_v<C>, double, int64_t>;
    struct alignas(acc_align<V>) Acc {
        V v;
    };
    using Out = std::conditional_t<std::is_floating_point_v<C>, T, int64_t>;

    __device__ Acc identity() const { return Acc{V(1)}; }
    __device__ Acc reduce(Acc a, C x, int64_t) const { return Acc{w_mul(a.v, static_cast<V>(x))}; }
    __device__ Acc combine(Acc a, Acc b) const { return Acc{w_mul(a.v, b.v)}; }
    __device__ Out finalize(Acc a, int64_t) const { return from_op<Out>(a.v); }
};

template <class T>
struct MaxMinOp {
    using C = OpMath<T>;
    struct alignas(acc_align<C>) Acc {
        C v;
    };
    using Out = T;
    int32_t is_max;

    __device__ Acc identity() const {
        if constexpr (std::is_floating_point_v<C>) return Acc{is_max ? static_cast<C>(-INFINITY) : static_cast<C>(INFINITY)};
        else if constexpr (std::is_same_v<C, bool>) return Acc{is_max ? false : true};
        else return Acc{is_max ? IntRange<C>::lo : IntRange<C>::hi};
    }
    __device__ Acc reduce(Acc a, C x, int64_t) const { return Acc{is_max ? nan_max(a.v, x) : nan_min(a.v, x)}; }
    __device__ Acc combine(Acc a, Acc b) const { return reduce(a, b.v, 0); }
    __device__ Out finalize(Acc a, int64_t) const { return from_op<Out>(a.v); }
};

void reduce(wk_reduce_op op, const View& out, const View& x, double param) {
    const char* name = "reduce";
    if (reduce_index(op, out, x, param) || reduce_stats(op, out, x, param)) return;
    switch (op) {
        case WK_REDUCE_SUM:
        case WK_REDUCE_MEAN:
            if (op == WK_REDUCE_MEAN) check(dtype_is_floating(x.dtype), WK_ERR_DTYPE, "mean: needs a floating dtype");
            return dispatch_all(x.dtype, name, [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_reduce<T>(name, out, x, SumOp<T>{op == WK_REDUCE_MEAN ? 1 : 0});
            });
        case WK_REDUCE_PROD:
            return dispatch_all(x.dtype, name, [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_reduce<T>(name, out, x, ProdOp<T>{});
            });
        case WK_REDUCE_MAX:
        case WK_REDUCE_MIN:
            return dispatch_all(x.dtype, name, [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_reduce<T>(name, out, x, MaxMinOp<T>{op == WK_REDUCE_MAX ? 1 : 0});
            });
        default: break;
    }
    fail(WK_ERR_INVALID_ARGUMENT, "reduce: unknown op id ", static_cast<int>(op));
}

}  // namespace wick::cuda
