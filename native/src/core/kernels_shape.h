// Backend kernel family: indexing, joining, sorting and scans (cat, gather, scatter, sort, topk, ...).
// Conventions as in backend.h: plain-data arguments (View, enums, scalars), a wk_status result.
//
// The ops layer (src/ops/indexing.cpp, masked.cpp, rearrange.cpp, sort.cpp) checks shapes and
// dtypes and allocates; kernels check every index value they read (an index out of range is
// WK_ERR_INDEX, never an out-of-bounds access) and name `op` in their messages. Kernels that write
// through an index check every index before the first write, so a failed call leaves its output
// untouched. Index views hold int64 or int32.
#pragma once

#include "core/backend.h"

namespace wick {

// Per output dimension d, the source position along d for each output position, or -1 for "not
// read from the source" (constant padding). Used by pad, flip, roll and repeat: out has its own
// sizes, x has out's ndim, and map[d] has out.sizes[d] entries in [-1, x.sizes[d]). A null map[d]
// is the identity (out.sizes[d] == x.sizes[d]). Host memory on every backend.
struct IndexMaps {
    const int64_t* map[kMaxDims] = {};
};

struct ShapeKernels {
    // out = x with dimension `dim` replaced by index entries: out.select(dim, i) = x.select(dim, index[i]).
    // index: a 1-D view (n = out.sizes[dim]); negative entries count from the end when wrap_negative.
    wk_status (*index_select)(const View& out, const View& x, int32_t dim, const View& index, bool wrap_negative,
                              const char* op);
    // out[p] = x[p with coordinate dim replaced by index[p]]; out and index have the same sizes,
    // x has out's ndim with sizes >= index's outside dim.
    wk_status (*gather)(const View& out, const View& x, int32_t dim, const View& index, const char* op);
    // In place: self[p with coordinate dim replaced by index[p]] = src[p] (or +=) for every p of
    // index's shape; src has index's sizes (it may be broadcast: stride 0). Positions are visited in
    // index order along dim, so the last duplicate wins and sums are deterministic.
    wk_status (*scatter)(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src,
                         const char* op);
    // In place: self.select(dim, index[i]) = src.select(dim, i) (or +=), i in index order; src has
    // self's sizes except src.sizes[dim] == index length. Negative entries wrap when wrap_negative.
    wk_status (*index_reduce)(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src,
                              bool wrap_negative, const char* op);

    // In place: out[p] = value[p] where mask[p]; mask (bool) and value are broadcast to out's sizes.
    wk_status (*masked_fill)(const View& out, const View& mask, const View& value);
    // *count = number of nonzero elements of x (any dtype; NaN is nonzero). Broadcast views count
    // every position.
    wk_status (*count_nonzero)(const View& x, int64_t* count);
    // out (1-D, contiguous, count elements) = x[p] for every p where mask[p], row-major; x and mask
    // have the same sizes (either may be broadcast).
    wk_status (*masked_select)(const View& out, const View& x, const View& mask);
    // In place: self[p] = source[k++] for every p where mask[p], row-major; source is contiguous and
    // holds at least count_nonzero(mask) elements; mask has self's sizes (may be broadcast).
    wk_status (*masked_scatter)(const View& self, const View& mask, const View& source);
    // out: contiguous (count, x.ndim) int64 coordinates of x's nonzero elements, row-major.
    wk_status (*nonzero)(const View& out, const View& x);

    // out[i0, ..., in] = x[map0[i0], ..., mapn[in]], or fill where any map entry is -1.
    wk_status (*index_map)(const View& out, const View& x, const IndexMaps& maps, Scalar fill);
    // The adjoint of index_map: grad_x[map0[i0], ...] += grad_out[i0, ...] (entries of -1 skipped);
    // grad_x must be zeroed by the caller. Floating dtypes (f32, f64).
    wk_status (*index_map_add)(const View& grad_x, const View& grad_out, const IndexMaps& maps);
    // out = x with elements outside the triangle of the last two dimensions set to zero: kept where
    // col - row <= diagonal (lower) or >= diagonal (upper). out may be x itself.
    wk_status (*triangle)(const View& out, const View& x, int64_t diagonal, bool upper);

    // values (x's dtype) and indices (int64) of x sorted along dim, stably; NaN is the largest value.
    // All three views have the same sizes.
    wk_status (*sort)(const View& values, const View& indices, const View& x, int32_t dim, bool descending);
    // The k largest (or smallest) of x along dim, in sorted order, ties in index order; values and
    // indices have x's sizes with sizes[dim] == k.
    wk_status (*topk)(const View& values, const View& indices, const View& x, int32_t dim, int64_t k, bool largest);
    // Given sorted (1-D, ascending, NaN last) and perm (int64: sorted[i] = flat_x[perm[i]]), writes
    // the first of each run of equal values to values[0..*count), run lengths to counts (may have
    // null data), and inverse[perm[i]] = run of i (may have null data). NaNs are each their own run.
    wk_status (*unique_sorted)(const View& values, const View& inverse, const View& counts, const View& sorted,
                               const View& perm, int64_t* count);
};

}  // namespace wick
