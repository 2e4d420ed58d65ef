// Backend kernel family: fused optimizer updates (one kernel call per parameter tensor and step).
// Conventions as in backend.h: plain-data arguments (View, enums, scalars), a wk_status result.
//
// Every view given to one call is contiguous, has the same number of elements and the same
// floating dtype (float32 or float64); the ops layer (ops/optim.cpp) guarantees it. A state view
// that the options do not use has a null data pointer. The formulas are those of wick.h's
// "Optimizer steps" section.
#pragma once

#include "core/backend.h"

namespace wick {

struct OptimKernels {
    wk_status (*sgd)(const View& param, const View& grad, const View& momentum_buffer, const wk_sgd_options& o);
    wk_status (*adam)(const View& param, const View& grad, const View& exp_avg, const View& exp_avg_sq,
                      const View& max_exp_avg_sq, const wk_adam_options& o);
    wk_status (*rmsprop)(const View& param, const View& grad, const View& square_avg, const View& grad_avg,
                         const View& momentum_buffer, const wk_rmsprop_options& o);
    wk_status (*adagrad)(const View& param, const View& grad, const View& state_sum, const wk_adagrad_options& o);
    // Mixed precision (ops/amp.cpp): grad is a contiguous floating view (16-bit floats included);
    // found_inf, inv_scale and scale are one float32 element, growth_tracker one int32 element.
    wk_status (*amp_unscale_check)(const View& grad, const View& found_inf, const View& inv_scale);
    wk_status (*amp_update_scale)(const View& scale, const View& growth_tracker, const View& found_inf,
                                  double growth_factor, double backoff_factor, int32_t growth_interval);
};

}  // namespace wick
