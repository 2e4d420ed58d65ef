// Ternary elementwise ops on the GPU (wk_ternary_op: where, lerp, addcmul, addcdiv, clamp) over
// broadcast, strided operands (ternary.cu).
#pragma once

#include "core/view.h"
#include "wick/wick.h"

namespace wick::cuda {

void ternary(wk_ternary_op op, const View& out, const View& a, const View* b, const View* c, double s);

}  // namespace wick::cuda
