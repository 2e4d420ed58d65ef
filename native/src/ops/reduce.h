// Reductions over any set of dimensions, with keepdim.
#pragma once

#include "core/tensor.h"

namespace wick {

// dims == nullptr or ndims == 0 reduces every dimension. dtype < 0 keeps the default result dtype.
TensorRef reduce(wk_reduce_op op, const TensorRef& x, const int32_t* dims, int32_t ndims, bool keepdim,
                 double param, int32_t dtype, Tensor* out);

// Max or min along one dim with the index of the first extreme (op: WK_REDUCE_MAX or WK_REDUCE_MIN).
struct ValuesIndices {
    TensorRef values;
    TensorRef indices;
};
ValuesIndices reduce_indices(wk_reduce_op op, const TensorRef& x, int32_t dim, bool keepdim);

// Cumulative sum or product along dim; dtype < 0 keeps floats and gives i64 for integers and bools.
TensorRef scan(wk_scan_op op, const TensorRef& x, int32_t dim, int32_t dtype, Tensor* out);

}  // namespace wick
