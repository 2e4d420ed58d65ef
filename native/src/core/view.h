// What a kernel sees of a tensor: an address, a dtype, sizes and strides (in elements). Plain data,
// no ownership, so it can cross into a separately built backend library (libwick_cuda.so).
#pragma once

#include <cstdint>

#include "core/dtype.h"
#include "core/shape.h"

namespace wick {

struct View {
    char* data = nullptr;  // address of the element at index (0, ..., 0)
    DType dtype = DType::F32;
    int32_t ndim = 0;
    int64_t sizes[kMaxDims] = {};
    int64_t strides[kMaxDims] = {};

    int64_t numel() const {
        int64_t n = 1;
        for (int i = 0; i < ndim; ++i) n *= sizes[i];
        return n;
    }
    bool is_contiguous() const {
        int64_t expected = 1;
        for (int i = ndim - 1; i >= 0; --i) {
            if (sizes[i] == 1) continue;
            if (sizes[i] == 0) return true;
            if (strides[i] != expected) return false;
            expected *= sizes[i];
        }
        return true;
    }
};

}  // namespace wick
