// The CPU backend's NNKernels table.
#include "core/kernels_nn.h"
#include "cpu/guarded.h"
#include "cpu/nn/nn_kernels.h"

namespace wick::cpu {

extern const NNKernels kCpuNnKernels = {
    guarded<&nn::softmax>,
    guarded<&nn::softmax_backward>,
    guarded<&nn::nll_loss>,
    guarded<&nn::nll_loss_backward>,
    guarded<&nn::conv2d>,
    guarded<&nn::conv2d_backward_input>,
    guarded<&nn::conv2d_backward_weight>,
    guarded<&nn::channel_sum>,
    guarded<&nn::max_pool2d>,
    guarded<&nn::max_pool2d_backward>,
    guarded<&nn::avg_pool2d>,
    guarded<&nn::avg_pool2d_backward>,
    guarded<&nn::adaptive_avg_pool2d>,
    guarded<&nn::adaptive_avg_pool2d_backward>,
    guarded<&nn::batch_norm>,
    guarded<&nn::batch_norm_backward>,
    guarded<&nn::layer_norm>,
    guarded<&nn::layer_norm_backward>,
    guarded<&nn::group_norm>,
    guarded<&nn::group_norm_backward>,
    guarded<&nn::dropout>,
    guarded<&nn::embedding>,
    guarded<&nn::embedding_backward>,
    guarded<&nn::upsample_nearest2d>,
    guarded<&nn::upsample_nearest2d_backward>,
    guarded<&nn::upsample_bilinear2d>,
    guarded<&nn::upsample_bilinear2d_backward>,
    false,  // conv_16bit: 16-bit convolutions compute in float32 (ops/nn_conv.cpp)
};

}  // namespace wick::cpu
