// The CPU mixed-precision kernels behind the OptimKernels table (table_optim.cpp): GradScaler's
// unscale-and-check and scale update. They may throw wick::Error; the table wraps each in Guarded.
#pragma once

#include "core/kernels_optim.h"

namespace wick::cpu {

void amp_unscale_check(const View& grad, const View& found_inf, const View& inv_scale);
void amp_update_scale(const View& scale, const View& growth_tracker, const View& found_inf, double growth_factor,
                      double backoff_factor, int32_t growth_interval);

}  // namespace wick::cpu
