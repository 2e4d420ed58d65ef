// Ternary elementwise ops with the CPU's semantics (cpu/simd/elementwise_isa.cpp): where (a bool
// condition), lerp in PyTorch's two-sided form (exact at both ends), addcmul, addcdiv and clamp
// with optional tensor bounds (NaN in the input or a bound gives NaN). One thread per output
// element over coalesced strided operands (broadcast inputs have stride 0); arithmetic in
// OpMath<T> (float for the 16-bit floats, rounded back on store).
#include <type_traits>

#include "core/scalar.h"
#include "cuda/common.cuh"
#include "cuda/math.cuh"
#include "cuda/ternary.cuh"

namespace wick::cuda {

namespace kernels {

// Operands of s: out, a, b, c (b or c null: absent, their slot repeats out's strides, unused).
template <class T>
__global__ void __launch_bounds__(kThreads) ternary_kernel(T* out, const void* a, const T* b, const T* c, Strided<4> s,
                                                           int64_t n, int32_t op, OpMath<T> sv) {
    using C = OpMath<T>;
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t off[4];
    s.offsets(i, off);
    if (op == WK_TERNARY_WHERE) {
        out[off[0]] = static_cast<const bool*>(a)[off[1]] ? b[off[2]] : c[off[3]];
        return;
    }
    const T av = static_cast<const T*>(a)[off[1]];
    if constexpr (std::is_same_v<T, bool>) {
        // Only addcmul reaches bool: "a + s b c" as or / and.
        out[off[0]] = av || (sv && b[off[2]] && c[off[3]]);
    } else {
        const C x = to_op(av);
        C r = x;
        if (op == WK_TERNARY_CLAMP) {
            if (b != nullptr) {
                const C lo = to_op(b[off[2]]);
                if (is_nan(lo)) r = lo;
                r = r < lo ? lo : r;
            }
            if (c != nullptr) {
                const C hi = to_op(c[off[3]]);
                if (is_nan(hi)) r = hi;
                r = r > hi ? hi : r;
            }
        } else if (op == WK_TERNARY_ADDCMUL) {
            if constexpr (std::is_floating_point_v<C>) r = x + sv * to_op(b[off[2]]) * to_op(c[off[3]]);
            else r = w_add(x, w_mul(sv, w_mul(to_op(b[off[2]]), to_op(c[off[3]]))));
        } else if constexpr (std::is_floating_point_v<C>) {
            if (op == WK_TERNARY_ADDCDIV) {
                r = x + sv * (to_op(b[off[2]]) / to_op(c[off[3]]));
            } else {  // lerp
                const C y = to_op(b[off[2]]);
                const C w = c != nullptr ? to_op(c[off[3]]) : sv;
                const C aw = w < C(0) ? -w : w;
                r = aw < C(0.5) ? x + w * (y - x) : y - (y - x) * (C(1) - w);
            }
        }
        out[off[0]] = from_op<T>(r);
    }
}

}  // namespace kernels

void ternary(wk_ternary_op op, const View& out, const View& a, const View* b, const View* c, double s) {
    const char* name = op == WK_TERNARY_WHERE    ? "where"
                       : op == WK_TERNARY_LERP    ? "lerp"
                       : op == WK_TERNARY_ADDCMUL ? "addcmul"
                       : op == WK_TERNARY_ADDCDIV ? "addcdiv"
                                                  : "clamp";
    check(op >= WK_TERNARY_WHERE && op < WK_TERNARY_OP_COUNT, WK_ERR_INVALID_ARGUMENT, "ternary: unknown op ",
          static_cast<int>(op));
    const int64_t n = out.numel();
    if (n == 0) return;
    const View* views[4] = {&out, &a, b != nullptr ? b : &out, c != nullptr ? c : &out};
    const Strided<4> st = make_strided<4>(views);
    const bool floating_only = op == WK_TERNARY_LERP || op == WK_TERNARY_ADDCDIV;
    dispatch_all(out.dtype, name, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using C = OpMath<T>;
        if constexpr (!std::is_floating_point_v<C>) {
            check(!floating_only, WK_ERR_DTYPE, name, ": needs floating-point tensors, got ", dtype_name(out.dtype));
            check(!std::is_same_v<T, bool> || op == WK_TERNARY_WHERE || op == WK_TERNARY_ADDCMUL, WK_ERR_DTYPE, name,
                  ": not supported for bool tensors");
        }
        C sv;
        if constexpr (std::is_same_v<T, bool>) sv = s != 0;
        else if constexpr (std::is_floating_point_v<C>) sv = static_cast<C>(to_op(saturate_from_double<T>(s)));
        else sv = saturate_from_double<T>(s);
        launch_kernel(name, &kernels::ternary_kernel<T>, grid_1d(ceil_div(n, kThreads), name), dim3(kThreads),
                      reinterpret_cast<T*>(out.data), static_cast<const void*>(a.data),
                      b != nullptr ? reinterpret_cast<const T*>(b->data) : nullptr,
                      c != nullptr ? reinterpret_cast<const T*>(c->data) : nullptr, st, n, static_cast<int32_t>(op), sv);
    });
}

}  // namespace wick::cuda
