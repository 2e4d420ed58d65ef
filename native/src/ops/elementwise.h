// Elementwise ops: unary, binary (broadcasting, PyTorch type promotion), tensor-scalar.
#pragma once

#include "core/scalar.h"
#include "core/tensor.h"

namespace wick {

// `out` may be null (a new result) or a tensor to write into (in-place when it is an input).
TensorRef unary(wk_unary_op op, const TensorRef& x, double p0, double p1, Tensor* out);
TensorRef binary(wk_binary_op op, const TensorRef& a, const TensorRef& b, Tensor* out);
TensorRef binary_scalar(wk_binary_op op, const TensorRef& a, const Scalar& s, bool reverse, Tensor* out);
// where(a, b, c), lerp, addcmul, addcdiv, clamp with tensor bounds (wk_ternary_op); b or c may be
// null where the op allows it; s may be null (the op's default).
TensorRef ternary(wk_ternary_op op, const TensorRef& a, const TensorRef& b, const TensorRef& c, const Scalar* s,
                  Tensor* out);

// PyTorch's result_type for two tensors: 0-d tensors only lift the category (bool < int < float).
DType result_type(const Tensor& a, const Tensor& b);
// The same over up to three tensors (null entries are skipped).
DType result_type(const Tensor* const* ts, int n);

}  // namespace wick
