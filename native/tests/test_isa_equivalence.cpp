// Every instruction set computes what the scalar one computes: each op family (unary, binary,
// ternary, reductions, max/min with indices, scans) on several dtypes and layouts (contiguous with
// a vector tail, transposed, broadcast, large enough for the thread pool) through the whole ops
// layer, under each ISA this CPU has and 1 or 2 threads, compared with the scalar ISA on 1 thread.
// The managed suite checks the scalar results against float64 references; this test carries that
// over to AVX2 and AVX-512 wherever the CPU has them (CI machines with AVX-512 run it too).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "core/parallel.h"
#include "cpu/simd/isa_kernels.h"
#include "ops/copy.h"
#include "ops/elementwise.h"
#include "ops/factory.h"
#include "ops/op_info.h"
#include "ops/reduce.h"
#include "ops/views.h"
#include "test.h"

using namespace wick;

#if defined(WICK_TEST_AVX512_EMULATION)
namespace wick::cpu::avx512emu {
extern const IsaKernels kIsaTable;
}
#endif

namespace {

// Deterministic values in [lo, hi) (whole numbers for integer dtypes), as a tensor of `shape`.
TensorRef make(DType dt, const Shape& shape, double lo, double hi, uint32_t seed) {
    const int64_t n = shape.numel();
    std::vector<double> v(static_cast<size_t>(n));
    uint32_t s = seed * 2654435761u + 1;
    for (auto& x : v) {
        s = s * 1664525u + 1013904223u;
        x = lo + (hi - lo) * (s >> 8) / 16777216.0;
        if (!dtype_is_floating(dt)) x = std::floor(x);
    }
    TensorRef d = from_host_data(v.data(), v.size() * sizeof(double), shape, DType::F64, Device{});
    return to(d, dt, Device{}, true);
}

std::vector<double> values(const TensorRef& t) {
    TensorRef d = to(t, DType::F64, Device{}, true);
    std::vector<double> v(static_cast<size_t>(d->numel()));
    if (!v.empty()) copy_to_host(d, v.data(), v.size() * sizeof(double));
    return v;
}

// Relative closeness in units of the dtype's epsilon (exact equality for integers; NaN == NaN).
bool close(double a, double b, DType dt, double ulps) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (a == b) return true;
    if (!dtype_is_floating(dt)) return false;
    if (std::isinf(a) || std::isinf(b)) return false;
    const double eps = dt == DType::F64 ? 0x1p-52 : 0x1p-23;
    const double tiny = dt == DType::F64 ? 0x1p-1022 : 0x1p-126;
    return std::fabs(a - b) <= ulps * eps * std::max({std::fabs(a), std::fabs(b), tiny});
}

struct Layout {
    const char* name;
    std::function<TensorRef(DType, double, double, uint32_t)> make;
};

std::vector<Layout> layouts() {
    return {
        {"contiguous [1037]", [](DType dt, double lo, double hi, uint32_t s) { return make(dt, Shape{1037}, lo, hi, s); }},
        {"transposed [33, 31]",
         [](DType dt, double lo, double hi, uint32_t s) { return transpose(make(dt, Shape{31, 33}, lo, hi, s), 0, 1); }},
        {"broadcast [9, 40]",
         [](DType dt, double lo, double hi, uint32_t s) { return expand(make(dt, Shape{1, 40}, lo, hi, s), Shape{9, 40}); }},
        {"large [70001]", [](DType dt, double lo, double hi, uint32_t s) { return make(dt, Shape{70001}, lo, hi, s); }},
        {"large transposed [301, 300]",
         [](DType dt, double lo, double hi, uint32_t s) { return transpose(make(dt, Shape{300, 301}, lo, hi, s), 0, 1); }},
    };
}

