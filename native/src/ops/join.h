// Joining and splitting along a dimension: cat, stack, split.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace wick {

TensorRef cat(const std::vector<TensorRef>& tensors, int64_t dim, Tensor* out);
TensorRef stack(const std::vector<TensorRef>& tensors, int64_t dim, Tensor* out);
// Views of consecutive pieces of dim with the given sizes (summing to the size of dim).
std::vector<TensorRef> split(const TensorRef& t, const int64_t* sizes, int32_t count, int64_t dim);

}  // namespace wick
