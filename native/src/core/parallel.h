// Intra-op parallelism: one process-wide pool of worker threads. Work smaller than the grain
// stays on the calling thread, so small tensors pay no synchronisation.
//
// Determinism: parallel_for only decides which thread runs which chunk; kernels that must give
// the same bits for every thread count (reductions) split their work into blocks chosen from the
// shapes alone and combine the blocks' partial results in a fixed order.
#pragma once

#include <cstdint>
#include <functional>

namespace wick {

// Calls fn(begin, end) over disjoint chunks covering [0, total); chunks hold at least `grain`
// items except the last. Returns when every chunk is done; rethrows the first exception a chunk
// threw (the other chunks still finish or are skipped). Runs inline when total <= grain, when one
// thread is configured, and when called from inside another parallel_for or while another thread
// owns the pool.
void parallel_for(int64_t total, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

// Threads used by parallel_for, the caller included: WICK_NUM_THREADS, else the CPUs this process
// may run on.
int num_threads();
// Changes the thread count (1 to 1024); waits for a running parallel_for to finish first.
void set_num_threads(int n);

}  // namespace wick
