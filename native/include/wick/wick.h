/*
 * wick.h: the whole public C ABI of the Wick native core.
 *
 * Rules (see DESIGN.md):
 *  - every function returns wk_status and writes results through out-parameters;
 *  - nothing throws or aborts across this boundary: on failure the status is non-zero and
 *    wk_last_error() gives a message for the calling thread;
 *  - handles are opaque and refcounted: every handle written to an out-parameter is owned by the
 *    caller and must be released once with the matching *_release function;
 *  - enum values are explicit and append-only: they are ABI (and file-format) ids.
 *
 * The managed bindings (bindings/Wick.Native/NativeMethods.g.cs) are generated from this file.
 */
#ifndef WICK_H
#define WICK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(WICK_BUILDING)
#    define WK_API __declspec(dllexport)
#  else
#    define WK_API __declspec(dllimport)
#  endif
#else
#  define WK_API __attribute__((visibility("default")))
#endif

/* Enums are int32 on both sides of the ABI. C++ gets a fixed underlying type so that any value a
 * caller passes (even an invalid one, which the library rejects with a message) is well defined. */
#ifdef __cplusplus
#  define WK_ENUM(name) enum name : int32_t
#else
#  define WK_ENUM(name) enum name
#endif

/* Bumped whenever a declaration changes incompatibly; the managed layer checks it at load. */
#define WK_ABI_VERSION 1
/* Largest number of dimensions a tensor may have. */
#define WK_MAX_DIMS 16

/* ------------------------------------------------------------------------------------------ */
/* Status codes and errors                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef WK_ENUM(wk_status) {
    WK_OK = 0,
    WK_ERR_INVALID_ARGUMENT = 1, /* a value the operation does not accept */
    WK_ERR_SHAPE = 2,            /* shapes that do not fit together */
    WK_ERR_DTYPE = 3,            /* a dtype the operation does not support */
    WK_ERR_INDEX = 4,            /* an index or dimension out of range */
    WK_ERR_OUT_OF_MEMORY = 5,
    WK_ERR_DEVICE = 6,           /* device unavailable, or tensors on different devices */
    WK_ERR_NOT_IMPLEMENTED = 7,
    WK_ERR_IO = 8,               /* a file that cannot be read or written, or is malformed */
    WK_ERR_NULL_HANDLE = 9,      /* a null or already released handle */
    WK_ERR_INTERNAL = 10,        /* a bug in Wick: please report it */
    WK_ERR_STATUS_COUNT = 11
} wk_status;

/* The message of the last failed call on this thread. The pointer stays valid until the next
 * failing call on the same thread. */
WK_API wk_status wk_last_error(const char** message);

/* The ABI version the library was built with (WK_ABI_VERSION). */
WK_API wk_status wk_abi_version(int32_t* version);

/* ------------------------------------------------------------------------------------------ */
/* Element types and devices                                                                   */
/* ------------------------------------------------------------------------------------------ */

typedef WK_ENUM(wk_dtype) {
    WK_DTYPE_F32 = 0,
    WK_DTYPE_F64 = 1,
    WK_DTYPE_F16 = 2,
    WK_DTYPE_BF16 = 3,
    WK_DTYPE_I64 = 4,
    WK_DTYPE_I32 = 5,
    WK_DTYPE_I16 = 6,
    WK_DTYPE_I8 = 7,
    WK_DTYPE_U8 = 8,
    WK_DTYPE_BOOL = 9,
    WK_DTYPE_COUNT = 10
} wk_dtype;

typedef WK_ENUM(wk_device_type) {
    WK_DEVICE_CPU = 0,
    WK_DEVICE_CUDA = 1,
    WK_DEVICE_TYPE_COUNT = 2
} wk_device_type;

/* A scalar operand: its kind decides type promotion as in PyTorch (an integral tensor times a
 * float scalar gives the default float dtype; times an integer scalar it stays integral). */
typedef WK_ENUM(wk_scalar_kind) {
    WK_SCALAR_INT = 0,
    WK_SCALAR_FLOAT = 1,
    WK_SCALAR_BOOL = 2
} wk_scalar_kind;

typedef struct wk_scalar {
    int32_t kind;   /* wk_scalar_kind */
    int32_t unused; /* keeps the layout explicit: 8-byte alignment for the values */
    double f;       /* the value when kind is WK_SCALAR_FLOAT */
    int64_t i;      /* the value when kind is WK_SCALAR_INT or WK_SCALAR_BOOL (0 or 1) */
} wk_scalar;

/* ------------------------------------------------------------------------------------------ */
/* Tensors: lifetime, creation, inspection                                                     */
/* ------------------------------------------------------------------------------------------ */

/* A tensor is a view (sizes, strides in elements, offset, dtype) of a refcounted storage. */
typedef struct wk_tensor_s* wk_tensor;

WK_API wk_status wk_tensor_retain(wk_tensor t);
WK_API wk_status wk_tensor_release(wk_tensor t);

/* Uninitialised contents. sizes may be NULL when ndim is 0 (a scalar tensor). */
WK_API wk_status wk_tensor_empty(const int64_t* sizes, int32_t ndim, wk_dtype dtype,
                                 wk_device_type device, int32_t device_index, wk_tensor* out);
WK_API wk_status wk_tensor_full(const int64_t* sizes, int32_t ndim, wk_dtype dtype,
                                wk_device_type device, int32_t device_index, const wk_scalar* value,
                                wk_tensor* out);
/* Copies nbytes of row-major host data; nbytes must equal numel * element size. */
WK_API wk_status wk_tensor_from_data(const void* data, size_t nbytes, const int64_t* sizes,
                                     int32_t ndim, wk_dtype dtype, wk_device_type device,
                                     int32_t device_index, wk_tensor* out);
/* Values start, start+step, ... up to but excluding end. */
WK_API wk_status wk_tensor_arange(double start, double end, double step, wk_dtype dtype,
                                  wk_device_type device, int32_t device_index, wk_tensor* out);
WK_API wk_status wk_tensor_linspace(double start, double end, int64_t steps, wk_dtype dtype,
                                    wk_device_type device, int32_t device_index, wk_tensor* out);
WK_API wk_status wk_tensor_eye(int64_t rows, int64_t cols, wk_dtype dtype, wk_device_type device,
                               int32_t device_index, wk_tensor* out);

WK_API wk_status wk_tensor_ndim(wk_tensor t, int32_t* ndim);
/* Writes ndim sizes; capacity is the length of the sizes array. */
WK_API wk_status wk_tensor_sizes(wk_tensor t, int64_t* sizes, int32_t capacity);
WK_API wk_status wk_tensor_strides(wk_tensor t, int64_t* strides, int32_t capacity);
WK_API wk_status wk_tensor_offset(wk_tensor t, int64_t* offset);
WK_API wk_status wk_tensor_numel(wk_tensor t, int64_t* numel);
WK_API wk_status wk_tensor_dtype(wk_tensor t, wk_dtype* dtype);
WK_API wk_status wk_tensor_device(wk_tensor t, wk_device_type* device, int32_t* device_index);
WK_API wk_status wk_tensor_is_contiguous(wk_tensor t, int32_t* contiguous);
/* The storage's version counter: bumped by every in-place write through any of its views. */
WK_API wk_status wk_tensor_version(wk_tensor t, int64_t* version);
/* An id shared by all views of one storage (for aliasing checks). */
WK_API wk_status wk_tensor_storage_id(wk_tensor t, uint64_t* id);
/* Address of the first element of a CPU tensor (storage data + offset). */
WK_API wk_status wk_tensor_data_ptr(wk_tensor t, void** data);
/* Copies the tensor's elements, row-major, to host memory; nbytes must equal numel * element size. */
WK_API wk_status wk_tensor_copy_to_host(wk_tensor t, void* data, size_t nbytes);
/* The single element of a one-element tensor, converted. */
WK_API wk_status wk_tensor_item(wk_tensor t, wk_scalar* value);

