// c[b] = alpha * a[b] @ b[b] + beta * c[b] for row-major 3-D views through
// cublasGemmStridedBatchedEx: bmm (alpha 1, beta 0) and gemm (addmm / baddbmm in one call).
//
// cuBLAS is column-major. A row-major matrix X (r x c) with strides (s, 1) is, read column-major,
// its transpose (c x r) with leading dimension s; one with strides (1, s) is X itself, column-major.
// So the row-major product C (n x m) = A (n x k) B (k x m) is computed as the column-major
// C^T (m x n) = B^T (m x k) A^T (k x n): cuBLAS's first operand is b, its second a, and an operand
// stored column-major is passed with op T. An operand with neither inner stride 1 is first copied
// to a contiguous scratch buffer. Batch strides may be 0 (broadcast).
//
// float32 uses CUBLAS_COMPUTE_32F, or CUBLAS_COMPUTE_32F_FAST_TF32 when TF32 is allowed for the
// caller's scope (Cuda.AllowTF32 for products, Cuda.AllowTF32Convolution for the convolutions); float16 and bfloat16 accumulate in float32; float64 in float64. Integer
// products are not supported on CUDA (as in PyTorch). matmul_into also writes float16 / bfloat16
// products to a float32 C (a sum the caller continues in float32, as the convolutions' gradients).
#include "cuda/linalg.cuh"

#include <cublas_v2.h>

#include <climits>
#include <mutex>

#include "core/scalar.h"
#include "cuda/binary.cuh"
#include "cuda/buffer.cuh"
#include "cuda/common.cuh"
#include "cuda/copy.cuh"
#include "cuda/runtime.cuh"

