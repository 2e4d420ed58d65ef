// The CUDA implementations behind the ShapeKernels table (core/kernels_shape.h): indexing
// (index.cu), masks and compaction (masked.cu), index maps and triangles (index_map.cu), sorting
// (sort.cu). They throw wick::Error; backend_cuda.cpp wraps each with guarded<>.
#pragma once

#include "core/kernels_shape.h"

namespace wick::cuda {

// index.cu
void index_select(const View& out, const View& x, int32_t dim, const View& index, bool wrap_negative, const char* op);
void gather(const View& out, const View& x, int32_t dim, const View& index, const char* op);
void scatter(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src, const char* op);
void index_reduce(wk_scatter_mode mode, const View& self, int32_t dim, const View& index, const View& src,
                  bool wrap_negative, const char* op);
// masked.cu
void masked_fill(const View& out, const View& mask, const View& value);
void count_nonzero(const View& x, int64_t* count);
void masked_select(const View& out, const View& x, const View& mask);
void masked_scatter(const View& self, const View& mask, const View& source);
void nonzero(const View& out, const View& x);
// index_map.cu
void index_map(const View& out, const View& x, const IndexMaps& maps, Scalar fill);
void index_map_add(const View& grad_x, const View& grad_out, const IndexMaps& maps);
void triangle(const View& out, const View& x, int64_t diagonal, bool upper);
// sort.cu
void sort(const View& values, const View& indices, const View& x, int32_t dim, bool descending);
void topk(const View& values, const View& indices, const View& x, int32_t dim, int64_t k, bool largest);
void unique_sorted(const View& values, const View& inverse, const View& counts, const View& sorted, const View& perm,
                   int64_t* count);

}  // namespace wick::cuda