/* ------------------------------------------------------------------------------------------ */
/* Views: share storage, never copy                                                            */
/* ------------------------------------------------------------------------------------------ */

/* A view with new sizes (one size may be -1); fails when the strides do not allow it. */
WK_API wk_status wk_tensor_view(wk_tensor t, const int64_t* sizes, int32_t ndim, wk_tensor* out);
/* Like view, but copies when the strides do not allow a view. */
WK_API wk_status wk_tensor_reshape(wk_tensor t, const int64_t* sizes, int32_t ndim, wk_tensor* out);
WK_API wk_status wk_tensor_transpose(wk_tensor t, int32_t dim0, int32_t dim1, wk_tensor* out);
WK_API wk_status wk_tensor_permute(wk_tensor t, const int32_t* dims, int32_t ndim, wk_tensor* out);
/* Sizes of -1 keep the existing size; new leading dimensions may be added. */
WK_API wk_status wk_tensor_expand(wk_tensor t, const int64_t* sizes, int32_t ndim, wk_tensor* out);
/* Elements start, start+step, ... < end along dim; start and end are clamped like Python slices
 * (negative values count from the end); step must be positive. */
WK_API wk_status wk_tensor_slice(wk_tensor t, int32_t dim, int64_t start, int64_t end, int64_t step,
                                 wk_tensor* out);
/* Removes dim, keeping the given index (negative counts from the end). */
WK_API wk_status wk_tensor_select(wk_tensor t, int32_t dim, int64_t index, wk_tensor* out);
/* Removes dim if its size is 1; all_dims != 0 removes every dimension of size 1. */
WK_API wk_status wk_tensor_squeeze(wk_tensor t, int32_t dim, int32_t all_dims, wk_tensor* out);
WK_API wk_status wk_tensor_unsqueeze(wk_tensor t, int32_t dim, wk_tensor* out);
WK_API wk_status wk_tensor_flatten(wk_tensor t, int32_t start_dim, int32_t end_dim, wk_tensor* out);
/* Explicit sizes, strides (elements) and storage offset over t's storage; checked to stay inside it. */
WK_API wk_status wk_tensor_as_strided(wk_tensor t, const int64_t* sizes, const int64_t* strides,
                                      int32_t ndim, int64_t offset, wk_tensor* out);

/* ------------------------------------------------------------------------------------------ */
/* Copies and conversions                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* t itself (retained) when already contiguous, else a contiguous copy. */
WK_API wk_status wk_tensor_contiguous(wk_tensor t, wk_tensor* out);
WK_API wk_status wk_tensor_clone(wk_tensor t, wk_tensor* out);
/* A tensor of the given dtype and device; t itself (retained) when nothing changes and copy == 0.
 * Float to f16/bf16 rounds to nearest even; float to integer truncates toward zero. */
WK_API wk_status wk_tensor_to(wk_tensor t, wk_dtype dtype, wk_device_type device, int32_t device_index,
                              int32_t copy, wk_tensor* out);
/* dst[...] = src, broadcasting src to dst's shape and converting its dtype. Bumps dst's version. */
WK_API wk_status wk_tensor_copy_(wk_tensor dst, wk_tensor src);
WK_API wk_status wk_tensor_fill_(wk_tensor t, const wk_scalar* value);

/* ------------------------------------------------------------------------------------------ */
/* Random numbers: Philox 4x32-10, counter-based                                               */
/* ------------------------------------------------------------------------------------------ */

/* Element i of a fill depends only on (seed, offset, i), so a seed gives the same numbers on
 * every device and thread count. Each fill advances the generator's offset. */
typedef struct wk_generator_s* wk_generator;

typedef WK_ENUM(wk_random_dist) {
    WK_RANDOM_UNIFORM = 0,   /* a <= x < b */
    WK_RANDOM_NORMAL = 1,    /* mean a, standard deviation b */
    WK_RANDOM_INTEGERS = 2,  /* integers a <= x < b */
    WK_RANDOM_BERNOULLI = 3  /* 1 with probability a, else 0 */
} wk_random_dist;

WK_API wk_status wk_generator_create(uint64_t seed, wk_generator* out);
WK_API wk_status wk_generator_release(wk_generator g);
/* The process-wide generator used when NULL is passed; not owned by the caller. */
WK_API wk_status wk_generator_default(wk_generator* out);
WK_API wk_status wk_generator_set_state(wk_generator g, uint64_t seed, uint64_t offset);
WK_API wk_status wk_generator_get_state(wk_generator g, uint64_t* seed, uint64_t* offset);
/* Fills t in place; g may be NULL for the default generator. Bumps t's version. */
WK_API wk_status wk_random_fill_(wk_tensor t, wk_random_dist dist, double a, double b, wk_generator g);

/* ------------------------------------------------------------------------------------------ */
/* Elementwise operations                                                                      */
/* ------------------------------------------------------------------------------------------ */
/* Every operation takes an optional out tensor: NULL allocates the result; otherwise the result
 * is written into out (which must have the result's shape and a dtype it can hold; out may alias
 * an input for in-place updates) and *result is a new reference to out. */

typedef WK_ENUM(wk_unary_op) {
    WK_UNARY_NEG = 0,
    WK_UNARY_ABS = 1,
    WK_UNARY_SIGN = 2,
    WK_UNARY_EXP = 3,
    WK_UNARY_EXPM1 = 4,
    WK_UNARY_LOG = 5,
    WK_UNARY_LOG1P = 6,
    WK_UNARY_LOG2 = 7,
    WK_UNARY_SQRT = 8,
    WK_UNARY_RSQRT = 9,
    WK_UNARY_RECIPROCAL = 10,
    WK_UNARY_SQUARE = 11,
    WK_UNARY_SIN = 12,
    WK_UNARY_COS = 13,
    WK_UNARY_TAN = 14,
    WK_UNARY_TANH = 15,
    WK_UNARY_SIGMOID = 16,
    WK_UNARY_RELU = 17,
    WK_UNARY_GELU = 18,       /* erf form */
    WK_UNARY_GELU_TANH = 19,  /* tanh approximation */
    WK_UNARY_SILU = 20,
    WK_UNARY_SOFTPLUS = 21,   /* p0 = beta, p1 = threshold */
    WK_UNARY_ELU = 22,        /* p0 = alpha */
    WK_UNARY_LEAKY_RELU = 23, /* p0 = negative slope */
    WK_UNARY_ERF = 24,
    WK_UNARY_FLOOR = 25,
    WK_UNARY_CEIL = 26,
    WK_UNARY_ROUND = 27,      /* half to even */
    WK_UNARY_TRUNC = 28,
    WK_UNARY_CLAMP = 29,      /* p0 = min, p1 = max; NaN means no bound */
    WK_UNARY_ISNAN = 30,
    WK_UNARY_ISINF = 31,
    WK_UNARY_ISFINITE = 32,
    WK_UNARY_LOGICAL_NOT = 33,
    WK_UNARY_ASIN = 34,
    WK_UNARY_ACOS = 35,
    WK_UNARY_ATAN = 36,
    WK_UNARY_SINH = 37,
    WK_UNARY_COSH = 38,
    WK_UNARY_LOG10 = 39,
    WK_UNARY_EXP2 = 40,
    WK_UNARY_OP_COUNT = 41
} wk_unary_op;

