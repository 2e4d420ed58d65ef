// Reading and writing through index tensors: index_select and gather (one thread per output
// element), scatter and index_copy / index_add (one thread per fiber: every position but the
// indexed dimension). A writing thread walks its fiber's layers in index order, so a duplicate
// target is written by one thread in order: the last duplicate wins and sums are the same on every
// run, as on the CPU (no atomics). Pure data movement dispatches on element width; accumulation
// on the dtype (16-bit floats add in float and round back; integers wrap; bools "add" as or).
// Each kernel checks the index entries it uses (index_common.cuh): a bad entry reads as 0 or is
// not written, and is reported to the device's deferred error.
#include <type_traits>

#include "cuda/index_common.cuh"
#include "cuda/math.cuh"
#include "cuda/shape.cuh"

namespace wick::cuda {

namespace kernels {

// out.select(dim, j) = x.select(dim, index[j]). Thread i covers layer j of fiber f; when dim is the
// innermost dimension consecutive threads take consecutive layers, else consecutive fibers.
template <class T>
__global__ void __launch_bounds__(kThreads)
    index_select_kernel(T* out, const T* x, const int64_t* index, int64_t index_stride, Strided<2> fib, int64_t fibers,
                        int64_t layers, int64_t out_step, int64_t x_step, IndexReport r, int32_t wrap,
                        int32_t layers_inner) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= fibers * layers) return;
    const int64_t f = layers_inner ? i / layers : i % fibers;
    const int64_t j = layers_inner ? i - f * layers : i / fibers;
    int64_t off[2];
    fib.offsets(f, off);
    const int64_t v = index[j * index_stride];
    int64_t k;
    if (index_in_range(v, r.size, wrap != 0, k)) {
        out[off[0] + j * out_step] = x[off[1] + k * x_step];
    } else {
        out[off[0] + j * out_step] = T(0);
        report_bad_index(r, j, v);
    }
}

// out[p] = x[p with coordinate dim replaced by index[p]]; x's stride along dim is 0 in the
// strided operands (x_step adds the index).
template <class T>
__global__ void __launch_bounds__(kThreads)
    gather_kernel(T* out, const int64_t* index, const T* x, Strided<3> s, int64_t n, int64_t x_step, IndexReport r) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t off[3];
    s.offsets(i, off);
    const int64_t v = index[off[1]];
    int64_t k;
    if (index_in_range(v, r.size, false, k)) {
        out[off[0]] = x[off[2] + k * x_step];
    } else {
        out[off[0]] = T(0);
        report_bad_index(r, i, v);  // out has index's shape: i is the entry's row-major position
    }
}

template <class T, bool Add>
__device__ __forceinline__ void put(T* dst, T v) {
    if constexpr (Add) *dst = from_op<T>(w_add(to_op(*dst), to_op(v)));
    else *dst = v;
}

// One fiber of index (operands: self restricted to index's sizes, index, src, all without dim).
// inner: the number of index positions after dim (fiber f = outer * inner + rest sits at the
// row-major position (outer * layers + j) * inner + rest in layer j).
template <class T, bool Add>
__global__ void __launch_bounds__(kThreads)
    scatter_fibers(T* self, const int64_t* index, const T* src, Strided<3> s, int64_t fibers, int64_t layers,
                   int64_t self_step, int64_t index_step, int64_t src_step, int64_t inner, IndexReport r) {
    const int64_t f = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (f >= fibers) return;
    int64_t off[3];
    s.offsets(f, off);
    for (int64_t j = 0; j < layers; ++j) {
        const int64_t v = index[off[1] + j * index_step];
        int64_t k;
        if (index_in_range(v, r.size, false, k)) put<T, Add>(self + off[0] + k * self_step, src[off[2] + j * src_step]);
        else report_bad_index(r, (f / inner * layers + j) * inner + f % inner, v);
    }
}

// One fiber of src (operands: self and src without dim); layer j goes to self's index[j].
template <class T, bool Add>
__global__ void __launch_bounds__(kThreads)
    index_reduce_fibers(T* self, const T* src, const int64_t* index, int64_t index_stride, Strided<2> s, int64_t fibers,
                        int64_t layers, int64_t self_step, int64_t src_step, IndexReport r, int32_t wrap) {
    const int64_t f = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (f >= fibers) return;
    int64_t off[2];
    s.offsets(f, off);
    for (int64_t j = 0; j < layers; ++j) {
        const int64_t v = index[j * index_stride];
        int64_t k;
        if (index_in_range(v, r.size, wrap != 0, k)) put<T, Add>(self + off[0] + k * self_step, src[off[1] + j * src_step]);
        else report_bad_index(r, j, v);
    }
}

}  // namespace kernels

namespace {

// fn(Tag<T>, std::bool_constant<add>): element width to assign, the dtype to accumulate.
template <class F>
void dispatch_mode(wk_scatter_mode mode, DType t, const char* op, F&& fn) {
    if (mode == WK_SCATTER_ASSIGN) return dispatch_width(t, [&](auto tag) { fn(tag, std::false_type{}); });
    check(mode == WK_SCATTER_ADD, WK_ERR_INVALID_ARGUMENT, op, ": unknown scatter mode ", static_cast<int>(mode));
    dispatch_all(t, op, [&](auto tag) { fn(tag, std::true_type{}); });
}

}  // namespace

