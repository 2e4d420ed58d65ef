// The pool: num_threads() - 1 workers plus the calling thread. A job is a range split into chunks
// that threads claim with an atomic counter, so a thread slowed down by a noisy neighbour takes
// fewer chunks. Workers spin briefly for the next job (back-to-back kernels), then sleep.
#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#  include <sched.h>
#endif
#if defined(__x86_64__) || defined(_M_X64)
#  include <immintrin.h>
#  define WICK_PAUSE() _mm_pause()
#else
#  define WICK_PAUSE() std::this_thread::yield()
#endif

#include "core/error.h"

namespace wick {

namespace {

thread_local bool t_inside_parallel = false;

int default_threads() {
    if (const char* env = std::getenv("WICK_NUM_THREADS"); env != nullptr && *env != '\0') {
        char* end = nullptr;
        long v = std::strtol(env, &end, 10);
        if (end != env && *end == '\0' && v >= 1 && v <= 1024) return static_cast<int>(v);
    }
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
#endif
    unsigned hc = std::thread::hardware_concurrency();
    return hc == 0 ? 1 : static_cast<int>(std::min(hc, 1024u));
}

struct Job {
    const std::function<void(int64_t, int64_t)>* fn = nullptr;
    int64_t total = 0, chunk = 0, nchunks = 0;
    std::atomic<int64_t> next{0};
    std::atomic<int64_t> done{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;  // written by the thread that sets `failed` first

    // Claims and runs chunks until none is left.
    void work() {
        for (;;) {
            int64_t c = next.fetch_add(1, std::memory_order_relaxed);
            if (c >= nchunks) return;
            if (!failed.load(std::memory_order_relaxed)) {
                int64_t b = c * chunk, e = std::min(total, b + chunk);
                try {
                    (*fn)(b, e);
                } catch (...) {
                    bool expected = false;
                    if (failed.compare_exchange_strong(expected, true)) error = std::current_exception();
                }
            }
            done.fetch_add(1, std::memory_order_acq_rel);
        }
    }
};

class Pool {
public:
    explicit Pool(int threads) : threads_(threads) { start(); }

    int threads() const { return threads_; }

    // Owner of the pool for one job; try_lock so a second user thread runs its job inline instead of waiting.
    std::mutex& owner() { return owner_; }

    void resize(int threads) {
        std::lock_guard<std::mutex> own(owner_);
        stop();
        threads_ = threads;
        start();
    }

    // Runs a job on the workers and the calling thread (the caller holds owner()).
    void run(Job& job) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            job_ = &job;
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        job.work();
        // Wait for chunks other threads are still running.
        auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
        int spins = 0;
        while (job.done.load(std::memory_order_acquire) < job.nchunks) {
            if (++spins < 64 || std::chrono::steady_clock::now() < spin_until) {
                WICK_PAUSE();
            } else {
                // A worker takes the mutex before notifying, after counting its chunks, so the wakeup
                // cannot be lost. (No timed wait: it would need pthread_cond_clockwait, glibc 2.30.)
                std::unique_lock<std::mutex> lock(mutex_);
                finished_.wait(lock, [&] { return job.done.load(std::memory_order_acquire) >= job.nchunks; });
            }
        }
        // Every chunk is done. Unpublish the job first (workers only pick it up under the mutex), then
        // wait for workers still between their last claim and leaving it: the job lives on our stack.
        {
            std::lock_guard<std::mutex> lock(mutex_);
            job_ = nullptr;
        }
        while (active_.load(std::memory_order_acquire) != 0) WICK_PAUSE();
    }

private:
    void start() {
        stopping_ = false;
        // The generation is read here, not by the new thread: a stop() that comes before the thread
        // runs must still be seen as a change.
        const uint64_t gen = generation_.load(std::memory_order_acquire);
        for (int i = 1; i < threads_; ++i) workers_.emplace_back([this, gen] { loop(gen); });
    }

    void stop() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        for (auto& t : workers_) t.join();
        workers_.clear();
    }