WK_API wk_status wk_op_unary(wk_unary_op op, wk_tensor x, double p0, double p1, wk_tensor out,
                             wk_tensor* result);

typedef WK_ENUM(wk_binary_op) {
    WK_BINARY_ADD = 0,
    WK_BINARY_SUB = 1,
    WK_BINARY_MUL = 2,
    WK_BINARY_DIV = 3,         /* true division: integers give the default float dtype */
    WK_BINARY_FLOOR_DIV = 4,
    WK_BINARY_REMAINDER = 5,   /* sign of the divisor, as Python's % */
    WK_BINARY_POW = 6,
    WK_BINARY_ATAN2 = 7,
    WK_BINARY_MAXIMUM = 8,
    WK_BINARY_MINIMUM = 9,
    WK_BINARY_EQ = 10,
    WK_BINARY_NE = 11,
    WK_BINARY_LT = 12,
    WK_BINARY_LE = 13,
    WK_BINARY_GT = 14,
    WK_BINARY_GE = 15,
    WK_BINARY_LOGICAL_AND = 16,
    WK_BINARY_LOGICAL_OR = 17,
    WK_BINARY_LOGICAL_XOR = 18,
    WK_BINARY_BITWISE_AND = 19,
    WK_BINARY_BITWISE_OR = 20,
    WK_BINARY_BITWISE_XOR = 21,
    WK_BINARY_FMOD = 22,       /* sign of the dividend, as C's fmod */
    WK_BINARY_OP_COUNT = 23
} wk_binary_op;

WK_API wk_status wk_op_binary(wk_binary_op op, wk_tensor a, wk_tensor b, wk_tensor out,
                              wk_tensor* result);
/* a op s, or s op a when reverse != 0. */
WK_API wk_status wk_op_binary_scalar(wk_binary_op op, wk_tensor a, const wk_scalar* s, int32_t reverse,
                                     wk_tensor out, wk_tensor* result);

/* Ops of three operands, broadcast together. The result dtype follows PyTorch's promotion of the
 * tensor operands (where: of b and c only). */
typedef WK_ENUM(wk_ternary_op) {
    WK_TERNARY_WHERE = 0,   /* a ? b : c, with a a bool tensor */
    WK_TERNARY_LERP = 1,    /* a + w (b - a), w = c, or the scalar s when c is NULL; floating only */
    WK_TERNARY_ADDCMUL = 2, /* a + s b c */
    WK_TERNARY_ADDCDIV = 3, /* a + s b / c; floating only */
    WK_TERNARY_CLAMP = 4,   /* min(max(a, b), c); b or c may be NULL (no bound); NaN propagates */
    WK_TERNARY_OP_COUNT = 5
} wk_ternary_op;

/* s may be NULL where the op has no scalar (where, clamp; lerp with a tensor weight); it defaults
 * to 1 for addcmul and addcdiv. */
WK_API wk_status wk_op_ternary(wk_ternary_op op, wk_tensor a, wk_tensor b, wk_tensor c, const wk_scalar* s,
                               wk_tensor out, wk_tensor* result);

/* ------------------------------------------------------------------------------------------ */
/* Reductions                                                                                  */
/* ------------------------------------------------------------------------------------------ */

typedef WK_ENUM(wk_reduce_op) {
    WK_REDUCE_SUM = 0,
    WK_REDUCE_MEAN = 1,
    WK_REDUCE_PROD = 2,
    WK_REDUCE_MAX = 3,        /* amax: values only */
    WK_REDUCE_MIN = 4,        /* amin: values only */
    WK_REDUCE_VAR = 5,        /* param = correction */
    WK_REDUCE_STD = 6,        /* param = correction */
    WK_REDUCE_NORM = 7,       /* param = p: 0 counts nonzeros, inf and -inf give max and min |x|, else (sum |x|^p)^(1/p) */
    WK_REDUCE_LOGSUMEXP = 8,
    WK_REDUCE_ALL = 9,
    WK_REDUCE_ANY = 10,
    WK_REDUCE_ARGMAX = 11,    /* one dim, or all dims of the flattened tensor */
    WK_REDUCE_ARGMIN = 12,
    WK_REDUCE_OP_COUNT = 13
} wk_reduce_op;

/* Reduces over dims (ndims == 0 or dims == NULL: every dimension). dtype < 0 keeps the default
 * result dtype (sum of integers or bools gives i64; mean needs a floating dtype). */
WK_API wk_status wk_op_reduce(wk_reduce_op op, wk_tensor x, const int32_t* dims, int32_t ndims,
                              int32_t keepdim, double param, int32_t dtype, wk_tensor out,
                              wk_tensor* result);

/* Values and indices (i64) of the max or min along one dim: op is WK_REDUCE_MAX or WK_REDUCE_MIN.
 * The index is that of the first occurrence; a NaN counts as the extreme, as in PyTorch. */
WK_API wk_status wk_op_reduce_indices(wk_reduce_op op, wk_tensor x, int32_t dim, int32_t keepdim,
                                      wk_tensor* values, wk_tensor* indices);

typedef WK_ENUM(wk_scan_op) {
    WK_SCAN_CUMSUM = 0,
    WK_SCAN_CUMPROD = 1,
    WK_SCAN_OP_COUNT = 2
} wk_scan_op;

/* Cumulative sum or product along dim. dtype < 0 keeps floating dtypes and gives i64 for integers
 * and bools; otherwise x is converted to dtype first. Floats accumulate in double. */
WK_API wk_status wk_op_scan(wk_scan_op op, wk_tensor x, int32_t dim, int32_t dtype, wk_tensor out,
                            wk_tensor* result);

/* ------------------------------------------------------------------------------------------ */
/* Linear algebra                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* Every product runs on Wick's packed GEMM (float, double; integers on plain loops) and reads
 * transposed or strided operands in place. Operands are promoted to a common dtype; bool is refused. */

/* PyTorch's matmul: 1-D dot, 2-D matrix product, batched with broadcast batch dimensions. */
WK_API wk_status wk_op_matmul(wk_tensor a, wk_tensor b, wk_tensor out, wk_tensor* result);
/* (B, n, k) @ (B, k, m) -> (B, n, m), no broadcasting (torch.bmm). */
WK_API wk_status wk_op_bmm(wk_tensor a, wk_tensor b, wk_tensor out, wk_tensor* result);
/* beta * input + alpha * (mat1 @ mat2) for mat1 (n, k), mat2 (k, m); input broadcasts to (n, m).
 * beta == 0 ignores input (NaN in it is not propagated). Integer tensors need integral alpha, beta. */
WK_API wk_status wk_op_addmm(wk_tensor input, wk_tensor mat1, wk_tensor mat2, double beta, double alpha,
                             wk_tensor out, wk_tensor* result);
/* Outer product of vectors (n) and (m): (n, m). */
WK_API wk_status wk_op_outer(wk_tensor a, wk_tensor b, wk_tensor out, wk_tensor* result);
/* Inner product of two vectors of one length: a 0-d tensor. */
WK_API wk_status wk_op_dot(wk_tensor a, wk_tensor b, wk_tensor out, wk_tensor* result);
/* Matrix-vector product (n, k) @ (k) -> (n). */
WK_API wk_status wk_op_mv(wk_tensor mat, wk_tensor vec, wk_tensor out, wk_tensor* result);

