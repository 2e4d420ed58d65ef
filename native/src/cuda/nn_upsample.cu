// Upsampling of planes (P = N*C, H, W) to (P, OH, OW), nearest and bilinear, with the CPU's
// (PyTorch's) source coordinates (cpu/nn/upsample.cpp): nearest uses floor(dst * scale); bilinear
// with align_corners maps the corner pixels onto each other, without it uses pixel centres. The
// forwards take one output per thread; the backwards scatter into a plane that one thread owns,
// in the CPU's order, so sums are deterministic and equal to the CPU's.
#include "cuda/nn.cuh"
#include "cuda/nn_common.cuh"

namespace wick::cuda {

namespace {

double nearest_scale(int64_t in, int64_t out, double user) {
    return user > 0 ? 1.0 / user : static_cast<double>(in) / static_cast<double>(out);
}

double linear_scale(int64_t in, int64_t out, bool align_corners, double user) {
    if (align_corners) return out > 1 ? static_cast<double>(in - 1) / static_cast<double>(out - 1) : 0.0;
    return user > 0 ? 1.0 / user : static_cast<double>(in) / static_cast<double>(out);
}

}  // namespace

struct UpsampleShape {
    int64_t P, H, W, OH, OW;
    double sh, sw;
    int32_t align_corners;
};

namespace kernels {

__device__ __forceinline__ int64_t nearest_src(int64_t dst, double scale, int64_t in) {
    const int64_t s = static_cast<int64_t>(m_floor(static_cast<double>(dst) * scale));
    return s < in - 1 ? s : in - 1;
}

// The two source taps of output coordinate dst and the weight of the second.
struct Taps {
    int64_t i0, i1;
    double l1;
};

__device__ __forceinline__ Taps linear_taps(int64_t dst, double scale, int32_t align_corners, int64_t in) {
    double src = align_corners ? scale * static_cast<double>(dst) : scale * (static_cast<double>(dst) + 0.5) - 0.5;
    if (src < 0) src = 0;
    int64_t i0 = static_cast<int64_t>(src);
    if (i0 > in - 1) i0 = in - 1;
    const int64_t i1 = i0 + (i0 < in - 1 ? 1 : 0);
    const double l1 = src - static_cast<double>(i0);
    return Taps{i0, i1, l1 < 1.0 ? l1 : 1.0};
}

template <class T>
__global__ void __launch_bounds__(kThreads) upsample_nearest_kernel(T* out, const T* x, UpsampleShape s) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.P * s.OH * s.OW) return;
    const int64_t ow = i % s.OW, oh = (i / s.OW) % s.OH, pl = i / (s.OW * s.OH);
    out[i] = x[(pl * s.H + nearest_src(oh, s.sh, s.H)) * s.W + nearest_src(ow, s.sw, s.W)];
}

template <class T>
__global__ void __launch_bounds__(kThreads) upsample_nearest_backward_planes(T* gx, const T* go, UpsampleShape s) {
    const int64_t pl = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (pl >= s.P) return;
    T* gp = gx + pl * s.H * s.W;
    const T* g = go + pl * s.OH * s.OW;
    for (int64_t j = 0; j < s.H * s.W; ++j) gp[j] = T(0);
    for (int64_t oh = 0; oh < s.OH; ++oh) {
        T* gr = gp + nearest_src(oh, s.sh, s.H) * s.W;
        for (int64_t ow = 0; ow < s.OW; ++ow) gr[nearest_src(ow, s.sw, s.W)] += g[oh * s.OW + ow];
    }
}

template <class T>
__global__ void __launch_bounds__(kThreads) upsample_bilinear_kernel(T* out, const T* x, UpsampleShape s) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= s.P * s.OH * s.OW) return;
    const int64_t ow = i % s.OW, oh = (i / s.OW) % s.OH, pl = i / (s.OW * s.OH);
    const Taps th = linear_taps(oh, s.sh, s.align_corners, s.H), tw = linear_taps(ow, s.sw, s.align_corners, s.W);
    const T h1 = static_cast<T>(th.l1), h0 = T(1) - h1, w1 = static_cast<T>(tw.l1), w0 = T(1) - w1;
    const T* r0 = x + (pl * s.H + th.i0) * s.W;
    const T* r1 = x + (pl * s.H + th.i1) * s.W;
    out[i] = h0 * (w0 * r0[tw.i0] + w1 * r0[tw.i1]) + h1 * (w0 * r1[tw.i0] + w1 * r1[tw.i1]);
}

