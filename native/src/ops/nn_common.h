// Helpers shared by the neural-network ops (ops/nn_*.cpp).
#pragma once

#include "core/kernels_nn.h"
#include "ops/common.h"
#include "ops/nn.h"

namespace wick::nnops {

// The dtype a floating input computes in; refuses others. float16 / bfloat16 compute in float32
// (results rounded back): most nn kernels of both backends take float32 and float64 only. The
// convolutions keep 16-bit operands where the backend's conv kernels take them (NNKernels::conv_16bit,
// CUDA), see ops/nn_conv.cpp.
inline DType float_compute(const Tensor& x, const char* op) {
    check(dtype_is_floating(x.dtype()), WK_ERR_DTYPE, op, ": needs a floating-point input, got ", dtype_name(x.dtype()),
          "; convert it with To(DType.Float32)");
    return x.dtype() == DType::F16 || x.dtype() == DType::BF16 ? DType::F32 : x.dtype();
}

// t in the compute dtype, contiguous (t itself when it already is).
inline TensorRef prepared(const TensorRef& t, DType compute) { return contiguous(to_dtype(t, compute)); }

// An optional tensor's kernel view: data == nullptr when absent.
inline View opt_view(const TensorRef& t) { return t ? view_of(*t) : View{}; }

// Checks that an optional per-channel tensor (weight, bias, running stats) has `n` elements, is on
// x's device, and gives it in the compute dtype, contiguous.
TensorRef channel_param(const TensorRef* t, int64_t n, const Tensor& x, DType compute, const char* op, const char* what);

// The same tensor in the dtype the user gave (converting back from the compute dtype).
inline TensorRef to_user(const TensorRef& t, DType user) { return t ? to_dtype(t, user) : t; }

// Checks that `t` lives on x's device and has x's floating dtype (the dtypes of conv / norm operands must agree).
void check_same_float(const Tensor& x, const Tensor& t, const char* op, const char* what);

// x's sizes with leading dims folded: (outer..., a, b) -> Shape of the given sizes over x's contiguous data.
View folded(const Tensor& t, std::initializer_list<int64_t> sizes);

const Backend& cpu_or_device(const Tensor& t);

}  // namespace wick::nnops
