// The CPU backend's OptimKernels table.
#include "core/kernels_optim.h"
#include "cpu/guarded.h"
#include "cpu/optim_kernels.h"

namespace wick::cpu {

extern const OptimKernels kCpuOptimKernels = {
    guarded<&sgd_step>,
    guarded<&adam_step>,
    guarded<&rmsprop_step>,
    guarded<&adagrad_step>,
};

}  // namespace wick::cpu
