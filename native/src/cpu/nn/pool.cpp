// 2-D pooling over planes (N*C, H, W): max (with flat indices h * W + w into the input plane, as
// PyTorch returns them), average (count_include_pad, divisor_override) and adaptive average, each
// with its backward. Planes are independent, so threads take whole planes and backward scatters
// never race.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

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

// First index of i in [0, n) whose window [i * stride - pad, + span) starts at or after 0, and one past the last whose
// window ends inside [0, size): windows in between need no bounds checks.
inline int64_t first_inside(int64_t stride, int64_t pad) { return (pad + stride - 1) / stride; }
inline int64_t end_inside(int64_t n, int64_t stride, int64_t pad, int64_t span, int64_t size) {
    const int64_t last_start = size - span + pad;  // the largest i * stride that still fits
    return last_start < 0 ? 0 : std::min(n, last_start / stride + 1);
}

// keep (all ones or zero) ? a : b on the bits of a float, without a branch.
template <class T>
inline T select_bits(int64_t keep, T a, T b) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8, "float32 or float64");
    using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
    Bits x, y;
    std::memcpy(&x, &a, sizeof(T));
    std::memcpy(&y, &b, sizeof(T));
    const Bits m = static_cast<Bits>(keep);
    const Bits r = (x & m) | (y & ~m);
    T out;
    std::memcpy(&out, &r, sizeof(T));
    return out;
}

// Outputs per run of the interior max-pool loop (stack buffers of this many values and offsets).
constexpr int64_t kRun = 64;

void max_pool2d(const View& out, const View& indices, const View& x, const Pool2dParams& p) {
    const Planes s = planes(x, out);
    const int64_t span_h = (p.kernel[0] - 1) * p.dilation[0] + 1, span_w = (p.kernel[1] - 1) * p.dilation[1] + 1;
    const int64_t oh_lo = std::min(s.OH, first_inside(p.stride[0], p.padding[0]));
    const int64_t oh_hi = std::max(oh_lo, end_inside(s.OH, p.stride[0], p.padding[0], span_h, s.H));
    const int64_t ow_lo = std::min(s.OW, first_inside(p.stride[1], p.padding[1]));
    const int64_t ow_hi = std::max(ow_lo, end_inside(s.OW, p.stride[1], p.padding[1], span_w, s.W));
    dispatch_float(x.dtype, "max_pool2d", [&](auto tag) {
        using T = decltype(tag);
        const T* xv = ptr<const T>(x);
        T* o = ptr<T>(out);
        int64_t* idx = ptr<int64_t>(indices);
        // NaN wins and stays (PyTorch propagates it); ties keep the first.
        auto better = [](T v, T best) { return (v > best) | ((v != v) & (best == best)); };
        for_planes(s.P, s.OH * s.OW * p.kernel[0] * p.kernel[1], [&](int64_t pl) {
            const T* xp = xv + pl * s.H * s.W;
            T* op = o + pl * s.OH * s.OW;
            int64_t* ip = idx + pl * s.OH * s.OW;
            // A window that may cross the plane's edge (padding, ceil mode): each tap is checked.
            auto edge = [&](int64_t oh, int64_t ow) {
                T best = -INFINITY;
                int64_t best_i = -1;
                for (int64_t kh = 0; kh < p.kernel[0]; ++kh) {
                    const int64_t ih = oh * p.stride[0] - p.padding[0] + kh * p.dilation[0];
                    if (ih < 0 || ih >= s.H) continue;
                    for (int64_t kw = 0; kw < p.kernel[1]; ++kw) {
                        const int64_t iw = ow * p.stride[1] - p.padding[1] + kw * p.dilation[1];
                        if (iw < 0 || iw >= s.W) continue;
                        const T v = xp[ih * s.W + iw];
                        if (best_i < 0 || better(v, best)) {
                            best = v;
                            best_i = ih * s.W + iw;
                        }
                    }
                }
                op[oh * s.OW + ow] = best;
                ip[oh * s.OW + ow] = best_i;
            };
            for (int64_t oh = 0; oh < s.OH; ++oh) {
                if (oh < oh_lo || oh >= oh_hi) {
                    for (int64_t ow = 0; ow < s.OW; ++ow) edge(oh, ow);
                    continue;
                }
                for (int64_t ow = 0; ow < ow_lo; ++ow) edge(oh, ow);
                // Windows inside the plane, tap-major over runs of outputs: each tap is one branch-free pass over
                // the run (which tap wins is data-dependent; a branch per tap mispredicts about half the time).
                const int64_t row0 = (oh * p.stride[0] - p.padding[0]) * s.W - p.padding[1];
                for (int64_t c0 = ow_lo; c0 < ow_hi; c0 += kRun) {
                    const int64_t n = std::min(kRun, ow_hi - c0);
                    const T* w = xp + row0 + c0 * p.stride[1];  // the first tap of output c0
                    T best[kRun];
                    int64_t best_off[kRun];
                    for (int64_t j = 0; j < n; ++j) best[j] = w[j * p.stride[1]], best_off[j] = 0;
                    for (int64_t kh = 0; kh < p.kernel[0]; ++kh)
                        for (int64_t kw = kh == 0 ? 1 : 0; kw < p.kernel[1]; ++kw) {
                            const int64_t off = kh * p.dilation[0] * s.W + kw * p.dilation[1];
                            const T* tap = w + off;
                            for (int64_t j = 0; j < n; ++j) {
                                const T v = tap[j * p.stride[1]];
                                // Masks, not `take ? a : b`: the compiler turns those selects back into branches.
                                const int64_t keep = static_cast<int64_t>(better(v, best[j])) - 1;  // 0 or all ones
                                best[j] = select_bits(keep, best[j], v);
                                best_off[j] = (best_off[j] & keep) | (off & ~keep);
                            }
                        }
                    for (int64_t j = 0; j < n; ++j) {
                        op[oh * s.OW + c0 + j] = best[j];
                        ip[oh * s.OW + c0 + j] = row0 + (c0 + j) * p.stride[1] + best_off[j];
                    }
                }
                for (int64_t ow = ow_hi; ow < s.OW; ++ow) edge(oh, ow);
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