/* ------------------------------------------------------------------------------------------ */
/* Indexing, joining, sorting and scans                                                        */
/* ------------------------------------------------------------------------------------------ */
/* Lists of tensors are arrays of handles. Index tensors hold int64 (int32 is also accepted where
 * noted, as in PyTorch); every index is checked against the size of its dimension and an index out
 * of range fails with WK_ERR_INDEX naming the op, the index, the dimension and its size. Ops that
 * take `x` and an optional `out` return a modified copy of x when out is NULL, and write into out
 * when it is given (out == x updates x in place). */

/* Joins tensors along an existing dimension; sizes must match in every other dimension. 1-D
 * tensors of shape (0) are skipped, as in PyTorch. The result has the promoted dtype of all inputs. */
WK_API wk_status wk_op_cat(const wk_tensor* tensors, int32_t count, int32_t dim, wk_tensor out,
                           wk_tensor* result);
/* Joins same-shape tensors along a new dimension dim (0 <= dim <= ndim, negative counts from the end). */
WK_API wk_status wk_op_stack(const wk_tensor* tensors, int32_t count, int32_t dim, wk_tensor out,
                             wk_tensor* result);
/* Views of consecutive pieces of dim with the given sizes, which must sum to the size of dim;
 * results receives count handles. */
WK_API wk_status wk_op_split(wk_tensor t, const int64_t* sizes, int32_t count, int32_t dim,
                             wk_tensor* results);

/* out = x with dim replaced by the entries of a 0-d or 1-D int64/int32 index. */
WK_API wk_status wk_op_index_select(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor out,
                                    wk_tensor* result);
/* out[i][j] = x[index[i][j]][j] for dim 0 (likewise for any dim); index is int64, has x's ndim and
 * sizes no larger than x's outside dim; the result has index's shape. */
WK_API wk_status wk_op_gather(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor out, wk_tensor* result);

typedef WK_ENUM(wk_scatter_mode) {
    WK_SCATTER_ASSIGN = 0, /* duplicate indices: the last in index order wins (deterministic) */
    WK_SCATTER_ADD = 1     /* duplicate indices accumulate */
} wk_scatter_mode;

/* x[index[i][j]][j] = src[i][j] for dim 0 (or +=, see mode); index is int64 with src's ndim and
 * sizes no larger than src's, nor than x's outside dim. src NULL: the scalar value instead. */
WK_API wk_status wk_op_scatter(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor src,
                               const wk_scalar* value, wk_scatter_mode mode, wk_tensor out,
                               wk_tensor* result);
/* x.select(dim, index[i]) += alpha * source.select(dim, i); index int64 or int32, 0-d or 1-D;
 * source has x's shape with dim of size index.numel(). alpha NULL means 1. Duplicates accumulate. */
WK_API wk_status wk_op_index_add(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor source,
                                 const wk_scalar* alpha, wk_tensor out, wk_tensor* result);
/* x.select(dim, index[i]) = source.select(dim, i); index int64; duplicates: the last wins. */
WK_API wk_status wk_op_index_copy(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor source,
                                  wk_tensor out, wk_tensor* result);
/* x.select(dim, index[i]) = value; index int64. The value is the scalar, or (value NULL) the
 * 0-d value_tensor. */
WK_API wk_status wk_op_index_fill(wk_tensor x, int32_t dim, wk_tensor index, const wk_scalar* value,
                                  wk_tensor value_tensor, wk_tensor out, wk_tensor* result);

/* Where the bool mask is true (mask and x broadcast together), the value: the scalar, or (value
 * NULL) the 0-d value_tensor; converted to x's dtype. */
WK_API wk_status wk_op_masked_fill(wk_tensor x, wk_tensor mask, const wk_scalar* value,
                                   wk_tensor value_tensor, wk_tensor out, wk_tensor* result);
/* The 1-D tensor of the elements of x where the bool mask is true (broadcast together), row-major. */
WK_API wk_status wk_op_masked_select(wk_tensor x, wk_tensor mask, wk_tensor* result);
/* Where the bool mask is true, the next element of source (row-major); source has x's dtype and
 * at least as many elements as the mask selects. */
WK_API wk_status wk_op_masked_scatter(wk_tensor x, wk_tensor mask, wk_tensor source, wk_tensor out,
                                      wk_tensor* result);
/* The (n, ndim) int64 coordinates of the nonzero elements of x, row-major (NaN counts as nonzero). */
WK_API wk_status wk_op_nonzero(wk_tensor x, wk_tensor* result);
/* (..., num_classes) int64 with a 1 at each class index; num_classes < 0: max(index) + 1. */
WK_API wk_status wk_op_one_hot(wk_tensor index, int64_t num_classes, wk_tensor* result);

/* Advanced indexing by one index tensor at dim: int64/int32 (negative counts from the end; the
 * result has index's shape in place of dim) or bool (a mask over dims dim..dim+mask.ndim-1,
 * replaced by one dimension holding the selected positions in row-major order). */
WK_API wk_status wk_op_index(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor* result);
/* In place: x[..., index, ...] = values (broadcast to the shape wk_op_index would give), or +=
 * when accumulate != 0 (duplicate integer indices then accumulate; otherwise the last wins). */
WK_API wk_status wk_op_index_put_(wk_tensor x, int32_t dim, wk_tensor index, wk_tensor values,
                                  int32_t accumulate);

/* A copy with the order of elements reversed along each of dims (no dim twice). */
WK_API wk_status wk_op_flip(wk_tensor x, const int32_t* dims, int32_t ndims, wk_tensor* result);
/* A copy with elements shifted by shifts[i] along dims[i], wrapping around; ndims == 0 rolls the
 * flattened tensor by the single shift and restores the shape. */
WK_API wk_status wk_op_roll(wk_tensor x, const int64_t* shifts, int32_t nshifts, const int32_t* dims,
                            int32_t ndims, wk_tensor* result);
/* x tiled repeats[i] times along each dimension; count >= ndim, extra leading repeats add dimensions. */
WK_API wk_status wk_op_repeat(wk_tensor x, const int64_t* repeats, int32_t count, wk_tensor* result);
/* The lower (tril) or upper (triu) triangle of the last two dimensions, the rest set to zero;
 * diagonal 0 is the main diagonal, > 0 above it, < 0 below it. */
WK_API wk_status wk_op_tril(wk_tensor x, int64_t diagonal, wk_tensor out, wk_tensor* result);
WK_API wk_status wk_op_triu(wk_tensor x, int64_t diagonal, wk_tensor out, wk_tensor* result);

typedef WK_ENUM(wk_pad_mode) {
    WK_PAD_CONSTANT = 0,  /* the value (0 when NULL); negative padding crops */
    WK_PAD_REFLECT = 1,   /* mirror without repeating the edge; padding < size */
    WK_PAD_REPLICATE = 2, /* repeat the edge element */
    WK_PAD_CIRCULAR = 3   /* wrap around; padding <= size */
} wk_pad_mode;

/* PyTorch's F.pad: pad holds (before, after) pairs for the last dimension first, then the one
 * before it, ...; npad is even and npad / 2 <= ndim. value must be NULL unless mode is constant. */
WK_API wk_status wk_op_pad(wk_tensor x, const int64_t* pad, int32_t npad, wk_pad_mode mode,
                           const wk_scalar* value, wk_tensor* result);
