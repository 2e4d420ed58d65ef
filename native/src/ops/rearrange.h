// Copies that rearrange elements: flip, roll, repeat, tril/triu, pad (and pad's gradient).
#pragma once

#include "core/scalar.h"
#include "core/tensor.h"
#include "wick/wick.h"

namespace wick {

TensorRef flip(const TensorRef& x, const int32_t* dims, int32_t ndims);
TensorRef roll(const TensorRef& x, const int64_t* shifts, int32_t nshifts, const int32_t* dims, int32_t ndims);
TensorRef repeat(const TensorRef& x, const int64_t* repeats, int32_t count);
TensorRef triangle(const TensorRef& x, int64_t diagonal, bool upper, Tensor* out);
TensorRef pad(const TensorRef& x, const int64_t* pad, int32_t npad, wk_pad_mode mode, const Scalar* value);
TensorRef pad_backward(const TensorRef& grad, const Shape& input_sizes, const int64_t* pad, int32_t npad,
                       wk_pad_mode mode);

}  // namespace wick
