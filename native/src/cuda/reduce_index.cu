// all / any and argmax / argmin (see reduce_engine.cuh).
#include "cuda/reduce_engine.cuh"

namespace wick::cuda {

template <class T>
struct AllAnyOp {
    using C = OpMath<T>;
    struct Acc {
        int32_t v;
    };
    using Out = bool;
    int32_t is_all;

    __device__ Acc identity() const { return Acc{is_all ? 1 : 0}; }
    __device__ Acc reduce(Acc a, C x, int64_t) const {
        const bool nz = x != C(0);
        return Acc{is_all ? (a.v != 0 && nz) : (a.v != 0 || nz)};
    }
    __device__ Acc combine(Acc a, Acc b) const { return Acc{is_all ? (a.v != 0 && b.v != 0) : (a.v != 0 || b.v != 0)}; }
    __device__ Out finalize(Acc a, int64_t) const { return a.v != 0; }
};

// First index of the largest (smallest) value; NaN counts as the extreme, as on the CPU.
template <class T>
struct ArgOp {
    using C = OpMath<T>;
    struct alignas(8) Acc {
        C v;
        int64_t i;  // -1: no element yet
    };
    using Out = int64_t;
    int32_t is_max;

    __device__ Acc identity() const { return Acc{C(0), -1}; }
    __device__ bool better(const Acc& a, const Acc& b) const {  // a preferred over b (both valid)
        const bool an = is_nan(a.v), bn = is_nan(b.v);
        if (an != bn) return an;
        if (!an && a.v != b.v) return is_max ? a.v > b.v : a.v < b.v;
        return a.i < b.i;
    }
    __device__ Acc combine(Acc a, Acc b) const {
        if (a.i < 0) return b;
        if (b.i < 0) return a;
        return better(a, b) ? a : b;
    }
    __device__ Acc reduce(Acc a, C x, int64_t idx) const { return combine(a, Acc{x, idx}); }
    __device__ Out finalize(Acc a, int64_t) const { return a.i < 0 ? 0 : a.i; }
};

bool reduce_index(wk_reduce_op op, const View& out, const View& x, double) {
    const char* name = "reduce";
    switch (op) {
        case WK_REDUCE_ALL:
        case WK_REDUCE_ANY:
            dispatch_all(x.dtype, name, [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_reduce<T>(name, out, x, AllAnyOp<T>{op == WK_REDUCE_ALL ? 1 : 0});
            });
            return true;
        case WK_REDUCE_ARGMAX:
        case WK_REDUCE_ARGMIN:
            dispatch_all(x.dtype, name, [&](auto tag) {
                using T = typename decltype(tag)::type;
                run_reduce<T>(name, out, x, ArgOp<T>{op == WK_REDUCE_ARGMAX ? 1 : 0});
            });
            return true;
        default: return false;
    }
}

}  // namespace wick::cuda