    void loop(uint64_t seen) {
        t_inside_parallel = true;
        for (;;) {
            // Spin a little: kernels often come back to back.
            auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
            int spins = 0;
            while (generation_.load(std::memory_order_acquire) == seen &&
                   (++spins < 64 || std::chrono::steady_clock::now() < spin_until))
                WICK_PAUSE();
            Job* job = nullptr;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [&] { return stopping_ || generation_.load(std::memory_order_acquire) != seen; });
                if (stopping_) return;
                seen = generation_.load(std::memory_order_acquire);
                job = job_;
                if (job != nullptr) active_.fetch_add(1, std::memory_order_acq_rel);
            }
            if (job == nullptr) continue;
            job->work();
            active_.fetch_sub(1, std::memory_order_acq_rel);
            {
                std::lock_guard<std::mutex> lock(mutex_);
            }
            finished_.notify_all();
        }
    }

    int threads_;
    std::vector<std::thread> workers_;
    std::mutex owner_;
    std::mutex mutex_;
    std::condition_variable wake_, finished_;
    std::atomic<uint64_t> generation_{0};
    std::atomic<int> active_{0};
    Job* job_ = nullptr;
    bool stopping_ = false;
};

std::atomic<int> g_threads{0};  // 0 until first asked
std::mutex g_pool_mutex;
Pool* g_pool = nullptr;  // never freed: worker threads must not be joined during static destruction

int configured_threads() {
    int n = g_threads.load(std::memory_order_relaxed);
    if (n == 0) {
        int want = default_threads();
        g_threads.compare_exchange_strong(n, want);
        n = g_threads.load(std::memory_order_relaxed);
    }
    return n;
}

Pool& pool(int threads) {
    std::lock_guard<std::mutex> lock(g_pool_mutex);
    if (g_pool == nullptr) g_pool = new Pool(threads);
    return *g_pool;
}

void run_inline(int64_t total, int64_t chunk, const std::function<void(int64_t, int64_t)>& fn) {
    // The same chunk boundaries as a parallel run, so a kernel sees identical calls either way.
    for (int64_t b = 0; b < total; b += chunk) fn(b, std::min(total, b + chunk));
}

}  // namespace

void parallel_for(int64_t total, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
    if (total <= 0) return;
    if (grain < 1) grain = 1;
    const int threads = configured_threads();
    if (total <= grain || threads == 1 || t_inside_parallel) {
        struct Flag {
            bool prev = t_inside_parallel;
            Flag() { t_inside_parallel = true; }
            ~Flag() { t_inside_parallel = prev; }
        } flag;
        fn(0, total);
        return;
    }
    // A few chunks per thread balance the load when a thread is slowed down by another process.
    const int64_t max_chunks = static_cast<int64_t>(threads) * 4;
    const int64_t nchunks = std::min(max_chunks, (total + grain - 1) / grain);
    const int64_t chunk = (total + nchunks - 1) / nchunks;
    Pool& p = pool(threads);
    std::unique_lock<std::mutex> own(p.owner(), std::try_to_lock);
    struct Flag {
        Flag() { t_inside_parallel = true; }
        ~Flag() { t_inside_parallel = false; }
    } flag;
    if (!own.owns_lock() || p.threads() != threads) {
        run_inline(total, chunk, fn);
        return;
    }
    Job job;
    job.fn = &fn;
    job.total = total;
    job.chunk = chunk;
    job.nchunks = (total + chunk - 1) / chunk;
    p.run(job);
    if (job.failed.load()) std::rethrow_exception(job.error);
}

int num_threads() { return configured_threads(); }

void set_num_threads(int n) {
    check(n >= 1 && n <= 1024, WK_ERR_INVALID_ARGUMENT, "set_num_threads: ", n, " threads requested; give 1 to 1024");
    check(!t_inside_parallel, WK_ERR_INVALID_ARGUMENT, "set_num_threads: cannot change the thread count from inside a parallel kernel");
    std::lock_guard<std::mutex> lock(g_pool_mutex);
    g_threads.store(n, std::memory_order_relaxed);
    if (g_pool != nullptr && g_pool->threads() != n) g_pool->resize(n);
}

}  // namespace wick
