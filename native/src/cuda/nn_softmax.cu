// softmax / log_softmax along any dimension of a contiguous x viewed as (outer, n, inner), and
// their backward: one thread block per (outer, inner) row of n elements, which reduces the row's
// maximum and sum in shared memory and then writes the row. Rows along the last dimension
// (inner == 1, the common case) are read by consecutive threads at consecutive addresses.
#include "cuda/nn.cuh"
#include "cuda/nn_common.cuh"

namespace wick::cuda {

namespace kernels {

// y, x: (outer, n, inner); block b is row (b / inner, :, b % inner).
template <class T>
__global__ void __launch_bounds__(kThreads) softmax_rows(T* y, const T* x, int64_t n, int64_t inner, int32_t log) {
    __shared__ T slots[kThreads];
    const int64_t row = blockIdx.x, o = row / inner, i = row - o * inner;
    const T* xr = x + o * n * inner + i;
    T* yr = y + o * n * inner + i;
    T m = -static_cast<T>(INFINITY);
    for (int64_t j = threadIdx.x; j < n; j += blockDim.x) m = nan_max(m, xr[j * inner]);
    m = block_reduce(m, slots, MaxOp{});
    T s = 0;
    for (int64_t j = threadIdx.x; j < n; j += blockDim.x) s += m_exp(xr[j * inner] - m);
    s = block_reduce(s, slots, SumOp{});
    if (log) {
        // (x - max) - log(sum): subtracting separately keeps the precision of x - max (as the CPU).
        const T ls = m_log(s);
        for (int64_t j = threadIdx.x; j < n; j += blockDim.x) yr[j * inner] = (xr[j * inner] - m) - ls;
    } else {
        const T r = T(1) / s;
        for (int64_t j = threadIdx.x; j < n; j += blockDim.x) yr[j * inner] = m_exp(xr[j * inner] - m) * r;
    }
}

// softmax: gx = y * (g - sum(g * y)); log_softmax: gx = g - exp(y) * sum(g).
template <class T>
__global__ void __launch_bounds__(kThreads)
    softmax_backward_rows(T* gx, const T* g, const T* y, int64_t n, int64_t inner, int32_t log) {
    __shared__ T slots[kThreads];
    const int64_t row = blockIdx.x, o = row / inner, i = row - o * inner;
    const int64_t base = o * n * inner + i;
    T s = 0;
    for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
        const int64_t at = base + j * inner;
        s += log ? g[at] : g[at] * y[at];
    }
    s = block_reduce(s, slots, SumOp{});
    for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
        const int64_t at = base + j * inner;
        gx[at] = log ? g[at] - m_exp(y[at]) * s : y[at] * (g[at] - s);
    }
}

}  // namespace kernels

namespace {

struct Rows {
    int64_t outer, n, inner;
};

Rows rows_of(const View& v, int32_t dim) {
    Rows r{1, v.sizes[dim], 1};
    for (int d = 0; d < dim; ++d) r.outer *= v.sizes[d];
    for (int d = dim + 1; d < v.ndim; ++d) r.inner *= v.sizes[d];
    return r;
}

}  // namespace

void softmax(const View& out, const View& x, int32_t dim, bool log) {
    const char* op = log ? "log_softmax" : "softmax";
    const Rows r = rows_of(x, dim);
    if (r.outer * r.n * r.inner == 0) return;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::softmax_rows<T>, grid_1d(r.outer * r.inner, op), dim3(block_threads(r.n)),
                      data_of<T>(out), data_of<const T>(x), r.n, r.inner, static_cast<int32_t>(log));
    });
}

void softmax_backward(const View& grad_x, const View& grad_out, const View& y, int32_t dim, bool log) {
    const char* op = log ? "log_softmax_backward" : "softmax_backward";
    const Rows r = rows_of(y, dim);
    if (r.outer * r.n * r.inner == 0) return;
    dispatch_f32_f64(y.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::softmax_backward_rows<T>, grid_1d(r.outer * r.inner, op), dim3(block_threads(r.n)),
                      data_of<T>(grad_x), data_of<const T>(grad_out), data_of<const T>(y), r.n, r.inner,
                      static_cast<int32_t>(log));
    });
}

}  // namespace wick::cuda
