// Matrix products. All of them run on the backend's batched GEMM (alpha * a @ b + beta * c) and read
// transposed or strided operands in place (no copy) when their batch dimensions allow.
#pragma once

#include "core/tensor.h"

namespace wick {

// PyTorch's matmul: 1-D dot, 2-D product, batched with broadcast batch dimensions.
TensorRef matmul(const TensorRef& a, const TensorRef& b, Tensor* out);
// (B, n, k) @ (B, k, m) -> (B, n, m); no broadcasting, as torch.bmm.
TensorRef bmm(const TensorRef& a, const TensorRef& b, Tensor* out);
// beta * input + alpha * (mat1 @ mat2); input broadcasts to (n, m); beta == 0 ignores input.
TensorRef addmm(const TensorRef& input, const TensorRef& mat1, const TensorRef& mat2, double beta, double alpha, Tensor* out);
// Outer product of two vectors: (n), (m) -> (n, m).
TensorRef outer(const TensorRef& a, const TensorRef& b, Tensor* out);
// Inner product of two vectors of one length: a 0-d tensor.
TensorRef dot(const TensorRef& a, const TensorRef& b, Tensor* out);
// Matrix-vector product: (n, k) @ (k) -> (n).
TensorRef mv(const TensorRef& mat, const TensorRef& vec, Tensor* out);

}  // namespace wick
