// Random fills with the CPU's Philox 4x32-10 stream: element i of a fill uses counter offset + i
// with key seed (core/philox.h), so a seed gives the same numbers on the CPU and the GPU.
#pragma once

#include "core/backend.h"

namespace wick::cuda {

void random_fill(const View& out, wk_random_dist dist, double a, double b, uint64_t seed, uint64_t offset);

}  // namespace wick::cuda
