// 2-D pooling over planes (P = N*C, H, W) -> (P, OH, OW): max (flat indices h * W + w into the
// input plane, as PyTorch returns them), average (count_include_pad, divisor_override) and
// adaptive average, each with its backward. Forward kernels take one output per thread. The
// average backwards gather (one input element per thread, over the windows that contain it); the
// max backward scatters along recorded indices, so one thread walks one plane in order (sums of
// overlapping windows are then deterministic, as on the CPU). An index outside the plane (not one
// max_pool2d produced) is skipped rather than written.
#include "cuda/fast_div.cuh"
#include "cuda/index_common.cuh"
#include "cuda/nn.cuh"
#include "cuda/nn_common.cuh"

namespace wick::cuda {

struct PoolShape {
    int64_t P, H, W, OH, OW;
    int64_t kh, kw, sh, sw, ph, pw, dh, dw;
};

namespace kernels {

// Fast: every output index fits 31 bits, so its split into (plane, oh, ow) takes FastDiv.
template <class T, bool Fast>
__global__ void __launch_bounds__(kThreads)
    max_pool2d_kernel(T* out, int64_t* indices, const T* x, PoolShape s, IndexDiv div_ow, IndexDiv div_oh) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.P * s.OH * s.OW) return;
    int64_t ow, oh;
    const int64_t pl = div_oh.divmod<Fast>(div_ow.divmod<Fast>(i, ow), oh);
    const T* xp = x + pl * s.H * s.W;
    T best = -static_cast<T>(INFINITY);
    int64_t best_i = -1;
    for (int64_t kh = 0; kh < s.kh; ++kh) {
        const int64_t ih = oh * s.sh - s.ph + kh * s.dh;
        if (ih < 0 || ih >= s.H) continue;
        for (int64_t kw = 0; kw < s.kw; ++kw) {
            const int64_t iw = ow * s.sw - s.pw + kw * s.dw;
            if (iw < 0 || iw >= s.W) continue;
            const T v = xp[ih * s.W + iw];
            // NaN wins and stays (PyTorch propagates it); ties keep the first.
            if (best_i < 0 || v > best || (is_nan(v) && !is_nan(best))) {
                best = v;
                best_i = ih * s.W + iw;
            }
        }
    }
    out[i] = best;
    indices[i] = best_i;
}

// One warp per plane; lane l owns the plane's cells c with c % 32 == l. It zeroes them (the warp's stores
// coalesce), then walks the outputs in order and adds those whose index is one of its cells, so every cell sums
// its contributions in output order, as the CPU does: the same result bit for bit, without atomics. (One thread
// per plane was serial over the plane and its stores did not coalesce.)
// An index outside the plane (indices not from this input's forward) is skipped and reported (lane 0 of its
// plane's warp) into the device's deferred error, raised at the next synchronisation (index_common.cuh).
template <class T>
__global__ void __launch_bounds__(kThreads) max_pool2d_backward_warps(T* gx, const T* go, const int64_t* indices, int64_t P,
                                                                      int64_t HW, int64_t OHW, IndexReport bad) {
    const int64_t pl = (static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / 32;
    const int64_t lane = threadIdx.x % 32;
    if (pl >= P) return;
    T* gp = gx + pl * HW;
    for (int64_t c = lane; c < HW; c += 32) gp[c] = T(0);
    const int64_t* ip = indices + pl * OHW;
    const T* gop = go + pl * OHW;
    for (int64_t j = 0; j < OHW; ++j) {
        const int64_t at = ip[j];
        if (at < 0 || at >= HW) {
            if (lane == 0) report_bad_index(bad, pl * OHW + j, at);
        } else if (at % 32 == lane) {
            gp[at] += gop[j];
        }
    }
}

// The window of output (oh, ow) clipped to the input, and its divisor (as cpu/nn/pool.cpp).
struct AvgWindow {
    int64_t h0, h1, w0, w1, divisor;
};

__device__ __forceinline__ AvgWindow avg_window(const PoolShape& s, int64_t oh, int64_t ow, int32_t count_include_pad,
                                                int64_t divisor_override) {
    int64_t h0 = oh * s.sh - s.ph, w0 = ow * s.sw - s.pw;
    int64_t h1 = h0 + s.kh < s.H + s.ph ? h0 + s.kh : s.H + s.ph;
    int64_t w1 = w0 + s.kw < s.W + s.pw ? w0 + s.kw : s.W + s.pw;
    const int64_t padded = (h1 - h0) * (w1 - w0);
    h0 = h0 > 0 ? h0 : 0, w0 = w0 > 0 ? w0 : 0;
    h1 = h1 < s.H ? h1 : s.H, w1 = w1 < s.W ? w1 : s.W;
    const int64_t divisor = divisor_override > 0 ? divisor_override : count_include_pad ? padded : (h1 - h0) * (w1 - w0);
    return AvgWindow{h0, h1, w0, w1, divisor};
}

template <class T>
__global__ void __launch_bounds__(kThreads)
    avg_pool2d_kernel(T* out, const T* x, PoolShape s, int32_t count_include_pad, int64_t divisor_override) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.P * s.OH * s.OW) return;
    const int64_t ow = i % s.OW, oh = (i / s.OW) % s.OH, pl = i / (s.OW * s.OH);
    const AvgWindow w = avg_window(s, oh, ow, count_include_pad, divisor_override);
    const T* xp = x + pl * s.H * s.W;
    T sum = 0;
    for (int64_t ih = w.h0; ih < w.h1; ++ih)
        for (int64_t iw = w.w0; iw < w.w1; ++iw) sum += xp[ih * s.W + iw];
    out[i] = sum / static_cast<T>(w.divisor);
}

