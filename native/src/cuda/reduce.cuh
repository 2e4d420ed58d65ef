// Reductions (every wk_reduce_op) over any dimensions on the GPU.
#pragma once

#include "core/backend.h"

namespace wick::cuda {

void reduce(wk_reduce_op op, const View& out, const View& x, double param);

}  // namespace wick::cuda
