// 2-D pooling over planes (N*C, H, W): max (with flat indices h * W + w into the input plane, as
// PyTorch returns them), average (count_include_pad, divisor_override) and adaptive average, each
// with its backward. Planes are independent, so threads take whole planes and backward scatters
// never race.
#include <cmath>

#include "core/parallel.h"
#include "cpu/nn/nn_kernels.h"

namespace wick::cpu::nn {

namespace {

struct Planes {
    int64_t P, H, W, OH, OW;
};

Planes planes(const View& in, const View& out) {
    return Planes{in.sizes[0], in.sizes[1], in.sizes[2], out.sizes[1], out.sizes[2]};
}

template <class Body>
void for_planes(int64_t P, int64_t work_per_plane, Body&& body) {
    parallel_for(P, grain_for(work_per_plane), [&](int64_t begin, int64_t end) {
        for (int64_t pl = begin; pl < end; ++pl) body(pl);
    });
}

// Average-pool window [h0, h1) x [w0, w1) clipped to the input, and its divisor.
struct AvgWindow {
    int64_t h0, h1, w0, w1, divisor;
};

AvgWindow avg_window(const Planes& s, const Pool2dParams& p, int64_t oh, int64_t ow, bool count_include_pad,
                     int64_t divisor_override) {
    int64_t h0 = oh * p.stride[0] - p.padding[0], w0 = ow * p.stride[1] - p.padding[1];
    int64_t h1 = std::min(h0 + p.kernel[0], s.H + p.padding[0]), w1 = std::min(w0 + p.kernel[1], s.W + p.padding[1]);
    const int64_t padded = (h1 - h0) * (w1 - w0);
    h0 = std::max<int64_t>(h0, 0), w0 = std::max<int64_t>(w0, 0);
    h1 = std::min(h1, s.H), w1 = std::min(w1, s.W);
    const int64_t divisor = divisor_override > 0 ? divisor_override : count_include_pad ? padded : (h1 - h0) * (w1 - w0);
    return AvgWindow{h0, h1, w0, w1, divisor};
}

inline int64_t adaptive_start(int64_t i, int64_t out, int64_t in) { return (i * in) / out; }
inline int64_t adaptive_end(int64_t i, int64_t out, int64_t in) { return ((i + 1) * in + out - 1) / out; }

}  // namespace

void max_pool2d(const View& out, const View& indices, const View& x, const Pool2dParams& p) {
    const Planes s = planes(x, out);
    dispatch_float(x.dtype, "max_pool2d", [&](auto tag) {
        using T = decltype(tag);
        const T* xv = ptr<const T>(x);
        T* o = ptr<T>(out);
        int64_t* idx = ptr<int64_t>(indices);
        for_planes(s.P, s.OH * s.OW * p.kernel[0] * p.kernel[1], [&](int64_t pl) {
            const T* xp = xv + pl * s.H * s.W;
            for (int64_t oh = 0; oh < s.OH; ++oh)
                for (int64_t ow = 0; ow < s.OW; ++ow) {
                    T best = -INFINITY;
                    int64_t best_i = -1;
                    for (int64_t kh = 0; kh < p.kernel[0]; ++kh) {
                        const int64_t ih = oh * p.stride[0] - p.padding[0] + kh * p.dilation[0];
                        if (ih < 0 || ih >= s.H) continue;
                        for (int64_t kw = 0; kw < p.kernel[1]; ++kw) {
                            const int64_t iw = ow * p.stride[1] - p.padding[1] + kw * p.dilation[1];
                            if (iw < 0 || iw >= s.W) continue;
                            const T v = xp[ih * s.W + iw];
                            // NaN wins and stays (PyTorch propagates it); ties keep the first.
                            if (best_i < 0 || v > best || (std::isnan(v) && !std::isnan(best))) {
                                best = v;
                                best_i = ih * s.W + iw;
                            }
                        }
                    }
                    o[(pl * s.OH + oh) * s.OW + ow] = best;
                    idx[(pl * s.OH + oh) * s.OW + ow] = best_i;
                }
        });
    });
}

void max_pool2d_backward(const View& grad_x, const View& grad_out, const View& indices) {
    const Planes s = planes(grad_x, grad_out);
    dispatch_float(grad_x.dtype, "max_pool2d_backward", [&](auto tag) {
        using T = decltype(tag);
        const T* g = ptr<const T>(grad_out);
        const int64_t* idx = ptr<const int64_t>(indices);
        T* gx = ptr<T>(grad_x);
        for_planes(s.P, s.H * s.W + s.OH * s.OW, [&](int64_t pl) {
            T* gp = gx + pl * s.H * s.W;
            std::fill(gp, gp + s.H * s.W, T(0));
            for (int64_t i = 0; i < s.OH * s.OW; ++i) {
                const int64_t at = idx[pl * s.OH * s.OW + i];
                if (at < 0 || at >= s.H * s.W)
                    fail(WK_ERR_INDEX, "max_pool2d_backward: index ", at, " is outside the ", s.H, "x", s.W,
                         " input plane; pass the indices that MaxPool2d returned for this input");
                gp[at] += g[pl * s.OH * s.OW + i];
            }
        });
    });
}

void avg_pool2d(const View& out, const View& x, const Pool2dParams& p, bool count_include_pad, int64_t divisor_override) {
    const Planes s = planes(x, out);
    dispatch_float(x.dtype, "avg_pool2d", [&](auto tag) {
        using T = decltype(tag);
        const T* xv = ptr<const T>(x);
        T* o = ptr<T>(out);
        for_planes(s.P, s.OH * s.OW * p.kernel[0] * p.kernel[1], [&](int64_t pl) {
            const T* xp = xv + pl * s.H * s.W;
            for (int64_t oh = 0; oh < s.OH; ++oh)
                for (int64_t ow = 0; ow < s.OW; ++ow) {
                    const AvgWindow w = avg_window(s, p, oh, ow, count_include_pad, divisor_override);
                    T sum = 0;
                    for (int64_t ih = w.h0; ih < w.h1; ++ih)
                        for (int64_t iw = w.w0; iw < w.w1; ++iw) sum += xp[ih * s.W + iw];
                    o[(pl * s.OH + oh) * s.OW + ow] = sum / static_cast<T>(w.divisor);
                }
        });
    });
}

void avg_pool2d_backward(const View& grad_x, const View& grad_out, const Pool2dParams& p, bool count_include_pad,
                         int64_t divisor_override) {
    const Planes s = planes(grad_x, grad_out);
    dispatch_float(grad_x.dtype, "avg_pool2d_backward", [&](auto tag) {
        using T = decltype(tag);
        const T* g = ptr<const T>(grad_out);
        T* gx = ptr<T>(grad_x);
        for_planes(s.P, s.OH * s.OW * p.kernel[0] * p.kernel[1], [&](int64_t pl) {
            T* gp = gx + pl * s.H * s.W;
            std::fill(gp, gp + s.H * s.W, T(0));
            for (int64_t oh = 0; oh < s.OH; ++oh)
                for (int64_t ow = 0; ow < s.OW; ++ow) {
                    const AvgWindow w = avg_window(s, p, oh, ow, count_include_pad, divisor_override);
                    const T v = g[(pl * s.OH + oh) * s.OW + ow] / static_cast<T>(w.divisor);
                    for (int64_t ih = w.h0; ih < w.h1; ++ih)
                        for (int64_t iw = w.w0; iw < w.w1; ++iw) gp[ih * s.W + iw] += v;
                }
        });
    });
}

void adaptive_avg_pool2d(const View& out, const View& x) {
    const Planes s = planes(x, out);
    dispatch_float(x.dtype, "adaptive_avg_pool2d", [&](auto tag) {
        using T = decltype(tag);
        const T* xv = ptr<const T>(x);
        T* o = ptr<T>(out);
        for_planes(s.P, s.H * s.W + s.OH * s.OW, [&](int64_t pl) {
            const T* xp = xv + pl * s.H * s.W;
            for (int64_t oh = 0; oh < s.OH; ++oh) {
                const int64_t h0 = adaptive_start(oh, s.OH, s.H), h1 = adaptive_end(oh, s.OH, s.H);
                for (int64_t ow = 0; ow < s.OW; ++ow) {
                    const int64_t w0 = adaptive_start(ow, s.OW, s.W), w1 = adaptive_end(ow, s.OW, s.W);
                    T sum = 0;
                    for (int64_t ih = h0; ih < h1; ++ih)
                        for (int64_t iw = w0; iw < w1; ++iw) sum += xp[ih * s.W + iw];
                    o[(pl * s.OH + oh) * s.OW + ow] = sum / static_cast<T>((h1 - h0) * (w1 - w0));
                }
            }
        });
    });
}

void adaptive_avg_pool2d_backward(const View& grad_x, const View& grad_out) {
    const Planes s = planes(grad_x, grad_out);
    dispatch_float(grad_x.dtype, "adaptive_avg_pool2d_backward", [&](auto tag) {
        using T = decltype(tag);
        const T* g = ptr<const T>(grad_out);
        T* gx = ptr<T>(grad_x);
        for_planes(s.P, s.H * s.W + s.OH * s.OW, [&](int64_t pl) {
            T* gp = gx + pl * s.H * s.W;
            std::fill(gp, gp + s.H * s.W, T(0));
            for (int64_t oh = 0; oh < s.OH; ++oh) {
                const int64_t h0 = adaptive_start(oh, s.OH, s.H), h1 = adaptive_end(oh, s.OH, s.H);
                for (int64_t ow = 0; ow < s.OW; ++ow) {
                    const int64_t w0 = adaptive_start(ow, s.OW, s.W), w1 = adaptive_end(ow, s.OW, s.W);
                    const T v = g[(pl * s.OH + oh) * s.OW + ow] / static_cast<T>((h1 - h0) * (w1 - w0));
                    for (int64_t ih = h0; ih < h1; ++ih)
                        for (int64_t iw = w0; iw < w1; ++iw) gp[ih * s.W + iw] += v;
                }
            }
        });
    });
}

}  // namespace wick::cpu::nn
