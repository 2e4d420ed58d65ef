// Rearranging copies driven by one index map per dimension (pad, flip, roll, repeat), and the
// adjoint that accumulates gradients back (pad's backward). out: (rows..., cols); each row of out
// reads one row of x (or is fill), and within the row the last map picks the columns, so a row
// whose last dimension is untouched is a single memcpy.
#include <type_traits>
#include <vector>

#include "core/convert.h"
#include "cpu/index_common.h"
#include "cpu/shape_kernels.h"

namespace wick::cpu {

namespace {

inline int64_t mapped(const IndexMaps& maps, int d, int64_t i) { return maps.map[d] ? maps.map[d][i] : i; }

// Calls fn(row, x_offset or -1) for every row in [r0, r1) of out (all dims but the last, row-major);
// x_offset is in elements.
template <class F>
void for_rows(const View& out, const View& x, const IndexMaps& maps, int64_t r0, int64_t r1, F&& fn) {
    const int last = out.ndim - 1;
    int64_t idx[kMaxDims] = {};
    int64_t rem = r0;
    for (int d = last - 1; d >= 0; --d) {
        idx[d] = rem % out.sizes[d];
        rem /= out.sizes[d];
    }
    for (int64_t r = r0; r < r1; ++r) {
        int64_t off = 0;
        bool filled = false;
        for (int d = 0; d < last; ++d) {
            int64_t m = mapped(maps, d, idx[d]);
            if (m < 0) {
                filled = true;
                break;
            }
            off += m * x.strides[d];
        }
        fn(r, filled ? -1 : off);
        for (int d = last - 1; d >= 0; --d) {
            if (++idx[d] < out.sizes[d]) break;
            idx[d] = 0;
        }
    }
}

// Byte offset of row r of out (row-major over all dims but the last).
inline int64_t row_offset(const View& v, int64_t r) {
    int64_t off = 0;
    for (int d = v.ndim - 2; d >= 0; --d) {
        off += (r % v.sizes[d]) * v.strides[d];
        r /= v.sizes[d];
    }
    return off;
}

}  // namespace

void index_map(const View& out, const View& x, const IndexMaps& maps, Scalar fill) {
    const int64_t numel = out.numel();
    if (numel == 0) return;
    dispatch_all(out.dtype, [&](auto tag) {
        using T = typename decltype(tag)::type;
        const T fv = fill.to<T>();
        if (out.ndim == 0) {
            store<T>(out.data, load<T>(x.data));
            return;
        }
        const int last = out.ndim - 1;
        const int64_t cols = out.sizes[last];
        const int64_t os = out.strides[last], xs = x.strides[last];
        const int64_t* cmap = maps.map[last];
        const bool row_copy = cmap == nullptr && os == 1 && xs == 1;
        const int64_t rows = numel / cols;
        parallel_for(rows, std::max<int64_t>(1, kIndexGrain / cols), [&](int64_t r0, int64_t r1) {
            for_rows(out, x, maps, r0, r1, [&](int64_t r, int64_t xoff) {
                T* o = reinterpret_cast<T*>(out.data) + row_offset(out, r);
                if (xoff < 0) {
                    for (int64_t c = 0; c < cols; ++c) o[c * os] = fv;
                    return;
                }
                const T* xr = reinterpret_cast<const T*>(x.data) + xoff;
                if (row_copy) {
                    std::memcpy(o, xr, static_cast<size_t>(cols) * sizeof(T));
                } else if (cmap == nullptr) {
                    for (int64_t c = 0; c < cols; ++c) o[c * os] = xr[c * xs];
                } else {
                    for (int64_t c = 0; c < cols; ++c) {
                        int64_t m = cmap[c];
                        o[c * os] = m < 0 ? fv : xr[m * xs];
                    }
                }
            });
        });
    });
}

// Several output positions may add into one input position, except across the leading dimensions
// whose map is the identity: those are split across threads, the rest runs in order.
void index_map_add(const View& grad_x, const View& grad_out, const IndexMaps& maps) {
    const int64_t numel = grad_out.numel();
    if (numel == 0) return;
    if (grad_out.ndim == 0) {  // as one element of a 1-D view
        View gx = grad_x, go = grad_out;
        gx.ndim = go.ndim = 1;
        gx.sizes[0] = go.sizes[0] = 1;
        gx.strides[0] = go.strides[0] = 1;
        index_map_add(gx, go, IndexMaps{});
        return;
    }
    int lead = 0;
    int64_t outer = 1;
    while (lead < grad_out.ndim - 1 && maps.map[lead] == nullptr) outer *= grad_out.sizes[lead++];
    const int64_t per_outer = numel / outer;
    const int last = grad_out.ndim - 1;
    const int64_t cols = grad_out.sizes[last];
    const int64_t rows_per_outer = per_outer / cols;
    const int64_t gs = grad_out.strides[last], xs = grad_x.strides[last];
    const int64_t* cmap = maps.map[last];
    auto body = [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_floating_point_v<T>) {
            parallel_for(outer, std::max<int64_t>(1, kIndexGrain / per_outer), [&](int64_t o0, int64_t o1) {
                for_rows(grad_out, grad_x, maps, o0 * rows_per_outer, o1 * rows_per_outer, [&](int64_t r, int64_t xoff) {
                    if (xoff < 0) return;
                    const T* g = reinterpret_cast<const T*>(grad_out.data) + row_offset(grad_out, r);
                    T* xr = reinterpret_cast<T*>(grad_x.data) + xoff;
                    for (int64_t c = 0; c < cols; ++c) {
                        int64_t m = cmap ? cmap[c] : c;
                        if (m >= 0) xr[m * xs] += g[c * gs];
                    }
                });
            });
        } else {
            fail(WK_ERR_DTYPE, "pad_backward: gradients must be float32 or float64, got ", dtype_name(grad_x.dtype));
        }
    };
    dispatch_compute(grad_x.dtype, "pad_backward", body);
}

}  // namespace wick::cpu
