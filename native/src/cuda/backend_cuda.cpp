// The CUDA backend's table and the entry point libwick looks for (core/dispatch.cpp): a separate
// shared library, so the CPU runtime package works without CUDA and this one adds to it.
// Families not written for CUDA yet keep null entries, which the core reports as "not
// implemented on the cuda backend".
#include "core/backend.h"
#include "core/kernels_nn.h"
#include "core/kernels_optim.h"
#include "core/kernels_shape.h"
#include "cuda/binary.cuh"
#include "cuda/copy.cuh"
#include "cuda/guarded.cuh"
#include "cuda/linalg.cuh"
#include "cuda/random.cuh"
#include "cuda/reduce.cuh"
#include "cuda/runtime.cuh"
#include "cuda/unary.cuh"

namespace wick::cuda {

namespace {

const ElementwiseKernels kElementwise = {
    guarded<&copy>, guarded<&fill>, guarded<&unary>, guarded<&binary>, guarded<&binary_scalar>, guarded<&arange>,
};
const ReduceKernels kReduce = {guarded<&reduce>};
const LinalgKernels kLinalg = {guarded<&bmm>, nullptr};  // gemm: not yet (products fall back to bmm + elementwise)
const RandomKernels kRandom = {guarded<&random_fill>};
const ShapeKernels kShape{};
const NNKernels kNn{};
const OptimKernels kOptim{};

const DeviceRuntime kRuntime = {
    guarded<&activate>,
    guarded<&properties>,
    guarded<&memory_info>,
    guarded<&synchronize>,
    guarded<&stream_create>,
    guarded<&stream_default>,
    guarded<&stream_retain>,
    guarded<&stream_release>,
    guarded<&stream_current>,
    guarded<&stream_set_current>,
    guarded<&stream_device>,
    guarded<&stream_synchronize>,
    guarded<&stream_query>,
    guarded<&stream_wait_event>,
    guarded<&event_create>,
    guarded<&event_destroy>,
    guarded<&event_record>,
    guarded<&event_synchronize>,
    guarded<&event_query>,
    guarded<&event_elapsed_ms>,
    guarded<&pinned_allocate_entry>,
    guarded<&pinned_free_entry>,
    guarded<&pinned_empty_cache_entry>,
    guarded<&set_allow_tf32>,
    guarded<&get_allow_tf32>,
};

const Backend kCuda = {
    kBackendAbiVersion,
    DeviceType::CUDA,
    "cuda",
    guarded<&device_count>,
    &last_error_message,
    MemoryKernels{guarded<&mem_allocate>, guarded<&mem_deallocate>, guarded<&mem_stats>, guarded<&mem_reset_peak>,
                  guarded<&mem_empty_cache>, guarded<&copy_to_host>, guarded<&copy_from_host>, guarded<&mem_set_limit>,
                  guarded<&copy_from_host_async>},
    &kElementwise,
    &kReduce,
    &kLinalg,
    &kRandom,
    &kShape,
    &kNn,
    &kOptim,
    &kRuntime,
};

}  // namespace

}  // namespace wick::cuda

// The only exported symbol: the table when this library was built for the caller's table layout.
extern "C" __attribute__((visibility("default"))) const wick::Backend* wk_cuda_backend(int32_t abi_version) {
    return abi_version == wick::kBackendAbiVersion ? &wick::cuda::kCuda : nullptr;
}
