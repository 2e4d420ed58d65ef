// 2-D convolution (1-D runs with height 1). Products with enough taps per output go through im2col
// and cuBLAS (nn_conv_gemm.cu); the rest run as direct kernels here, one output value per thread
// (or per thread block where a value sums over the whole batch):
//   forward      out[n, oc, oh, ow]  = bias[oc] + sum over (c in oc's group, kh, kw) of x * w
//   grad input   grad_x[n, c, h, w]  = sum over (oc in c's group, taps that read (h, w)) of grad_out * w
//   grad weight  grad_w[oc, c, kh, kw] = sum over (n, oh, ow) of grad_out * x   (one block each)
//   channel sum  grad_bias[oc]       = sum over (n, s) of grad_out, in double  (one block each)
// Every output is written by exactly one thread or block, so results are deterministic and need
// no zeroing. Layouts: x (N, C, H, W), w (OC, C / G, KH, KW), out (N, OC, OH, OW), contiguous.
// Element types: float32, float64, float16 and bfloat16; sums run in OpMath<T> (float for the 16-bit
// types, as cuDNN and PyTorch accumulate them) and each result is rounded to T once.
#include <type_traits>

#include "cuda/buffer.cuh"
#include "cuda/nn.cuh"
#include "cuda/nn_conv.cuh"
#include "cuda/nn_common.cuh"

namespace wick::cuda {

namespace kernels {

// Fast (here and below): every flat index fits 31 bits, so the index splits take FastDiv; in
// conv2d_direct the offsets inside an input plane are 32-bit too. KH_, KW_: the kernel size when it
// is fixed at compile time (3 x 3, whose taps unroll), 0 for any other size. A window wholly inside
// the input skips the bounds checks; the taps are summed in the same order either way (c, kh, kw).
template <class T, bool Fast, int KH_, int KW_>
__global__ void __launch_bounds__(kThreads) conv2d_direct(T* __restrict__ out, const T* __restrict__ x,
                                                          const T* __restrict__ w, const T* __restrict__ bias,
                                                          ConvShape g, ConvDivs dv) {
    using A = OpMath<T>;
    using I = std::conditional_t<Fast, int32_t, int64_t>;
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= g.N * g.OC * g.OH * g.OW) return;
    int64_t ow, oh, oc, ocl;
    const int64_t n = dv.OC.divmod<Fast>(dv.OH.divmod<Fast>(dv.OW.divmod<Fast>(i, ow), oh), oc);
    const int64_t c0 = dv.OCg.divmod<Fast>(oc, ocl) * g.Cg;
    const I KH = KH_ > 0 ? I(KH_) : static_cast<I>(g.KH), KW = KW_ > 0 ? I(KW_) : static_cast<I>(g.KW);
    const I H = static_cast<I>(g.H), W = static_cast<I>(g.W), dh = static_cast<I>(g.dh), dw = static_cast<I>(g.dw);
    const I ih0 = static_cast<I>(oh * g.sh - g.ph), iw0 = static_cast<I>(ow * g.sw - g.pw);
    const bool inside = ih0 >= 0 && ih0 + (KH - 1) * dh < H && iw0 >= 0 && iw0 + (KW - 1) * dw < W;
    const T* xn = x + (n * g.C + c0) * g.H * g.W;
    const T* wo = w + oc * g.Cg * KH * KW;
    A acc = 0;
    for (int64_t c = 0; c < g.Cg; ++c) {
        const T* xc = xn + c * g.H * g.W;
        const T* wc = wo + c * KH * KW;
        if (inside) {
#pragma unroll
            for (I kh = 0; kh < KH; ++kh)
#pragma unroll
                for (I kw = 0; kw < KW; ++kw) acc += to_op(xc[(ih0 + kh * dh) * W + iw0 + kw * dw]) * to_op(wc[kh * KW + kw]);
        } else {
#pragma unroll
            for (I kh = 0; kh < KH; ++kh) {
                const I ih = ih0 + kh * dh;
                if (ih < 0 || ih >= H) continue;
#pragma unroll
                for (I kw = 0; kw < KW; ++kw) {
                    const I iw = iw0 + kw * dw;
                    if (iw < 0 || iw >= W) continue;
                    acc += to_op(xc[ih * W + iw]) * to_op(wc[kh * KW + kw]);
                }
            }
        }
    }
    out[i] = from_op<T>(bias != nullptr ? acc + to_op(bias[oc]) : acc);
}

// grad_x[n, c, ih, iw]: over the taps that read (ih, iw) (output_reading) and c's group's outputs.
template <class T, bool Fast>
__global__ void __launch_bounds__(kThreads) conv2d_grad_input(T* gx, const T* go, const T* w, ConvShape g, ConvDivs dv) {
    using A = OpMath<T>;
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= g.N * g.C * g.H * g.W) return;
    int64_t iw, ih, c, cl;
    const int64_t n = dv.C.divmod<Fast>(dv.H.divmod<Fast>(dv.W.divmod<Fast>(i, iw), ih), c);
    const int64_t grp = dv.Cg.divmod<Fast>(c, cl);
    A acc = 0;
    for (int64_t kh = 0; kh < g.KH; ++kh) {
        int64_t oh;
        if (!output_reading<Fast>(ih, g.ph, kh, g.dh, dv.sh, g.OH, oh)) continue;
        for (int64_t kw = 0; kw < g.KW; ++kw) {
            int64_t ow;
            if (!output_reading<Fast>(iw, g.pw, kw, g.dw, dv.sw, g.OW, ow)) continue;
            for (int64_t o = 0; o < g.OCg; ++o) {
                const int64_t oc = grp * g.OCg + o;
                acc += to_op(go[((n * g.OC + oc) * g.OH + oh) * g.OW + ow]) * to_op(w[((oc * g.Cg + cl) * g.KH + kh) * g.KW + kw]);
            }
        }
    }
    gx[i] = from_op<T>(acc);
}

