// Copies between tensors, devices and host memory; dtype conversion.
#pragma once

#include "core/scalar.h"
#include "core/tensor.h"

namespace wick {

TensorRef clone(const TensorRef& t);
// t itself when dtype and device already match and copy is false. non_blocking: a copy from pinned
// host memory to a device is only queued on the current stream (the source must stay unchanged
// until the stream reaches it); other copies are synchronous as usual.
TensorRef to(const TensorRef& t, DType dtype, Device device, bool copy, bool non_blocking = false);
// dst[...] = src (broadcast, converted); any devices. non_blocking as for to().
void copy_(const Tensor& dst, const TensorRef& src, bool non_blocking = false);
// A contiguous copy of a CPU tensor in pinned memory (t itself when it already is pinned and contiguous).
TensorRef pin_memory(const TensorRef& t);
void copy_to_host(const TensorRef& t, void* data, size_t nbytes);
Scalar item(const TensorRef& t);

}  // namespace wick
