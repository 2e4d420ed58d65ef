// Calls a generic lambda with a type tag for a dtype: fn(Tag<float>{}) and so on.
#pragma once

#include "core/dtype.h"
#include "core/error.h"

namespace wick::cpu {

template <class T>
struct Tag {
    using type = T;
};

// The dtypes CPU kernels compute in (16-bit floats are upcast by the ops layer).
template <class F>
void dispatch_compute(DType t, const char* op, F&& fn) {
    switch (t) {
        case DType::F32: fn(Tag<float>{}); return;
        case DType::F64: fn(Tag<double>{}); return;
        case DType::I64: fn(Tag<int64_t>{}); return;
        case DType::I32: fn(Tag<int32_t>{}); return;
        case DType::I16: fn(Tag<int16_t>{}); return;
        case DType::I8: fn(Tag<int8_t>{}); return;
        case DType::U8: fn(Tag<uint8_t>{}); return;
        case DType::Bool: fn(Tag<bool>{}); return;
        default: fail(WK_ERR_DTYPE, op, ": dtype ", dtype_name(t), " is not supported by this CPU kernel");
    }
}

// Every dtype, 16-bit floats included (copies and fills).
template <class F>
void dispatch_all(DType t, F&& fn) {
    switch (t) {
#define WICK_X(name, abi, type, fp, display) \
    case DType::name: fn(Tag<type>{}); return;
        WICK_DTYPES(WICK_X)
#undef WICK_X
    }
    fail(WK_ERR_DTYPE, "unknown dtype ", static_cast<int>(t));
}

}  // namespace wick::cpu
