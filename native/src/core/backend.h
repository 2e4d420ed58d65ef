// The backend interface: per device type, a table of kernels grouped by op family. The ops layer
// (src/ops) checks arguments, infers shapes and dtypes and allocates outputs; kernels only compute.
//
// Kernels never throw: they return a wk_status and leave a message in last_error(), because a
// backend may live in its own shared library (libwick_cuda.so) with its own C++ runtime.
// Everything crossing this table is plain data (View, enums, scalars, pointers).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/device.h"
#include "core/device_runtime.h"
#include "core/scalar.h"
#include "core/view.h"
#include "wick/wick.h"

namespace wick {

// Bumped whenever the table below changes; a backend library built against another version is refused.
constexpr int32_t kBackendAbiVersion = 5;

struct MemoryStats {
    int64_t allocated_bytes = 0;
    int64_t peak_bytes = 0;
    int64_t reserved_bytes = 0;
};

struct MemoryKernels {
    // Never returns null for nbytes > 0: reports WK_ERR_OUT_OF_MEMORY instead.
    wk_status (*allocate)(int32_t device_index, size_t nbytes, void** out);
    wk_status (*deallocate)(int32_t device_index, void* ptr, size_t nbytes);
    wk_status (*stats)(int32_t device_index, MemoryStats* out);
    wk_status (*reset_peak)(int32_t device_index);
    wk_status (*empty_cache)(int32_t device_index);
    // Raw byte copies between this device and host memory (contiguous bytes).
    wk_status (*copy_to_host)(int32_t device_index, void* host_dst, const void* device_src, size_t nbytes);
    wk_status (*copy_from_host)(int32_t device_index, void* device_dst, const void* host_src, size_t nbytes);
    // Caps the bytes this device's allocator hands out (limit <= 0: no cap); allocations past it
    // fail with WK_ERR_OUT_OF_MEMORY as if the device were full (tests, sharing a device).
    wk_status (*set_limit)(int32_t device_index, int64_t limit_bytes);
    // Like copy_from_host, but when host_src is pinned memory the copy is only queued on the
    // current stream: the caller keeps the source unchanged until the stream reaches it. Null on
    // backends without asynchronous copies.
    wk_status (*copy_from_host_async)(int32_t device_index, void* device_dst, const void* host_src, size_t nbytes);
};

// Elementwise kernels. All views given to one call have the same ndim and sizes; broadcast inputs
// come with stride 0 in the expanded dimensions. Inputs share one dtype (the ops layer converts
// them); `out` has that dtype too, except for predicates and comparisons, whose out is bool.
struct ElementwiseKernels {
    // dst = src converted to dst's dtype (src may be broadcast).
    wk_status (*copy)(const View& dst, const View& src);
    wk_status (*fill)(const View& dst, Scalar value);
    wk_status (*unary)(wk_unary_op op, const View& out, const View& x, double p0, double p1);
    wk_status (*binary)(wk_binary_op op, const View& out, const View& a, const View& b);
    // out = a op s (or s op a when reverse); s is converted to a's dtype first.
    wk_status (*binary_scalar)(wk_binary_op op, const View& out, const View& a, Scalar s, bool reverse);
    // out[i] = start + i * step for a contiguous 1-D out.
    wk_status (*arange)(const View& out, double start, double step);
    // out = op(a, b, c) (wk_ternary_op); b or c null when absent. a is bool for where; otherwise
    // a, b, c and out share one dtype. s: lerp's scalar weight (when c is null), addcmul/addcdiv's value.
    wk_status (*ternary)(wk_ternary_op op, const View& out, const View& a, const View* b, const View* c, double s);
};

// Reductions. `out` has x's ndim with size 1 in every reduced dimension (keepdim form); the kernel
// reduces every dimension where out's size is 1 and x's is not. out's dtype may differ from x's.
struct ReduceKernels {
    wk_status (*reduce)(wk_reduce_op op, const View& out, const View& x, double param);
    // Max or min (op) over the reduced dimension (one) with the index of the first extreme; values has
    // x's dtype, indices i64; both in keepdim form with the same shape and strides.
    wk_status (*reduce_indices)(wk_reduce_op op, const View& values, const View& indices, const View& x);
    // Cumulative sum or product along dim; out and x have the same shape and dtype (f32, f64 or i64).
    wk_status (*scan)(wk_scan_op op, const View& out, const View& x, int32_t dim);
};

// Batched matrix product: c[b] = a[b] @ b[b] for 3-D views (batch, rows, cols) of one dtype,
// any strides (a batch stride of 0 broadcasts).
struct LinalgKernels {
    wk_status (*bmm)(const View& c, const View& a, const View& b);
    // c[b] = alpha * a[b] @ b[b] + beta * c[b]; beta == 0: c is only written (NaNs in it vanish).
    // c may have any strides that do not overlap; integer dtypes take integral alpha and beta.
    wk_status (*gemm)(const View& c, const View& a, const View& b, double alpha, double beta);
};

// Counter-based random fills: element i of `out` (row-major order) depends only on (seed, offset, i).
struct RandomKernels {
    wk_status (*fill)(const View& out, wk_random_dist dist, double a, double b, uint64_t seed, uint64_t offset);
};

// Families added by later work live in their own headers (one concept per file); each is a table
// of kernels the CPU backend fills completely and the CUDA backend fills as it grows (null = not
// implemented there, reported as such).
struct ShapeKernels;  // core/kernels_shape.h: indexing, joining, sorting, scans
struct NNKernels;     // core/kernels_nn.h: softmax, convolution, pooling, normalisation, embedding
struct OptimKernels;  // core/kernels_optim.h: fused optimizer updates

struct Backend {
    int32_t abi_version;
    DeviceType type;
    const char* name;
    wk_status (*device_count)(int32_t* out);
    const char* (*last_error)();
    MemoryKernels memory;
    const ElementwiseKernels* elementwise;
    const ReduceKernels* reduce;
    const LinalgKernels* linalg;
    const RandomKernels* random;
    const ShapeKernels* shape;
    const NNKernels* nn;
    const OptimKernels* optim;
    const DeviceRuntime* runtime;  // null on the CPU
};

// The backend for a device; throws a device error saying how to get it when it is not available.
// For an accelerator it also makes the device active for this thread's following kernels.
const Backend& backend_for(Device device);
// The CUDA backend when libwick_cuda loads (whether or not a GPU is present), else null with the
// reason in *why (optional). Never throws.
const Backend* cuda_backend_if_loaded(const char** why);
// Throws an Error carrying the backend's message when status is not WK_OK.
void check_backend(const Backend& be, wk_status status);

[[noreturn]] void throw_not_implemented(const Backend& be, const char* what);

// Calls a kernel through the table and turns a failure into an exception; a backend that leaves
// an entry null does not implement that kernel.
template <class Fn, class... Args>
inline void launch(const Backend& be, Fn fn, const char* family, Args&&... args) {
    if (fn == nullptr) throw_not_implemented(be, family);
    check_backend(be, fn(static_cast<Args&&>(args)...));
}

}  // namespace wick
