// The CUDA backend's table and the entry point libwick looks for (core/dispatch.cpp): a separate
// shared library, so the CPU runtime package works without CUDA and this one adds to it.
// An entry not written for CUDA stays null, which the core reports as "not implemented on the cuda
// backend" (a DeviceException); today every entry is filled.
#include "core/backend.h"
#include "core/kernels_nn.h"
#include "core/kernels_optim.h"
#include "core/kernels_shape.h"
#include "cuda/amp.cuh"
#include "cuda/binary.cuh"
#include "cuda/copy.cuh"
#include "cuda/guarded.cuh"
#include "cuda/linalg.cuh"
#include "cuda/nn.cuh"
#include "cuda/optim.cuh"
#include "cuda/random.cuh"
#include "cuda/reduce.cuh"
#include "cuda/runtime.cuh"
#include "cuda/shape.cuh"
#include "cuda/ternary.cuh"
#include "cuda/unary.cuh"

namespace wick::cuda {

namespace {

const ElementwiseKernels kElementwise = {
    guarded<&copy>,          guarded<&fill>,   guarded<&unary>, guarded<&binary>,
    guarded<&binary_scalar>, guarded<&arange>, guarded<&ternary>,
};
const ReduceKernels kReduce = {guarded<&reduce>, guarded<&reduce_indices>, guarded<&scan>};
const LinalgKernels kLinalg = {guarded<&bmm>, guarded<&gemm>};
const RandomKernels kRandom = {guarded<&random_fill>};
const ShapeKernels kShape = {
    guarded<&index_select>, guarded<&gather>,         guarded<&scatter>,        guarded<&index_reduce>,
    guarded<&masked_fill>,  guarded<&count_nonzero>,  guarded<&masked_select>,  guarded<&masked_scatter>,
    guarded<&nonzero>,      guarded<&index_map>,      guarded<&index_map_add>,  guarded<&triangle>,
    guarded<&sort>,         guarded<&topk>,           guarded<&unique_sorted>,
};
const NNKernels kNn = {
    guarded<&softmax>,
    guarded<&softmax_backward>,
    guarded<&nll_loss>,
    guarded<&nll_loss_backward>,
    guarded<&conv2d>,
    guarded<&conv2d_backward_input>,
    guarded<&conv2d_backward_weight>,
    guarded<&channel_sum>,
    guarded<&max_pool2d>,
    guarded<&max_pool2d_backward>,
    guarded<&avg_pool2d>,
    guarded<&avg_pool2d_backward>,
    guarded<&adaptive_avg_pool2d>,
    guarded<&adaptive_avg_pool2d_backward>,
    guarded<&batch_norm>,
    guarded<&batch_norm_backward>,
    guarded<&layer_norm>,
    guarded<&layer_norm_backward>,
    guarded<&group_norm>,
    guarded<&group_norm_backward>,
    guarded<&dropout>,
    guarded<&embedding>,
    guarded<&embedding_backward>,
    guarded<&upsample_nearest2d>,
    guarded<&upsample_nearest2d_backward>,
    guarded<&upsample_bilinear2d>,
    guarded<&upsample_bilinear2d_backward>,
    true,  // conv_16bit: nn_conv.cu / nn_conv_gemm.cu take float16 and bfloat16
};
const OptimKernels kOptim = {guarded<&sgd>,     guarded<&adam>,
                             guarded<&rmsprop>, guarded<&adagrad>,
                             guarded<&amp_unscale_check>, guarded<&amp_update_scale>};

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
    guarded<&set_sync_checks_entry>,
    guarded<&get_sync_checks>,
    guarded<&host_sync_count>,
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
