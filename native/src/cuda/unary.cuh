// Unary elementwise ops (every wk_unary_op) on the GPU.
#pragma once

#include "core/backend.h"

namespace wick::cuda {

void unary(wk_unary_op op, const View& out, const View& x, double p0, double p1);

}  // namespace wick::cuda
