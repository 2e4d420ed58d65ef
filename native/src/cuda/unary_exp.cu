// The float unary ops of group EXP (see unary_impl.cuh): one kernel pair per op and dtype.
#include "cuda/unary_impl.cuh"

namespace wick::cuda {

bool unary_float_exp(wk_unary_op op, const View& out, const View& x, double p0, double p1) {
    switch (op) {
#define WICK_X(o) case o:
        WICK_CUDA_FLOAT_UNARY_EXP(WICK_X)
#undef WICK_X
        break;
        default: return false;
    }
    dispatch_floating(x.dtype, "unary", [&](auto tag) {
        using T = typename decltype(tag)::type;
        switch (op) {
#define WICK_X(o) \
    case o: return run_unary<T, T>("unary", out, x, FloatUnary<o>{p0, p1});
            WICK_CUDA_FLOAT_UNARY_EXP(WICK_X)
#undef WICK_X
            default: break;
        }
    });
    return true;
}

}  // namespace wick::cuda