// Block b computes grad_w element b = (oc, cl, kh, kw); its threads split (n, oh, ow).
template <class T, bool Fast>
__global__ void __launch_bounds__(kThreads) conv2d_grad_weight(T* gw, const T* go, const T* x, ConvShape g, ConvDivs dv) {
    using A = OpMath<T>;
    __shared__ A slots[kThreads];
    const int64_t b = blockIdx.x;
    const int64_t kw = b % g.KW, kh = (b / g.KW) % g.KH, cl = (b / (g.KW * g.KH)) % g.Cg, oc = b / (g.KW * g.KH * g.Cg);
    const int64_t c = (oc / g.OCg) * g.Cg + cl;
    const int64_t count = g.N * g.OH * g.OW;
    A acc = 0;
    for (int64_t j = threadIdx.x; j < count; j += blockDim.x) {
        int64_t ow, oh;
        const int64_t n = dv.OH.divmod<Fast>(dv.OW.divmod<Fast>(j, ow), oh);
        const int64_t ih = oh * g.sh - g.ph + kh * g.dh, iw = ow * g.sw - g.pw + kw * g.dw;
        if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
        acc += to_op(go[((n * g.OC + oc) * g.OH + oh) * g.OW + ow]) * to_op(x[((n * g.C + c) * g.H + ih) * g.W + iw]);
    }
    acc = block_reduce(acc, slots, SumOp{});
    if (threadIdx.x == 0) gw[b] = from_op<T>(acc);
}

// grad_bias[c] = sum of grad_out (N, C, S) over n and s, in double as on the CPU; block c.
template <class T>
__global__ void __launch_bounds__(kThreads) channel_sum_kernel(T* gb, const T* go, int64_t N, int64_t C, int64_t S) {
    __shared__ double slots[kThreads];
    const int64_t c = blockIdx.x;
    double acc = 0;
    for (int64_t j = threadIdx.x; j < N * S; j += blockDim.x) {
        const int64_t n = j / S, s = j - n * S;
        acc += static_cast<double>(to_op(go[(n * C + c) * S + s]));
    }
    acc = block_reduce(acc, slots, SumOp{});
    if (threadIdx.x == 0) gb[c] = from_op<T>(acc);
}

// grad_bias[c] = the parts of channel_part_sums combined in part order; thread c.
template <class T>
__global__ void __launch_bounds__(kThreads) channel_sum_combine(T* gb, const double* part, int64_t C, int64_t P) {
    const int64_t c = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (c >= C) return;
    double acc = 0;
    for (int64_t p = 0; p < P; ++p) acc += part[c * P + p];
    gb[c] = from_op<T>(acc);
}

}  // namespace kernels

namespace {

ConvShape conv_shape(const View& x, const View& w, const View& out, const Conv2dParams& p) {
    ConvShape g{};
    g.N = x.sizes[0], g.C = x.sizes[1], g.H = x.sizes[2], g.W = x.sizes[3];
    g.OC = w.sizes[0], g.KH = w.sizes[2], g.KW = w.sizes[3];
    g.OH = out.sizes[2], g.OW = out.sizes[3];
    g.Cg = g.C / p.groups, g.OCg = g.OC / p.groups;
    g.sh = p.stride[0], g.sw = p.stride[1], g.ph = p.padding[0], g.pw = p.padding[1];
    g.dh = p.dilation[0], g.dw = p.dilation[1];
    return g;
}

}  // namespace

