// Backend kernel family: neural-network kernels (softmax, convolution, pooling, normalisation, embedding, ...).
// Conventions as in backend.h: plain-data arguments (View, enums, scalars), a wk_status result.
#pragma once

#include "core/backend.h"

namespace wick {

struct NNKernels {
    // Entries are appended here as the ops land; a null entry is "not implemented on this backend".
    void* reserved;
};

}  // namespace wick