/* The gradient of wk_op_pad with respect to x: grad has the padded shape; every output position
 * adds into the input position it was read from (nothing for constant fill). */
WK_API wk_status wk_op_pad_backward(wk_tensor grad, const int64_t* input_sizes, int32_t ndim,
                                    const int64_t* pad, int32_t npad, wk_pad_mode mode,
                                    wk_tensor* result);

/* Sorts along dim, always stably (equal elements keep their order, in both directions); NaN sorts
 * as the largest value. values may be NULL (argsort); indices are int64. */
WK_API wk_status wk_op_sort(wk_tensor x, int32_t dim, int32_t descending, wk_tensor* values,
                            wk_tensor* indices);
/* The k largest (or smallest) elements along dim and their int64 indices, always in sorted order;
 * ties keep index order and NaN counts as the largest value. 0 <= k <= size of dim. */
WK_API wk_status wk_op_topk(wk_tensor x, int64_t k, int32_t dim, int32_t largest, wk_tensor* values,
                            wk_tensor* indices);
/* The distinct values of the flattened x in ascending order (NaNs are each distinct, placed last);
 * inverse (x's shape) and counts (per value) are computed only when their pointers are not NULL. */
WK_API wk_status wk_op_unique(wk_tensor x, wk_tensor* values, wk_tensor* inverse, wk_tensor* counts);

/* ------------------------------------------------------------------------------------------ */
/* Neural-network ops                                                                        */
/* ------------------------------------------------------------------------------------------ */
/* softmax, losses, convolution, pooling, normalisation, dropout, embedding, upsampling */

/* How a loss reduces its per-element values. */
typedef WK_ENUM(wk_reduction) {
    WK_REDUCTION_NONE = 0,
    WK_REDUCTION_MEAN = 1, /* weighted mean: divided by the summed class weights of the counted targets */
    WK_REDUCTION_SUM = 2
} wk_reduction;

/* Inputs may have any layout; float16 / bfloat16 compute in float32 on the CPU and come back in
 * their dtype. Spatial parameters come as (h, w) pairs. Optional tensors may be NULL; optional
 * outputs are NULL when not computed. Backward ops return the gradients that `grad_mask` asks for
 * (1: input, 2: weight, 4: bias). They are the rules autograd calls. */

/* softmax (log_softmax when log != 0) along dim, stable: exp(x - max) / sum. */
WK_API wk_status wk_op_softmax(wk_tensor x, int64_t dim, int32_t log, wk_tensor out, wk_tensor* result);
/* From the forward output y: y * (g - sum(g * y)), or for log_softmax g - exp(y) * sum(g). */
WK_API wk_status wk_op_softmax_backward(wk_tensor grad_output, wk_tensor output, int64_t dim, int32_t log,
                                        wk_tensor* grad_input);

/* Negative log-likelihood of log-probabilities input (N, C, d1, ...) or (C) at integer targets
 * (N, d1, ...) or (); weight (C) may be NULL. Targets equal to ignore_index count for nothing.
 * total_weight (0-d): the summed weights of the counted targets (the divisor of the mean). */
WK_API wk_status wk_op_nll_loss(wk_tensor input, wk_tensor target, wk_tensor weight, wk_reduction reduction,
                                int64_t ignore_index, wk_tensor* loss, wk_tensor* total_weight);
WK_API wk_status wk_op_nll_loss_backward(wk_tensor grad_loss, wk_tensor input, wk_tensor target, wk_tensor weight,
                                         wk_reduction reduction, int64_t ignore_index, wk_tensor total_weight,
                                         wk_tensor* grad_input);

/* conv2d: x (N, C, H, W) or (C, H, W), weight (OC, C / groups, KH, KW), bias (OC) or NULL. */
WK_API wk_status wk_op_conv2d(wk_tensor x, wk_tensor weight, wk_tensor bias, int64_t stride_h, int64_t stride_w,
                              int64_t pad_h, int64_t pad_w, int64_t dilation_h, int64_t dilation_w, int64_t groups,
                              wk_tensor* result);
WK_API wk_status wk_op_conv2d_backward(wk_tensor grad_output, wk_tensor x, wk_tensor weight, int64_t stride_h,
                                       int64_t stride_w, int64_t pad_h, int64_t pad_w, int64_t dilation_h,
                                       int64_t dilation_w, int64_t groups, int32_t grad_mask, wk_tensor* grad_input,
                                       wk_tensor* grad_weight, wk_tensor* grad_bias);
/* conv1d: x (N, C, L) or (C, L), weight (OC, C / groups, K), bias (OC) or NULL. */
WK_API wk_status wk_op_conv1d(wk_tensor x, wk_tensor weight, wk_tensor bias, int64_t stride, int64_t padding,
                              int64_t dilation, int64_t groups, wk_tensor* result);
WK_API wk_status wk_op_conv1d_backward(wk_tensor grad_output, wk_tensor x, wk_tensor weight, int64_t stride,
                                       int64_t padding, int64_t dilation, int64_t groups, int32_t grad_mask,
                                       wk_tensor* grad_input, wk_tensor* grad_weight, wk_tensor* grad_bias);
/* conv_transpose2d: x (N, Cin, H, W) or (Cin, H, W), weight (Cin, Cout / groups, KH, KW), bias (Cout) or
 * NULL; output size (H - 1) * stride - 2 * pad + dilation * (KH - 1) + output_pad + 1. */
WK_API wk_status wk_op_conv_transpose2d(wk_tensor x, wk_tensor weight, wk_tensor bias, int64_t stride_h,
                                        int64_t stride_w, int64_t pad_h, int64_t pad_w, int64_t output_pad_h,
                                        int64_t output_pad_w, int64_t dilation_h, int64_t dilation_w, int64_t groups,
                                        wk_tensor* result);
/* Its gradients: input by conv2d(grad_output, weight), weight and bias as conv2d's. */
WK_API wk_status wk_op_conv_transpose2d_backward(wk_tensor grad_output, wk_tensor x, wk_tensor weight,
                                                 int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                                                 int64_t dilation_h, int64_t dilation_w, int64_t groups,
                                                 int32_t grad_mask, wk_tensor* grad_input, wk_tensor* grad_weight,
                                                 wk_tensor* grad_bias);

/* max_pool2d over (N, C, H, W) or (C, H, W); indices (int64) are flat positions h * W + w in each
 * input plane. Padding is at most half the kernel. */
WK_API wk_status wk_op_max_pool2d(wk_tensor x, int64_t kernel_h, int64_t kernel_w, int64_t stride_h, int64_t stride_w,
                                  int64_t pad_h, int64_t pad_w, int64_t dilation_h, int64_t dilation_w,
                                  int32_t ceil_mode, wk_tensor* result, wk_tensor* indices);
/* input_shape: the forward input's shape (3-D or 4-D). */
WK_API wk_status wk_op_max_pool2d_backward(wk_tensor grad_output, wk_tensor indices, const int64_t* input_shape,
                                           int32_t input_ndim, wk_tensor* grad_input);
/* avg_pool2d; divisor_override 0: none. */
WK_API wk_status wk_op_avg_pool2d(wk_tensor x, int64_t kernel_h, int64_t kernel_w, int64_t stride_h, int64_t stride_w,
                                  int64_t pad_h, int64_t pad_w, int32_t ceil_mode, int32_t count_include_pad,
                                  int64_t divisor_override, wk_tensor* result);
