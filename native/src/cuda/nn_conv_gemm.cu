// Convolution through im2col and cuBLAS, per chunk of images and per group g (K = Cg * KH * KW
// taps, P = OH * OW output positions):
//   col[n] (K, P)       = the input taps each output position reads (zeros in the padding)
//   forward             out[n, g] (OCg, P)  = w[g] (OCg, K) @ col[n]            one batched GEMM
//   grad input          col[n] (K, P)       = w[g]^T (K, OCg) @ grad_out[n, g]  one batched GEMM,
//                       then col2im gathers each input element's taps (no atomics)
//   grad weight         part[n] (OCg, K)    = grad_out[n, g] (OCg, P) @ col[n]^T, then the parts
//                       are summed over images in order (deterministic)
// The column buffer is kept under kColBytes by chunking the batch. Layouts as in nn_conv.cuh. float32
// products use TF32 when Cuda.AllowTF32Convolution is on (the default, as PyTorch's cuDNN convolutions).
// Element types T: float32, float64, float16, bfloat16, with A = OpMath<T> the accumulation type (float
// for the 16-bit types): x, w, out and col (forward, grad weight) are in T and every GEMM accumulates in
// A (cuBLAS's CUBLAS_COMPUTE_32F for 16-bit operands); products that are summed further (the grad-input
// columns, the weight-gradient parts and their running sum over chunks) are kept in A, so each result
// is rounded to T once. The bias goes into the forward GEMM as its C operand (beta 1), not added after.
#include "cuda/buffer.cuh"
#include "cuda/linalg.cuh"
#include "cuda/nn_common.cuh"
#include "cuda/nn_conv.cuh"

namespace wick::cuda {

namespace kernels {

// im2col and col2im run over rows of contiguous elements (a row of col, a plane of grad_x):
// blockIdx.x is the row and blockIdx.y a tile of kTileElements * blockDim.x elements, in which thread
// t takes t, t + blockDim.x, ... (each store instruction of a warp covers 32 consecutive elements).
// The row's coordinates are split once per thread rather than once per element.
constexpr int kTileElements = 4;

// col (chunk, K, P) for group grp of images n0 ...: col[nl, (c * KH + kh) * KW + kw, oh * OW + ow].
// Block (row = nl * K + k, tile); Fast: every index fits 31 bits, so the splits take FastDiv.
template <class T, bool Fast>
__global__ void __launch_bounds__(kThreads)
    im2col_kernel(T* col, const T* x, ConvShape g, ConvDivs dv, int64_t n0, int64_t grp) {
    const int64_t P = g.OH * g.OW, row = blockIdx.x;
    int64_t k, kw, kh;
    const int64_t nl = dv.K.divmod<Fast>(row, k);
    const int64_t c = dv.KH.divmod<Fast>(dv.KW.divmod<Fast>(k, kw), kh);
    const T* xc = x + ((n0 + nl) * g.C + grp * g.Cg + c) * g.H * g.W;
    T* out = col + row * P;
    const int64_t base = static_cast<int64_t>(blockIdx.y) * blockDim.x * kTileElements + threadIdx.x;
#pragma unroll
    for (int j = 0; j < kTileElements; ++j) {
        const int64_t p = base + static_cast<int64_t>(j) * blockDim.x;
        if (p >= P) return;
        int64_t ow;
        const int64_t oh = dv.OW.divmod<Fast>(p, ow);
        const int64_t ih = oh * g.sh - g.ph + kh * g.dh, iw = ow * g.sw - g.pw + kw * g.dw;
        T v{};  // all bits zero: +0 in every float type
        if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W) v = xc[ih * g.W + iw];
        out[p] = v;
    }
}

// grad_x[n0 + nl, grp * Cg + c, ih, iw] = the sum of the col entries of the taps that read (ih, iw).
// Block (plane = nl * Cg + c, tile of H * W).
template <class T, class A, bool Fast>
__global__ void __launch_bounds__(kThreads)
    col2im_kernel(T* gx, const A* col, ConvShape g, ConvDivs dv, int64_t n0, int64_t grp) {
    const int64_t P = g.OH * g.OW, K = g.Cg * g.KH * g.KW, HW = g.H * g.W, plane = blockIdx.x;
    int64_t c;
    const int64_t nl = dv.Cg.divmod<Fast>(plane, c);
    const A* cn = col + nl * K * P + c * g.KH * g.KW * P;
    T* out = gx + ((n0 + nl) * g.C + grp * g.Cg + c) * HW;
    const int64_t base = static_cast<int64_t>(blockIdx.y) * blockDim.x * kTileElements + threadIdx.x;
#pragma unroll
    for (int j = 0; j < kTileElements; ++j) {
        const int64_t e = base + static_cast<int64_t>(j) * blockDim.x;
        if (e >= HW) return;
        int64_t iw;
        const int64_t ih = dv.W.divmod<Fast>(e, iw);
        A acc = 0;
        for (int64_t kh = 0; kh < g.KH; ++kh) {
            int64_t oh;
            if (!output_reading<Fast>(ih, g.ph, kh, g.dh, dv.sh, g.OH, oh)) continue;
            for (int64_t kw = 0; kw < g.KW; ++kw) {
                int64_t ow;
                if (!output_reading<Fast>(iw, g.pw, kw, g.dw, dv.sw, g.OW, ow)) continue;
                acc += cn[(kh * g.KW + kw) * P + oh * g.OW + ow];
            }
        }
        out[e] = from_op<T>(acc);
    }
}

// out (N, OC, P) = bias[oc]: the C operand of the forward GEMMs (beta 1).
template <class T>
__global__ void __launch_bounds__(kThreads) fill_bias_kernel(T* out, const T* bias, int64_t total, int64_t OC, int64_t P) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= total) return;
    out[i] = bias[(i / P) % OC];
}

