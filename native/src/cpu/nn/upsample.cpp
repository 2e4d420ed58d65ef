// Upsampling of planes (N*C, H, W) to (N*C, OH, OW), nearest and bilinear, with PyTorch's source
// coordinates: nearest uses floor(dst * scale); bilinear with align_corners maps the corner pixels
// onto each other (scale (in - 1) / (out - 1)), without it uses pixel centres
// (src = (dst + 0.5) * scale - 0.5, clamped at 0). scale = 1 / scale_factor when the caller gave one,
// else in / out. The backward passes scatter into whole planes owned by one thread.
#include <cmath>

#include "core/parallel.h"
#include "cpu/nn/nn_kernels.h"

namespace wick::cpu::nn {

namespace {

double nearest_scale(int64_t in, int64_t out, double user) { return user > 0 ? 1.0 / user : double(in) / double(out); }

int64_t nearest_src(int64_t dst, double scale, int64_t in) {
    return std::min(static_cast<int64_t>(std::floor(double(dst) * scale)), in - 1);
}

double linear_scale(int64_t in, int64_t out, bool align_corners, double user) {
    if (align_corners) return out > 1 ? double(in - 1) / double(out - 1) : 0.0;
    return user > 0 ? 1.0 / user : double(in) / double(out);
}

// The two source taps of output coordinate dst and the weight of the second.
struct Taps {
    int64_t i0, i1;
    double l1;
};

Taps linear_taps(int64_t dst, double scale, bool align_corners, int64_t in) {
    double src = align_corners ? scale * double(dst) : std::max(scale * (double(dst) + 0.5) - 0.5, 0.0);
    int64_t i0 = std::min(static_cast<int64_t>(src), in - 1);
    int64_t i1 = i0 + (i0 < in - 1 ? 1 : 0);
    return Taps{i0, i1, std::min(src - double(i0), 1.0)};
}

template <class Body>
void for_planes(int64_t P, int64_t work, Body&& body) {
    parallel_for(P, grain_for(work), [&](int64_t begin, int64_t end) {
        for (int64_t pl = begin; pl < end; ++pl) body(pl);
    });
}

}  // namespace

void upsample_nearest2d(const View& out, const View& x, double scale_h, double scale_w) {
    const int64_t P = x.sizes[0], H = x.sizes[1], W = x.sizes[2], OH = out.sizes[1], OW = out.sizes[2];
    const double sh = nearest_scale(H, OH, scale_h), sw = nearest_scale(W, OW, scale_w);
    std::vector<int64_t> src_w(static_cast<size_t>(OW));
    for (int64_t ow = 0; ow < OW; ++ow) src_w[ow] = nearest_src(ow, sw, W);
    dispatch_float(x.dtype, "upsample_nearest2d", [&](auto tag) {
        using T = decltype(tag);
        for_planes(P, OH * OW, [&](int64_t pl) {
            const T* xp = ptr<const T>(x) + pl * H * W;
            T* op = ptr<T>(out) + pl * OH * OW;
            for (int64_t oh = 0; oh < OH; ++oh) {
                const T* xr = xp + nearest_src(oh, sh, H) * W;
                for (int64_t ow = 0; ow < OW; ++ow) op[oh * OW + ow] = xr[src_w[ow]];
            }
        });
    });
}

void upsample_nearest2d_backward(const View& grad_x, const View& grad_out, double scale_h, double scale_w) {
    const int64_t P = grad_x.sizes[0], H = grad_x.sizes[1], W = grad_x.sizes[2], OH = grad_out.sizes[1], OW = grad_out.sizes[2];
    const double sh = nearest_scale(H, OH, scale_h), sw = nearest_scale(W, OW, scale_w);
    dispatch_float(grad_x.dtype, "upsample_nearest2d_backward", [&](auto tag) {
        using T = decltype(tag);
        for_planes(P, OH * OW + H * W, [&](int64_t pl) {
            T* gp = ptr<T>(grad_x) + pl * H * W;
            const T* g = ptr<const T>(grad_out) + pl * OH * OW;
            std::fill(gp, gp + H * W, T(0));
            for (int64_t oh = 0; oh < OH; ++oh) {
                T* gr = gp + nearest_src(oh, sh, H) * W;
                for (int64_t ow = 0; ow < OW; ++ow) gr[nearest_src(ow, sw, W)] += g[oh * OW + ow];
            }
        });
    });
}

void upsample_bilinear2d(const View& out, const View& x, bool align_corners, double scale_h, double scale_w) {
    const int64_t P = x.sizes[0], H = x.sizes[1], W = x.sizes[2], OH = out.sizes[1], OW = out.sizes[2];
    const double sh = linear_scale(H, OH, align_corners, scale_h), sw = linear_scale(W, OW, align_corners, scale_w);
    std::vector<Taps> tw(static_cast<size_t>(OW));
    for (int64_t ow = 0; ow < OW; ++ow) tw[ow] = linear_taps(ow, sw, align_corners, W);
    dispatch_float(x.dtype, "upsample_bilinear2d", [&](auto tag) {
        using T = decltype(tag);
        for_planes(P, 4 * OH * OW, [&](int64_t pl) {
            const T* xp = ptr<const T>(x) + pl * H * W;
            T* op = ptr<T>(out) + pl * OH * OW;
            for (int64_t oh = 0; oh < OH; ++oh) {
                const Taps th = linear_taps(oh, sh, align_corners, H);
                const T h1 = static_cast<T>(th.l1), h0 = T(1) - h1;
                const T* r0 = xp + th.i0 * W;
                const T* r1 = xp + th.i1 * W;
                for (int64_t ow = 0; ow < OW; ++ow) {
                    const Taps& t = tw[ow];
                    const T w1 = static_cast<T>(t.l1), w0 = T(1) - w1;
                    op[oh * OW + ow] = h0 * (w0 * r0[t.i0] + w1 * r0[t.i1]) + h1 * (w0 * r1[t.i0] + w1 * r1[t.i1]);
                }
            }
        });
    });
}

void upsample_bilinear2d_backward(const View& grad_x, const View& grad_out, bool align_corners, double scale_h,
                                  double scale_w) {
    const int64_t P = grad_x.sizes[0], H = grad_x.sizes[1], W = grad_x.sizes[2], OH = grad_out.sizes[1], OW = grad_out.sizes[2];
    const double sh = linear_scale(H, OH, align_corners, scale_h), sw = linear_scale(W, OW, align_corners, scale_w);
    std::vector<Taps> tw(static_cast<size_t>(OW));
    for (int64_t ow = 0; ow < OW; ++ow) tw[ow] = linear_taps(ow, sw, align_corners, W);
    dispatch_float(grad_x.dtype, "upsample_bilinear2d_backward", [&](auto tag) {
        using T = decltype(tag);
        for_planes(P, 4 * OH * OW + H * W, [&](int64_t pl) {
            T* gp = ptr<T>(grad_x) + pl * H * W;
            const T* g = ptr<const T>(grad_out) + pl * OH * OW;
            std::fill(gp, gp + H * W, T(0));
            for (int64_t oh = 0; oh < OH; ++oh) {
                const Taps th = linear_taps(oh, sh, align_corners, H);
                const T h1 = static_cast<T>(th.l1), h0 = T(1) - h1;
                T* r0 = gp + th.i0 * W;
                T* r1 = gp + th.i1 * W;
                for (int64_t ow = 0; ow < OW; ++ow) {
                    const Taps& t = tw[ow];
                    const T w1 = static_cast<T>(t.l1), w0 = T(1) - w1, v = g[oh * OW + ow];
                    r0[t.i0] += h0 * w0 * v;
                    r0[t.i1] += h0 * w1 * v;
                    r1[t.i0] += h1 * w0 * v;
                    r1[t.i1] += h1 * w1 * v;
                }
            }
        });
    });
}

}  // namespace wick::cpu::nn
