// Fused optimizer steps.
#include "api/guard.h"
#include "ops/optim.h"

using namespace wick;
using namespace wick::api;

namespace {

TensorRef optional_ref(wk_tensor h, const char* what) {
    return h == nullptr ? TensorRef() : unwrap_ref(h, what);
}

template <class T>
const T& options_param(const T* p, const char* what) {
    if (p == nullptr) fail(WK_ERR_INVALID_ARGUMENT, what, ": null options pointer");
    return *p;
}

}  // namespace

extern "C" {

WK_API wk_status wk_optim_sgd_step(wk_tensor param, wk_tensor grad, wk_tensor momentum_buffer,
                                   const wk_sgd_options* options) {
    return guard([&] {
        const auto& o = options_param(options, "SGD");
        sgd_step(unwrap_ref(param, "SGD param"), unwrap_ref(grad, "SGD grad"),
                 optional_ref(momentum_buffer, "SGD momentum_buffer"), o);
    });
}

WK_API wk_status wk_optim_adam_step(wk_tensor param, wk_tensor grad, wk_tensor exp_avg, wk_tensor exp_avg_sq,
                                    wk_tensor max_exp_avg_sq, const wk_adam_options* options) {
    return guard([&] {
        const auto& o = options_param(options, "Adam");
        adam_step(unwrap_ref(param, "Adam param"), unwrap_ref(grad, "Adam grad"), optional_ref(exp_avg, "Adam exp_avg"),
                  optional_ref(exp_avg_sq, "Adam exp_avg_sq"), optional_ref(max_exp_avg_sq, "Adam max_exp_avg_sq"), o);
    });
}

WK_API wk_status wk_optim_rmsprop_step(wk_tensor param, wk_tensor grad, wk_tensor square_avg, wk_tensor grad_avg,
                                       wk_tensor momentum_buffer, const wk_rmsprop_options* options) {
    return guard([&] {
        const auto& o = options_param(options, "RMSprop");
        rmsprop_step(unwrap_ref(param, "RMSprop param"), unwrap_ref(grad, "RMSprop grad"),
                     optional_ref(square_avg, "RMSprop square_avg"), optional_ref(grad_avg, "RMSprop grad_avg"),
                     optional_ref(momentum_buffer, "RMSprop momentum_buffer"), o);
    });
}

WK_API wk_status wk_optim_adagrad_step(wk_tensor param, wk_tensor grad, wk_tensor state_sum,
                                       const wk_adagrad_options* options) {
    return guard([&] {
        const auto& o = options_param(options, "Adagrad");
        adagrad_step(unwrap_ref(param, "Adagrad param"), unwrap_ref(grad, "Adagrad grad"),
                     optional_ref(state_sum, "Adagrad state_sum"), o);
    });
}

}  // extern "C"
