// Accuracy of the float32 unary kernels of every instruction set this CPU has, in ulp against a
// double-precision libm reference written here: a sweep of ~1M bit patterns over the whole float
// range (both signs, subnormals, huge magnitudes) plus ±0, ±inf, NaN and the overflow/underflow
// edges. Prints the worst error per function and ISA (the managed suite repeats a smaller sweep).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include "core/cpu_features.h"
#include "cpu/simd/isa_kernels.h"
#include <utility>
#include "test.h"

using namespace wick;

#if defined(WICK_TEST_AVX512_EMULATION)
namespace wick::cpu::avx512emu {
extern const IsaKernels kIsaTable;
}
#endif

namespace {

float bits_to_float(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

std::vector<float> sweep_inputs() {
    std::vector<float> xs;
    for (uint64_t u = 0; u < (1ull << 32); u += 4093) xs.push_back(bits_to_float(static_cast<uint32_t>(u)));
    const float inf = std::numeric_limits<float>::infinity();
    const float specials[] = {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN(),
                              std::numeric_limits<float>::denorm_min(), -std::numeric_limits<float>::denorm_min(),
                              std::numeric_limits<float>::min(), std::numeric_limits<float>::max(),
                              -std::numeric_limits<float>::max(), 88.7228394f, 88.72283f, -87.33654f, -103.972f,
                              -103.97208f, -104.0f, 89.0f, -1.0f, -0.99999994f, 1.0f, 0.5f, -0.5f, 0.625f, 2.0f,
                              -2.0f, 9.0f, -9.0f, 10.05f, -10.05f, 14.2f, -14.2f, 13.0f, -13.0f, 1e-20f, -1e-20f,
                              0.3465736f, -0.3465736f, 1.4142135f, 0.70710677f, 17.5f, -17.5f, -18.0f};
    for (float s : specials) xs.push_back(s);
    // Dense around where the algorithms switch branches.
    for (float c : {0.0f, 0.5f, 0.625f, 0.70710677f, 1.0f, 1.4142135f, 2.0f, 2.828427f, 10.0f, 87.0f}) {
        float v = c;
        for (int i = 0; i < 300; ++i) {
            xs.push_back(v), xs.push_back(-v);
            v = std::nextafter(v, 1e30f);
        }
    }
    return xs;
}

// Distance between got and the exact value ref in units of the float spacing at ref.
double ulp_error(float got, double ref) {
    if (std::isnan(ref)) return std::isnan(got) ? 0 : 1e9;
    if (std::isnan(got)) return 1e9;
    const double fmax = static_cast<double>(std::numeric_limits<float>::max());
    if (std::fabs(ref) > fmax) {
        // Beyond the float range: the correctly rounded result is inf (or FLT_MAX within half an ulp).
        if (std::isinf(got) && (got > 0) == (ref > 0)) return 0;
        return std::fabs(static_cast<double>(got) - ref) / std::ldexp(1.0, 104);
    }
    if (std::isinf(got)) return 1e9;
    int e;
    std::frexp(ref, &e);
    const double ulp = std::ldexp(1.0, std::max(e - 24, -149));
    return std::fabs(static_cast<double>(got) - ref) / ulp;
}

double sigmoid(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }

struct Fn {
    wk_unary_op op;
    const char* name;
    double (*ref)(double);
    double max_ulp;  // allowed for the vectorised versions (the scalar reference is held to 1)
};

const Fn kFns[] = {
    {WK_UNARY_EXP, "exp", [](double x) { return std::exp(x); }, 2},
    {WK_UNARY_EXPM1, "expm1", [](double x) { return std::expm1(x); }, 2},
    {WK_UNARY_LOG, "log", [](double x) { return std::log(x); }, 2},
    {WK_UNARY_LOG1P, "log1p", [](double x) { return std::log1p(x); }, 2},
    {WK_UNARY_LOG2, "log2", [](double x) { return std::log2(x); }, 2},
    {WK_UNARY_TANH, "tanh", [](double x) { return std::tanh(x); }, 2},
    {WK_UNARY_SIGMOID, "sigmoid", [](double x) { return std::isnan(x) ? x : sigmoid(x); }, 2.5},
    {WK_UNARY_SILU, "silu",
     [](double x) { return x == -INFINITY ? NAN : (std::isnan(x) ? x : x * sigmoid(x)); }, 3},
    {WK_UNARY_ERF, "erf", [](double x) { return std::erf(x); }, 2},
    {WK_UNARY_GELU, "gelu",
     [](double x) { return x == -INFINITY ? NAN : 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }, 5},
    {WK_UNARY_GELU_TANH, "gelu_tanh",
     [](double x) {
         if (std::isnan(x)) return x;
         if (x == -INFINITY) return static_cast<double>(NAN);
         double u = std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x);
         return x * sigmoid(2 * u);
     },
     4},
    {WK_UNARY_ELU, "elu", [](double x) { return x > 0 ? x : std::expm1(x); }, 2},
    {WK_UNARY_SOFTPLUS, "softplus",
     [](double x) { return (std::isnan(x) || x > 20) ? x : std::log1p(std::exp(x)); }, 2},
    {WK_UNARY_SQRT, "sqrt", [](double x) { return std::sqrt(x); }, 0.5},
    {WK_UNARY_RSQRT, "rsqrt", [](double x) { return 1 / std::sqrt(x); }, 1.5},
    {WK_UNARY_SIN, "sin", [](double x) { return std::sin(x); }, 1},
};

}  // namespace

