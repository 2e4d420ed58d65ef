// Random fills through the counter-based Philox generator.
#pragma once

#include "core/generator.h"
#include "core/tensor.h"

namespace wick {

void random_fill(const TensorRef& t, wk_random_dist dist, double a, double b, Generator& gen);

}  // namespace wick
