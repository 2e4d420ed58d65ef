// The intra-op thread pool: coverage of the range, the grain, exceptions, nesting, resizing.
#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "test.h"

using namespace wick;

namespace {

struct ThreadsGuard {
    int saved = num_threads();
    ~ThreadsGuard() { set_num_threads(saved); }
};

}  // namespace

WICK_TEST(parallel_for_covers_the_range_exactly_once_for_every_thread_count) {
    ThreadsGuard guard;
    for (int threads : {1, 2, 3, 8}) {
        set_num_threads(threads);
        for (int64_t total : {int64_t(0), int64_t(1), int64_t(999), int64_t(100003)}) {
            std::vector<std::atomic<int>> hits(static_cast<size_t>(total));
            parallel_for(total, 1000, [&](int64_t b, int64_t e) {
                EXPECT(b < e);
                for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
            });
            for (auto& h : hits) EXPECT(h.load() == 1);
        }
    }
}

WICK_TEST(parallel_for_keeps_work_below_the_grain_on_the_calling_thread) {
    ThreadsGuard guard;
    set_num_threads(4);
    const std::thread::id me = std::this_thread::get_id();
    int calls = 0;
    parallel_for(500, 1000, [&](int64_t b, int64_t e) {
        ++calls;
        EXPECT(std::this_thread::get_id() == me);
        EXPECT(b == 0 && e == 500);
    });
    EXPECT(calls == 1);
}

WICK_TEST(parallel_for_rethrows_the_first_exception_of_a_chunk) {
    ThreadsGuard guard;
    for (int threads : {1, 2, 4}) {
        set_num_threads(threads);
        bool caught = false;
        try {
            parallel_for(100000, 100, [&](int64_t b, int64_t e) {
                if (e > 50000) fail(WK_ERR_INVALID_ARGUMENT, "chunk at ", b, " failed");
            });
        } catch (const Error& e) {
            caught = e.status() == WK_ERR_INVALID_ARGUMENT && std::string(e.what()).find("failed") != std::string::npos;
        }
        EXPECT(caught);
        // The pool is usable afterwards.
        std::atomic<int64_t> sum{0};
        parallel_for(100000, 100, [&](int64_t b, int64_t e) { sum.fetch_add(e - b); });
        EXPECT(sum.load() == 100000);
    }
}

WICK_TEST(nested_parallel_for_runs_inline_and_resizing_inside_is_refused) {
    ThreadsGuard guard;
    set_num_threads(2);
    std::atomic<int64_t> inner{0};
    std::atomic<int> refused{0};
    parallel_for(8, 1, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) parallel_for(10000, 10, [&](int64_t x, int64_t y) { inner.fetch_add(y - x); });
        try {
            set_num_threads(3);
        } catch (const Error&) {
            refused.fetch_add(1);
        }
    });
    EXPECT(inner.load() == 8 * 10000);
    EXPECT(refused.load() > 0);
}

WICK_TEST(two_user_threads_can_run_parallel_kernels_at_once) {
    ThreadsGuard guard;
    set_num_threads(2);
    std::atomic<int64_t> total{0};
    auto work = [&] {
        for (int rep = 0; rep < 50; ++rep) parallel_for(100000, 1000, [&](int64_t b, int64_t e) { total.fetch_add(e - b); });
    };
    std::thread t1(work), t2(work);
    t1.join();
    t2.join();
    EXPECT(total.load() == 2 * 50 * 100000);
}

WICK_TEST(rapid_resizing_never_loses_a_worker) {
    ThreadsGuard guard;
    for (int i = 0; i < 200; ++i) {
        set_num_threads(1 + i % 3);
        std::atomic<int64_t> n{0};
        parallel_for(20000, 100, [&](int64_t b, int64_t e) { n.fetch_add(e - b); });
        EXPECT(n.load() == 20000);
    }
}
