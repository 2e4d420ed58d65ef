// Helpers shared by the indexing, masking, rearranging and sorting ops.
#pragma once

#include "core/backend.h"
#include "core/kernels_shape.h"
#include "core/scalar.h"
#include "core/tensor.h"

namespace wick {

// The ShapeKernels table of the device (a device error when its backend has none).
const ShapeKernels& shape_kernels(const Backend& be);

// Refuses an index tensor whose dtype is not int64 (or int32 when allowed), naming the op.
void check_index_dtype(const Tensor& index, bool allow_int32, const char* op);

// Refuses a mask whose dtype is not bool, naming the op and the fix.
void check_mask_dtype(const Tensor& mask, const char* op);

// The value operand of a fill: the scalar, or the 0-d value tensor (exactly one is given), as a 0-d
// tensor of `dtype` on `device`.
TensorRef fill_value(const Scalar* value, const Tensor* value_tensor, DType dtype, Device device, const char* op);

// The tensor an op that modifies x writes into: x itself when out is x (in place), else a copy of x
// (in out when out has x's dtype and shape). Hand the result back with finish_modified.
TensorRef modify_target(const TensorRef& x, Tensor* out, const char* op);
TensorRef finish_modified(Tensor* out, const TensorRef& target);

// A view of t with `dims` size-1 dimensions inserted at position `at` (for broadcasting a mask
// or an index over trailing dimensions).
TensorRef insert_unit_dims(const TensorRef& t, int at, int count);

}  // namespace wick
