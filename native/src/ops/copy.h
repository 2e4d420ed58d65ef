// Copies between tensors, devices and host memory; dtype conversion.
#pragma once

#include "core/scalar.h"
#include "core/tensor.h"

namespace wick {

TensorRef clone(const TensorRef& t);
// t itself when dtype and device already match and copy is false.
TensorRef to(const TensorRef& t, DType dtype, Device device, bool copy);
// dst[...] = src (broadcast, converted); any devices.
void copy_(const Tensor& dst, const TensorRef& src);
void copy_to_host(const TensorRef& t, void* data, size_t nbytes);
Scalar item(const TensorRef& t);

}  // namespace wick