// Input (ih, iw) lies in the windows of output rows oh with oh * sh - ph <= ih < oh * sh - ph + kh.
template <class T>
__global__ void __launch_bounds__(kThreads)
    avg_pool2d_backward_kernel(T* gx, const T* go, PoolShape s, int32_t count_include_pad, int64_t divisor_override) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.P * s.H * s.W) return;
    const int64_t iw = i % s.W, ih = (i / s.W) % s.H, pl = i / (s.W * s.H);
    const int64_t oh_hi = (ih + s.ph) / s.sh, ow_hi = (iw + s.pw) / s.sw;
    const int64_t oh_lo = ih + s.ph - s.kh + 1 > 0 ? (ih + s.ph - s.kh + 1 + s.sh - 1) / s.sh : 0;
    const int64_t ow_lo = iw + s.pw - s.kw + 1 > 0 ? (iw + s.pw - s.kw + 1 + s.sw - 1) / s.sw : 0;
    T acc = 0;
    for (int64_t oh = oh_lo; oh <= oh_hi && oh < s.OH; ++oh)
        for (int64_t ow = ow_lo; ow <= ow_hi && ow < s.OW; ++ow) {
            const AvgWindow w = avg_window(s, oh, ow, count_include_pad, divisor_override);
            if (ih < w.h0 || ih >= w.h1 || iw < w.w0 || iw >= w.w1) continue;
            acc += go[(pl * s.OH + oh) * s.OW + ow] / static_cast<T>(w.divisor);
        }
    gx[i] = acc;
}

__device__ __forceinline__ int64_t adaptive_start(int64_t i, int64_t out, int64_t in) { return (i * in) / out; }
__device__ __forceinline__ int64_t adaptive_end(int64_t i, int64_t out, int64_t in) { return ((i + 1) * in + out - 1) / out; }

template <class T>
__global__ void __launch_bounds__(kThreads) adaptive_avg_pool2d_kernel(T* out, const T* x, PoolShape s) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.P * s.OH * s.OW) return;
    const int64_t ow = i % s.OW, oh = (i / s.OW) % s.OH, pl = i / (s.OW * s.OH);
    const int64_t h0 = adaptive_start(oh, s.OH, s.H), h1 = adaptive_end(oh, s.OH, s.H);
    const int64_t w0 = adaptive_start(ow, s.OW, s.W), w1 = adaptive_end(ow, s.OW, s.W);
    const T* xp = x + pl * s.H * s.W;
    T sum = 0;
    for (int64_t ih = h0; ih < h1; ++ih)
        for (int64_t iw = w0; iw < w1; ++iw) sum += xp[ih * s.W + iw];
    out[i] = sum / static_cast<T>((h1 - h0) * (w1 - w0));
}

template <class T>
__global__ void __launch_bounds__(kThreads) adaptive_avg_pool2d_backward_kernel(T* gx, const T* go, PoolShape s) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.P * s.H * s.W) return;
    const int64_t iw = i % s.W, ih = (i / s.W) % s.H, pl = i / (s.W * s.H);
    T acc = 0;
    for (int64_t oh = 0; oh < s.OH; ++oh) {
        const int64_t h0 = adaptive_start(oh, s.OH, s.H), h1 = adaptive_end(oh, s.OH, s.H);
        if (ih < h0 || ih >= h1) continue;
        for (int64_t ow = 0; ow < s.OW; ++ow) {
            const int64_t w0 = adaptive_start(ow, s.OW, s.W), w1 = adaptive_end(ow, s.OW, s.W);
            if (iw < w0 || iw >= w1) continue;
            acc += go[(pl * s.OH + oh) * s.OW + ow] / static_cast<T>((h1 - h0) * (w1 - w0));
        }
    }
    gx[i] = acc;
}

}  // namespace kernels