namespace wick::cuda {

namespace {

void check_cublas(cublasStatus_t status, const char* what) {
    if (status == CUBLAS_STATUS_SUCCESS) return;
    const char* text = cublasGetStatusString(status);
    fail(status == CUBLAS_STATUS_ALLOC_FAILED ? WK_ERR_OUT_OF_MEMORY : WK_ERR_DEVICE, what, ": cuBLAS error ",
         static_cast<int>(status), " (", text != nullptr ? text : "unknown", ")");
}

// One handle per thread and device: a handle must not be used by two threads at once. Handles
// are never destroyed (a thread's handles outlive it; destroying them at process exit would race
// the CUDA runtime's own teardown).
cublasHandle_t handle_for(int32_t device) {
    thread_local cublasHandle_t handles[kMaxDevices] = {};
    if (handles[device] == nullptr) check_cublas(cublasCreate(&handles[device]), "cublasCreate");
    return handles[device];
}

// How one operand (rows x cols, row-major logical view) is handed to cuBLAS.
struct Operand2 {
    const char* data;
    bool column_major;  // stored column-major (pass with op T)
    int64_t ld;
    int64_t batch_stride;
};

// The layout of a 3-D view's matrices, or false when neither inner stride is 1.
bool layout_of(const View& v, Operand2* o) {
    const int64_t rows = v.sizes[1], cols = v.sizes[2];
    const int64_t rs = v.strides[1], cs = v.strides[2];
    o->data = v.data;
    o->batch_stride = v.sizes[0] == 1 ? 0 : v.strides[0];
    if ((cs == 1 || cols == 1) && (rows == 1 || rs >= (cols > 1 ? cols : 1))) {
        o->column_major = false;
        o->ld = rows == 1 ? (cols > 1 ? cols : 1) : rs;
        return true;
    }
    if ((rs == 1 || rows == 1) && (cols == 1 || cs >= (rows > 1 ? rows : 1))) {
        o->column_major = true;
        o->ld = cols == 1 ? (rows > 1 ? rows : 1) : cs;
        return true;
    }
    return false;
}

struct Types {
    cudaDataType data;
    cublasComputeType_t compute;
    bool double_scalars;
};

Types types_for(DType dt, wk_tf32_scope scope) {
    switch (dt) {
        case DType::F32: return {CUDA_R_32F, allow_tf32(scope) ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F, false};
        case DType::F64: return {CUDA_R_64F, CUBLAS_COMPUTE_64F, true};
        case DType::F16: return {CUDA_R_16F, CUBLAS_COMPUTE_32F, false};
        case DType::BF16: return {CUDA_R_16BF, CUBLAS_COMPUTE_32F, false};
        default:
            fail(WK_ERR_DTYPE, "matmul: ", dtype_name(dt),
                 " matrices are not supported on CUDA (cuBLAS multiplies floating types); convert with To(DType.Float32)");
    }
}

void check_int(int64_t v, const char* what) {
    check(v <= INT_MAX, WK_ERR_INVALID_ARGUMENT, "matmul: ", what, " ", v, " exceeds what cuBLAS accepts (", INT_MAX, ")");
}

}  // namespace

// c (dense rows: strides (any, m, 1)) = alpha * a @ b + beta * c.
void matmul_into(const View& c, const View& a, const View& b, double alpha_v, double beta_v, wk_tf32_scope scope) {
    const int64_t batch = c.sizes[0], n = c.sizes[1], m = c.sizes[2], k = a.sizes[2];
    const bool dense_rows = (c.strides[2] == 1 || m == 1) && (c.strides[1] == m || n == 1);
    check(dense_rows, WK_ERR_INTERNAL, "matmul: the CUDA kernel needs an output with dense rows");
    const int64_t c_batch_stride = batch == 1 ? n * m : c.strides[0];
    // A and B's type decides the compute type; C has it too, or is float32 under 16-bit A and B.
    const Types t = types_for(a.dtype, scope);
    const bool widened = c.dtype == DType::F32 && (a.dtype == DType::F16 || a.dtype == DType::BF16);
    check(b.dtype == a.dtype && (c.dtype == a.dtype || widened), WK_ERR_INTERNAL, "matmul: the CUDA kernel got operands ",
          dtype_name(a.dtype), " and ", dtype_name(b.dtype), " for a ", dtype_name(c.dtype), " output");
    const cudaDataType c_type = widened ? CUDA_R_32F : t.data;
    if (batch == 0 || n == 0 || m == 0) return;
    if (k == 0) {  // an empty sum: beta * c
        check(c.is_contiguous(), WK_ERR_INTERNAL, "matmul: an empty inner dimension needs a contiguous output");
        if (beta_v == 0)
            check_cuda(cudaMemsetAsync(c.data, 0, static_cast<size_t>(batch * n * m) * dtype_size(c.dtype), current_stream()),
                       "matmul (cudaMemsetAsync)");
        else if (beta_v != 1)
            binary_scalar(WK_BINARY_MUL, c, c, Scalar::from_double(beta_v), false);
        return;
    }
    check_int(n, "rows");
    check_int(m, "columns");
    check_int(k, "inner size");
    check_int(batch, "batch size");

    // Operands cuBLAS cannot read as they are are copied to contiguous scratch memory.
    auto contiguous_copy = [](const View& v, DeviceBuffer& buf) {
        View r = v;
        r.data = buf.as<char>();
        r.strides[2] = 1;
        r.strides[1] = v.sizes[2];
        r.strides[0] = v.sizes[1] * v.sizes[2];
        copy(r, v);
        return r;
    };
    Operand2 oa{}, ob{};
    View av = a, bv = b;
    const size_t es = dtype_size(a.dtype);
    DeviceBuffer a_buf(layout_of(a, &oa) ? 0 : static_cast<size_t>(a.numel()) * es);
    DeviceBuffer b_buf(layout_of(b, &ob) ? 0 : static_cast<size_t>(b.numel()) * es);
    if (!layout_of(a, &oa)) {
        av = contiguous_copy(a, a_buf);
        layout_of(av, &oa);
    }
    if (!layout_of(b, &ob)) {
        bv = contiguous_copy(b, b_buf);
        layout_of(bv, &ob);
    }
    check_int(oa.ld, "leading dimension");
    check_int(ob.ld, "leading dimension");

    cublasHandle_t h = handle_for(active_device());
    check_cublas(cublasSetStream(h, current_stream()), "cublasSetStream");
    check_cublas(cublasSetMathMode(h, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    const float alpha_f = static_cast<float>(alpha_v), beta_f = static_cast<float>(beta_v);
    const double alpha_d = alpha_v, beta_d = beta_v;
    const void* alpha = t.double_scalars ? static_cast<const void*>(&alpha_d) : static_cast<const void*>(&alpha_f);
    const void* beta = t.double_scalars ? static_cast<const void*>(&beta_d) : static_cast<const void*>(&beta_f);
    // Column-major: C^T (m x n, ldc = m) = op(B) (m x k) * op(A) (k x n).
    check_cublas(cublasGemmStridedBatchedEx(h, ob.column_major ? CUBLAS_OP_T : CUBLAS_OP_N,
                                            oa.column_major ? CUBLAS_OP_T : CUBLAS_OP_N, static_cast<int>(m),
                                            static_cast<int>(n), static_cast<int>(k), alpha, ob.data, t.data,
                                            static_cast<int>(ob.ld), ob.batch_stride, oa.data, t.data,
                                            static_cast<int>(oa.ld), oa.batch_stride, beta, c.data, c_type,
                                            static_cast<int>(m), c_batch_stride, static_cast<int>(batch), t.compute,
                                            CUBLAS_GEMM_DEFAULT),
                 "matmul (cublasGemmStridedBatchedEx)");
}

void bmm(const View& c, const View& a, const View& b) { matmul_into(c, a, b, 1.0, 0.0); }

void gemm(const View& c, const View& a, const View& b, double alpha, double beta) {
    if (c.is_contiguous()) return matmul_into(c, a, b, alpha, beta);
    // Any other layout of c: the product runs on a contiguous copy (read only when beta != 0).
    DeviceBuffer buf(static_cast<size_t>(c.numel()) * dtype_size(c.dtype));
    View cc = c;
    cc.data = buf.as<char>();
    cc.strides[2] = 1;
    cc.strides[1] = c.sizes[2];
    cc.strides[0] = c.sizes[1] * c.sizes[2];
    if (beta != 0 && c.numel() > 0) copy(cc, c);
    matmul_into(cc, a, b, alpha, beta);
    if (c.numel() > 0) copy(c, cc);
}

}  // namespace wick::cuda
