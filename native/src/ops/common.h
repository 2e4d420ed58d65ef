// Helpers every op shares: kernel views of tensors, output preparation, dtype conversion.
#pragma once

#include "core/backend.h"
#include "core/error.h"
#include "core/tensor.h"

namespace wick {

// The kernel's view of a tensor as it is.
View view_of(const Tensor& t);
// The view of t broadcast to `shape` (stride 0 where expanded); t's shape must broadcast to it.
View broadcast_view(const Tensor& t, const Shape& shape);
// View with a different shape/strides over the same first element.
View view_with(const Tensor& t, const Shape& sizes, const Shape& strides);

// t converted to dtype (t itself when it already has it).
TensorRef to_dtype(const TensorRef& t, DType dtype);
// t as a contiguous tensor (t itself when it already is).
TensorRef contiguous(const TensorRef& t);

// Checks that a and b live on the same device; the message names the op.
void check_same_device(const Tensor& a, const Tensor& b, const char* op);

// True when a value of dtype `from` may be written into a tensor of dtype `to` (PyTorch's canCast:
// no float into integer, no number into bool).
bool can_cast(DType from, DType to);

// The tensor to write a result of (shape, dtype, device) into: `out` when given (after checking its
// shape, device and that dtype can be cast to it), otherwise a new tensor.
TensorRef prepare_out(Tensor* out, const Shape& shape, DType dtype, Device device, const char* op);

// Copies `result` into `out` when they differ (out given with another dtype); returns what the
// caller should hand back. Bumps out's version when out was given.
TensorRef finish_out(Tensor* out, const TensorRef& result);

// Refuses to write into a tensor where several elements share one memory location (an expanded
// view), which would make the result depend on the order of writes.
void check_writable(const Tensor& t, const char* op);

// Writes `src` (broadcast) into `dst`, converting dtype; same device only.
void copy_into(const Tensor& dst, const Tensor& src);

// CPU has no f16/bf16 arithmetic: ops compute in float32 and round the result back.
inline DType compute_dtype_on(Device device, DType t) {
    if (device.is_cpu() && (t == DType::F16 || t == DType::BF16)) return DType::F32;
    return t;
}

}  // namespace wick