template <class T>
__global__ void __launch_bounds__(kThreads) upsample_bilinear_backward_planes(T* gx, const T* go, UpsampleShape s) {
    const int64_t pl = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (pl >= s.P) return;
    T* gp = gx + pl * s.H * s.W;
    const T* g = go + pl * s.OH * s.OW;
    for (int64_t j = 0; j < s.H * s.W; ++j) gp[j] = T(0);
    for (int64_t oh = 0; oh < s.OH; ++oh) {
        const Taps th = linear_taps(oh, s.sh, s.align_corners, s.H);
        const T h1 = static_cast<T>(th.l1), h0 = T(1) - h1;
        T* r0 = gp + th.i0 * s.W;
        T* r1 = gp + th.i1 * s.W;
        for (int64_t ow = 0; ow < s.OW; ++ow) {
            const Taps t = linear_taps(ow, s.sw, s.align_corners, s.W);
            const T w1 = static_cast<T>(t.l1), w0 = T(1) - w1, v = g[oh * s.OW + ow];
            r0[t.i0] += h0 * w0 * v;
            r0[t.i1] += h0 * w1 * v;
            r1[t.i0] += h1 * w0 * v;
            r1[t.i1] += h1 * w1 * v;
        }
    }
}

}  // namespace kernels

namespace {

// in: (P, H, W), out: (P, OH, OW).
UpsampleShape upsample_shape(const View& in, const View& out, bool bilinear, bool align_corners, double scale_h,
                             double scale_w) {
    UpsampleShape s{};
    s.P = in.sizes[0], s.H = in.sizes[1], s.W = in.sizes[2], s.OH = out.sizes[1], s.OW = out.sizes[2];
    s.align_corners = align_corners ? 1 : 0;
    s.sh = bilinear ? linear_scale(s.H, s.OH, align_corners, scale_h) : nearest_scale(s.H, s.OH, scale_h);
    s.sw = bilinear ? linear_scale(s.W, s.OW, align_corners, scale_w) : nearest_scale(s.W, s.OW, scale_w);
    return s;
}

template <class Kernel>
void run_upsample(const char* op, DType t, int64_t threads, Kernel pick, const View& dst, const View& src,
                  const UpsampleShape& s) {
    if (threads == 0) return;
    dispatch_f32_f64(t, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        launch_kernel(op, pick(tag), grid_1d(ceil_div(threads, kThreads), op), dim3(kThreads), data_of<T>(dst),
                      data_of<const T>(src), s);
    });
}

}  // namespace

void upsample_nearest2d(const View& out, const View& x, double scale_h, double scale_w) {
    const UpsampleShape s = upsample_shape(x, out, false, false, scale_h, scale_w);
    run_upsample("upsample_nearest2d", x.dtype, out.numel(),
                 [](auto tag) { return &kernels::upsample_nearest_kernel<typename decltype(tag)::type>; }, out, x, s);
}

void upsample_nearest2d_backward(const View& grad_x, const View& grad_out, double scale_h, double scale_w) {
    const UpsampleShape s = upsample_shape(grad_x, grad_out, false, false, scale_h, scale_w);
    run_upsample("upsample_nearest2d_backward", grad_x.dtype, s.H * s.W > 0 ? s.P : 0,
                 [](auto tag) { return &kernels::upsample_nearest_backward_planes<typename decltype(tag)::type>; }, grad_x,
                 grad_out, s);
}

void upsample_bilinear2d(const View& out, const View& x, bool align_corners, double scale_h, double scale_w) {
    const UpsampleShape s = upsample_shape(x, out, true, align_corners, scale_h, scale_w);
    run_upsample("upsample_bilinear2d", x.dtype, out.numel(),
                 [](auto tag) { return &kernels::upsample_bilinear_kernel<typename decltype(tag)::type>; }, out, x, s);
}

void upsample_bilinear2d_backward(const View& grad_x, const View& grad_out, bool align_corners, double scale_h,
                                  double scale_w) {
    const UpsampleShape s = upsample_shape(grad_x, grad_out, true, align_corners, scale_h, scale_w);
    run_upsample("upsample_bilinear2d_backward", grad_x.dtype, s.H * s.W > 0 ? s.P : 0,
                 [](auto tag) { return &kernels::upsample_bilinear_backward_planes<typename decltype(tag)::type>; },
                 grad_x, grad_out, s);
}

}  // namespace wick::cuda
