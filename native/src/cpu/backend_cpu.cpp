// The CPU backend's table: always present, built into libwick.
#include <cstring>

#include "core/backend.h"
#include "core/kernels_nn.h"
#include "core/kernels_optim.h"
#include "core/kernels_shape.h"
#include "core/host_allocator.h"
#include "cpu/guarded.h"
#include "cpu/kernels.h"

namespace wick {

namespace cpu {

// Family tables defined beside their kernels (cpu/table_*.cpp).
extern const ShapeKernels kCpuShapeKernels;
extern const NNKernels kCpuNnKernels;
extern const OptimKernels kCpuOptimKernels;

namespace {

void allocate(int32_t, size_t nbytes, void** out) { *out = host_allocate(nbytes); }
void deallocate(int32_t, void* ptr, size_t nbytes) { host_deallocate(ptr, nbytes); }
void stats(int32_t, MemoryStats* out) { *out = host_memory_stats(); }
void reset_peak(int32_t) { host_reset_peak(); }
void empty_cache(int32_t) { host_empty_cache(); }
void set_limit(int32_t, int64_t limit) { host_set_limit(limit); }
void copy_bytes_to_host(int32_t, void* dst, const void* src, size_t n) { std::memcpy(dst, src, n); }
void copy_bytes_from_host(int32_t, void* dst, const void* src, size_t n) { std::memcpy(dst, src, n); }
void device_count(int32_t* out) { *out = 1; }

const ElementwiseKernels kElementwise = {
    guarded<&copy>, guarded<&fill>, guarded<&unary>, guarded<&binary>, guarded<&binary_scalar>, guarded<&arange>,
    guarded<&ternary>,
};
const ReduceKernels kReduce = {guarded<&reduce>, guarded<&reduce_indices>, guarded<&scan>};
const LinalgKernels kLinalg = {guarded<&bmm>, guarded<&gemm_batched>};
const RandomKernels kRandom = {guarded<&random_fill>};

const Backend kCpu = {
    kBackendAbiVersion,
    DeviceType::CPU,
    "cpu",
    guarded<&device_count>,
    &last_error_message,
    MemoryKernels{guarded<&allocate>, guarded<&deallocate>, guarded<&stats>, guarded<&reset_peak>,
                  guarded<&empty_cache>, guarded<&copy_bytes_to_host>, guarded<&copy_bytes_from_host>,
                  guarded<&set_limit>, nullptr},
    &kElementwise,
    &kReduce,
    &kLinalg,
    &kRandom,
    &kCpuShapeKernels,
    &kCpuNnKernels,
    &kCpuOptimKernels,
    nullptr,  // no device runtime: no streams or pinned memory on the host itself
};

}  // namespace
}  // namespace cpu

const Backend& cpu_backend() { return cpu::kCpu; }

}  // namespace wick
