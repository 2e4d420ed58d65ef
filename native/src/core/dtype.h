// Element types: the X-macro table below is the single list of dtypes inside the core.
// Ids are ABI (wk_dtype in wick.h); a static_assert per row keeps the two in step.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/half.h"
#include "wick/wick.h"

namespace wick {

// X(name, abi enum, c++ type, is_floating, display name)
#define WICK_DTYPES(X)                                           \
    X(F32, WK_DTYPE_F32, float, true, "float32")                 \
    X(F64, WK_DTYPE_F64, double, true, "float64")                \
    X(F16, WK_DTYPE_F16, ::wick::Half, true, "float16")          \
    X(BF16, WK_DTYPE_BF16, ::wick::BFloat16, true, "bfloat16")   \
    X(I64, WK_DTYPE_I64, int64_t, false, "int64")                \
    X(I32, WK_DTYPE_I32, int32_t, false, "int32")                \
    X(I16, WK_DTYPE_I16, int16_t, false, "int16")                \
    X(I8, WK_DTYPE_I8, int8_t, false, "int8")                    \
    X(U8, WK_DTYPE_U8, uint8_t, false, "uint8")                  \
    X(Bool, WK_DTYPE_BOOL, bool, false, "bool")

enum class DType : int32_t {
#define WICK_X(name, abi, type, fp, display) name = abi,
    WICK_DTYPES(WICK_X)
#undef WICK_X
};

constexpr int kDTypeCount = WK_DTYPE_COUNT;
#define WICK_X(name, abi, type, fp, display) \
    static_assert(static_cast<int>(DType::name) < kDTypeCount, "dtype id outside the ABI range");
WICK_DTYPES(WICK_X)
#undef WICK_X

size_t dtype_size(DType t);
bool dtype_is_floating(DType t);
// Integral includes bool, as PyTorch's isIntegral(includeBool=true).
inline bool dtype_is_integral(DType t) { return !dtype_is_floating(t); }
const char* dtype_name(DType t);
// Validates an id that crossed the ABI; throws an invalid-argument error naming `what`.
DType dtype_from_abi(int32_t id, const char* what);

// The dtype both operands are converted to (PyTorch's promote_types).
DType promote_types(DType a, DType b);
// The default floating type (integer true division, float scalars with integer tensors, ...).
constexpr DType kDefaultFloat = DType::F32;

// Maps a C++ element type to its DType.
template <class T> struct DTypeOf;
#define WICK_X(name, abi, type, fp, display) \
    template <> struct DTypeOf<type> { static constexpr DType value = DType::name; };
WICK_DTYPES(WICK_X)
#undef WICK_X

}  // namespace wick
