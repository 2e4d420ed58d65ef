// Matrix products.
#pragma once

#include "core/tensor.h"

namespace wick {

// PyTorch's matmul: 1-D dot, 2-D product, batched with broadcast batch dimensions.
TensorRef matmul(const TensorRef& a, const TensorRef& b, Tensor* out);

}  // namespace wick
