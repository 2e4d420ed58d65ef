// A scalar operand with its kind (int, float, bool), which decides type promotion.
#pragma once

#include <cstdint>

#include "core/dtype.h"
#include "core/convert.h"
#include "core/half.h"

namespace wick {

struct Scalar {
    enum class Kind : int32_t { Int = WK_SCALAR_INT, Float = WK_SCALAR_FLOAT, Bool = WK_SCALAR_BOOL };
    Kind kind = Kind::Int;
    double f = 0;
    int64_t i = 0;

    static Scalar from_double(double v) { Scalar s; s.kind = Kind::Float; s.f = v; return s; }
    static Scalar from_int(int64_t v) { Scalar s; s.kind = Kind::Int; s.i = v; return s; }
    static Scalar from_bool(bool v) { Scalar s; s.kind = Kind::Bool; s.i = v ? 1 : 0; return s; }

    bool is_float() const { return kind == Kind::Float; }
    double to_double() const { return is_float() ? f : static_cast<double>(i); }

    // The value converted to element type T (float to integer truncates toward zero).
    template <class T>
    T to() const {
        if (is_float()) return saturate_from_double<T>(f);
        return convert<T>(i);
    }
};

// Validates a wk_scalar that crossed the ABI.
Scalar scalar_from_abi(const wk_scalar* s, const char* what);
wk_scalar scalar_to_abi(const Scalar& s);

// The dtype of `tensor op scalar` (PyTorch: a scalar only lifts the category, never the width).
DType result_type_with_scalar(DType tensor, const Scalar& s);

}  // namespace wick
