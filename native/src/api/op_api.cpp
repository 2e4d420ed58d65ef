// Elementwise, reduction and linear-algebra ops.
#include <utility>

#include "api/guard.h"
#include "ops/elementwise.h"
#include "ops/linalg.h"
#include "ops/op_info.h"
#include "ops/reduce.h"

using namespace wick;
using namespace wick::api;

extern "C" {

WK_API wk_status wk_op_unary(wk_unary_op op, wk_tensor x, double p0, double p1, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "unary");
        wk_unary_op o = unary_op_from_abi(op);
        give(&r, unary(o, unwrap_ref(x, unary_info(o).name), p0, p1, unwrap_optional(out, "out")));
    });
}

WK_API wk_status wk_op_binary(wk_binary_op op, wk_tensor a, wk_tensor b, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "binary");
        wk_binary_op o = binary_op_from_abi(op);
        const char* name = binary_info(o).name;
        give(&r, binary(o, unwrap_ref(a, name), unwrap_ref(b, name), unwrap_optional(out, "out")));
    });
}

WK_API wk_status wk_op_binary_scalar(wk_binary_op op, wk_tensor a, const wk_scalar* s, int32_t reverse, wk_tensor out,
                                     wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "binary_scalar");
        wk_binary_op o = binary_op_from_abi(op);
        const char* name = binary_info(o).name;
        give(&r, binary_scalar(o, unwrap_ref(a, name), scalar_from_abi(s, name), reverse != 0, unwrap_optional(out, "out")));
    });
}

WK_API wk_status wk_op_reduce(wk_reduce_op op, wk_tensor x, const int32_t* dims, int32_t ndims, int32_t keepdim,
                              double param, int32_t dtype, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "reduce");
        wk_reduce_op o = reduce_op_from_abi(op);
        give(&r, reduce(o, unwrap_ref(x, reduce_name(o)), dims, ndims, keepdim != 0, param, dtype,
                        unwrap_optional(out, "out")));
    });
}

WK_API wk_status wk_op_ternary(wk_ternary_op op, wk_tensor a, wk_tensor b, wk_tensor c, const wk_scalar* s, wk_tensor out,
                               wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "ternary");
        wk_ternary_op o = ternary_op_from_abi(op);
        const char* name = ternary_name(o);
        Scalar sv;
        if (s != nullptr) sv = scalar_from_abi(s, name);
        TensorRef bt = b == nullptr ? TensorRef() : unwrap_ref(b, name);
        TensorRef ct = c == nullptr ? TensorRef() : unwrap_ref(c, name);
        give(&r, ternary(o, unwrap_ref(a, name), bt, ct, s != nullptr ? &sv : nullptr, unwrap_optional(out, "out")));
    });
}

WK_API wk_status wk_op_reduce_indices(wk_reduce_op op, wk_tensor x, int32_t dim, int32_t keepdim, wk_tensor* values,
                                      wk_tensor* indices) {
    return guard([&] {
        auto& v = out_param(values, "reduce_indices");
        auto& i = out_param(indices, "reduce_indices");
        wk_reduce_op o = reduce_op_from_abi(op);
        ValuesIndices r = reduce_indices(o, unwrap_ref(x, reduce_name(o)), dim, keepdim != 0);
        give(&v, std::move(r.values));
        give(&i, std::move(r.indices));
    });
}

WK_API wk_status wk_op_scan(wk_scan_op op, wk_tensor x, int32_t dim, int32_t dtype, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "scan");
        wk_scan_op o = scan_op_from_abi(op);
        give(&r, scan(o, unwrap_ref(x, scan_name(o)), dim, dtype, unwrap_optional(out, "out")));
    });
}

WK_API wk_status wk_op_matmul(wk_tensor a, wk_tensor b, wk_tensor out, wk_tensor* result) {
    return guard([&] {
        auto& r = out_param(result, "matmul");
        give(&r, matmul(unwrap_ref(a, "matmul"), unwrap_ref(b, "matmul"), unwrap_optional(out, "out")));
    });
}

}  // extern "C"
