// Matrix products beyond matmul (which lives in op_api.cpp with the first ops).
#include "api/guard.h"
#include "ops/linalg.h"

using namespace wick;
using namespace wick::api;

// Two tensors in, one out: the shape of bmm, outer, dot and mv.
#define WICK_BINARY_PRODUCT(abi_name, fn, label)                                                     \
    WK_API wk_status abi_name(wk_tensor a, wk_tensor b, wk_tensor out, wk_tensor* result) {          \
        return guard([&] {                                                                           \
            auto& r = out_param(result, label);                                                      \
            give(&r, fn(unwrap_ref(a, label), unwrap_ref(b, label), unwrap_optional(out, "out")));   \
        });                                                                                          \
    }

extern "C" {

WICK_BINARY_PRODUCT(wk_op_bmm, bmm, "bmm")
WICK_BINARY_PRODUCT(wk_op_outer, outer, "outer")
WICK_BINARY_PRODUCT(wk_op_dot, dot, "dot")
WICK_BINARY_PRODUCT(wk_op_mv, mv, "mv")

WK_API wk_status wk_op_addmm(wk_tensor input, wk_tensor mat1, wk_tensor mat2, double beta, double alpha, wk_tensor out,
                             wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "addmm");
        give(&r, addmm(unwrap_ref(input, "addmm"), unwrap_ref(mat1, "addmm"), unwrap_ref(mat2, "addmm"), beta, alpha,
                       unwrap_optional(out, "out")));
    });
}

}  // extern "C"