WK_API wk_status wk_op_avg_pool2d_backward(wk_tensor grad_output, const int64_t* input_shape, int32_t input_ndim,
                                           int64_t kernel_h, int64_t kernel_w, int64_t stride_h, int64_t stride_w,
                                           int64_t pad_h, int64_t pad_w, int32_t ceil_mode, int32_t count_include_pad,
                                           int64_t divisor_override, wk_tensor* grad_input);
WK_API wk_status wk_op_adaptive_avg_pool2d(wk_tensor x, int64_t output_h, int64_t output_w, wk_tensor* result);
WK_API wk_status wk_op_adaptive_avg_pool2d_backward(wk_tensor grad_output, const int64_t* input_shape,
                                                    int32_t input_ndim, wk_tensor* grad_input);

/* batch_norm over x (N, C, ...). training: batch statistics, running_mean / running_var (C, may be
 * NULL) updated in place with momentum (unbiased variance); otherwise the running statistics.
 * save_mean / save_invstd: the statistics used (mean and 1 / sqrt(var + eps)), for the backward. */
WK_API wk_status wk_op_batch_norm(wk_tensor x, wk_tensor weight, wk_tensor bias, wk_tensor running_mean,
                                  wk_tensor running_var, int32_t training, double momentum, double eps,
                                  wk_tensor* result, wk_tensor* save_mean, wk_tensor* save_invstd);
WK_API wk_status wk_op_batch_norm_backward(wk_tensor grad_output, wk_tensor x, wk_tensor weight, wk_tensor save_mean,
                                           wk_tensor save_invstd, int32_t training, int32_t grad_mask,
                                           wk_tensor* grad_input, wk_tensor* grad_weight, wk_tensor* grad_bias);
/* layer_norm over the last dims of x equal to normalized_shape; weight, bias of that shape or NULL.
 * mean and rstd have x's leading dims followed by ones. */
WK_API wk_status wk_op_layer_norm(wk_tensor x, const int64_t* normalized_shape, int32_t normalized_ndim,
                                  wk_tensor weight, wk_tensor bias, double eps, wk_tensor* result, wk_tensor* mean,
                                  wk_tensor* rstd);
WK_API wk_status wk_op_layer_norm_backward(wk_tensor grad_output, wk_tensor x, const int64_t* normalized_shape,
                                           int32_t normalized_ndim, wk_tensor mean, wk_tensor rstd, wk_tensor weight,
                                           int32_t grad_mask, wk_tensor* grad_input, wk_tensor* grad_weight,
                                           wk_tensor* grad_bias);
/* group_norm of x (N, C, ...) with C split into groups; mean and rstd are (N, groups). */
WK_API wk_status wk_op_group_norm(wk_tensor x, int64_t groups, wk_tensor weight, wk_tensor bias, double eps,
                                  wk_tensor* result, wk_tensor* mean, wk_tensor* rstd);
WK_API wk_status wk_op_group_norm_backward(wk_tensor grad_output, wk_tensor x, wk_tensor mean, wk_tensor rstd,
                                           wk_tensor weight, int64_t groups, int32_t grad_mask, wk_tensor* grad_input,
                                           wk_tensor* grad_weight, wk_tensor* grad_bias);

/* dropout: when training, mask (bool) keeps each element with probability 1 - p (the draw of a
 * Bernoulli(1 - p) fill from generator g, NULL: the default) and result = x * mask / (1 - p).
 * Not training: result is x itself and mask is NULL. The backward is grad * mask / (1 - p). */
WK_API wk_status wk_op_dropout(wk_tensor x, double p, int32_t training, wk_generator g, wk_tensor* result,
                               wk_tensor* mask);

/* Rows of weight (V, D) at integer indices of any shape: indices' shape + (D). */
WK_API wk_status wk_op_embedding(wk_tensor weight, wk_tensor indices, wk_tensor* result);
/* (num_weights, D) scatter-add of grad_output rows at indices; rows at padding_idx (when
 * has_padding_idx; negative counts from the end) get no gradient. */
WK_API wk_status wk_op_embedding_backward(wk_tensor grad_output, wk_tensor indices, int64_t num_weights,
                                          int32_t has_padding_idx, int64_t padding_idx, wk_tensor* grad_weight);

/* Upsampling of (N, C, H, W) to (N, C, output_h, output_w). scale_h / scale_w > 0 are the caller's
 * scale factors (source coordinate = destination / scale, as PyTorch), 0 derives them from the sizes.
 * Nearest: src = floor(dst * in / out). Bilinear: align_corners maps corner pixels onto each other. */
WK_API wk_status wk_op_upsample_nearest2d(wk_tensor x, int64_t output_h, int64_t output_w, double scale_h,
                                          double scale_w, wk_tensor* result);
WK_API wk_status wk_op_upsample_nearest2d_backward(wk_tensor grad_output, const int64_t* input_shape,
                                                   int32_t input_ndim, double scale_h, double scale_w,
                                                   wk_tensor* grad_input);
WK_API wk_status wk_op_upsample_bilinear2d(wk_tensor x, int64_t output_h, int64_t output_w, int32_t align_corners,
                                           double scale_h, double scale_w, wk_tensor* result);
WK_API wk_status wk_op_upsample_bilinear2d_backward(wk_tensor grad_output, const int64_t* input_shape,
                                                    int32_t input_ndim, int32_t align_corners, double scale_h,
                                                    double scale_w, wk_tensor* grad_input);

/* ------------------------------------------------------------------------------------------ */
/* Optimizer steps                                                                             */
/* ------------------------------------------------------------------------------------------ */
/* Fused per-parameter updates: each call reads the gradient and updates the parameter and its state
 * buffers in one pass, following PyTorch's documented algorithms (torch.optim) step for step.
 * param, grad and every state buffer must have the same shape and the same floating dtype (float32
 * or float64) and live on one device; param and the state buffers are updated in place (their
 * versions are bumped). A state buffer that an option does not use may be NULL. The optimizer's
 * step count and per-group hyperparameters come in an options struct. */

/* SGD: g = grad (negated if maximize) + weight_decay * param;
 * with momentum: buf = g on the first step, else momentum * buf + (1 - dampening) * g;
 * g = nesterov ? g + momentum * buf : buf; then param -= lr * g. */
typedef struct wk_sgd_options {
    double lr;
    double momentum;
    double dampening;
    double weight_decay;
    int32_t nesterov;   /* non-zero: Nesterov momentum (needs momentum > 0 and dampening 0) */
    int32_t maximize;   /* non-zero: ascend the objective */
    int32_t first_step; /* non-zero: the momentum buffer is initialised from this step's g */
    int32_t unused;     /* keeps the layout explicit */
} wk_sgd_options;

/* momentum_buffer is required when momentum != 0 and ignored otherwise. */
WK_API wk_status wk_optim_sgd_step(wk_tensor param, wk_tensor grad, wk_tensor momentum_buffer,
                                   const wk_sgd_options* options);

/* Adam and AdamW: with t = step (1 on the first call),
 * g = grad (negated if maximize); Adam adds weight_decay * param to g, AdamW (decoupled_weight_decay)
 * multiplies param by 1 - lr * weight_decay instead;
 * exp_avg += (1 - beta1) * (g - exp_avg); exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * g * g;
 * with amsgrad, max_exp_avg_sq = max(max_exp_avg_sq, exp_avg_sq) is used in place of exp_avg_sq in
 * denom = sqrt(v) / sqrt(1 - beta2^t) + eps; param -= lr / (1 - beta1^t) * exp_avg / denom. */
