// The CPU optimizer kernels behind the OptimKernels table (table_optim.cpp). They may throw
// wick::Error; the table wraps each in Guarded.
#pragma once

#include "core/kernels_optim.h"

namespace wick::cpu {

void sgd_step(const View& param, const View& grad, const View& momentum_buffer, const wk_sgd_options& o);
void adam_step(const View& param, const View& grad, const View& exp_avg, const View& exp_avg_sq,
               const View& max_exp_avg_sq, const wk_adam_options& o);
void rmsprop_step(const View& param, const View& grad, const View& square_avg, const View& grad_avg,
                  const View& momentum_buffer, const wk_rmsprop_options& o);
void adagrad_step(const View& param, const View& grad, const View& state_sum, const wk_adagrad_options& o);

}  // namespace wick::cpu
