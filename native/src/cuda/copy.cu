// Copies with dtype conversion, fills and arange. A copy is one of:
//  - same dtype, both contiguous: cudaMemcpyAsync;
//  - same dtype, strided or broadcast: a kernel moving elements of 1, 2, 4 or 8 bytes;
//  - float32 <-> float16/bfloat16, both contiguous: a vectorised conversion kernel;
//  - any other pair: one kernel that reads and writes every dtype (value.cuh).
// A source that overlaps the destination is first copied to scratch memory, so the result never
// depends on the order in which threads run.
#include "cuda/copy.cuh"

#include <cstring>

#include "cuda/buffer.cuh"
#include "cuda/common.cuh"
#include "cuda/value.cuh"

namespace wick::cuda {

namespace kernels {

// Elements of one size class (same dtype on both sides): Word is uint8/16/32/64.
template <class Word>
__global__ void __launch_bounds__(kThreads) copy_words(Word* dst, const Word* src, Strided<2> s, int64_t n) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t off[2];
    s.offsets(i, off);
    dst[off[0]] = src[off[1]];
}

__global__ void __launch_bounds__(kThreads) convert_any(char* dst, DType dt, const char* src, DType st, Strided<2> s,
                                                        int64_t n) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t off[2];
    s.offsets(i, off);
    const int64_t ds = static_cast<int64_t>(dt == DType::F64 || dt == DType::I64 ? 8
                                            : dt == DType::F32 || dt == DType::I32 ? 4
                                            : dt == DType::F16 || dt == DType::BF16 || dt == DType::I16 ? 2 : 1);
    const int64_t ss = static_cast<int64_t>(st == DType::F64 || st == DType::I64 ? 8
                                            : st == DType::F32 || st == DType::I32 ? 4
                                            : st == DType::F16 || st == DType::BF16 || st == DType::I16 ? 2 : 1);
    store_value(dst + off[0] * ds, dt, load_value(src + off[1] * ss, st));
}

// Contiguous float conversions, V elements per thread.
template <class D, class S, int V>
__global__ void __launch_bounds__(kThreads) convert_contiguous(D* dst, const S* src, int64_t n) {
    const int64_t base = (static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) * V;
    if (base >= n) return;
    if (base + V <= n) {
        Vec<S, V> in = *reinterpret_cast<const Vec<S, V>*>(src + base);
        Vec<D, V> out;
#pragma unroll
        for (int k = 0; k < V; ++k) out.v[k] = from_op<D>(to_op(in.v[k]));
        *reinterpret_cast<Vec<D, V>*>(dst + base) = out;
    } else {
        for (int64_t i = base; i < n; ++i) dst[i] = from_op<D>(to_op(src[i]));
    }
}

template <class Word>
__global__ void __launch_bounds__(kThreads) fill_words(Word* dst, Word value, Strided<1> s, int64_t n) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t off[1];
    s.offsets(i, off);
    dst[off[0]] = value;
}

__global__ void __launch_bounds__(kThreads) arange_any(char* out, DType dt, int64_t elem, int64_t stride, double start,
                                                       double step, int64_t n) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    Value v{start + static_cast<double>(i) * step, 0, true};
    store_value(out + i * stride * elem, dt, v);
}

}  // namespace kernels

namespace {

// Lowest and highest byte a view touches (the view has at least one element).
void byte_range(const View& v, uintptr_t* lo, uintptr_t* hi) {
    const int64_t es = static_cast<int64_t>(dtype_size(v.dtype));
    int64_t first = 0, last = 0;
    for (int d = 0; d < v.ndim; ++d) {
        const int64_t span = (v.sizes[d] - 1) * v.strides[d];
        if (span < 0) first += span;
        else last += span;
    }
    *lo = reinterpret_cast<uintptr_t>(v.data) + static_cast<uintptr_t>(first * es);
    *hi = reinterpret_cast<uintptr_t>(v.data) + static_cast<uintptr_t>(last * es + es);
}

bool overlaps(const View& a, const View& b) {
    uintptr_t alo, ahi, blo, bhi;
    byte_range(a, &alo, &ahi);
    byte_range(b, &blo, &bhi);
    return alo < bhi && blo < ahi;
}

template <class Word>
void copy_same_size(const View& dst, const View& src, int64_t n) {
    const View* views[2] = {&dst, &src};
    Strided<2> s = make_strided<2>(views);
    launch_kernel("copy", &kernels::copy_words<Word>, grid_1d(ceil_div(n, kThreads), "copy"), dim3(kThreads),
                  reinterpret_cast<Word*>(dst.data), reinterpret_cast<const Word*>(src.data), s, n);
}

template <class D, class S>
bool try_convert_contiguous(const View& dst, const View& src, int64_t n) {
    constexpr int V = vec_width<D, S>();
    if (!aligned_to(dst.data, sizeof(D) * V) || !aligned_to(src.data, sizeof(S) * V)) return false;
    launch_kernel("copy (convert)", &kernels::convert_contiguous<D, S, V>, grid_1d(ceil_div(ceil_div(n, V), kThreads), "copy"),
                  dim3(kThreads), reinterpret_cast<D*>(dst.data), reinterpret_cast<const S*>(src.data), n);
    return true;
}

// The float conversions worth a vectorised kernel (mixed precision moves these every step).
bool convert_fast(const View& dst, const View& src, int64_t n) {
    const DType d = dst.dtype, s = src.dtype;
    if (d == DType::F32 && s == DType::F16) return try_convert_contiguous<float, Half>(dst, src, n);
    if (d == DType::F32 && s == DType::BF16) return try_convert_contiguous<float, BFloat16>(dst, src, n);
    if (d == DType::F16 && s == DType::F32) return try_convert_contiguous<Half, float>(dst, src, n);
    if (d == DType::BF16 && s == DType::F32) return try_convert_contiguous<BFloat16, float>(dst, src, n);
    return false;
}

void copy_no_overlap(const View& dst, const View& src) {
    const int64_t n = dst.numel();
    const View* views[2] = {&dst, &src};
    Strided<2> s = make_strided<2>(views);
    if (dst.dtype == src.dtype) {
        const size_t es = dtype_size(dst.dtype);
        if (s.contiguous()) {
            check_cuda(cudaMemcpyAsync(dst.data, src.data, static_cast<size_t>(n) * es, cudaMemcpyDeviceToDevice,
                                       current_stream()),
                       "copy (cudaMemcpyAsync)");
            return;
        }
        switch (es) {
            case 1: return copy_same_size<uint8_t>(dst, src, n);
            case 2: return copy_same_size<uint16_t>(dst, src, n);
            case 4: return copy_same_size<uint32_t>(dst, src, n);
            default: return copy_same_size<uint64_t>(dst, src, n);
        }
    }
    if (s.contiguous() && convert_fast(dst, src, n)) return;
    launch_kernel("copy (convert)", &kernels::convert_any, grid_1d(ceil_div(n, kThreads), "copy"), dim3(kThreads), dst.data,
                  dst.dtype, static_cast<const char*>(src.data), src.dtype, s, n);
}

}  // namespace