// The sum over images of part[nl * J + j], images in order, after carry[j] (the earlier chunks' sum)
// unless this is the first chunk; stored to carry, or rounded to gw on the last chunk.
template <class T, class A>
__global__ void __launch_bounds__(kThreads)
    sum_parts_kernel(T* gw, A* carry, const A* part, int64_t chunk, int64_t J, int32_t first, int32_t last) {
    const int64_t j = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (j >= J) return;
    A acc = first ? A(0) : carry[j];
    for (int64_t nl = 0; nl < chunk; ++nl) acc += part[nl * J + j];
    if (last) gw[j] = from_op<T>(acc);
    else carry[j] = acc;
}

}  // namespace kernels

namespace {

// Bytes of column buffer per chunk (the chunk is at least one image). The emulator build takes a
// tiny budget so that the tests' small batches run in several chunks, the last one partial.
#if defined(WICK_CUDA_EMULATION)
constexpr int64_t kColBytes = int64_t(12) << 10;
#else
constexpr int64_t kColBytes = int64_t(256) << 20;
#endif

int64_t chunk_images(const ConvShape& g, size_t es) {
    const int64_t per = g.Cg * g.KH * g.KW * g.OH * g.OW * static_cast<int64_t>(es);
    int64_t c = per > 0 ? kColBytes / per : g.N;
    if (c < 1) c = 1;
    return c < g.N ? c : g.N;
}

// A 3-D view (batch, rows, cols) over raw device memory.
View view3(const void* data, DType dt, int64_t b, int64_t r, int64_t c, int64_t sb, int64_t sr, int64_t sc) {
    View v;
    v.data = static_cast<char*>(const_cast<void*>(data));
    v.dtype = dt;
    v.ndim = 3;
    v.sizes[0] = b, v.sizes[1] = r, v.sizes[2] = c;
    v.strides[0] = sb, v.strides[1] = sr, v.strides[2] = sc;
    return v;
}

// The grid of a row kernel above: `rows` rows of `count` elements, blocks of `threads`.
dim3 row_tiles(int64_t rows, int64_t count, int threads, const char* op) {
    const int64_t tiles = ceil_div(count, static_cast<int64_t>(threads) * kernels::kTileElements);
    check(tiles <= 65535, WK_ERR_INVALID_ARGUMENT, op, ": ", count, " elements per row exceed the CUDA grid limit");
    return dim3(grid_1d(rows, op).x, static_cast<unsigned int>(tiles));
}

// Threads per block of a row kernel: enough for one tile to cover `count`, up to kThreads.
int row_threads(int64_t count) { return block_threads(ceil_div(count, kernels::kTileElements)); }

template <class T>
void im2col(T* col, const T* x, const ConvShape& g, int64_t n0, int64_t chunk, int64_t grp) {
    const int64_t rows = chunk * g.Cg * g.KH * g.KW, P = g.OH * g.OW;
    if (rows * P == 0) return;
    const char* op = "conv2d (im2col)";
    const int threads = row_threads(P);
    launch_kernel(op, fits_fast_div(rows * P) ? &kernels::im2col_kernel<T, true> : &kernels::im2col_kernel<T, false>,
                  row_tiles(rows, P, threads, op), dim3(threads), col, x, g, conv_divs(g), n0, grp);
}

template <class T, class A>
void col2im(T* gx, const A* col, const ConvShape& g, int64_t n0, int64_t chunk, int64_t grp) {
    const int64_t planes = chunk * g.Cg, HW = g.H * g.W;
    if (planes * HW == 0) return;
    const char* op = "conv2d_backward_input (col2im)";
    const int threads = row_threads(HW);
    // The dividends: plane, element, and the tap offsets ih + ph and iw + pw.
    const bool fast = fits_fast_div(planes * HW) && fits_fast_div(g.H + g.ph) && fits_fast_div(g.W + g.pw);
    launch_kernel(op, fast ? &kernels::col2im_kernel<T, A, true> : &kernels::col2im_kernel<T, A, false>,
                  row_tiles(planes, HW, threads, op), dim3(threads), gx, col, g, conv_divs(g), n0, grp);
}

}  // namespace

