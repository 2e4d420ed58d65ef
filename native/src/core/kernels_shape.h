// Backend kernel family: indexing, joining, sorting and scans (cat, gather, scatter, sort, topk, cumsum, ...).
// Conventions as in backend.h: plain-data arguments (View, enums, scalars), a wk_status result.
#pragma once

#include "core/backend.h"

namespace wick {

struct ShapeKernels {
    // Entries are appended here as the ops land; a null entry is "not implemented on this backend".
    void* reserved;
};

}  // namespace wick
