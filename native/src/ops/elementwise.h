// Elementwise ops: unary, binary (broadcasting, PyTorch type promotion), tensor-scalar.
#pragma once

#include "core/scalar.h"
#include "core/tensor.h"

namespace wick {

// `out` may be null (a new result) or a tensor to write into (in-place when it is an input).
TensorRef unary(wk_unary_op op, const TensorRef& x, double p0, double p1, Tensor* out);
TensorRef binary(wk_binary_op op, const TensorRef& a, const TensorRef& b, Tensor* out);
TensorRef binary_scalar(wk_binary_op op, const TensorRef& a, const Scalar& s, bool reverse, Tensor* out);

// PyTorch's result_type for two tensors: 0-d tensors only lift the category (bool < int < float).
DType result_type(const Tensor& a, const Tensor& b);

}  // namespace wick
