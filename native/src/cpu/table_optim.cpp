// The CPU backend's OptimKernels table.
#include "core/kernels_optim.h"
#include "cpu/guarded.h"

namespace wick::cpu {

extern const OptimKernels kCpuOptimKernels = {
    nullptr,
};

}  // namespace wick::cpu
