// The CPU backend's NNKernels table.
#include "core/kernels_nn.h"
#include "cpu/guarded.h"

namespace wick::cpu {

extern const NNKernels kCpuNnKernels = {
    nullptr,
};

}  // namespace wick::cpu
