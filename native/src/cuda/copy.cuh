// Copies with dtype conversion (strided, broadcast), fills and arange on the GPU.
#pragma once

#include "core/backend.h"

namespace wick::cuda {

void copy(const View& dst, const View& src);
void fill(const View& dst, Scalar value);
void arange(const View& out, double start, double step);

}  // namespace wick::cuda
