// Convolution kernels give the same results however the work is split: images over threads with
// per-chunk weight-gradient sums (forced with gemm::set_task_override, since the pool may be serial)
// against the single-piece run.
#include <cmath>
#include <vector>

#include "core/philox.h"
#include "cpu/gemm/gemm.h"
#include "cpu/nn/nn_kernels.h"
#include "test.h"

using namespace wick;

namespace {

View view4(std::vector<float>& v, int64_t a, int64_t b, int64_t c, int64_t d) {
    View r;
    r.data = reinterpret_cast<char*>(v.data());
    r.dtype = DType::F32;
    r.ndim = 4;
    const int64_t s[4] = {a, b, c, d};
    int64_t stride = 1;
    for (int i = 3; i >= 0; --i) {
        r.sizes[i] = s[i];
        r.strides[i] = stride;
        stride *= s[i];
    }
    return r;
}

std::vector<float> randoms(size_t n, uint64_t seed) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) {
        philox::U32x4 w = philox::draw(seed, 0, i);
        v[i] = static_cast<float>(philox::uniform_f64(w.x[0], w.x[1]) - 0.5);
    }
    return v;
}

bool same(const std::vector<float>& a, const std::vector<float>& b) {
    for (size_t i = 0; i < a.size(); ++i)
        if (std::fabs(a[i] - b[i]) > 1e-4f * (1 + std::fabs(a[i]))) return false;
    return true;
}

}  // namespace

WICK_TEST(conv_results_do_not_depend_on_the_split) {
    const int64_t N = 5, C = 4, H = 9, W = 7, OC = 6, K = 3;
    const Conv2dParams p{{2, 1}, {1, 1}, {1, 2}, 2};
    const int64_t OH = (H + 2 - 2 - 1) / 2 + 1, OW = (W + 2 - 4 - 1) / 1 + 1;
    std::vector<float> x = randoms(N * C * H * W, 1), w = randoms(OC * (C / 2) * K * K, 2), b = randoms(OC, 3),
                       gy = randoms(N * OC * OH * OW, 4);
    View bias;
    bias.data = reinterpret_cast<char*>(b.data());
    bias.dtype = DType::F32;
    bias.ndim = 1;
    bias.sizes[0] = OC;
    bias.strides[0] = 1;
    std::vector<float> y[2], gx[2], gw[2];
    for (int run = 0; run < 2; ++run) {
        cpu::gemm::set_task_override(run == 0 ? 1 : 3);
        y[run].assign(N * OC * OH * OW, 0.f);
        gx[run].assign(x.size(), 0.f);
        gw[run].assign(w.size(), 0.f);
        cpu::nn::conv2d(view4(y[run], N, OC, OH, OW), view4(x, N, C, H, W), view4(w, OC, C / 2, K, K), bias, p);
        cpu::nn::conv2d_backward_input(view4(gx[run], N, C, H, W), view4(gy, N, OC, OH, OW), view4(w, OC, C / 2, K, K), p);
        cpu::nn::conv2d_backward_weight(view4(gw[run], OC, C / 2, K, K), view4(gy, N, OC, OH, OW), view4(x, N, C, H, W), p);
    }
    cpu::gemm::set_task_override(0);
    EXPECT(same(y[0], y[1]));
    EXPECT(same(gx[0], gx[1]));
    EXPECT(same(gw[0], gw[1]));
}
