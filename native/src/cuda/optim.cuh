// The CUDA implementations behind the OptimKernels table (core/kernels_optim.h): one elementwise
// kernel per optimizer step over contiguous float32 / float64 views (optim.cu).
#pragma once

#include "core/kernels_optim.h"

namespace wick::cuda {

void sgd(const View& param, const View& grad, const View& momentum_buffer, const wk_sgd_options& o);
void adam(const View& param, const View& grad, const View& exp_avg, const View& exp_avg_sq, const View& max_exp_avg_sq,
          const wk_adam_options& o);
void rmsprop(const View& param, const View& grad, const View& square_avg, const View& grad_avg,
             const View& momentum_buffer, const wk_rmsprop_options& o);
void adagrad(const View& param, const View& grad, const View& state_sum, const wk_adagrad_options& o);

}  // namespace wick::cuda
