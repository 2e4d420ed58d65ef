// Mixed precision (GradScaler): argument checks and layout handling around the two amp kernels of
// the OptimKernels family.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace wick {

void amp_unscale_check(const std::vector<TensorRef>& grads, const TensorRef& found_inf, const TensorRef& inv_scale);
void amp_update_scale(const TensorRef& scale, const TensorRef& growth_tracker, const TensorRef& found_inf,
                      double growth_factor, double backoff_factor, int32_t growth_interval);

}  // namespace wick
