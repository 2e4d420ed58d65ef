// Fused optimizer steps.
#include <vector>

#include "api/guard.h"
#include "ops/amp.h"
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

WK_API wk_status wk_amp_unscale_check(const wk_tensor* grads, int32_t count, wk_tensor found_inf, wk_tensor inv_scale) {
    return guard([&] {
        check(count >= 0 && (count == 0 || grads != nullptr), WK_ERR_INVALID_ARGUMENT,
              "amp_unscale_check: invalid gradient list");
        std::vector<TensorRef> list;
        list.reserve(static_cast<size_t>(count));
        for (int32_t i = 0; i < count; ++i) list.push_back(unwrap_ref(grads[i], "amp_unscale_check grad"));
        amp_unscale_check(list, unwrap_ref(found_inf, "amp_unscale_check found_inf"),
                          unwrap_ref(inv_scale, "amp_unscale_check inv_scale"));
    });
}

WK_API wk_status wk_amp_update_scale(wk_tensor scale, wk_tensor growth_tracker, wk_tensor found_inf,
                                     double growth_factor, double backoff_factor, int32_t growth_interval) {
    return guard([&] {
        amp_update_scale(unwrap_ref(scale, "amp_update_scale scale"),
                         unwrap_ref(growth_tracker, "amp_update_scale growth_tracker"),
                         unwrap_ref(found_inf, "amp_update_scale found_inf"), growth_factor, backoff_factor,
                         growth_interval);
    });
}

}  // extern "C"
