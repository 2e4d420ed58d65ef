// The CPU backend's ShapeKernels table.
#include "core/kernels_shape.h"
#include "cpu/guarded.h"

namespace wick::cpu {

extern const ShapeKernels kCpuShapeKernels = {
    nullptr,
};

}  // namespace wick::cpu
