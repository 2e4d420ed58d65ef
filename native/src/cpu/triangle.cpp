// tril / triu over the last two dimensions: x (..., R, C). Row i keeps columns j with
// j - i <= diagonal (lower) or j - i >= diagonal (upper); the rest become zero.
#include <algorithm>

#include "cpu/index_common.h"
#include "cpu/shape_kernels.h"

namespace wick::cpu {

namespace {

// Element offset of row r (row-major over all dims but the last) of v.
inline int64_t row_start(const View& v, int64_t r) {
    int64_t off = 0;
    for (int d = v.ndim - 2; d >= 0; --d) {
        off += (r % v.sizes[d]) * v.strides[d];
        r /= v.sizes[d];
    }
    return off;
}

}  // namespace

void triangle(const View& out, const View& x, int64_t diagonal, bool upper) {
    const int64_t numel = out.numel();
    if (numel == 0) return;
    const int64_t R = out.sizes[out.ndim - 2], C = out.sizes[out.ndim - 1];
    const int64_t rows = numel / C;
    const int64_t os = out.strides[out.ndim - 1], xs = x.strides[out.ndim - 1];
    bool same = out.data == x.data;
    for (int d = 0; d < out.ndim; ++d) same = same && out.strides[d] == x.strides[d];
    dispatch_bytes(out.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        parallel_for(rows, std::max<int64_t>(1, kIndexGrain / C), [&](int64_t r0, int64_t r1) {
            for (int64_t r = r0; r < r1; ++r) {
                const int64_t i = r % R;
                // Kept columns [keep_begin, keep_end). Clamping the diagonal to [-R - 1, C] changes no
                // result (0 <= i < R) and keeps i + d from overflowing for huge diagonals.
                const int64_t dg = std::clamp<int64_t>(diagonal, -R - 1, C);
                int64_t keep_begin = 0, keep_end = C;
                if (upper) keep_begin = std::clamp<int64_t>(i + dg, 0, C);
                else keep_end = std::clamp<int64_t>(i + dg + 1, 0, C);
                T* o = reinterpret_cast<T*>(out.data) + row_start(out, r);
                const T* xr = reinterpret_cast<const T*>(x.data) + row_start(x, r);
                for (int64_t j = 0; j < C; ++j) {
                    if (j >= keep_begin && j < keep_end) {
                        if (!same) o[j * os] = xr[j * xs];
                    } else {
                        o[j * os] = T(0);
                    }
                }
            }
        });
    });
}

}  // namespace wick::cpu