void copy(const View& dst, const View& src) {
    const int64_t n = dst.numel();
    if (n == 0) return;
    if (dst.data == src.data && dst.dtype == src.dtype) {
        bool same = dst.ndim == src.ndim;
        for (int d = 0; same && d < dst.ndim; ++d) same = dst.strides[d] == src.strides[d] || dst.sizes[d] == 1;
        if (same) return;  // copying a view onto itself
    }
    if (!overlaps(dst, src)) return copy_no_overlap(dst, src);
    // Stage the source in scratch memory (contiguous, same dtype), then copy from there.
    DeviceBuffer scratch(static_cast<size_t>(n) * dtype_size(src.dtype));
    View staged = src;
    staged.data = scratch.as<char>();
    int64_t stride = 1;
    for (int d = staged.ndim - 1; d >= 0; --d) {
        staged.strides[d] = stride;
        stride *= staged.sizes[d];
    }
    copy_no_overlap(staged, src);
    copy_no_overlap(dst, staged);
}

void fill(const View& dst, Scalar value) {
    const int64_t n = dst.numel();
    if (n == 0) return;
    // The value converted on the host exactly as the CPU does, then stored as raw bytes.
    uint64_t bits = 0;
    size_t es = 0;
    dispatch_all(dst.dtype, "fill", [&](auto tag) {
        using T = typename decltype(tag)::type;
        T v = value.to<T>();
        std::memcpy(&bits, &v, sizeof(T));
        es = sizeof(T);
    });
    const View* views[1] = {&dst};
    Strided<1> s = make_strided<1>(views);
    bool bytes_equal = true;
    for (size_t b = 1; b < es; ++b) bytes_equal = bytes_equal && ((bits >> (8 * b)) & 0xff) == (bits & 0xff);
    if (s.contiguous() && bytes_equal) {
        check_cuda(cudaMemsetAsync(dst.data, static_cast<int>(bits & 0xff), static_cast<size_t>(n) * es, current_stream()),
                   "fill (cudaMemsetAsync)");
        return;
    }
    const dim3 grid = grid_1d(ceil_div(n, kThreads), "fill");
    switch (es) {
        case 1:
            return launch_kernel("fill", &kernels::fill_words<uint8_t>, grid, dim3(kThreads),
                                 reinterpret_cast<uint8_t*>(dst.data), static_cast<uint8_t>(bits), s, n);
        case 2:
            return launch_kernel("fill", &kernels::fill_words<uint16_t>, grid, dim3(kThreads),
                                 reinterpret_cast<uint16_t*>(dst.data), static_cast<uint16_t>(bits), s, n);
        case 4:
            return launch_kernel("fill", &kernels::fill_words<uint32_t>, grid, dim3(kThreads),
                                 reinterpret_cast<uint32_t*>(dst.data), static_cast<uint32_t>(bits), s, n);
        default:
            return launch_kernel("fill", &kernels::fill_words<uint64_t>, grid, dim3(kThreads),
                                 reinterpret_cast<uint64_t*>(dst.data), bits, s, n);
    }
}

void arange(const View& out, double start, double step) {
    const int64_t n = out.numel();
    if (n == 0) return;
    const int64_t stride = out.ndim > 0 ? out.strides[0] : 1;
    launch_kernel("arange", &kernels::arange_any, grid_1d(ceil_div(n, kThreads), "arange"), dim3(kThreads), out.data,
                  out.dtype, static_cast<int64_t>(dtype_size(out.dtype)), stride, start, step, n);
}

}  // namespace wick::cuda
