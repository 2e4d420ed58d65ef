// Mixed precision (GradScaler): checks the one-element state tensors and the gradients, then runs
// the unscale-and-check kernel per gradient and the scale update, all on the device (no host read).
#include "ops/amp.h"

#include <cmath>

#include "core/kernels_optim.h"
#include "ops/common.h"

namespace wick {

namespace {

// A one-element state tensor of the given dtype on `device`.
void check_state(const Tensor& t, const char* op, const char* name, DType dtype, Device device) {
    check(t.numel() == 1, WK_ERR_SHAPE, op, ": ", name, " must have one element, got shape ", t.sizes());
    check(t.dtype() == dtype, WK_ERR_DTYPE, op, ": ", name, " must be ", dtype_name(dtype), ", got ",
          dtype_name(t.dtype()));
    check(t.device() == device, WK_ERR_DEVICE, op, ": ", name, " is on ", t.device(), " but ", device,
          " was expected; keep the scaler's state on the gradients' device");
}

}  // namespace

void amp_unscale_check(const std::vector<TensorRef>& grads, const TensorRef& found_inf, const TensorRef& inv_scale) {
    const char* op = "amp_unscale_check";
    const Device device = found_inf->device();
    check_state(*found_inf, op, "found_inf", DType::F32, device);
    check_state(*inv_scale, op, "inv_scale", DType::F32, device);
    check_writable(*found_inf, op);
    for (size_t i = 0; i < grads.size(); ++i) {
        const Tensor& g = *grads[i];
        check(dtype_is_floating(g.dtype()), WK_ERR_DTYPE, op, ": gradient ", i, " is ", dtype_name(g.dtype()),
              "; gradients must be floating-point");
        check(g.device() == device, WK_ERR_DEVICE, op, ": gradient ", i, " is on ", g.device(), " but found_inf is on ",
              device, "; use one found_inf per device");
        check_writable(g, op);
    }
    const Backend& be = backend_for(device);
    for (const TensorRef& g : grads) {
        if (g->numel() == 0) continue;
        // A strided gradient is unscaled in a contiguous copy that is written back.
        TensorRef work = contiguous(g);
        launch(be, be.optim->amp_unscale_check, op, view_of(*work), view_of(*found_inf), view_of(*inv_scale));
        if (work.get() != g.get()) copy_into(*g, *work);
        g->storage().bump_version();
    }
    found_inf->storage().bump_version();
}

void amp_update_scale(const TensorRef& scale, const TensorRef& growth_tracker, const TensorRef& found_inf,
                      double growth_factor, double backoff_factor, int32_t growth_interval) {
    const char* op = "amp_update_scale";
    const Device device = scale->device();
    check_state(*scale, op, "scale", DType::F32, device);
    check_state(*growth_tracker, op, "growth_tracker", DType::I32, device);
    check_state(*found_inf, op, "found_inf", DType::F32, device);
    check(std::isfinite(growth_factor) && growth_factor > 1.0, WK_ERR_INVALID_ARGUMENT, op,
          ": growth_factor must be a finite number above 1, got ", growth_factor);
    check(std::isfinite(backoff_factor) && backoff_factor > 0.0 && backoff_factor < 1.0, WK_ERR_INVALID_ARGUMENT, op,
          ": backoff_factor must be in (0, 1), got ", backoff_factor);
    check(growth_interval >= 1, WK_ERR_INVALID_ARGUMENT, op, ": growth_interval must be at least 1, got ",
          growth_interval);
    const Backend& be = backend_for(device);
    launch(be, be.optim->amp_update_scale, op, view_of(*scale), view_of(*growth_tracker), view_of(*found_inf),
           growth_factor, backoff_factor, growth_interval);
    scale->storage().bump_version();
    growth_tracker->storage().bump_version();
}

}  // namespace wick
