// Serial placeholder until the thread pool lands: the contract (chunking, grain) is already the
// one kernels rely on, so kernels written against it need no change.
#include "core/parallel.h"

namespace wick {

void parallel_for(int64_t total, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
    (void)grain;
    if (total > 0) fn(0, total);
}

int num_threads() { return 1; }
void set_num_threads(int) {}

}  // namespace wick