typedef struct wk_adam_options {
    double lr;
    double beta1;
    double beta2;
    double eps;
    double weight_decay;
    int64_t step;                   /* the step being taken, from 1 */
    int32_t amsgrad;                /* non-zero: keep the running maximum of exp_avg_sq */
    int32_t decoupled_weight_decay; /* non-zero: AdamW's weight decay */
    int32_t maximize;
    int32_t unused;
} wk_adam_options;

/* max_exp_avg_sq is required with amsgrad and ignored otherwise. */
WK_API wk_status wk_optim_adam_step(wk_tensor param, wk_tensor grad, wk_tensor exp_avg, wk_tensor exp_avg_sq,
                                    wk_tensor max_exp_avg_sq, const wk_adam_options* options);

/* RMSprop: g = grad (negated if maximize) + weight_decay * param;
 * square_avg = alpha * square_avg + (1 - alpha) * g * g;
 * centered: grad_avg += (1 - alpha) * (g - grad_avg); avg = sqrt(square_avg - grad_avg^2) + eps,
 * else avg = sqrt(square_avg) + eps;
 * with momentum: buf = momentum * buf + g / avg; param -= lr * buf; else param -= lr * g / avg. */
typedef struct wk_rmsprop_options {
    double lr;
    double alpha;
    double eps;
    double weight_decay;
    double momentum;
    int32_t centered;
    int32_t maximize;
} wk_rmsprop_options;

/* grad_avg is required when centered, momentum_buffer when momentum != 0; both ignored otherwise. */
WK_API wk_status wk_optim_rmsprop_step(wk_tensor param, wk_tensor grad, wk_tensor square_avg, wk_tensor grad_avg,
                                       wk_tensor momentum_buffer, const wk_rmsprop_options* options);

/* Adagrad: with t = step (1 on the first call), g = grad (negated if maximize) + weight_decay * param;
 * clr = lr / (1 + (t - 1) * lr_decay); state_sum += g * g; param -= clr * g / (sqrt(state_sum) + eps). */
typedef struct wk_adagrad_options {
    double lr;
    double lr_decay;
    double weight_decay;
    double eps;
    int64_t step;
    int32_t maximize;
    int32_t unused;
} wk_adagrad_options;

WK_API wk_status wk_optim_adagrad_step(wk_tensor param, wk_tensor grad, wk_tensor state_sum,
                                       const wk_adagrad_options* options);

/* Mixed precision (GradScaler): the two device-side steps of loss scaling, so that checking the
 * gradients for inf/NaN needs no host synchronisation per parameter (PyTorch's
 * _amp_foreach_non_finite_check_and_unscale_ and _amp_update_scale_). found_inf, inv_scale and scale
 * are one-element float32 tensors, growth_tracker a one-element int32 tensor, all on one device. */

/* Each grad (float16, bfloat16, float32 or float64, on found_inf's device) is multiplied in place by
 * inv_scale; found_inf is set to 1 when any grad element is inf or NaN and left as it is otherwise,
 * so one flag collects over several calls. Nothing is read back to the host. */
WK_API wk_status wk_amp_unscale_check(const wk_tensor* grads, int32_t count, wk_tensor found_inf, wk_tensor inv_scale);

/* found_inf != 0: scale *= backoff_factor and growth_tracker = 0; otherwise growth_tracker += 1 and,
 * once it reaches growth_interval, scale *= growth_factor (kept only when finite) and
 * growth_tracker = 0. growth_factor > 1, 0 < backoff_factor < 1, growth_interval >= 1. */
WK_API wk_status wk_amp_update_scale(wk_tensor scale, wk_tensor growth_tracker, wk_tensor found_inf,
                                     double growth_factor, double backoff_factor, int32_t growth_interval);

/* ------------------------------------------------------------------------------------------ */
/* Threads and CPU features                                                                    */
/* ------------------------------------------------------------------------------------------ */
/* Kernels split large tensors across one process-wide pool of threads; small ones stay on the
 * calling thread. Elementwise results never depend on the thread count; reductions give the same
 * bits for every thread count too (their work is split by shape, not by thread). */

/* Threads the pool uses, the calling thread included. Default: the environment variable
 * WICK_NUM_THREADS, else the number of CPUs the process may run on. */
WK_API wk_status wk_threads_get(int32_t* count);
/* 1 to 1024. Waits for a running kernel; fails when called from inside one. */
WK_API wk_status wk_threads_set(int32_t count);

typedef WK_ENUM(wk_cpu_isa) {
    WK_CPU_ISA_SCALAR = 0, /* portable C++ (the reference kernels) */
    WK_CPU_ISA_AVX2 = 1,   /* AVX2 + FMA */
    WK_CPU_ISA_AVX512 = 2, /* AVX-512 F, DQ, BW, VL */
    WK_CPU_ISA_COUNT = 3
} wk_cpu_isa;

/* The instruction set CPU kernels use now, and the best one this CPU and OS support. Default: the
 * best, or the lower one named by WICK_CPU_ISA=scalar|avx2|avx512. */
WK_API wk_status wk_cpu_isa_get(wk_cpu_isa* active, wk_cpu_isa* best);
/* Selects the instruction set for later kernels; one the CPU lacks falls back to the best it has
 * (*active gets what is used, wk_cpu_isa_note says why). Not meant to race with running kernels. */
WK_API wk_status wk_cpu_isa_set(wk_cpu_isa requested, wk_cpu_isa* active);
/* Why the active instruction set differs from the last one asked for (WICK_CPU_ISA or
 * wk_cpu_isa_set), or "" when it does not. Valid until the next call on this thread. */
WK_API wk_status wk_cpu_isa_note(const char** message);

/* ------------------------------------------------------------------------------------------ */
/* Devices and streams                                                                         */
/* ------------------------------------------------------------------------------------------ */
/* CUDA device queries, streams, events, pinned memory. The CUDA backend is libwick_cuda beside
 * libwick; without it (or without a GPU) the queries below report no device, and every other
 * CUDA request fails with WK_ERR_DEVICE and a message saying how to get it. */

/* 1 when the CUDA backend is installed and sees at least one GPU; never fails. */
WK_API wk_status wk_cuda_is_available(int32_t* available);
/* Number of GPUs the CUDA backend sees (0 without the backend or without a GPU); never fails. */
WK_API wk_status wk_cuda_device_count(int32_t* count);
/* Why CUDA is not available (empty when it is); the pointer stays valid for the process. */
WK_API wk_status wk_cuda_unavailable_reason(const char** reason);

typedef struct wk_cuda_device_properties {
    uint8_t name[256];             /* UTF-8, NUL-terminated, e.g. "NVIDIA H100 80GB HBM3" */
    int32_t major;                 /* compute capability */
    int32_t minor;
    int32_t multiprocessor_count;
    int32_t max_threads_per_block;
    int64_t total_memory;          /* bytes */
    int64_t l2_cache_bytes;
} wk_cuda_device_properties;

WK_API wk_status wk_cuda_device_properties_get(int32_t device_index, wk_cuda_device_properties* properties);
/* Free and total memory of the device as the driver sees it (bytes). */
WK_API wk_status wk_cuda_memory_info(int32_t device_index, int64_t* free_bytes, int64_t* total_bytes);
/* Waits until all work queued on the device (every stream) is done. */
WK_API wk_status wk_cuda_synchronize(int32_t device_index);
/* Where float32 work may use TF32 tensor cores (about 10 bits of mantissa in the products), PyTorch's two
 * switches: matrix products (off by default, as torch.backends.cuda.matmul.allow_tf32) and convolutions
 * (on by default, as torch.backends.cudnn.allow_tf32). Process-wide. */
