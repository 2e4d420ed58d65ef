// Backend kernel family: fused optimizer updates (one kernel per parameter tensor and step).
// Conventions as in backend.h: plain-data arguments (View, enums, scalars), a wk_status result.
#pragma once

#include "core/backend.h"

namespace wick {

struct OptimKernels {
    // Entries are appended here as the ops land; a null entry is "not implemented on this backend".
    void* reserved;
};

}  // namespace wick
