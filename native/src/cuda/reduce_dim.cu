// Reductions along one dimension that keep positions, one thread per line of that dimension
// (the other dimensions, coalesced, spread over threads; a line is walked in order, so results
// are those of the CPU's sequential loops):
//   reduce_indices  max / min and the index of the first extreme (a NaN is the extreme: the
//                   first NaN wins, as PyTorch's max propagates it)
//   scan            cumulative sum / product (floats accumulate in double, as on the CPU; i64 wraps)
#include <type_traits>

#include "cuda/common.cuh"
#include "cuda/index_common.cuh"
#include "cuda/math.cuh"
#include "cuda/reduce.cuh"

namespace wick::cuda {

namespace kernels {

// Operands of s: values, indices, x (all in values' keepdim shape); line l of x starts at off[2]
// and steps x_step for len elements.
template <class T>
__global__ void __launch_bounds__(kThreads) arg_extreme_lines(T* values, int64_t* indices, const T* x, Strided<3> s,
                                                              int64_t lines, int64_t len, int64_t x_step, int32_t is_max) {
    const int64_t l = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (l >= lines) return;
    int64_t off[3];
    s.offsets(l, off);
    const T* p = x + off[2];
    auto best = to_op(p[0]);
    int64_t at = 0;
    for (int64_t j = 1; j < len; ++j) {
        const auto v = to_op(p[j * x_step]);
        if (is_nan(best)) break;
        if (is_nan(v) || (is_max ? v > best : v < best)) {
            best = v;
            at = j;
        }
    }
    values[off[0]] = from_op<T>(best);
    indices[off[1]] = at;
}

// Operands of s: out and x without dim; a line steps out_step / x_step for len elements.
template <class T>
__global__ void __launch_bounds__(kThreads) scan_lines(T* out, const T* x, Strided<2> s, int64_t lines, int64_t len,
                                                       int64_t out_step, int64_t x_step, int32_t product) {
    const int64_t l = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (l >= lines) return;
    int64_t off[2];
    s.offsets(l, off);
    constexpr bool kFloat = std::is_floating_point_v<OpMath<T>>;
    using A = std::conditional_t<kFloat, double, T>;
    A acc = product ? A(1) : A(0);
    for (int64_t j = 0; j < len; ++j) {
        const A v = static_cast<A>(to_op(x[off[1] + j * x_step]));
        if constexpr (kFloat) acc = product ? acc * v : acc + v;
        else acc = product ? w_mul(acc, v) : w_add(acc, v);
        out[off[0] + j * out_step] = from_op<T>(acc);
    }
}

}  // namespace kernels

void reduce_indices(wk_reduce_op op, const View& values, const View& indices, const View& x) {
    const char* name = op == WK_REDUCE_MAX ? "max" : "min";
    check(op == WK_REDUCE_MAX || op == WK_REDUCE_MIN, WK_ERR_INVALID_ARGUMENT, "reduce_indices: op must be max or min");
    int r = -1;
    for (int d = 0; d < x.ndim; ++d)
        if (values.sizes[d] == 1 && x.sizes[d] != 1) r = d;
    const int64_t len = r >= 0 ? x.sizes[r] : 1, step = r >= 0 ? x.strides[r] : 0;
    const int64_t lines = values.numel();
    if (lines == 0) return;
    const View xr = restrict_to(x, values);
    const View* views[3] = {&values, &indices, &xr};
    const Strided<3> s = make_strided<3>(views);
    dispatch_all(x.dtype, name, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(name, &kernels::arg_extreme_lines<T>, grid_1d(ceil_div(lines, kThreads), name), dim3(kThreads),
                      reinterpret_cast<T*>(values.data), reinterpret_cast<int64_t*>(indices.data),
                      reinterpret_cast<const T*>(x.data), s, lines, len, step, static_cast<int32_t>(op == WK_REDUCE_MAX));
    });
}

void scan(wk_scan_op op, const View& out, const View& x, int32_t dim) {
    const char* name = op == WK_SCAN_CUMPROD ? "cumprod" : "cumsum";
    check(op == WK_SCAN_CUMSUM || op == WK_SCAN_CUMPROD, WK_ERR_INVALID_ARGUMENT, "scan: unknown op ", static_cast<int>(op));
    const int64_t len = x.ndim > 0 ? x.sizes[dim] : 1;
    const View out_f = x.ndim > 0 ? drop_dim(out, dim) : out, x_f = x.ndim > 0 ? drop_dim(x, dim) : x;
    const int64_t lines = out_f.numel();
    if (lines == 0 || len == 0) return;
    const View* views[2] = {&out_f, &x_f};
    const Strided<2> s = make_strided<2>(views);
    const int64_t out_step = x.ndim > 0 ? out.strides[dim] : 0, x_step = x.ndim > 0 ? x.strides[dim] : 0;
    auto run = [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(name, &kernels::scan_lines<T>, grid_1d(ceil_div(lines, kThreads), name), dim3(kThreads),
                      reinterpret_cast<T*>(out.data), reinterpret_cast<const T*>(x.data), s, lines, len, out_step, x_step,
                      static_cast<int32_t>(op == WK_SCAN_CUMPROD));
    };
    switch (x.dtype) {
        case DType::F32: run(Tag<float>{}); return;
        case DType::F64: run(Tag<double>{}); return;
        case DType::F16: run(Tag<Half>{}); return;
        case DType::BF16: run(Tag<BFloat16>{}); return;
        case DType::I64: run(Tag<int64_t>{}); return;
        default:
            fail(WK_ERR_DTYPE, name, ": the CUDA kernel takes a floating dtype or int64, got ", dtype_name(x.dtype));
    }
}

}  // namespace wick::cuda
