// Shared by the two convolution paths: direct kernels (nn_conv.cu) and im2col plus cuBLAS
// (nn_conv_gemm.cu). Layouts: x (N, C, H, W), w (OC, C / G, KH, KW), out (N, OC, OH, OW), all
// contiguous; Cg = C / G input and OCg = OC / G output channels per group.
#pragma once

#include <cstdint>

#include "core/view.h"
#include "cuda/common.cuh"
#include "cuda/fast_div.cuh"

namespace wick::cuda {

struct ConvShape {
    int64_t N, C, H, W, OC, OH, OW, KH, KW, Cg, OCg;
    int64_t sh, sw, ph, pw, dh, dw;
};

// The divisors the conv kernels split flat indices by (fast_div.cuh): output and input planes, taps.
struct ConvDivs {
    IndexDiv OW, OH, OC, OCg, W, H, C, Cg, KW, KH, K, P, sh, sw;
};

inline ConvDivs conv_divs(const ConvShape& g) {
    return ConvDivs{IndexDiv(g.OW), IndexDiv(g.OH), IndexDiv(g.OC), IndexDiv(g.OCg), IndexDiv(g.W),
                    IndexDiv(g.H),  IndexDiv(g.C),  IndexDiv(g.Cg), IndexDiv(g.KW),  IndexDiv(g.KH),
                    IndexDiv(g.Cg * g.KH * g.KW),   IndexDiv(g.OH * g.OW),           IndexDiv(g.sh),  IndexDiv(g.sw)};
}

// The output coordinate o that reads input coordinate i through tap k along one axis, where
// o * stride - pad + k * dilation == i; false when no output does (col2im and the direct input
// gradient walk the taps of an input element with it). Fast as in the kernels (IndexDiv::divmod).
template <bool Fast>
__device__ __forceinline__ bool output_reading(int64_t i, int64_t pad, int64_t k, int64_t dilation, const IndexDiv& stride,
                                               int64_t out_size, int64_t& o) {
    const int64_t t = i + pad - k * dilation;
    if (t < 0) return false;
    int64_t r;
    o = stride.divmod<Fast>(t, r);
    return r == 0 && o < out_size;
}

// True when the GEMM path pays: enough taps per output (Cg * KH * KW) to fill a matrix product.
inline bool conv_uses_gemm(const ConvShape& g) { return g.Cg * g.KH * g.KW >= 16; }

// The direct weight-gradient kernel gives one block to each weight, which walks all N * OH * OW
// output positions: with few weights and many positions (a CNN's first layer at batch 512: 288
// weights, 401k positions each) most of the GPU idles, so from this many positions the weight
// gradient takes the GEMM path (batched per-image products, parts summed in image order).
inline constexpr int64_t kGradWeightGemmPositions = 4096;
inline bool conv_grad_weight_uses_gemm(const ConvShape& g) {
    return conv_uses_gemm(g) || g.N * g.OH * g.OW >= kGradWeightGemmPositions;
}

// The GEMM path (nn_conv_gemm.cu), f32, f64, f16 and bf16. out / grad_x / grad_w are fully written.
void conv2d_gemm(const View& out, const View& x, const View& w, const View& bias, const ConvShape& g);
void conv2d_backward_input_gemm(const View& grad_x, const View& grad_out, const View& w, const ConvShape& g);
void conv2d_backward_weight_gemm(const View& grad_w, const View& grad_out, const View& x, const ConvShape& g);

}  // namespace wick::cuda
