// Creating tensors: empty, full, from host data, ranges, identity.
#pragma once

#include "core/scalar.h"
#include "core/tensor.h"

namespace wick {

TensorRef full(const Shape& sizes, DType dtype, Device device, const Scalar& value);
TensorRef from_host_data(const void* data, size_t nbytes, const Shape& sizes, DType dtype, Device device);
TensorRef arange(double start, double end, double step, DType dtype, Device device);
TensorRef linspace(double start, double end, int64_t steps, DType dtype, Device device);
TensorRef eye(int64_t rows, int64_t cols, DType dtype, Device device);
void fill(const Tensor& t, const Scalar& value);

}  // namespace wick
