// The CUDA implementations of GradScaler's device-side steps behind the OptimKernels table
// (core/kernels_optim.h): unscale-and-check per gradient and the scale update (amp.cu).
#pragma once

#include "core/kernels_optim.h"

namespace wick::cuda {

void amp_unscale_check(const View& grad, const View& found_inf, const View& inv_scale);
void amp_update_scale(const View& scale, const View& growth_tracker, const View& found_inf, double growth_factor,
                      double backoff_factor, int32_t growth_interval);

}  // namespace wick::cuda
