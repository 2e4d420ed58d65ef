// Reductions (every wk_reduce_op) over any dimensions on the GPU (reduce.cu, reduce_index.cu,
// reduce_stats.cu), and the reductions along one dimension that keep positions: max / min with
// the index of the first extreme, cumulative sum and product (reduce_dim.cu).
#pragma once

#include "core/backend.h"

namespace wick::cuda {

void reduce(wk_reduce_op op, const View& out, const View& x, double param);
void reduce_indices(wk_reduce_op op, const View& values, const View& indices, const View& x);
void scan(wk_scan_op op, const View& out, const View& x, int32_t dim);

}  // namespace wick::cuda
