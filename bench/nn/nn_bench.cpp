// conv2d, softmax and layer_norm (forward, and the backward kernels of the last two) through Wick's ops layer
// against PyTorch (bench/nn/torch_peer.py, run by this program in the same run) and against a plain copy of
// the same bytes.
//
//   bench/nn/run.sh [--threads 1] [--budget 1]     (writes artifacts/bench/nn.json)
//
// Every Wick case allocates its result, as the public API does (PyTorch's do too). Softmax and
// layer_norm are memory-bound: their GB/s (bytes read + written) are compared with a copy of the
// same tensor (Wick clone, and memcpy into a buffer that already exists) measured in this process.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/parallel.h"
#include "ops/common.h"
#include "ops/copy.h"
#include "ops/nn.h"
#include "ops/random.h"

using namespace wick;

namespace {

// --clock cpu: the calling thread's CPU time instead of wall time (1 thread only); on a shared,
// oversubscribed machine it leaves out the time spent waiting for a core. The peer uses the same clock.
bool g_cpu_clock = false;

double now_ms() {
    if (!g_cpu_clock) return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

double median_ms(const std::function<void()>& fn, double budget) {
    fn();
    fn();
    std::vector<double> t;
    auto start = std::chrono::steady_clock::now();
    while (t.size() < 5 || (t.size() < 300 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < budget)) {
        const double t0 = now_ms();
        fn();
        t.push_back(now_ms() - t0);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

TensorRef randn(const Shape& s, uint64_t seed) {
    TensorRef t = Tensor::empty(s, DType::F32, Device{});
    Generator g(seed);
    random_fill(t, WK_RANDOM_NORMAL, 0, 1, g);
    return t;
}

// The peer's medians, by case name, from the script's JSON lines.
std::map<std::string, double> run_peer(int threads, double budget) {
    std::map<std::string, double> r;
    // Debian's PyTorch by default; WICK_BENCH_PYTHON picks another interpreter (say, on another machine).
    const char* py = std::getenv("WICK_BENCH_PYTHON");
    std::string cmd = std::string(py ? py : "/usr/bin/python3") + " bench/nn/torch_peer.py " + std::to_string(threads) + " " +
                      std::to_string(budget) + (g_cpu_clock ? " cpu" : " wall") + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char line[512];
    while (std::fgets(line, sizeof line, p)) {
        char name[256];
        double ms;
        if (std::sscanf(line, "{\"case\": \"%255[^\"]\", \"ms\": %lf}", name, &ms) == 2) r[name] = ms;
    }
    pclose(p);
    return r;
}

struct Row {
    std::string name, unit;
    double wick, peer;
    bool higher;
    std::string peer_name;
};

}  // namespace

int main(int argc, char** argv) {
    int threads = 1, rounds = 3;
    double budget = 1.0;
    const char* json = "artifacts/bench/nn.json";
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--budget") && i + 1 < argc) budget = std::atof(argv[++i]);
        else if (!std::strcmp(argv[i], "--json") && i + 1 < argc) json = argv[++i];
        else if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--clock") && i + 1 < argc) g_cpu_clock = !std::strcmp(argv[++i], "cpu");
    }
    if (g_cpu_clock && threads != 1) {
        std::fprintf(stderr, "--clock cpu measures one thread: use --threads 1\n");
        return 2;
    }
    set_num_threads(threads);
    // The machine is shared: each side is measured in several alternating rounds (the PyTorch script,
    // then Wick) and keeps its best median, so a burst of load from elsewhere hits neither alone.
    std::map<std::string, double> best;
    std::string peer_version = "not found";
    auto keep = [&](const std::string& name, double ms) {
        auto it = best.find(name);
        if (ms > 0 && (it == best.end() || ms < it->second)) best[name] = ms;
    };
    TensorRef x = randn(Shape{32, 3, 32, 32}, 1), w = randn(Shape{64, 3, 3, 3}, 2), b = randn(Shape{64}, 3);
    const Conv2dParams p{{1, 1}, {1, 1}, {1, 1}, 1};
    TensorRef rowsT = randn(Shape{4096, 1024}, 4), g = randn(Shape{1024}, 5), beta = randn(Shape{1024}, 6);
    std::vector<float> dst(4096 * 1024);
    // The backward kernels autograd calls, on the forward's saved results.
    TensorRef grad = randn(Shape{4096, 1024}, 7), soft = softmax(rowsT, 1, false, nullptr);
    const Tensors3 ln = layer_norm(rowsT, Shape{1024}, &g, &beta, 1e-5);
    for (int r = 0; r < rounds; ++r) {
        for (const auto& [name, ms] : run_peer(threads, budget)) {
            if (name.rfind("version ", 0) == 0) peer_version = name.substr(8);
            keep("peer " + name, ms);
        }
        keep("conv", median_ms([&] { conv2d(x, w, &b, p); }, budget));
        keep("copy", median_ms([&] { clone(rowsT); }, budget));
        keep("memcpy", median_ms([&] { std::memcpy(dst.data(), rowsT->data(), rowsT->nbytes()); }, budget));
        keep("softmax", median_ms([&] { softmax(rowsT, 1, false, nullptr); }, budget));
        keep("layer_norm", median_ms([&] { layer_norm(rowsT, Shape{1024}, &g, &beta, 1e-5); }, budget));
        keep("softmax backward", median_ms([&] { softmax_backward(grad, soft, 1, false); }, budget));
        keep("layer_norm backward", median_ms([&] {
            layer_norm_backward(grad, rowsT, Shape{1024}, ln.b, ln.c, &g, kGradInput | kGradWeight | kGradBias);
        }, budget));
    }
    auto ms_of = [&](const std::string& name) {
        auto it = best.find(name);
        return it == best.end() ? 0.0 : it->second;
    };
    auto peer_ms = [&](const char* name) { return ms_of(std::string("peer ") + name); };

    std::vector<Row> rows;
    rows.push_back({"conv2d N32 3->64 32x32 3x3 pad1", "ms", ms_of("conv"), peer_ms("conv2d N32 3->64 32x32 3x3 pad1"), false, "PyTorch (oneDNN)"});
    // Memory-bound rows: 4096 x 1024 float32, 16 MiB in and 16 MiB out.
    const double bytes = 2.0 * 4096 * 1024 * 4;
    auto gbs = [&](double ms) { return ms > 0 ? bytes / (ms * 1e-3) * 1e-9 : 0.0; };
    const double sm_ms = ms_of("softmax"), ln_ms = ms_of("layer_norm"), copy_ms = ms_of("copy"), memcpy_ms = ms_of("memcpy");
    rows.push_back({"softmax 4096x1024", "GB/s", gbs(sm_ms), gbs(peer_ms("softmax 4096x1024")), true, "PyTorch"});
    rows.push_back({"layer_norm 4096x1024", "GB/s", gbs(ln_ms), gbs(peer_ms("layer_norm 4096x1024")), true, "PyTorch"});
    rows.push_back({"softmax 4096x1024 vs Wick copy", "GB/s", gbs(sm_ms), gbs(copy_ms), true, "Wick clone (same bytes)"});
    rows.push_back({"layer_norm 4096x1024 vs Wick copy", "GB/s", gbs(ln_ms), gbs(copy_ms), true, "Wick clone (same bytes)"});
    rows.push_back({"softmax backward 4096x1024", "ms", ms_of("softmax backward"), peer_ms("softmax backward 4096x1024"), false, "PyTorch"});
    rows.push_back({"layer_norm backward 4096x1024", "ms", ms_of("layer_norm backward"), peer_ms("layer_norm backward 4096x1024"), false,
                    "PyTorch"});
    rows.push_back({"copy 4096x1024: clone vs memcpy", "GB/s", gbs(copy_ms), gbs(memcpy_ms), true, "memcpy into an existing buffer"});
    rows.push_back({"copy 4096x1024: clone vs PyTorch", "GB/s", gbs(copy_ms), gbs(peer_ms("copy 4096x1024 (clone)")), true, "PyTorch clone"});

    std::printf("clock: %s\n", g_cpu_clock ? "thread CPU time (both sides)" : "wall");
    std::printf("threads: Wick pool %d (requested %d), PyTorch %s with %d\n", num_threads(), threads, peer_version.c_str(), threads);
    std::printf("%-36s %-5s %10s %10s %7s  %s\n", "case", "unit", "wick", "peer", "ratio", "peer");
    for (const Row& r : rows) {
        const double ratio = r.peer > 0 ? (r.higher ? r.wick / r.peer : r.peer / r.wick) : 0;
        std::printf("%-36s %-5s %10.3f %10.3f %7.2f  %s\n", r.name.c_str(), r.unit.c_str(), r.wick, r.peer, ratio, r.peer_name.c_str());
    }
    std::printf("(ratio > 1: Wick is better)\n");
    if (FILE* f = std::fopen(json, "w")) {
        std::fprintf(f, "[\n");
        for (size_t i = 0; i < rows.size(); ++i)
            std::fprintf(f, "  {\"case\": \"%s (%dT)\", \"unit\": \"%s\", \"wick\": %.4f, \"peer\": \"%s\", \"peer_value\": %.4f, \"higher_is_better\": %s}%s\n",
                         rows[i].name.c_str(), threads, rows[i].unit.c_str(), rows[i].wick, rows[i].peer_name.c_str(), rows[i].peer,
                         rows[i].higher ? "true" : "false", i + 1 < rows.size() ? "," : "");
        std::fprintf(f, "]\n");
        std::fclose(f);
        std::printf("wrote %s\n", json);
    }
    return 0;
}