WICK_TEST(float32_transcendentals_are_accurate_to_a_few_ulp_on_every_isa) {
    const std::vector<float> xs = sweep_inputs();
    const int64_t n = static_cast<int64_t>(xs.size());
    std::vector<float> out(xs.size());
    const CpuIsa saved = cpu_isa_active();
    std::vector<std::pair<CpuIsa, const cpu::IsaKernels*>> paths = {{CpuIsa::Scalar, nullptr}, {CpuIsa::Avx2, nullptr}, {CpuIsa::Avx512, nullptr}};
#if defined(WICK_TEST_AVX512_EMULATION)
    paths.push_back({CpuIsa::Avx512, &cpu::avx512emu::kIsaTable});  // logic check only (emulated intrinsics)
#endif
    for (auto [isa, table] : paths) {
        if (table == nullptr && set_cpu_isa(isa) != isa) {
            std::printf("  [vmath] %s: skipped, this CPU lacks it\n", cpu_isa_name(isa));
            continue;
        }
        const cpu::IsaKernels& k = table != nullptr ? *table : cpu::isa_kernels();
        std::printf("  [vmath] %-7s%s", cpu_isa_name(isa), table != nullptr ? " (emulated)" : "");
        for (const Fn& f : kFns) {
            k.unary(f.op, DType::F32, reinterpret_cast<char*>(out.data()), reinterpret_cast<const char*>(xs.data()), n,
                    f.op == WK_UNARY_SOFTPLUS ? 1.0 : 1.0, f.op == WK_UNARY_SOFTPLUS ? 20.0 : 0.0);
            double worst = 0;
            float worst_x = 0;
            for (int64_t i = 0; i < n; ++i) {
                double e = ulp_error(out[static_cast<size_t>(i)], f.ref(static_cast<double>(xs[static_cast<size_t>(i)])));
                if (e > worst) worst = e, worst_x = xs[static_cast<size_t>(i)];
            }
            // The scalar ISA computes in double (sqrt and rsqrt stay in float on every ISA).
            const double allowed = isa == CpuIsa::Scalar && f.op != WK_UNARY_RSQRT ? 1.0 : f.max_ulp;
            std::printf(" %s %.2f", f.name, worst);
            if (worst > allowed) {
                std::printf("\n  %s %s: %.3g ulp at x = %.9g (allowed %.1f)\n", cpu_isa_name(isa), f.name, worst,
                            static_cast<double>(worst_x), allowed);
                EXPECT(worst <= allowed);
            }
        }
        std::printf("\n");
    }
    set_cpu_isa(saved);
}