// Runs `compute` on the scalar ISA with 1 thread, then on every other ISA this CPU has with 1 and
// 2 threads, and compares. Returns the number of mismatches (each reported once).
int compare_paths(const std::string& what, DType dt, double ulps, const std::function<std::vector<TensorRef>()>& compute) {
    const CpuIsa saved_isa = cpu_isa_active();
    const int saved_threads = num_threads();
    set_cpu_isa(CpuIsa::Scalar);
    set_num_threads(1);
    std::vector<std::vector<double>> ref;
    for (auto& t : compute()) ref.push_back(values(t));
    int bad = 0;
    // The ISAs this CPU has, then (where built) the AVX-512 kernels over emulated intrinsics.
    struct Path {
        CpuIsa isa;
        const cpu::IsaKernels* table;
        const char* name;
    };
    std::vector<Path> paths = {{CpuIsa::Scalar, nullptr, "scalar"}, {CpuIsa::Avx2, nullptr, "avx2"}, {CpuIsa::Avx512, nullptr, "avx512"}};
#if defined(WICK_TEST_AVX512_EMULATION)
    paths.push_back({CpuIsa::Scalar, &cpu::avx512emu::kIsaTable, "avx512 (emulated)"});
#endif
    for (const Path& path : paths) {
        const CpuIsa isa = path.isa;
        if (set_cpu_isa(isa) != isa) continue;
        cpu::set_isa_kernels_override(path.table);
        for (int threads : {1, 2}) {
            set_num_threads(threads);
            std::vector<TensorRef> got = compute();
            for (size_t k = 0; k < got.size() && bad == 0; ++k) {
                std::vector<double> g = values(got[k]);
                if (g.size() != ref[k].size()) {
                    std::printf("  %s [%s, %d threads]: output %zu has %zu elements, scalar %zu\n", what.c_str(),
                                path.name, threads, k, g.size(), ref[k].size());
                    ++bad;
                    break;
                }
                for (size_t i = 0; i < g.size(); ++i) {
                    if (!close(g[i], ref[k][i], dt, ulps)) {
                        std::printf("  %s [%s, %d threads]: output %zu element %zu is %.17g, scalar gives %.17g\n",
                                    what.c_str(), path.name, threads, k, i, g[i], ref[k][i]);
                        ++bad;
                        break;
                    }
                }
            }
        }
    }
    cpu::set_isa_kernels_override(nullptr);
    set_cpu_isa(saved_isa);
    set_num_threads(saved_threads);
    return bad;
}

struct UnaryCase {
    wk_unary_op op;
    double lo, hi, p0, p1;
    double ulps;  // float tolerance against the scalar (double-precision) results
};

}  // namespace

WICK_TEST(unary_ops_agree_across_isas_and_thread_counts) {
    const UnaryCase cases[] = {
        {WK_UNARY_NEG, -50, 50, 0, 0, 0},         {WK_UNARY_ABS, -50, 50, 0, 0, 0},
        {WK_UNARY_SIGN, -2, 2, 0, 0, 0},          {WK_UNARY_EXP, -100, 100, 0, 0, 3},
        {WK_UNARY_EXPM1, -20, 20, 0, 0, 3},       {WK_UNARY_LOG, -1, 1000, 0, 0, 3},
        {WK_UNARY_LOG1P, -1.5, 100, 0, 0, 3},     {WK_UNARY_LOG2, 0, 1e6, 0, 0, 3},
        {WK_UNARY_SQRT, -1, 100, 0, 0, 0},        {WK_UNARY_RSQRT, 0, 100, 0, 0, 0},
        {WK_UNARY_RECIPROCAL, -5, 5, 0, 0, 0},    {WK_UNARY_SQUARE, -50, 50, 0, 0, 0},
        {WK_UNARY_SIN, -10, 10, 0, 0, 0},         {WK_UNARY_TANH, -12, 12, 0, 0, 3},
        {WK_UNARY_SIGMOID, -100, 100, 0, 0, 4},   {WK_UNARY_RELU, -5, 5, 0, 0, 0},
        {WK_UNARY_GELU, -16, 16, 0, 0, 6},        {WK_UNARY_GELU_TANH, -16, 16, 0, 0, 5},
        {WK_UNARY_SILU, -100, 100, 0, 0, 4},      {WK_UNARY_SOFTPLUS, -30, 30, 1, 20, 3},
        {WK_UNARY_ELU, -20, 5, 0.7, 0, 3},        {WK_UNARY_LEAKY_RELU, -5, 5, 0.1, 0, 0},
        {WK_UNARY_ERF, -5, 5, 0, 0, 3},           {WK_UNARY_FLOOR, -50, 50, 0, 0, 0},
        {WK_UNARY_CEIL, -50, 50, 0, 0, 0},        {WK_UNARY_ROUND, -50, 50, 0, 0, 0},
        {WK_UNARY_TRUNC, -50, 50, 0, 0, 0},       {WK_UNARY_CLAMP, -5, 5, -1, 2, 0},
        {WK_UNARY_ISNAN, -5, 5, 0, 0, 0},         {WK_UNARY_LOGICAL_NOT, -2, 2, 0, 0, 0},
    };
    for (const UnaryCase& c : cases) {
        for (DType dt : {DType::F32, DType::F64, DType::I32, DType::U8}) {
            const OpInfo& info = unary_info(c.op);
            if (!dtype_is_floating(dt) && info.rule == TypeRule::FloatResult) continue;
            if (dt == DType::U8 && (c.op == WK_UNARY_NEG || c.lo < 0)) continue;
            for (const Layout& l : layouts()) {
                std::string what = std::string(info.name) + " " + dtype_name(dt) + " " + l.name;
                int bad = compare_paths(what, dt, c.ulps, [&] {
                    TensorRef x = l.make(dt, c.lo, c.hi, 7);
                    return std::vector<TensorRef>{unary(c.op, x, c.p0, c.p1, nullptr)};
                });
                EXPECT(bad == 0);
            }
        }
    }
}

