// Indexing by index tensors: index_select, gather, scatter, index_add / index_copy / index_fill,
// one_hot, and advanced indexing by one index tensor (index, index_put_).
#pragma once

#include "core/scalar.h"
#include "core/tensor.h"
#include "wick/wick.h"

namespace wick {

TensorRef index_select(const TensorRef& x, int64_t dim, const TensorRef& index, Tensor* out);
TensorRef gather(const TensorRef& x, int64_t dim, const TensorRef& index, Tensor* out);
// src null: the scalar value (then non-null) is scattered.
TensorRef scatter(const TensorRef& x, int64_t dim, const TensorRef& index, const Tensor* src, const Scalar* value,
                  wk_scatter_mode mode, Tensor* out);
TensorRef index_add(const TensorRef& x, int64_t dim, const TensorRef& index, const TensorRef& source,
                    const Scalar* alpha, Tensor* out);
TensorRef index_copy(const TensorRef& x, int64_t dim, const TensorRef& index, const TensorRef& source, Tensor* out);
TensorRef index_fill(const TensorRef& x, int64_t dim, const TensorRef& index, const Scalar* value,
                     const Tensor* value_tensor, Tensor* out);
TensorRef one_hot(const TensorRef& index, int64_t num_classes);

TensorRef index(const TensorRef& x, int64_t dim, const TensorRef& index);
void index_put_(const TensorRef& x, int64_t dim, const TensorRef& index, const TensorRef& values, bool accumulate);

}  // namespace wick
