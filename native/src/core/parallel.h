// Intra-op parallelism: one process-wide pool of worker threads. Work smaller than the grain
// stays on the calling thread, so small tensors pay no synchronisation.
#pragma once

#include <cstdint>
#include <functional>

namespace wick {

// Calls fn(begin, end) over disjoint chunks covering [0, total); chunks hold at least `grain`
// items except the last. Returns when every chunk is done; rethrows the first exception.
void parallel_for(int64_t total, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

int num_threads();
void set_num_threads(int n);

}  // namespace wick
