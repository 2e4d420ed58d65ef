// Binary elementwise ops (every wk_binary_op), tensor-tensor and tensor-scalar, on the GPU.
#pragma once

#include "core/backend.h"

namespace wick::cuda {

void binary(wk_binary_op op, const View& out, const View& a, const View& b);
void binary_scalar(wk_binary_op op, const View& out, const View& a, Scalar s, bool reverse);

}  // namespace wick::cuda
