#include "core/scalar.h"

#include "core/error.h"

namespace wick {

Scalar scalar_from_abi(const wk_scalar* s, const char* what) {
    check(s != nullptr, WK_ERR_INVALID_ARGUMENT, what, ": null scalar");
    Scalar r;
    switch (s->kind) {
        case WK_SCALAR_INT: r.kind = Scalar::Kind::Int; r.i = s->i; break;
        case WK_SCALAR_FLOAT: r.kind = Scalar::Kind::Float; r.f = s->f; break;
        case WK_SCALAR_BOOL: r.kind = Scalar::Kind::Bool; r.i = s->i != 0; break;
        default: fail(WK_ERR_INVALID_ARGUMENT, what, ": unknown scalar kind ", s->kind);
    }
    return r;
}

wk_scalar scalar_to_abi(const Scalar& s) {
    wk_scalar r{};
    r.kind = static_cast<int32_t>(s.kind);
    r.f = s.is_float() ? s.f : static_cast<double>(s.i);
    r.i = s.is_float() ? 0 : s.i;
    return r;
}

DType result_type_with_scalar(DType tensor, const Scalar& s) {
    if (s.is_float()) return dtype_is_floating(tensor) ? tensor : kDefaultFloat;
    if (s.kind == Scalar::Kind::Int && tensor == DType::Bool) return DType::I64;
    return tensor;
}

}  // namespace wick
