// The CPU implementations behind the ShapeKernels table (table_shape.cpp). They may throw
// wick::Error; the table wraps each in Guarded.
#pragma once

#include "core/kernels_shape.h"

namespace wick::cpu {

// index_gather.cpp
void index_select(const View& out, const View& x, int32_t dim, const View& index, bool wrap_negative, const char* op);
void gather(const View& out, const View& x, int32_t dim, const View& index, const char* op);
// index_scatter.cpp
void scatter(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src, const char* op);
void index_reduce(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src,
                  bool wrap_negative, const char* op);
// masked.cpp
void masked_fill(const View& out, const View& mask, const View& value);
void count_nonzero(const View& x, int64_t* count);
void masked_select(const View& out, const View& x, const View& mask);
void masked_scatter(const View& self, const View& mask, const View& source);
void nonzero(const View& out, const View& x);
// index_map.cpp
void index_map(const View& out, const View& x, const IndexMaps& maps, Scalar fill);
void index_map_add(const View& grad_x, const View& grad_out, const IndexMaps& maps);
// triangle.cpp
void triangle(const View& out, const View& x, int64_t diagonal, bool upper);
// sort.cpp
void sort(const View& values, const View& indices, const View& x, int32_t dim, bool descending);
void topk(const View& values, const View& indices, const View& x, int32_t dim, int64_t k, bool largest);
void unique_sorted(const View& values, const View& inverse, const View& counts, const View& sorted, const View& perm,
                   int64_t* count);

}  // namespace wick::cpu
