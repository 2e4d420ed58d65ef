// The CPU backend's OptimKernels table.
#include "core/kernels_optim.h"
#include "cpu/guarded.h"
#include "cpu/amp_kernels.h"
#include "cpu/optim_kernels.h"

namespace wick::cpu {

extern const OptimKernels kCpuOptimKernels = {
    guarded<&sgd_step>,
    guarded<&adam_step>,
    guarded<&rmsprop_step>,
    guarded<&adagrad_step>,
    guarded<&amp_unscale_check>,
    guarded<&amp_update_scale>,
};

}  // namespace wick::cpu
