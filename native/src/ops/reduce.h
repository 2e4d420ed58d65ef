// Reductions over any set of dimensions, with keepdim.
#pragma once

#include "core/tensor.h"

namespace wick {

// dims == nullptr or ndims == 0 reduces every dimension. dtype < 0 keeps the default result dtype.
TensorRef reduce(wk_reduce_op op, const TensorRef& x, const int32_t* dims, int32_t ndims, bool keepdim,
                 double param, int32_t dtype, Tensor* out);

}  // namespace wick
