// Mask-driven ops: masked_fill, masked_select, masked_scatter, nonzero.
#pragma once

#include "core/scalar.h"
#include "core/tensor.h"

namespace wick {

TensorRef masked_fill(const TensorRef& x, const TensorRef& mask, const Scalar* value, const Tensor* value_tensor,
                      Tensor* out);
TensorRef masked_select(const TensorRef& x, const TensorRef& mask);
TensorRef masked_scatter(const TensorRef& x, const TensorRef& mask, const TensorRef& source, Tensor* out);
TensorRef nonzero(const TensorRef& x);

}  // namespace wick
