// Rearranging copies driven by one index map per dimension (pad, flip, roll, repeat), their
// adjoint (pad's backward), and tril / triu. The maps come from the host (core/kernels_shape.h);
// they are copied to the device through pinned memory without waiting.
//
// index_map_add sums, for each element of grad_x, the grad_out elements that read it, instead of
// adding each grad_out element into grad_x: the host inverts each dimension's map (the output
// positions that read input position i, ascending), so every sum has one thread, no atomics, and
// adds its terms in the CPU's row-major order (float32 and float64 results equal the CPU's).
#include <algorithm>
#include <cstring>
#include <vector>

#include "cuda/index_common.cuh"
#include "cuda/shape.cuh"

namespace wick::cuda {

namespace {

// Per dimension: the sizes, the output's and the input's strides; device maps (null: identity).
struct MapShape {
    int32_t ndim;
    int64_t sizes[kMaxDims];
    int64_t out_strides[kMaxDims];
    int64_t x_strides[kMaxDims];
    const int64_t* map[kMaxDims];
};

// The adjoint: grad_x's sizes and strides, grad_out's strides, and per mapped dimension the
// inverse map as CSR (offsets[i] .. offsets[i + 1] index entries; null offsets: identity).
struct InverseShape {
    int32_t ndim;
    int64_t sizes[kMaxDims];
    int64_t x_strides[kMaxDims];
    int64_t g_strides[kMaxDims];
    const int64_t* offsets[kMaxDims];
    const int64_t* entries[kMaxDims];
};

}  // namespace

namespace kernels {

template <class T>
__global__ void __launch_bounds__(kThreads) index_map_kernel(T* out, const T* x, MapShape s, T fill, int64_t n) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t rem = i, oo = 0, xo = 0;
    bool filled = false;
    for (int d = s.ndim - 1; d >= 0; --d) {
        const int64_t q = rem / s.sizes[d];
        const int64_t c = rem - q * s.sizes[d];
        rem = q;
        oo += c * s.out_strides[d];
        const int64_t src = s.map[d] != nullptr ? s.map[d][c] : c;
        if (src < 0) filled = true;
        else xo += src * s.x_strides[d];
    }
    out[oo] = filled ? fill : x[xo];
}

template <class T>
__global__ void __launch_bounds__(kThreads) index_map_add_kernel(T* grad_x, const T* grad_out, InverseShape s, int64_t n) {
    using C = OpMath<T>;
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int64_t first[kMaxDims], count[kMaxDims], pos[kMaxDims];
    int64_t rem = i, xo = 0;
    for (int d = s.ndim - 1; d >= 0; --d) {
        const int64_t q = rem / s.sizes[d];
        const int64_t c = rem - q * s.sizes[d];
        rem = q;
        xo += c * s.x_strides[d];
        if (s.offsets[d] != nullptr) {
            first[d] = s.offsets[d][c];
            count[d] = s.offsets[d][c + 1] - first[d];
        } else {
            first[d] = c;
            count[d] = 1;
        }
        if (count[d] == 0) return;  // no output position reads this element
        pos[d] = 0;
    }
    // Every combination of the dimensions' readers, last dimension fastest (row-major order).
    C acc = C(0);
    for (;;) {
        int64_t go = 0;
        for (int d = 0; d < s.ndim; ++d) {
            const int64_t o = s.offsets[d] != nullptr ? s.entries[d][first[d] + pos[d]] : first[d];
            go += o * s.g_strides[d];
        }
        acc += to_op(grad_out[go]);
        int d = s.ndim - 1;
        for (; d >= 0; --d) {
            if (++pos[d] < count[d]) break;
            pos[d] = 0;
        }
        if (d < 0) break;
    }
    grad_x[xo] = from_op<T>(to_op(grad_x[xo]) + acc);
}

// Rows of the last two dimensions of out (batch, rows, cols); the batch through `batch`.
template <class T>
__global__ void __launch_bounds__(kThreads)
    triangle_kernel(T* out, const T* x, Strided<2> batch, int64_t rows, int64_t cols, int64_t out_rs, int64_t out_cs,
                    int64_t x_rs, int64_t x_cs, int64_t diagonal, int32_t upper, int32_t same, int64_t n) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const int64_t rc = i / cols;
    const int64_t c = i - rc * cols;
    const int64_t b = rc / rows;
    const int64_t r = rc - b * rows;
    int64_t off[2];
    batch.offsets(b, off);
    const bool keep = upper ? c >= r + diagonal : c <= r + diagonal;
    T* o = out + off[0] + r * out_rs + c * out_cs;
    if (!keep) *o = T(0);
    else if (!same) *o = x[off[1] + r * x_rs + c * x_cs];
}

}  // namespace kernels

