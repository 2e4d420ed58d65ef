// Batched matrix products through cuBLAS.
#pragma once

#include "core/backend.h"

namespace wick::cuda {

void bmm(const View& c, const View& a, const View& b);
// c = alpha * a @ b + beta * c (c not read when beta == 0).
void gemm(const View& c, const View& a, const View& b, double alpha, double beta);

}  // namespace wick::cuda