void conv2d_gemm(const View& out, const View& x, const View& w, const View& bias, const ConvShape& g) {
    const char* op = "conv2d";
    dispatch_floating(x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const int64_t K = g.Cg * g.KH * g.KW, P = g.OH * g.OW, chunk = chunk_images(g, sizeof(T));
        const bool has_bias = bias.data != nullptr;
        if (has_bias) {
            const int64_t total = out.numel();
            launch_kernel(op, &kernels::fill_bias_kernel<T>, grid_1d(ceil_div(total, kThreads), op), dim3(kThreads),
                          data_of<T>(out), data_of<const T>(bias), total, g.OC, P);
        }
        DeviceBuffer col(static_cast<size_t>(chunk * K * P) * sizeof(T));
        for (int64_t n0 = 0; n0 < g.N; n0 += chunk) {
            const int64_t cn = g.N - n0 < chunk ? g.N - n0 : chunk;
            for (int64_t grp = 0; grp < g.OC / g.OCg; ++grp) {
                im2col(col.as<T>(), data_of<const T>(x), g, n0, cn, grp);
                // out[n, grp] (OCg, P) = w[grp] (OCg, K) @ col[n] (K, P) (+ the bias already there), batched over the chunk.
                const View c = view3(data_of<T>(out) + (n0 * g.OC + grp * g.OCg) * P, x.dtype, cn, g.OCg, P, g.OC * P, P, 1);
                const View a = view3(data_of<const T>(w) + grp * g.OCg * K, x.dtype, cn, g.OCg, K, 0, K, 1);
                const View b = view3(col.as<T>(), x.dtype, cn, K, P, K * P, P, 1);
                matmul_into(c, a, b, 1.0, has_bias ? 1.0 : 0.0, WK_TF32_CONVOLUTION);
            }
        }
    });
}

