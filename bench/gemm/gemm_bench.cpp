// sgemm / dgemm throughput of Wick's GEMM against OpenBLAS measured in the same run.
//
//   bench/gemm/run.sh            (builds and runs; writes artifacts/bench/gemm.json)
//
// OpenBLAS is loaded with dlopen, so the program builds without its headers and reports the peer as
// missing instead of failing. C = A B with row-major square operands, medians over repetitions after
// a warm-up. Two-thread Wick numbers: the library splits C into two column halves and runs them on
// the intra-op pool (core/parallel.h); while that pool is the serial placeholder (num_threads() stays
// 1), this program runs the same two halves on the caller and one persistent helper thread: exactly
// the split gemm() makes.
#include <dlfcn.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <atomic>
#include <thread>
#include <vector>

#include "core/parallel.h"
#include "cpu/gemm/cpu_features.h"
#include "cpu/gemm/gemm.h"

using namespace wick::cpu::gemm;

namespace {

using sgemm_fn = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
using threads_fn = void (*)(int);
using corename_fn = char* (*)();

struct OpenBlas {
    sgemm_fn sgemm = nullptr;
    threads_fn set_threads = nullptr;
    corename_fn corename = nullptr;
    bool load() {
        const char* names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0"};
        for (const char* n : names) {
            void* h = dlopen(n, RTLD_NOW | RTLD_LOCAL);
            if (h == nullptr) continue;
            sgemm = reinterpret_cast<sgemm_fn>(dlsym(h, "cblas_sgemm"));
            set_threads = reinterpret_cast<threads_fn>(dlsym(h, "openblas_set_num_threads"));
            corename = reinterpret_cast<corename_fn>(dlsym(h, "openblas_get_corename"));
            return sgemm != nullptr && set_threads != nullptr;
        }
        return false;
    }
};

// --clock cpu: the calling thread's CPU time instead of wall time. On a shared, oversubscribed
// machine it leaves out the time the thread waited for a core (single-threaded cases only).
bool g_cpu_clock = false;

double now_seconds() {
    if (!g_cpu_clock) return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double seconds(const std::function<void()>& fn) {
    const double t0 = now_seconds();
    fn();
    return now_seconds() - t0;
}

double median(std::vector<double> t) {
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

// Medians of both functions, timed alternately so that load from other processes on a shared
// machine hits both sides alike (the ratio is the number to trust).
// The two sides are timed one after the other, not interleaved: OpenBLAS's threads busy-wait for a
// while after each call, and interleaved 2-thread samples had them competing with Wick's worker for
// the second core (Wick's 2-thread figures halved). The pause lets the previous side's threads sleep.
void median_pair(const std::function<void()>& a, const std::function<void()>* b, double budget_s, double* ta, double* tb) {
    auto series = [budget_s](const std::function<void()>& f) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        f(), f();  // warm-up (packing buffers, page faults, caches)
        std::vector<double> v;
        auto start = std::chrono::steady_clock::now();
        while (v.size() < 5 || (v.size() < 300 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < budget_s / 2))
            v.push_back(seconds(f));
        return median(v);
    };
    *ta = series(a);
    *tb = b ? series(*b) : 0;
}

// A persistent second thread that spins for work, standing in for the intra-op pool while
// core/parallel.cpp is the serial placeholder (a pool keeps its threads; creating one per call
// would cost more than a small product).
class Helper {
public:
    Helper() : thread_([this] { loop(); }) {}
    ~Helper() {
        stop_.store(true);
        thread_.join();
    }
    void run(const std::function<void()>& mine, const std::function<void()>& theirs) {
        work_ = &theirs;
        done_.store(false, std::memory_order_relaxed);
        epoch_.fetch_add(1, std::memory_order_release);
        mine();
        while (!done_.load(std::memory_order_acquire)) std::this_thread::yield();
    }

private:
    void loop() {
        uint64_t seen = 0;
        while (!stop_.load(std::memory_order_relaxed)) {
            uint64_t e = epoch_.load(std::memory_order_acquire);
            if (e == seen) {
                std::this_thread::yield();
                continue;
            }
            seen = e;
            (*work_)();
            done_.store(true, std::memory_order_release);
        }
    }
    const std::function<void()>* work_ = nullptr;
    std::atomic<uint64_t> epoch_{0};
    std::atomic<bool> done_{true}, stop_{false};
    std::thread thread_;
};

struct Row {
    std::string name;
    double wick, peer;
};

}  // namespace

int main(int argc, char** argv) {
    double budget = 1.0;
    std::vector<int> sizes = {64, 128, 256, 1024, 2048};
    const char* json = "artifacts/bench/gemm.json";
    std::vector<int> threads_list = {1, 2};
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--budget") && i + 1 < argc) budget = std::atof(argv[++i]);
        else if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc) {
            sizes.clear();
            for (char* s = std::strtok(argv[++i], ","); s; s = std::strtok(nullptr, ",")) sizes.push_back(std::atoi(s));
        } else if (!std::strcmp(argv[i], "--json") && i + 1 < argc) json = argv[++i];
        else if (!std::strcmp(argv[i], "--blocking") && i + 1 < argc) {  // mc,kc,nc for tuning
            long mc = 0, kc = 0, nc = 0;
            std::sscanf(argv[++i], "%ld,%ld,%ld", &mc, &kc, &nc);
            set_blocking_override(mc, kc, nc);
        } else if (!std::strcmp(argv[i], "--isa") && i + 1 < argc) set_isa_cap(std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--clock") && i + 1 < argc) g_cpu_clock = !std::strcmp(argv[++i], "cpu");
        else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads_list.clear();
            threads_list.push_back(std::atoi(argv[++i]));
        }
    }
    OpenBlas ob;
    const bool have_peer = ob.load();
    int mr, nr;
    const char* isa;
    describe_active_kernel(false, &mr, &nr, &isa);
    wick::set_num_threads(2);
    std::printf("wick sgemm kernel: %s %dx%d; OpenBLAS: %s (core %s); 2-thread Wick runs on %s\n", isa, mr, nr,
                have_peer ? "loaded" : "not found", have_peer && ob.corename ? ob.corename() : "-",
                wick::num_threads() >= 2 ? "the intra-op pool" : "the caller + a helper thread (the pool is serial in this build)");
    std::printf("%-22s %12s %12s %8s\n", "case", "wick GF/s", "OpenBLAS", "ratio");
    std::vector<Row> rows;
    Helper helper;
    if (g_cpu_clock) {
        threads_list.erase(std::remove(threads_list.begin(), threads_list.end(), 2), threads_list.end());
        std::printf("clock: thread CPU time (single-threaded cases only)\n");
    }
    for (int threads : threads_list) {
        for (int n : sizes) {
            std::vector<float> a(size_t(n) * n), b(size_t(n) * n), c(size_t(n) * n);
            for (size_t i = 0; i < a.size(); ++i) a[i] = float((i * 7 % 13)) * 0.1f - 0.6f, b[i] = float((i * 5 % 11)) * 0.1f - 0.5f;
            const double flops = 2.0 * n * n * n;
            Problem<float> p;
            p.m = p.n = p.k = n;
            p.a = a.data(), p.rsa = n, p.csa = 1;
            p.b = b.data(), p.rsb = n, p.csb = 1;
            p.c = c.data(), p.rsc = n, p.csc = 1;
            std::function<void()> wick_fn;
            wick::set_num_threads(threads);
            if (threads == 1) {
                wick_fn = [&] { gemm_serial(p); };
            } else if (wick::num_threads() >= threads) {
                wick_fn = [&] { gemm(p); };  // the library's own split on the intra-op pool
            } else {
                // The split gemm() makes for two tasks: C's columns in two halves of whole nr-wide tiles.
                wick_fn = [&] {
                    const int64_t units = (n + nr - 1) / nr;
                    auto half = [&](int t) {
                        Problem<float> q = p;
                        const int64_t lo = std::min<int64_t>(n, t * units / 2 * nr), hi = std::min<int64_t>(n, (t + 1) * units / 2 * nr);
                        q.b += lo, q.c += lo, q.n = hi - lo;
                        gemm_serial(q);
                    };
                    if (flops < 2.0 * 96 * 96 * 96) { gemm_serial(p); return; }
                    helper.run([&] { half(0); }, [&] { half(1); });
                };
            }
            if (have_peer) ob.set_threads(threads);
            std::function<void()> peer_fn = [&] { ob.sgemm(101, 111, 111, n, n, n, 1.f, a.data(), n, b.data(), n, 0.f, c.data(), n); };
            double tw = 0, tp = 0;
            median_pair(wick_fn, have_peer ? &peer_fn : nullptr, budget, &tw, &tp);
            Row r{"sgemm " + std::to_string(n) + "^3 " + std::to_string(threads) + "T", flops / tw * 1e-9, have_peer ? flops / tp * 1e-9 : 0};
            std::printf("%-22s %12.1f %12.1f %8.2f\n", r.name.c_str(), r.wick, r.peer, have_peer ? r.wick / r.peer : 0.0);
            std::fflush(stdout);
            rows.push_back(r);
        }
    }
    if (FILE* f = std::fopen(json, "w")) {
        std::fprintf(f, "[\n");
        for (size_t i = 0; i < rows.size(); ++i)
            std::fprintf(f, "  {\"case\": \"%s\", \"unit\": \"GFLOP/s\", \"wick\": %.2f, \"peer\": \"OpenBLAS 0.3 (%s)\", \"peer_value\": %.2f, \"higher_is_better\": true}%s\n",
                         rows[i].name.c_str(), rows[i].wick, have_peer && ob.corename ? ob.corename() : "missing", rows[i].peer,
                         i + 1 < rows.size() ? "," : "");
        std::fprintf(f, "]\n");
        std::fclose(f);
        std::printf("wrote %s\n", json);
    }
    return 0;
}
