// 2-D convolution (and 1-D as height 1) by im2col + our GEMM, per image and group:
//   forward:        out[n, g] (OCg, OH*OW) = w[g] (OCg, Cg*KH*KW) @ col(x[n, g]) (Cg*KH*KW, OH*OW)
//   grad input:     col = w[g]^T @ grad_out[n, g], then col2im adds the taps back into grad_x[n, g]
//   grad weight:    grad_w[g] += grad_out[n, g] @ col(x[n, g])^T, summed over images
// Transposed operands are handed to the GEMM as strides (never copied). A 1x1 convolution with
// stride 1 and no padding uses the input itself as the column matrix. Images are spread over threads
// with a single-threaded GEMM each; with fewer images than threads the GEMM itself is parallel.
#include <cstring>

#include "core/parallel.h"
#include "cpu/gemm/gemm.h"
#include "cpu/nn/nn_kernels.h"

namespace wick::cpu::nn {

namespace {

struct Geometry {
    int64_t N, C, H, W, OC, OH, OW, KH, KW, G, Cg, OCg, K, OHW;
    int64_t sh, sw, ph, pw, dh, dw;
    bool direct;  // 1x1, stride 1, no padding: col(x) is x
};

Geometry geometry(const View& x, const View& w, const View& out, const Conv2dParams& p) {
    Geometry g{};
    g.N = x.sizes[0], g.C = x.sizes[1], g.H = x.sizes[2], g.W = x.sizes[3];
    g.OC = w.sizes[0], g.KH = w.sizes[2], g.KW = w.sizes[3];
    g.OH = out.sizes[2], g.OW = out.sizes[3];
    g.G = p.groups, g.Cg = g.C / g.G, g.OCg = g.OC / g.G;
    g.K = g.Cg * g.KH * g.KW, g.OHW = g.OH * g.OW;
    g.sh = p.stride[0], g.sw = p.stride[1], g.ph = p.padding[0], g.pw = p.padding[1], g.dh = p.dilation[0], g.dw = p.dilation[1];
    g.direct = g.KH == 1 && g.KW == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0;
    return g;
}

// Per-thread column buffer, grown on demand (pool threads keep theirs).
template <class T>
T* col_buffer(size_t elems) {
    thread_local std::vector<double> buf;  // double-aligned storage for either type
    const size_t need = (elems * sizeof(T) + sizeof(double) - 1) / sizeof(double);
    if (buf.size() < need) buf.resize(need);
    return reinterpret_cast<T*>(buf.data());
}

// The output columns [lo, hi) for which iw = ow * s - pad + k * d lies inside [0, W).
inline void valid_range(int64_t OW, int64_t W, int64_t s, int64_t pad, int64_t off, int64_t* lo, int64_t* hi) {
    // ow * s + off - pad >= 0  and  < W
    const int64_t base = off - pad;
    int64_t a = base >= 0 ? 0 : (-base + s - 1) / s;
    int64_t b = W - base <= 0 ? 0 : (W - base + s - 1) / s;
    *lo = std::min(a, OW);
    *hi = std::max(*lo, std::min(b, OW));
}

// col (Cg*KH*KW, OH*OW) from one image's group of channels x (Cg, H, W).
template <class T>
void im2col(const Geometry& g, const T* x, T* col) {
    for (int64_t c = 0; c < g.Cg; ++c)
        for (int64_t kh = 0; kh < g.KH; ++kh)
            for (int64_t kw = 0; kw < g.KW; ++kw) {
                T* row = col + ((c * g.KH + kh) * g.KW + kw) * g.OHW;
                int64_t lo, hi;
                valid_range(g.OW, g.W, g.sw, g.pw, kw * g.dw, &lo, &hi);
                const int64_t off_w = kw * g.dw - g.pw;
                for (int64_t oh = 0; oh < g.OH; ++oh) {
                    T* r = row + oh * g.OW;
                    const int64_t ih = oh * g.sh - g.ph + kh * g.dh;
                    if (ih < 0 || ih >= g.H) {
                        std::fill(r, r + g.OW, T(0));
                        continue;
                    }
                    const T* xr = x + (c * g.H + ih) * g.W;
                    std::fill(r, r + lo, T(0));
                    if (g.sw == 1) std::memcpy(r + lo, xr + lo + off_w, sizeof(T) * static_cast<size_t>(hi - lo));
                    else
                        for (int64_t ow = lo; ow < hi; ++ow) r[ow] = xr[ow * g.sw + off_w];
                    std::fill(r + hi, r + g.OW, T(0));
                }
            }
}

// x (Cg, H, W) += the taps of col (Cg*KH*KW, OH*OW); the caller zeroes x first.
template <class T>
void col2im(const Geometry& g, const T* col, T* x) {
    for (int64_t c = 0; c < g.Cg; ++c)
        for (int64_t kh = 0; kh < g.KH; ++kh)
            for (int64_t kw = 0; kw < g.KW; ++kw) {
                const T* row = col + ((c * g.KH + kh) * g.KW + kw) * g.OHW;
                int64_t lo, hi;
                valid_range(g.OW, g.W, g.sw, g.pw, kw * g.dw, &lo, &hi);
                const int64_t off_w = kw * g.dw - g.pw;
                for (int64_t oh = 0; oh < g.OH; ++oh) {
                    const int64_t ih = oh * g.sh - g.ph + kh * g.dh;
                    if (ih < 0 || ih >= g.H) continue;
                    T* xr = x + (c * g.H + ih) * g.W;
                    const T* r = row + oh * g.OW;
                    for (int64_t ow = lo; ow < hi; ++ow) xr[ow * g.sw + off_w] += r[ow];
                }
            }
}

template <class T>
gemm::Problem<T> product(int64_t m, int64_t n, int64_t k, const T* a, int64_t rsa, int64_t csa, const T* b, int64_t rsb,
                         int64_t csb, T* c, int64_t rsc, T beta, const T* bias = nullptr) {
    gemm::Problem<T> p;
    p.bias = bias;
    p.m = m, p.n = n, p.k = k;
    p.a = a, p.rsa = rsa, p.csa = csa;
    p.b = b, p.rsb = rsb, p.csb = csb;
    p.c = c, p.rsc = rsc, p.csc = 1;
    p.alpha = T(1), p.beta = beta;
    return p;
}

// How many ways to split work: the pool's threads, or the tests' forced split (gemm::set_task_override).
int ways() { return std::max(num_threads(), gemm::task_override()); }

// Runs body(n, parallel_gemm) for every image: images over threads, or (few images) the GEMM parallel.
template <class Body>
void for_images(int64_t N, Body&& body) {
    if (N >= ways() && N > 1) {
        parallel_for(N, 1, [&](int64_t begin, int64_t end) {
            for (int64_t n = begin; n < end; ++n) body(n, false);
        });
    } else {
        for (int64_t n = 0; n < N; ++n) body(n, true);
    }
}

template <class T>
void run_gemm(const gemm::Problem<T>& p, bool parallel) {
    if (parallel) gemm::gemm(p);
    else gemm::gemm_serial(p);
}

template <class T>
void conv_forward(const Geometry& g, const T* x, const T* w, const T* bias, T* out) {
    for_images(g.N, [&](int64_t n, bool par) {
        const T* xn = x + n * g.C * g.H * g.W;
        T* on = out + n * g.OC * g.OHW;
        T* col = g.direct ? nullptr : col_buffer<T>(static_cast<size_t>(g.K * g.OHW));
        for (int64_t gi = 0; gi < g.G; ++gi) {
            const T* xg = xn + gi * g.Cg * g.H * g.W;
            const T* b = xg;
            if (!g.direct) {
                im2col(g, xg, col);
                b = col;
            }
            // The bias joins in the GEMM's store (no separate pass over the output).
            run_gemm(product<T>(g.OCg, g.OHW, g.K, w + gi * g.OCg * g.K, g.K, 1, b, g.OHW, 1, on + gi * g.OCg * g.OHW, g.OHW, T(0),
                                bias ? bias + gi * g.OCg : nullptr),
                     par);
        }
    });
}

template <class T>
void conv_backward_input(const Geometry& g, const T* gy, const T* w, T* gx) {
    for_images(g.N, [&](int64_t n, bool par) {
        const T* gyn = gy + n * g.OC * g.OHW;
        T* gxn = gx + n * g.C * g.H * g.W;
        T* col = g.direct ? nullptr : col_buffer<T>(static_cast<size_t>(g.K * g.OHW));
        if (!g.direct) std::fill(gxn, gxn + g.C * g.H * g.W, T(0));
        for (int64_t gi = 0; gi < g.G; ++gi) {
            T* gxg = gxn + gi * g.Cg * g.H * g.W;
            // w[g]^T: element (k, oc) of the (K, OCg) matrix at w[oc * K + k].
            run_gemm(product<T>(g.K, g.OHW, g.OCg, w + gi * g.OCg * g.K, 1, g.K, gyn + gi * g.OCg * g.OHW, g.OHW, 1,
                                g.direct ? gxg : col, g.OHW, T(0)),
                     par);
            if (!g.direct) col2im(g, col, gxg);
        }
    });
}

template <class T>
void conv_backward_weight(const Geometry& g, const T* gy, const T* x, T* gw) {
    const int64_t wsize = g.OC * g.K;
    // Images in `chunks` contiguous ranges, each summed into its own slice (chunk 0 into gw itself),
    // then the slices are added in order: the result does not depend on which thread ran what.
    const int64_t chunks = g.N >= 2 && ways() > 1 ? std::min<int64_t>(g.N, ways()) : 1;
    std::vector<T> partial(static_cast<size_t>((chunks - 1) * wsize));
    auto chunk_body = [&](int64_t t, bool par) {
        T* acc = t == 0 ? gw : partial.data() + (t - 1) * wsize;
        const int64_t n0 = t * g.N / chunks, n1 = (t + 1) * g.N / chunks;
        if (n0 == n1) std::fill(acc, acc + wsize, T(0));
        T* col = g.direct ? nullptr : col_buffer<T>(static_cast<size_t>(g.K * g.OHW));
        for (int64_t n = n0; n < n1; ++n) {
            const T* gyn = gy + n * g.OC * g.OHW;
            const T* xn = x + n * g.C * g.H * g.W;
            for (int64_t gi = 0; gi < g.G; ++gi) {
                const T* xg = xn + gi * g.Cg * g.H * g.W;
                const T* c = xg;
                if (!g.direct) {
                    im2col(g, xg, col);
                    c = col;
                }
                // col^T: element (hw, k) of the (OHW, K) matrix at c[k * OHW + hw].
                run_gemm(product<T>(g.OCg, g.K, g.OHW, gyn + gi * g.OCg * g.OHW, g.OHW, 1, c, 1, g.OHW, acc + gi * g.OCg * g.K,
                                    g.K, n == n0 ? T(0) : T(1)),
                         par);
            }
        }
    };
    if (chunks == 1) {
        chunk_body(0, true);
        return;
    }
    parallel_for(chunks, 1, [&](int64_t begin, int64_t end) {
        for (int64_t t = begin; t < end; ++t) chunk_body(t, false);
    });
    for (int64_t t = 1; t < chunks; ++t)
        for (int64_t i = 0; i < wsize; ++i) gw[i] += partial[(t - 1) * wsize + i];
}

}  // namespace

void conv2d(const View& out, const View& x, const View& w, const View& bias, const Conv2dParams& p) {
    const Geometry g = geometry(x, w, out, p);
    if (out.numel() == 0) return;
    dispatch_float(x.dtype, "conv2d", [&](auto tag) {
        using T = decltype(tag);
        conv_forward<T>(g, ptr<const T>(x), ptr<const T>(w), bias.data ? ptr<const T>(bias) : nullptr, ptr<T>(out));
    });
}

void conv2d_backward_input(const View& grad_x, const View& grad_out, const View& w, const Conv2dParams& p) {
    const Geometry g = geometry(grad_x, w, grad_out, p);
    if (grad_x.numel() == 0) return;
    dispatch_float(grad_x.dtype, "conv2d_backward_input", [&](auto tag) {
        using T = decltype(tag);
        conv_backward_input<T>(g, ptr<const T>(grad_out), ptr<const T>(w), ptr<T>(grad_x));
    });
}

void conv2d_backward_weight(const View& grad_w, const View& grad_out, const View& x, const Conv2dParams& p) {
    const Geometry g = geometry(x, grad_w, grad_out, p);
    if (grad_w.numel() == 0) return;
    dispatch_float(grad_w.dtype, "conv2d_backward_weight", [&](auto tag) {
        using T = decltype(tag);
        conv_backward_weight<T>(g, ptr<const T>(grad_out), ptr<const T>(x), ptr<T>(grad_w));
    });
}

void channel_sum(const View& grad_bias, const View& grad_out) {
    const int64_t N = grad_out.sizes[0], C = grad_out.sizes[1], S = grad_out.sizes[2];
    dispatch_float(grad_bias.dtype, "channel_sum", [&](auto tag) {
        using T = decltype(tag);
        const T* g = ptr<const T>(grad_out);
        T* gb = ptr<T>(grad_bias);
        parallel_for(C, grain_for(N * S), [&](int64_t begin, int64_t end) {
            for (int64_t c = begin; c < end; ++c) {
                double s = 0;
                for (int64_t n = 0; n < N; ++n) {
                    const T* row = g + (n * C + c) * S;
                    for (int64_t i = 0; i < S; ++i) s += double(row[i]);
                }
                gb[c] = static_cast<T>(s);
            }
        });
    });
}

}  // namespace wick::cpu::nn
