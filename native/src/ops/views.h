// Views share their input's storage and never copy (reshape copies only when it must).
#pragma once

#include "core/tensor.h"

namespace wick {

TensorRef view(const TensorRef& t, const Shape& sizes);
TensorRef reshape(const TensorRef& t, const Shape& sizes);
TensorRef transpose(const TensorRef& t, int64_t dim0, int64_t dim1);
TensorRef permute(const TensorRef& t, const int32_t* dims, int32_t ndim);
TensorRef expand(const TensorRef& t, const Shape& sizes);
TensorRef slice(const TensorRef& t, int64_t dim, int64_t start, int64_t end, int64_t step);
TensorRef select(const TensorRef& t, int64_t dim, int64_t index);
TensorRef squeeze(const TensorRef& t, int64_t dim, bool all_dims);
TensorRef unsqueeze(const TensorRef& t, int64_t dim);
TensorRef flatten(const TensorRef& t, int64_t start_dim, int64_t end_dim);
TensorRef as_strided(const TensorRef& t, const Shape& sizes, const Shape& strides, int64_t offset);

// Resolves one -1 in `sizes` against numel; throws a shape error naming op otherwise.
Shape infer_size(const Shape& sizes, int64_t numel, const Shape& from, const char* op);

}  // namespace wick