namespace {

// in: (P, H, W), out: (P, OH, OW).
PoolShape pool_shape(const View& in, const View& out, const Pool2dParams* p) {
    PoolShape s{};
    s.P = in.sizes[0], s.H = in.sizes[1], s.W = in.sizes[2], s.OH = out.sizes[1], s.OW = out.sizes[2];
    if (p != nullptr) {
        s.kh = p->kernel[0], s.kw = p->kernel[1], s.sh = p->stride[0], s.sw = p->stride[1];
        s.ph = p->padding[0], s.pw = p->padding[1], s.dh = p->dilation[0], s.dw = p->dilation[1];
    }
    return s;
}

}  // namespace

void max_pool2d(const View& out, const View& indices, const View& x, const Pool2dParams& p) {
    const char* op = "max_pool2d";
    const PoolShape s = pool_shape(x, out, &p);
    if (out.numel() == 0) return;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, fits_fast_div(out.numel()) ? &kernels::max_pool2d_kernel<T, true> : &kernels::max_pool2d_kernel<T, false>,
                      grid_1d(ceil_div(out.numel(), kThreads), op), dim3(kThreads), data_of<T>(out), data_of<int64_t>(indices),
                      data_of<const T>(x), s, IndexDiv(s.OW), IndexDiv(s.OH));
    });
}

void max_pool2d_backward(const View& grad_x, const View& grad_out, const View& indices) {
    const char* op = "max_pool2d_backward";
    const PoolShape s = pool_shape(grad_x, grad_out, nullptr);
    if (s.P == 0) return;
    // Synchronous mode checks the indices (contiguous, P x OH*OW) first; otherwise the kernel reports.
    const IndexReport bad = index_report(BadIndexKind::PoolIndex, op, 0, s.H * s.W, s.W);
    check_index_entries(indices, bad, false, false, 0, true);
    dispatch_f32_f64(grad_x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::max_pool2d_backward_warps<T>, grid_1d(ceil_div(s.P * 32, kThreads), op), dim3(kThreads),
                      data_of<T>(grad_x), data_of<const T>(grad_out), data_of<const int64_t>(indices), s.P, s.H * s.W,
                      s.OH * s.OW, bad);
    });
}

void avg_pool2d(const View& out, const View& x, const Pool2dParams& p, bool count_include_pad, int64_t divisor_override) {
    const char* op = "avg_pool2d";
    const PoolShape s = pool_shape(x, out, &p);
    if (out.numel() == 0) return;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::avg_pool2d_kernel<T>, grid_1d(ceil_div(out.numel(), kThreads), op), dim3(kThreads),
                      data_of<T>(out), data_of<const T>(x), s, static_cast<int32_t>(count_include_pad), divisor_override);
    });
}

void avg_pool2d_backward(const View& grad_x, const View& grad_out, const Pool2dParams& p, bool count_include_pad,
                         int64_t divisor_override) {
    const char* op = "avg_pool2d_backward";
    const PoolShape s = pool_shape(grad_x, grad_out, &p);
    if (grad_x.numel() == 0) return;
    dispatch_f32_f64(grad_x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::avg_pool2d_backward_kernel<T>, grid_1d(ceil_div(grad_x.numel(), kThreads), op),
                      dim3(kThreads), data_of<T>(grad_x), data_of<const T>(grad_out), s,
                      static_cast<int32_t>(count_include_pad), divisor_override);
    });
}

void adaptive_avg_pool2d(const View& out, const View& x) {
    const char* op = "adaptive_avg_pool2d";
    const PoolShape s = pool_shape(x, out, nullptr);
    if (out.numel() == 0) return;
    dispatch_f32_f64(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::adaptive_avg_pool2d_kernel<T>, grid_1d(ceil_div(out.numel(), kThreads), op),
                      dim3(kThreads), data_of<T>(out), data_of<const T>(x), s);
    });
}

void adaptive_avg_pool2d_backward(const View& grad_x, const View& grad_out) {
    const char* op = "adaptive_avg_pool2d_backward";
    const PoolShape s = pool_shape(grad_x, grad_out, nullptr);
    if (grad_x.numel() == 0) return;
    dispatch_f32_f64(grad_x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, &kernels::adaptive_avg_pool2d_backward_kernel<T>, grid_1d(ceil_div(grad_x.numel(), kThreads), op),
                      dim3(kThreads), data_of<T>(grad_x), data_of<const T>(grad_out), s);
    });
}

}  // namespace wick::cuda