void index_select(const View& out, const View& x, int32_t dim, const View& index, bool wrap_negative, const char* op) {
    const IndexView idx(index, op);
    const IndexReport r = index_report(BadIndexKind::Index, op, dim, x.sizes[dim]);
    const int64_t layers = out.sizes[dim];
    const View out_f = drop_dim(out, dim), x_f = drop_dim(x, dim);
    const int64_t fibers = out_f.numel();
    check_index_entries(idx.view(), r, wrap_negative, false, 0, fibers > 0 && layers > 0);
    if (fibers == 0 || layers == 0) return;
    const View* views[2] = {&out_f, &x_f};
    const Strided<2> fib = make_strided<2>(views);
    const int64_t index_stride = idx.view().ndim > 0 ? idx.view().strides[0] : 0;
    const int32_t layers_inner = is_innermost(out, dim) ? 1 : 0;
    dispatch_width(x.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::index_select_kernel<T>, grid_1d(ceil_div(fibers * layers, kThreads), op), dim3(kThreads),
                      reinterpret_cast<T*>(out.data), reinterpret_cast<const T*>(x.data), idx.data(), index_stride, fib,
                      fibers, layers, out.strides[dim], x.strides[dim], r, static_cast<int32_t>(wrap_negative),
                      layers_inner);
    });
}

void gather(const View& out, const View& x, int32_t dim, const View& index, const char* op) {
    const IndexView idx(index, op);
    const IndexReport r = index_report(BadIndexKind::Index, op, dim, x.sizes[dim]);
    const int64_t n = out.numel();
    check_index_entries(idx.view(), r, false, false, 0, n > 0);
    if (n == 0) return;
    View xr = restrict_to(x, idx.view());
    xr.strides[dim] = 0;
    const View* views[3] = {&out, &idx.view(), &xr};
    const Strided<3> s = make_strided<3>(views);
    dispatch_width(x.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::gather_kernel<T>, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads),
                      reinterpret_cast<T*>(out.data), idx.data(), reinterpret_cast<const T*>(x.data), s, n, x.strides[dim], r);
    });
}

void scatter(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src, const char* op) {
    const IndexView idx(index, op);
    const IndexReport r = index_report(BadIndexKind::Index, op, dim, self.sizes[dim]);
    const View& iv = idx.view();
    const int64_t layers = iv.sizes[dim];
    const View self_f = drop_dim(restrict_to(self, iv), dim), index_f = drop_dim(iv, dim), src_f = drop_dim(src, dim);
    const int64_t fibers = index_f.numel();
    check_index_entries(iv, r, false, false, 0, fibers > 0 && layers > 0);
    if (fibers == 0 || layers == 0) return;
    int64_t inner = 1;
    for (int d = dim + 1; d < iv.ndim; ++d) inner *= iv.sizes[d];
    const View* views[3] = {&self_f, &index_f, &src_f};
    const Strided<3> s = make_strided<3>(views);
    dispatch_mode(mode, self.dtype, op, [&](auto tag, auto add) {
        using T = typename decltype(tag)::type;
        constexpr bool kAdd = decltype(add)::value;
        launch_kernel(op, &kernels::scatter_fibers<T, kAdd>, grid_1d(ceil_div(fibers, kThreads), op), dim3(kThreads),
                      reinterpret_cast<T*>(self.data), idx.data(), reinterpret_cast<const T*>(src.data), s, fibers, layers,
                      self.strides[dim], iv.strides[dim], src.strides[dim], inner, r);
    });
}

void index_reduce(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src,
                  bool wrap_negative, const char* op) {
    const IndexView idx(index, op);
    const IndexReport r = index_report(BadIndexKind::Index, op, dim, self.sizes[dim]);
    const int64_t layers = src.sizes[dim];
    const View self_f = drop_dim(self, dim), src_f = drop_dim(src, dim);
    const int64_t fibers = src_f.numel();
    check_index_entries(idx.view(), r, wrap_negative, false, 0, fibers > 0 && layers > 0);
    if (fibers == 0 || layers == 0) return;
    const View* views[2] = {&self_f, &src_f};
    const Strided<2> s = make_strided<2>(views);
    const int64_t index_stride = idx.view().ndim > 0 ? idx.view().strides[0] : 0;
    dispatch_mode(mode, self.dtype, op, [&](auto tag, auto add) {
        using T = typename decltype(tag)::type;
        constexpr bool kAdd = decltype(add)::value;
        launch_kernel(op, &kernels::index_reduce_fibers<T, kAdd>, grid_1d(ceil_div(fibers, kThreads), op), dim3(kThreads),
                      reinterpret_cast<T*>(self.data), reinterpret_cast<const T*>(src.data), idx.data(), index_stride, s,
                      fibers, layers, self.strides[dim], src.strides[dim], r, static_cast<int32_t>(wrap_negative));
    });
}

}  // namespace wick::cuda
