// Sorting: sort (stable, either direction), topk, unique.
#pragma once

#include <utility>

#include "core/tensor.h"

namespace wick {

// (values, indices)
std::pair<TensorRef, TensorRef> sort(const TensorRef& x, int64_t dim, bool descending);
std::pair<TensorRef, TensorRef> topk(const TensorRef& x, int64_t k, int64_t dim, bool largest);

struct UniqueResult {
    TensorRef values, inverse, counts;  // inverse / counts null unless asked for
};
UniqueResult unique(const TensorRef& x, bool want_inverse, bool want_counts);

}  // namespace wick