typedef WK_ENUM(wk_tf32_scope) {
    WK_TF32_MATMUL = 0,
    WK_TF32_CONVOLUTION = 1,
    WK_TF32_SCOPE_COUNT = 2
} wk_tf32_scope;
WK_API wk_status wk_cuda_set_allow_tf32(wk_tf32_scope scope, int32_t allow);
WK_API wk_status wk_cuda_get_allow_tf32(wk_tf32_scope scope, int32_t* allow);
/* Index checks on CUDA (index_select, gather, scatter, index_add/copy/fill/put, NLL targets,
 * embedding ids) do not make the host wait: the kernels skip a bad entry (a read gives 0, a write
 * is dropped) and record the first error of the device, and the next call where the host waits for
 * that device (wk_cuda_synchronize, wk_cuda_stream_synchronize, wk_cuda_event_synchronize, a copy to
 * the host such as wk_tensor_copy_to_host or wk_tensor_item, an op that reads a size back such as
 * masked_select) fails with WK_ERR_INDEX and the op's message, then works again.
 * With sync_checks on (initially: the environment variable WICK_CUDA_SYNC_CHECKS=1) each op checks
 * its indices first, waits, and fails itself with its output untouched, for debugging. Process-wide. */
WK_API wk_status wk_cuda_set_sync_checks(int32_t on);
WK_API wk_status wk_cuda_get_sync_checks(int32_t* on);
/* How many times the host has waited for a CUDA device (any device, any thread) since the process
 * started: to find hidden synchronisations, compare it before and after a piece of work. */
WK_API wk_status wk_cuda_host_sync_count(int64_t* count);

/* A queue of GPU work. Each thread has a current stream per device (the device's default stream
 * until set); kernels and copies of that thread are queued on it. Refcounted. */
typedef struct wk_cuda_stream_s* wk_cuda_stream;

/* A new stream that does not synchronize with the default stream. */
WK_API wk_status wk_cuda_stream_create(int32_t device_index, wk_cuda_stream* out);
/* The device's default stream (a new reference). */
WK_API wk_status wk_cuda_stream_default(int32_t device_index, wk_cuda_stream* out);
/* This thread's current stream on the device (a new reference). */
WK_API wk_status wk_cuda_stream_current(int32_t device_index, wk_cuda_stream* out);
/* Makes s current for this thread on its device; NULL restores the default stream of device_index. */
WK_API wk_status wk_cuda_stream_set_current(int32_t device_index, wk_cuda_stream s);
WK_API wk_status wk_cuda_stream_release(wk_cuda_stream s);
WK_API wk_status wk_cuda_stream_device(wk_cuda_stream s, int32_t* device_index);
/* Waits until all work queued on s is done. */
WK_API wk_status wk_cuda_stream_synchronize(wk_cuda_stream s);
/* done = 1 when all work queued on s has finished; does not wait. */
WK_API wk_status wk_cuda_stream_query(wk_cuda_stream s, int32_t* done);

/* A marker in a stream: record it, then wait for it from the host or from another stream. */
typedef struct wk_cuda_event_s* wk_cuda_event;

/* enable_timing != 0 allows wk_cuda_event_elapsed_ms (slightly more costly to record). */
WK_API wk_status wk_cuda_event_create(int32_t device_index, int32_t enable_timing, wk_cuda_event* out);
WK_API wk_status wk_cuda_event_release(wk_cuda_event e);
/* Records e on s (NULL: this thread's current stream on e's device). */
WK_API wk_status wk_cuda_event_record(wk_cuda_event e, wk_cuda_stream s);
WK_API wk_status wk_cuda_event_synchronize(wk_cuda_event e);
WK_API wk_status wk_cuda_event_query(wk_cuda_event e, int32_t* done);
/* Milliseconds between two recorded timing events (both completed). */
WK_API wk_status wk_cuda_event_elapsed_ms(wk_cuda_event start, wk_cuda_event end, float* ms);
/* Work queued on s after this call waits until e (as last recorded) has completed. */
WK_API wk_status wk_cuda_stream_wait_event(wk_cuda_stream s, wk_cuda_event e);

/* A CPU tensor in pinned (page-locked) host memory, uninitialised: copies from it to a GPU with
 * non_blocking run asynchronously. Needs the CUDA backend. */
WK_API wk_status wk_tensor_empty_pinned(const int64_t* sizes, int32_t ndim, wk_dtype dtype, wk_tensor* out);
/* A pinned contiguous copy of a CPU tensor (t itself, retained, when already pinned and contiguous). */
WK_API wk_status wk_tensor_pin_memory(wk_tensor t, wk_tensor* out);
WK_API wk_status wk_tensor_is_pinned(wk_tensor t, int32_t* pinned);
/* As wk_tensor_to, with non_blocking != 0: a copy from pinned host memory to a GPU is only queued
 * on the current stream, so the source must stay unchanged until the stream reaches it (record an
 * event or synchronize). Every other transfer waits as wk_tensor_to does. */
WK_API wk_status wk_tensor_to_ex(wk_tensor t, wk_dtype dtype, wk_device_type device, int32_t device_index,
                                 int32_t copy, int32_t non_blocking, wk_tensor* out);
/* As wk_tensor_copy_, with non_blocking as for wk_tensor_to_ex. */
WK_API wk_status wk_tensor_copy_ex_(wk_tensor dst, wk_tensor src, int32_t non_blocking);

/* ------------------------------------------------------------------------------------------ */
/* Memory statistics                                                                           */
/* ------------------------------------------------------------------------------------------ */

typedef struct wk_memory_stats {
    int64_t live_tensors;    /* tensor handles not yet released (all devices) */
    int64_t allocated_bytes; /* bytes in storages in use on the device */
    int64_t peak_bytes;      /* largest allocated_bytes since start or the last reset */
    int64_t reserved_bytes;  /* allocated plus cached by the allocator */
} wk_memory_stats;

WK_API wk_status wk_memory_stats_get(wk_device_type device, int32_t device_index, wk_memory_stats* stats);
WK_API wk_status wk_memory_reset_peak(wk_device_type device, int32_t device_index);
/* Returns cached, unused blocks to the system (on a GPU: waits for the device first). On the CPU
 * it also returns cached pinned host blocks when the CUDA backend is loaded. */
WK_API wk_status wk_memory_empty_cache(wk_device_type device, int32_t device_index);
/* Caps the bytes the device's allocator hands out (limit_bytes <= 0 removes the cap): allocations
 * past it fail as if the device were full. For tests of out-of-memory handling, or sharing a GPU. */
WK_API wk_status wk_memory_set_limit(wk_device_type device, int32_t device_index, int64_t limit_bytes);

/* Called once when an allocation fails for lack of memory, before its single retry; a
 * garbage-collected host runs its collector and finalizers here so unreachable tensors return
 * their memory. The allocator has already released its cached blocks. NULL removes it. */
typedef void (*wk_out_of_memory_handler)(int32_t device_type, int32_t device_index, uint64_t nbytes);
WK_API wk_status wk_memory_set_out_of_memory_handler(wk_out_of_memory_handler handler);
/* Address of a process-wide counter of bytes held by live host storages, for cheap polling by
 * a garbage-collected host (memory pressure). Read it atomically; it stays valid forever. */
WK_API wk_status wk_memory_host_counter(const int64_t** counter);

#ifdef __cplusplus
}
#endif

#endif /* WICK_H */
