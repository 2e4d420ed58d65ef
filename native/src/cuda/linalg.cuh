// Batched matrix products through cuBLAS.
#pragma once

#include "core/backend.h"

namespace wick::cuda {

void bmm(const View& c, const View& a, const View& b);

}  // namespace wick::cuda