WICK_TEST(binary_ops_agree_across_isas_and_thread_counts) {
    const wk_binary_op ops[] = {WK_BINARY_ADD,     WK_BINARY_SUB,     WK_BINARY_MUL,       WK_BINARY_DIV,
                                WK_BINARY_MAXIMUM, WK_BINARY_MINIMUM, WK_BINARY_POW,       WK_BINARY_FLOOR_DIV,
                                WK_BINARY_REMAINDER, WK_BINARY_LT,    WK_BINARY_EQ,        WK_BINARY_LOGICAL_AND,
                                WK_BINARY_BITWISE_XOR, WK_BINARY_ATAN2};
    for (wk_binary_op op : ops) {
        for (DType dt : {DType::F32, DType::F64, DType::I64, DType::I8}) {
            const OpInfo& info = binary_info(op);
            const bool fp = dtype_is_floating(dt);
            if (fp && info.rule == TypeRule::IntegralOnly) continue;
            if (!fp && (op == WK_BINARY_DIV || op == WK_BINARY_ATAN2)) continue;
            const double lo = op == WK_BINARY_POW ? 1 : (fp ? -20 : 1), hi = op == WK_BINARY_POW ? 4 : 20;
            for (const Layout& l : layouts()) {
                std::string what = std::string(info.name) + " " + dtype_name(dt) + " " + l.name;
                int bad = compare_paths(what, dt, 0, [&] {
                    TensorRef a = l.make(dt, lo, hi, 3);
                    TensorRef b = make(dt, a->sizes(), lo, hi, 4);
                    TensorRef row = make(dt, Shape{a->sizes()[a->ndim() - 1]}, lo, hi, 5);
                    return std::vector<TensorRef>{binary(op, a, b, nullptr), binary(op, b, a, nullptr),
                                                  binary(op, a, row, nullptr),
                                                  binary_scalar(op, a, fp ? Scalar::from_double(2.0) : Scalar::from_int(3), false, nullptr),
                                                  binary_scalar(op, a, Scalar::from_int(3), true, nullptr)};
                });
                EXPECT(bad == 0);
            }
        }
    }
}

WICK_TEST(ternary_ops_agree_across_isas_and_thread_counts) {
    for (wk_ternary_op op : {WK_TERNARY_WHERE, WK_TERNARY_LERP, WK_TERNARY_ADDCMUL, WK_TERNARY_ADDCDIV, WK_TERNARY_CLAMP}) {
        for (DType dt : {DType::F32, DType::F64, DType::I32}) {
            if (!dtype_is_floating(dt) && (op == WK_TERNARY_LERP || op == WK_TERNARY_ADDCDIV)) continue;
            for (const Layout& l : layouts()) {
                std::string what = std::string(ternary_name(op)) + " " + dtype_name(dt) + " " + l.name;
                int bad = compare_paths(what, dt, 2, [&] {
                    TensorRef a = l.make(dt, 1, 9, 3);
                    TensorRef b = make(dt, a->sizes(), 1, 9, 4);
                    TensorRef c = make(dt, a->sizes(), 1, 9, 5);
                    if (op == WK_TERNARY_WHERE) a = binary_scalar(WK_BINARY_GT, a, Scalar::from_int(5), false, nullptr);
                    Scalar s = Scalar::from_int(2);
                    std::vector<TensorRef> r{ternary(op, a, b, c, &s, nullptr)};
                    if (op == WK_TERNARY_LERP) r.push_back(ternary(op, a, b, TensorRef(), &s, nullptr));
                    if (op == WK_TERNARY_CLAMP) r.push_back(ternary(op, a, TensorRef(), c, nullptr, nullptr));
                    return r;
                });
                EXPECT(bad == 0);
            }
        }
    }
}

