// The CPU backend's ShapeKernels table.
#include "core/kernels_shape.h"
#include "cpu/guarded.h"
#include "cpu/shape_kernels.h"

namespace wick::cpu {

extern const ShapeKernels kCpuShapeKernels = {
    guarded<&index_select>,
    guarded<&gather>,
    guarded<&scatter>,
    guarded<&index_reduce>,
    guarded<&masked_fill>,
    guarded<&count_nonzero>,
    guarded<&masked_select>,
    guarded<&masked_scatter>,
    guarded<&nonzero>,
    guarded<&index_map>,
    guarded<&index_map_add>,
    guarded<&triangle>,
    guarded<&sort>,
    guarded<&topk>,
    guarded<&unique_sorted>,
};

}  // namespace wick::cpu