void index_map(const View& out, const View& x, const IndexMaps& maps, Scalar fill) {
    const int64_t n = out.numel();
    if (n == 0) return;
    MapShape s{};
    s.ndim = out.ndim;
    std::vector<int64_t> host;
    for (int d = 0; d < out.ndim; ++d) {
        s.sizes[d] = out.sizes[d];
        s.out_strides[d] = out.strides[d];
        s.x_strides[d] = x.strides[d];
        if (maps.map[d] != nullptr) host.insert(host.end(), maps.map[d], maps.map[d] + out.sizes[d]);
    }
    DeviceBuffer device_maps(host.size() * sizeof(int64_t));
    upload(device_maps.as<void>(), host.data(), host.size() * sizeof(int64_t));
    int64_t at = 0;
    for (int d = 0; d < out.ndim; ++d) {
        if (maps.map[d] == nullptr) continue;
        s.map[d] = device_maps.as<int64_t>() + at;
        at += out.sizes[d];
    }
    uint64_t bits = 0;  // the fill value converted as the CPU does, as raw bytes
    dispatch_all(out.dtype, "index_map", [&](auto tag) {
        using V = typename decltype(tag)::type;
        const V v = fill.to<V>();
        std::memcpy(&bits, &v, sizeof(V));
    });
    dispatch_width(out.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel("index_map", &kernels::index_map_kernel<T>, grid_1d(ceil_div(n, kThreads), "index_map"), dim3(kThreads),
                      reinterpret_cast<T*>(out.data), reinterpret_cast<const T*>(x.data), s, static_cast<T>(bits), n);
    });
}

void index_map_add(const View& grad_x, const View& grad_out, const IndexMaps& maps) {
    const int64_t n = grad_x.numel();
    if (n == 0 || grad_out.numel() == 0) return;
    InverseShape s{};
    s.ndim = grad_x.ndim;
    // Per mapped dimension: offsets (size + 1) then entries, counting-sorted so each input
    // position's readers stay in ascending output order.
    std::vector<int64_t> host;
    int64_t at_offsets[kMaxDims] = {}, at_entries[kMaxDims] = {};
    for (int d = 0; d < grad_x.ndim; ++d) {
        s.sizes[d] = grad_x.sizes[d];
        s.x_strides[d] = grad_x.strides[d];
        s.g_strides[d] = grad_out.strides[d];
        const int64_t* map = maps.map[d];
        if (map == nullptr) continue;
        const int64_t in = grad_x.sizes[d], outn = grad_out.sizes[d];
        at_offsets[d] = static_cast<int64_t>(host.size());
        host.resize(host.size() + static_cast<size_t>(in + 1), 0);
        int64_t* offsets = host.data() + at_offsets[d];
        for (int64_t j = 0; j < outn; ++j)
            if (map[j] >= 0) ++offsets[map[j] + 1];
        for (int64_t k = 0; k < in; ++k) offsets[k + 1] += offsets[k];
        at_entries[d] = static_cast<int64_t>(host.size());
        const int64_t total = offsets[in];
        std::vector<int64_t> next(offsets, offsets + in);
        host.resize(host.size() + static_cast<size_t>(total), 0);
        int64_t* entries = host.data() + at_entries[d];
        const int64_t* map_again = maps.map[d];
        for (int64_t j = 0; j < outn; ++j)
            if (map_again[j] >= 0) entries[next[static_cast<size_t>(map_again[j])]++] = j;
    }
    DeviceBuffer device(host.size() * sizeof(int64_t));
    upload(device.as<void>(), host.data(), host.size() * sizeof(int64_t));
    for (int d = 0; d < grad_x.ndim; ++d) {
        if (maps.map[d] == nullptr) continue;
        s.offsets[d] = device.as<int64_t>() + at_offsets[d];
        s.entries[d] = device.as<int64_t>() + at_entries[d];
    }
    dispatch_floating(grad_x.dtype, "pad_backward", [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel("pad_backward", &kernels::index_map_add_kernel<T>, grid_1d(ceil_div(n, kThreads), "pad_backward"),
                      dim3(kThreads), reinterpret_cast<T*>(grad_x.data), reinterpret_cast<const T*>(grad_out.data), s, n);
    });
}

void triangle(const View& out, const View& x, int64_t diagonal, bool upper) {
    const int64_t n = out.numel();
    if (n == 0) return;
    const int nd = out.ndim;
    const int64_t rows = out.sizes[nd - 2], cols = out.sizes[nd - 1];
    bool same = out.data == x.data;
    for (int d = 0; d < nd; ++d) same = same && out.strides[d] == x.strides[d];
    View ob = out, xb = x;
    ob.ndim = xb.ndim = nd - 2;
    const View* views[2] = {&ob, &xb};
    const Strided<2> batch = make_strided<2>(views);
    // Clamping the diagonal to [-rows - 1, cols] changes no result and keeps r + diagonal finite.
    const int64_t dg = std::clamp<int64_t>(diagonal, -rows - 1, cols);
    const char* op = upper ? "triu" : "tril";
    dispatch_width(out.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::triangle_kernel<T>, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads),
                      reinterpret_cast<T*>(out.data), reinterpret_cast<const T*>(x.data), batch, rows, cols,
                      out.strides[nd - 2], out.strides[nd - 1], x.strides[nd - 2], x.strides[nd - 1], dg,
                      static_cast<int32_t>(upper), static_cast<int32_t>(same), n);
    });
}

}  // namespace wick::cuda
