// An element of any dtype read into a carrier that keeps it exactly (floating values as double,
// integers and bool as int64), and written back with the CPU's conversion rules (core/convert.h):
// the copy, arange and random kernels handle every dtype pair with one kernel this way instead
// of one instantiation per pair.
#pragma once

#include "cuda/common.cuh"

namespace wick::cuda {

struct Value {
    double f;
    int64_t i;
    bool is_float;
};

__device__ __forceinline__ Value load_value(const char* p, DType t) {
    Value v{0.0, 0, true};
    switch (t) {
        case DType::F32: v.f = *reinterpret_cast<const float*>(p); break;
        case DType::F64: v.f = *reinterpret_cast<const double*>(p); break;
        case DType::F16: v.f = half_to_float(*reinterpret_cast<const Half*>(p)); break;
        case DType::BF16: v.f = bf16_to_float(*reinterpret_cast<const BFloat16*>(p)); break;
        case DType::I64: v.is_float = false; v.i = *reinterpret_cast<const int64_t*>(p); break;
        case DType::I32: v.is_float = false; v.i = *reinterpret_cast<const int32_t*>(p); break;
        case DType::I16: v.is_float = false; v.i = *reinterpret_cast<const int16_t*>(p); break;
        case DType::I8: v.is_float = false; v.i = *reinterpret_cast<const int8_t*>(p); break;
        case DType::U8: v.is_float = false; v.i = *reinterpret_cast<const uint8_t*>(p); break;
        case DType::Bool: v.is_float = false; v.i = *reinterpret_cast<const uint8_t*>(p) != 0 ? 1 : 0; break;
    }
    return v;
}

__device__ __forceinline__ void store_value(char* p, DType t, const Value& v) {
    switch (t) {
        case DType::F32:
            *reinterpret_cast<float*>(p) = v.is_float ? static_cast<float>(v.f) : static_cast<float>(v.i);
            break;
        case DType::F64:
            *reinterpret_cast<double*>(p) = v.is_float ? v.f : static_cast<double>(v.i);
            break;
        case DType::F16:
            *reinterpret_cast<Half*>(p) = float_to_half(v.is_float ? static_cast<float>(v.f) : static_cast<float>(v.i));
            break;
        case DType::BF16:
            *reinterpret_cast<BFloat16*>(p) = float_to_bf16(v.is_float ? static_cast<float>(v.f) : static_cast<float>(v.i));
            break;
        case DType::I64:
            *reinterpret_cast<int64_t*>(p) = v.is_float ? saturate_from_double<int64_t>(v.f) : v.i;
            break;
        case DType::I32:
            *reinterpret_cast<int32_t*>(p) = v.is_float ? saturate_from_double<int32_t>(v.f) : static_cast<int32_t>(v.i);
            break;
        case DType::I16:
            *reinterpret_cast<int16_t*>(p) = v.is_float ? saturate_from_double<int16_t>(v.f) : static_cast<int16_t>(v.i);
            break;
        case DType::I8:
            *reinterpret_cast<int8_t*>(p) = v.is_float ? saturate_from_double<int8_t>(v.f) : static_cast<int8_t>(v.i);
            break;
        case DType::U8:
            *reinterpret_cast<uint8_t*>(p) = v.is_float ? saturate_from_double<uint8_t>(v.f) : static_cast<uint8_t>(v.i);
            break;
        case DType::Bool:
            *reinterpret_cast<uint8_t*>(p) = (v.is_float ? v.f != 0 : v.i != 0) ? 1 : 0;
            break;
    }
}

}  // namespace wick::cuda
