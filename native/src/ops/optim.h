// Fused optimizer steps: argument checks and layout handling around the OptimKernels family.
#pragma once

#include "core/tensor.h"
#include "wick/wick.h"

namespace wick {

// Optional state buffers are null where the options do not use them.
void sgd_step(const TensorRef& param, const TensorRef& grad, const TensorRef& momentum_buffer,
              const wk_sgd_options& o);
void adam_step(const TensorRef& param, const TensorRef& grad, const TensorRef& exp_avg, const TensorRef& exp_avg_sq,
               const TensorRef& max_exp_avg_sq, const wk_adam_options& o);
void rmsprop_step(const TensorRef& param, const TensorRef& grad, const TensorRef& square_avg,
                  const TensorRef& grad_avg, const TensorRef& momentum_buffer, const wk_rmsprop_options& o);
void adagrad_step(const TensorRef& param, const TensorRef& grad, const TensorRef& state_sum,
                  const wk_adagrad_options& o);

}  // namespace wick