void conv2d_backward_input_gemm(const View& grad_x, const View& grad_out, const View& w, const ConvShape& g) {
    const char* op = "conv2d_backward_input";
    dispatch_floating(grad_x.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using A = OpMath<T>;
        const DType adt = DTypeOf<A>::value;
        const int64_t K = g.Cg * g.KH * g.KW, P = g.OH * g.OW, chunk = chunk_images(g, sizeof(A));
        DeviceBuffer col(static_cast<size_t>(chunk * K * P) * sizeof(A));
        for (int64_t n0 = 0; n0 < g.N; n0 += chunk) {
            const int64_t cn = g.N - n0 < chunk ? g.N - n0 : chunk;
            for (int64_t grp = 0; grp < g.OC / g.OCg; ++grp) {
                // col[n] (K, P) = w[grp]^T (K, OCg) @ grad_out[n, grp] (OCg, P), kept in A.
                const View c = view3(col.as<A>(), adt, cn, K, P, K * P, P, 1);
                const View a = view3(data_of<const T>(w) + grp * g.OCg * K, grad_x.dtype, cn, K, g.OCg, 0, 1, K);
                const View b = view3(data_of<const T>(grad_out) + (n0 * g.OC + grp * g.OCg) * P, grad_x.dtype, cn, g.OCg, P,
                                     g.OC * P, P, 1);
                matmul_into(c, a, b, 1.0, 0.0, WK_TF32_CONVOLUTION);
                col2im(data_of<T>(grad_x), col.as<const A>(), g, n0, cn, grp);
            }
        }
    });
}

void conv2d_backward_weight_gemm(const View& grad_w, const View& grad_out, const View& x, const ConvShape& g) {
    const char* op = "conv2d_backward_weight";
    dispatch_floating(grad_w.dtype, op, [&](auto tag) {
        using T = typename decltype(tag)::type;
        using A = OpMath<T>;
        const DType adt = DTypeOf<A>::value;
        const int64_t K = g.Cg * g.KH * g.KW, P = g.OH * g.OW, chunk = chunk_images(g, sizeof(T)), J = g.OCg * K;
        const int64_t groups = g.OC / g.OCg;
        DeviceBuffer col(static_cast<size_t>(chunk * K * P) * sizeof(T));
        DeviceBuffer part(static_cast<size_t>(chunk * J) * sizeof(A));
        // The running sum of every group's weight gradient over the chunks (only when there are several).
        DeviceBuffer carry(chunk < g.N ? static_cast<size_t>(groups * J) * sizeof(A) : 0);
        for (int64_t n0 = 0; n0 < g.N; n0 += chunk) {
            const int64_t cn = g.N - n0 < chunk ? g.N - n0 : chunk;
            for (int64_t grp = 0; grp < groups; ++grp) {
                im2col(col.as<T>(), data_of<const T>(x), g, n0, cn, grp);
                // part[n] (OCg, K) = grad_out[n, grp] (OCg, P) @ col[n]^T (P, K), kept in A.
                const View c = view3(part.as<A>(), adt, cn, g.OCg, K, J, K, 1);
                const View a = view3(data_of<const T>(grad_out) + (n0 * g.OC + grp * g.OCg) * P, grad_w.dtype, cn, g.OCg, P,
                                     g.OC * P, P, 1);
                const View b = view3(col.as<T>(), grad_w.dtype, cn, P, K, K * P, 1, P);
                matmul_into(c, a, b, 1.0, 0.0, WK_TF32_CONVOLUTION);
                A* carry_grp = carry.as<A>() != nullptr ? carry.as<A>() + grp * J : nullptr;
                launch_kernel(op, &kernels::sum_parts_kernel<T, A>, grid_1d(ceil_div(J, kThreads), op), dim3(kThreads),
                              data_of<T>(grad_w) + grp * J, carry_grp, part.as<const A>(), cn, J, static_cast<int32_t>(n0 == 0),
                              static_cast<int32_t>(n0 + cn >= g.N));
            }
        }
    });
}

}  // namespace wick::cuda
