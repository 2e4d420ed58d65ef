// Copy with dtype conversion, fill and arange.
#include <algorithm>
#include <cstring>

#include "core/convert.h"
#include "cpu/dispatch.h"
#include "cpu/kernels.h"
#include "cpu/loops.h"

namespace wick::cpu {

namespace {

// An element moved as raw bytes: a fixed size lets the compiler turn each move into one load and store
// (a memcpy of a run-time size is a library call per element).
template <size_t B>
struct Bytes {
    unsigned char b[B];
};

template <size_t B>
void move_run(char* dst, int64_t ds, const char* src, int64_t ss, int64_t n) {
    for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * ds, src + i * ss, B);
}

// Transposing copies move 8x8 blocks through a small buffer, so src is read in runs of 8 contiguous
// elements instead of one element per cache line.
constexpr int64_t kBlock = 8;
// Rows of dst per task.
constexpr int64_t kTile = 32;

// dst[r, c] = src[r, c] over a rows x cols plane where dst walks c contiguously (dcs = B) and src walks r
// contiguously (srs = B). A band of 8 dst rows is written left to right, so only 8 dst lines are open at a
// time: with power-of-two row pitches, more would map to the same L1 set and evict each other.
template <size_t B>
void move_plane_transposed(char* dst, int64_t drs, const char* src, int64_t scs, int64_t rows, int64_t cols) {
    constexpr int64_t es = static_cast<int64_t>(B);
    Bytes<B> block[kBlock][kBlock];  // block[c][r]: a src run
    for (int64_t r0 = 0; r0 < rows; r0 += kBlock) {
        const int64_t nr = std::min(kBlock, rows - r0);
        for (int64_t c0 = 0; c0 < cols; c0 += kBlock) {
            const int64_t nc = std::min(kBlock, cols - c0);
            if (nr == kBlock && nc == kBlock) {
                for (int64_t c = 0; c < kBlock; ++c) std::memcpy(block[c], src + r0 * es + (c0 + c) * scs, kBlock * B);
                // Element stores straight to dst (gathering a dst run in a buffer and storing it as one vector
                // stalls on store forwarding).
                for (int64_t r = 0; r < kBlock; ++r) {
                    char* out = dst + (r0 + r) * drs + c0 * es;
                    for (int64_t c = 0; c < kBlock; ++c) std::memcpy(out + c * es, &block[c][r], B);
                }
                continue;
            }
            for (int64_t r = 0; r < nr; ++r)
                move_run<B>(dst + (r0 + r) * drs + c0 * es, es, src + (r0 + r) * es + c0 * scs, scs, nc);
        }
    }
}

// Same-dtype copy of element size B. Returns after a tiled transpose when the two innermost loop
// dimensions are crossed (dst contiguous along the last, src along the one before); else moves run by run.
template <size_t B>
void copy_same(const Loop<2>& L) {
    const int64_t es = static_cast<int64_t>(B);
    const int last = L.ndim - 1;
    if (L.ndim >= 2 && L.strides[0][last] == es && L.strides[1][last] != es && L.strides[1][last - 1] == es &&
        L.sizes[last] >= kBlock && L.sizes[last - 1] >= kBlock) {
        // Planes: the outer dimensions; tasks: row blocks of every plane.
        const int64_t rows = L.sizes[last - 1], cols = L.sizes[last];
        int64_t planes = 1;
        for (int d = 0; d < last - 1; ++d) planes *= L.sizes[d];
        const int64_t blocks = (rows + kTile - 1) / kTile;
        const int64_t grain = std::max<int64_t>(1, kElementwiseGrain / (kTile * cols));
        auto body = [&](int64_t begin, int64_t end) {
            for (int64_t t = begin; t < end; ++t) {
                int64_t rem = t / blocks;  // the plane, unravelled below
                const int64_t r0 = (t % blocks) * kTile;
                char* d = L.data[0];
                const char* s = L.data[1];
                for (int dim = last - 2; dim >= 0; --dim) {
                    const int64_t i = rem % L.sizes[dim];
                    rem /= L.sizes[dim];
                    d += i * L.strides[0][dim];
                    s += i * L.strides[1][dim];
                }
                move_plane_transposed<B>(d + r0 * L.strides[0][last - 1], L.strides[0][last - 1], s + r0 * es,
                                         L.strides[1][last], std::min(kTile, rows - r0), cols);
            }
        };
        if (planes * rows * cols <= kElementwiseGrain) body(0, planes * blocks);
        else parallel_for(planes * blocks, grain, body);
        return;
    }
    run_loop(L, [&](char** p, const int64_t* s, int64_t n) {
        if (s[0] == es && s[1] == es) std::memmove(p[0], p[1], static_cast<size_t>(n * es));
        else move_run<B>(p[0], s[0], p[1], s[1], n);
    });
}

}  // namespace

void copy(const View& dst, const View& src) {
    Loop<2> L = make_loop<2>({&dst, &src});
    if (dst.dtype == src.dtype) {
        switch (dtype_size(dst.dtype)) {
            case 1: return copy_same<1>(L);
            case 2: return copy_same<2>(L);
            case 4: return copy_same<4>(L);
            case 8: return copy_same<8>(L);
            case 16: return copy_same<16>(L);
            default: break;
        }
        const int64_t es = static_cast<int64_t>(dtype_size(dst.dtype));
        run_loop(L, [&](char** p, const int64_t* s, int64_t n) {
            for (int64_t i = 0; i < n; ++i) std::memmove(p[0] + i * s[0], p[1] + i * s[1], static_cast<size_t>(es));
        });
        return;
    }
    dispatch_all(dst.dtype, [&](auto dtag) {
        using D = typename decltype(dtag)::type;
        dispatch_all(src.dtype, [&](auto stag) {
            using S = typename decltype(stag)::type;
            run_loop(L, [](char** p, const int64_t* s, int64_t n) {
                if (s[0] == static_cast<int64_t>(sizeof(D)) && s[1] == static_cast<int64_t>(sizeof(S))) {
                    // Contiguous runs: typed pointers let the compiler vectorise the conversion.
                    D* o = reinterpret_cast<D*>(p[0]);
                    const S* in = reinterpret_cast<const S*>(p[1]);
                    for (int64_t i = 0; i < n; ++i) o[i] = convert<D>(in[i]);
                    return;
                }
                for (int64_t i = 0; i < n; ++i) {
                    S v;
                    std::memcpy(&v, p[1] + i * s[1], sizeof(S));
                    D d = convert<D>(v);
                    std::memcpy(p[0] + i * s[0], &d, sizeof(D));
                }
            });
        });
    });
}

void fill(const View& dst, Scalar value) {
    Loop<1> L = make_loop<1>({&dst});
    dispatch_all(dst.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T v = value.to<T>();
        run_loop(L, [v](char** p, const int64_t* s, int64_t n) {
            if (s[0] == static_cast<int64_t>(sizeof(T))) {
                T* o = reinterpret_cast<T*>(p[0]);
                for (int64_t i = 0; i < n; ++i) o[i] = v;
                return;
            }
            for (int64_t i = 0; i < n; ++i) std::memcpy(p[0] + i * s[0], &v, sizeof(T));
        });
    });
}

void arange(const View& out, double start, double step) {
    const int64_t n = out.numel();
    const int64_t stride = out.ndim > 0 ? out.strides[0] : 1;
    dispatch_all(out.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        T* o = reinterpret_cast<T*>(out.data);
        for (int64_t i = 0; i < n; ++i) o[i * stride] = saturate_from_double<T>(start + static_cast<double>(i) * step);
    });
}

}  // namespace wick::cpu
