#include "core/dtype.h"

#include "core/error.h"

namespace wick {

size_t dtype_size(DType t) {
    switch (t) {
#define WICK_X(name, abi, type, fp, display) \
    case DType::name: return sizeof(type);
        WICK_DTYPES(WICK_X)
#undef WICK_X
    }
    fail(WK_ERR_INTERNAL, "dtype_size: unknown dtype ", static_cast<int>(t));
}

bool dtype_is_floating(DType t) {
    switch (t) {
#define WICK_X(name, abi, type, fp, display) \
    case DType::name: return fp;
        WICK_DTYPES(WICK_X)
#undef WICK_X
    }
    return false;
}

const char* dtype_name(DType t) {
    switch (t) {
#define WICK_X(name, abi, type, fp, display) \
    case DType::name: return display;
        WICK_DTYPES(WICK_X)
#undef WICK_X
    }
    return "unknown";
}

DType dtype_from_abi(int32_t id, const char* what) {
    if (id < 0 || id >= kDTypeCount)
        fail(WK_ERR_INVALID_ARGUMENT, what, ": unknown dtype id ", id, " (valid ids are 0 to ", kDTypeCount - 1, ")");
    return static_cast<DType>(id);
}

namespace {
// Promotion lattice as in PyTorch: bool < integers < floats; within a category the wider wins;
// u8 with a signed integer type gives the next signed type that holds both; f16 with bf16 gives f32.
int rank(DType t) {
    switch (t) {
        case DType::Bool: return 0;
        case DType::U8: return 1;
        case DType::I8: return 2;
        case DType::I16: return 3;
        case DType::I32: return 4;
        case DType::I64: return 5;
        case DType::F16: return 6;
        case DType::BF16: return 6;
        case DType::F32: return 7;
        case DType::F64: return 8;
    }
    return -1;
}
}  // namespace

DType promote_types(DType a, DType b) {
    if (a == b) return a;
    if ((a == DType::F16 && b == DType::BF16) || (a == DType::BF16 && b == DType::F16)) return DType::F32;
    if ((a == DType::U8 && b == DType::I8) || (a == DType::I8 && b == DType::U8)) return DType::I16;
    return rank(a) >= rank(b) ? a : b;
}

}  // namespace wick