WICK_TEST(reductions_agree_across_isas_and_thread_counts) {
    struct R {
        wk_reduce_op op;
        double param;
        double ulps;
    };
    // Sums in another order differ relative to the sum of magnitudes, not to the (cancelling) result.
    const R ops[] = {{WK_REDUCE_SUM, 0, 4096},    {WK_REDUCE_MEAN, 0, 4096},     {WK_REDUCE_PROD, 0, 64},
                     {WK_REDUCE_MAX, 0, 0},       {WK_REDUCE_MIN, 0, 0},       {WK_REDUCE_VAR, 1, 64},
                     {WK_REDUCE_STD, 0, 64},      {WK_REDUCE_NORM, 2, 64},     {WK_REDUCE_NORM, 1, 64},
                     {WK_REDUCE_NORM, INFINITY, 0}, {WK_REDUCE_NORM, 3, 64},   {WK_REDUCE_LOGSUMEXP, 0, 64},
                     {WK_REDUCE_ALL, 0, 0},       {WK_REDUCE_ANY, 0, 0},       {WK_REDUCE_ARGMAX, 0, 0},
                     {WK_REDUCE_ARGMIN, 0, 0}};
    const std::vector<std::vector<int32_t>> dimsets = {{}, {0}, {1}, {2}, {0, 2}};
    for (const R& r : ops) {
        for (DType dt : {DType::F32, DType::F64, DType::I32}) {
            const bool fp = dtype_is_floating(dt);
            const bool needs_float = r.op == WK_REDUCE_MEAN || r.op == WK_REDUCE_VAR || r.op == WK_REDUCE_STD ||
                                     r.op == WK_REDUCE_NORM || r.op == WK_REDUCE_LOGSUMEXP;
            if (!fp && needs_float) continue;
            const double lo = r.op == WK_REDUCE_PROD ? 0.9 : -5, hi = r.op == WK_REDUCE_PROD ? 1.1 : 5;
            // [40, 50, 60] contiguous, permuted, and [2, 3, 140000] (few long lanes, split in blocks).
            const std::vector<std::pair<const char*, std::function<TensorRef()>>> inputs = {
                {"[40, 50, 60]", [&] { return make(dt, Shape{40, 50, 60}, lo, hi, 9); }},
                {"permuted [40, 50, 60]",
                 [&] {
                     const int32_t perm[3] = {1, 2, 0};
                     return permute(make(dt, Shape{60, 40, 50}, lo, hi, 10), perm, 3);
                 }},
                {"[2, 3, 140000]", [&] { return make(dt, Shape{2, 3, 140000}, lo, hi, 11); }},
            };
            for (auto& in : inputs) {
                for (const auto& dims : dimsets) {
                    const bool arg = r.op == WK_REDUCE_ARGMAX || r.op == WK_REDUCE_ARGMIN;
                    if ((arg || r.op == WK_REDUCE_PROD) && dims.size() > 1) continue;
                    std::string what = std::string(reduce_name(r.op)) + " " + dtype_name(dt) + " " + in.first + " dims " +
                                       std::to_string(dims.size() ? dims[0] : -1) + (dims.size() > 1 ? "+" : "");
                    int bad = compare_paths(what, dt, r.ulps, [&] {
                        TensorRef x = in.second();
                        std::vector<TensorRef> out{reduce(r.op, x, dims.data(), static_cast<int32_t>(dims.size()), false,
                                                          r.param, -1, nullptr)};
                        if ((r.op == WK_REDUCE_MAX || r.op == WK_REDUCE_MIN) && dims.size() == 1) {
                            ValuesIndices vi = reduce_indices(r.op, x, dims[0], true);
                            out.push_back(vi.values);
                            out.push_back(vi.indices);
                        }
                        return out;
                    });
                    EXPECT(bad == 0);
                }
            }
        }
    }
}

WICK_TEST(scans_agree_across_isas_and_thread_counts) {
    for (wk_scan_op op : {WK_SCAN_CUMSUM, WK_SCAN_CUMPROD}) {
        for (DType dt : {DType::F32, DType::F64, DType::I32}) {
            for (int32_t dim : {0, 1, 2}) {
                std::string what = std::string(scan_name(op)) + " " + dtype_name(dt) + " dim " + std::to_string(dim);
                int bad = compare_paths(what, dt, 0, [&] {
                    const int32_t perm[3] = {2, 0, 1};
                    TensorRef x = make(dt, Shape{30, 40, 50}, 0.9, 1.1, 12);
                    TensorRef y = permute(make(dt, Shape{50, 30, 40}, 0.9, 1.1, 13), perm, 3);
                    return std::vector<TensorRef>{scan(op, x, dim, -1, nullptr), scan(op, y, dim, -1, nullptr)};
                });
                EXPECT(bad == 0);
            }
        }
    }
}