void conv2d(const View& out, const View& x, const View& w, const View& bias, const Conv2dParams& p) {
    const char* op = "conv2d";
    const ConvShape g = conv_shape(x, w, out, p);
    const int64_t n = out.numel();
    if (n == 0) return;
    if (conv_uses_gemm(g)) return conv2d_gemm(out, x, w, bias, g);
    dispatch_floating(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const bool fast = fits_fast_div(n) && fits_fast_div(x.numel()), k3 = g.KH == 3 && g.KW == 3;
        auto kernel = fast ? (k3 ? &kernels::conv2d_direct<T, true, 3, 3> : &kernels::conv2d_direct<T, true, 0, 0>)
                           : (k3 ? &kernels::conv2d_direct<T, false, 3, 3> : &kernels::conv2d_direct<T, false, 0, 0>);
        launch_kernel(op, kernel, grid_1d(ceil_div(n, kThreads), op), dim3(kThreads), data_of<T>(out), data_of<const T>(x),
                      data_of<const T>(w), data_of<const T>(bias), g, conv_divs(g));
    });
}

void conv2d_backward_input(const View& grad_x, const View& grad_out, const View& w, const Conv2dParams& p) {
    const char* op = "conv2d_backward_input";
    const ConvShape g = conv_shape(grad_x, w, grad_out, p);
    const int64_t n = grad_x.numel();
    if (n == 0) return;
    if (conv_uses_gemm(g)) return conv2d_backward_input_gemm(grad_x, grad_out, w, g);
    dispatch_floating(grad_x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        // The dividends: the flat index, and the tap offsets ih + ph and iw + pw.
        const bool fast = fits_fast_div(n) && fits_fast_div(g.H + g.ph) && fits_fast_div(g.W + g.pw);
        launch_kernel(op, fast ? &kernels::conv2d_grad_input<T, true> : &kernels::conv2d_grad_input<T, false>,
                      grid_1d(ceil_div(n, kThreads), op), dim3(kThreads), data_of<T>(grad_x), data_of<const T>(grad_out),
                      data_of<const T>(w), g, conv_divs(g));
    });
}

void conv2d_backward_weight(const View& grad_w, const View& grad_out, const View& x, const Conv2dParams& p) {
    const char* op = "conv2d_backward_weight";
    const ConvShape g = conv_shape(x, grad_w, grad_out, p);
    const int64_t n = grad_w.numel();
    if (n == 0) return;
    if (conv_grad_weight_uses_gemm(g)) return conv2d_backward_weight_gemm(grad_w, grad_out, x, g);
    dispatch_floating(grad_w.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const int64_t positions = g.N * g.OH * g.OW;
        launch_kernel(op, fits_fast_div(positions) ? &kernels::conv2d_grad_weight<T, true> : &kernels::conv2d_grad_weight<T, false>,
                      grid_1d(n, op), dim3(block_threads(positions)), data_of<T>(grad_w), data_of<const T>(grad_out),
                      data_of<const T>(x), g, conv_divs(g));
    });
}

void channel_sum(const View& grad_bias, const View& grad_out) {
    const char* op = "channel_sum";
    const int64_t N = grad_out.sizes[0], C = grad_out.sizes[1];
    int64_t S = 1;
    for (int d = 2; d < grad_out.ndim; ++d) S *= grad_out.sizes[d];
    if (C == 0) return;
    dispatch_floating(grad_bias.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        if (N * S >= kChannelSplitElements) {
            // Many elements per channel (a conv bias over a large batch): split over many blocks.
            const ChannelSplit sp = channel_split(N, C);
            DeviceBuffer part(static_cast<size_t>(C * sp.P) * sizeof(double));
            launch_kernel(op, &kernels::channel_part_sums<T>, grid_1d(C * sp.P, op), dim3(block_threads(sp.per * S)),
                          part.as<double>(), data_of<const T>(grad_out), N, C, S, sp.per, sp.P);
            launch_kernel(op, &kernels::channel_sum_combine<T>, grid_1d(ceil_div(C, kThreads), op), dim3(kThreads),
                          data_of<T>(grad_bias), part.as<const double>(), C, sp.P);
            return;
        }
        launch_kernel(op, &kernels::channel_sum_kernel<T>, grid_1d(C, op), dim3(block_threads(N * S)), data_of<T>(grad_bias),
                      data_of<const T>(grad_out), N, C, S);
    });
}

}  // namespace wick::cuda
