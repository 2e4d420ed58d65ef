// Batched matrix products through cuBLAS.
#pragma once

#include "core/backend.h"

namespace wick::cuda {

void bmm(const View& c, const View& a, const View& b);
// c = alpha * a @ b + beta * c (c not read when beta == 0).
// matmul_into: c's rows must be dense (strides (any, m, 1)); its batch stride is free (kernels that
// write a slice of a larger tensor, like the convolutions' per-group products). scope: which TF32
// switch decides float32's compute mode (the convolutions pass WK_TF32_CONVOLUTION). a and b share
// one dtype; c has it too, or is float32 when a and b are float16 / bfloat16 (float32 accumulation).
void matmul_into(const View& c, const View& a, const View& b, double alpha, double beta,
                 wk_tf32_scope scope = WK_TF32_MATMUL);
void gemm(const View& c, const View& a, const View& b, double alpha, double beta);

}  // namespace wick::cuda
