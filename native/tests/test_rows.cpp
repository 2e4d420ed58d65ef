// The vectorised float32 row primitives (softmax, normalisation inner loops) of every ISA this CPU
// runs, against the double-precision generic ones: lengths around the vector widths, special values
// (NaN, +-inf, huge magnitudes, values whose exponential is subnormal).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "core/philox.h"
#include "cpu/gemm/cpu_features.h"
#include "cpu/nn/rows.h"
#include "test.h"

using namespace wick;
using namespace wick::cpu;

namespace {

std::vector<float> randoms(size_t n, uint64_t seed, double scale) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) {
        philox::U32x4 w = philox::draw(seed, 0, i);
        v[i] = static_cast<float>((philox::uniform_f64(w.x[0], w.x[1]) * 2 - 1) * scale);
    }
    return v;
}

bool close(double got, double want, double rel, double abs_tol) {
    if (std::isnan(want)) return std::isnan(got);
    if (std::isinf(want)) return got == want;
    return std::fabs(got - want) <= abs_tol + rel * std::fabs(want);
}

// dot, softmax_grad (both forms) and norm_grad (with and without w, gx, gw, gb) of one ISA's float build
// against the generic double ones on the same inputs, at float's tolerance for sums of n terms.
void check_backward_rows(const nn::RowsF32& R, const std::vector<float>& x, const std::vector<float>& g, int64_t n) {
    const auto& D = nn::kRowsGeneric<double>;
    const std::vector<double> xd(x.begin(), x.end()), gd(g.begin(), g.end());
    const std::vector<float> w = randoms(static_cast<size_t>(n), 7, 2.0);
    const std::vector<double> wd(w.begin(), w.end());
    const double tol = 2e-6 * std::sqrt(double(n));
    EXPECT(close(R.dot(x.data(), g.data(), n), D.dot(xd.data(), gd.data(), n), tol, tol));
    EXPECT(close(R.dot(x.data(), nullptr, n), D.dot(xd.data(), nullptr, n), tol, tol * 20));
    // y: a softmax row (in (0, 1)) and a log-softmax row (<= 0).
    std::vector<float> p(x.size()), lp(x.size());
    for (int64_t i = 0; i < n; ++i) lp[i] = -std::fabs(x[i]) / 4, p[i] = std::exp(lp[i]);
    for (bool log : {false, true}) {
        const std::vector<float>& y = log ? lp : p;
        const std::vector<double> yd(y.begin(), y.end());
        const float s = R.dot(g.data(), log ? nullptr : y.data(), n);
        std::vector<float> gx(x.size());
        std::vector<double> gxd(x.size());
        R.softmax_grad(g.data(), y.data(), gx.data(), n, s, log, 0);
        D.softmax_grad(gd.data(), yd.data(), gxd.data(), n, double(s), log, 0);
        bool ok = true;
        for (int64_t i = 0; i < n; ++i) ok = ok && close(gx[i], gxd[i], 1e-6, 1e-6 * std::fabs(s));
        EXPECT(ok);
    }
    const float mean = 0.3f, rstd = 0.7f;
    for (bool with_w : {false, true})
        for (bool with_gx : {false, true}) {
            std::vector<float> gx(x.size()), gw(x.size(), 0.5f), gb(x.size(), -0.25f);
            std::vector<double> gxd(x.size()), gwd(x.size(), 0.5), gbd(x.size(), -0.25);
            R.norm_grad(x.data(), g.data(), with_w ? w.data() : nullptr, with_gx ? gx.data() : nullptr, gw.data(),
                        with_gx ? gb.data() : nullptr, n, mean, rstd, 0);
            D.norm_grad(xd.data(), gd.data(), with_w ? wd.data() : nullptr, with_gx ? gxd.data() : nullptr, gwd.data(),
                        with_gx ? gbd.data() : nullptr, n, mean, rstd, 0);
            bool ok = true;
            for (int64_t i = 0; i < n; ++i) {
                ok = ok && close(gw[i], gwd[i], 1e-6, 1e-5) && close(gb[i], with_gx ? gbd[i] : -0.25, 1e-6, 1e-6);
                if (with_gx) ok = ok && close(gx[i], gxd[i], tol, tol * 20);
            }
            EXPECT(ok);
        }
}

}  // namespace

WICK_TEST(row_primitives_match_double_on_every_isa) {
    for (int isa = 0; isa <= static_cast<int>(gemm::detected_isa()); ++isa) {
        gemm::set_isa_cap(isa);
        const nn::RowsF32& R = nn::rows_f32();
        for (int64_t n : {1, 7, 8, 15, 16, 17, 31, 32, 33, 100, 1000}) {
            std::vector<float> x = randoms(static_cast<size_t>(n), static_cast<uint64_t>(n), 20.0), y(x.size()), acc(x.size(), 1.f);
            std::vector<float> shift = randoms(static_cast<size_t>(n), 99, 5.0);
            double m = -INFINITY, s = 0;
            for (float v : x) m = std::max(m, double(v));
            EXPECT(R.max(x.data(), n) == static_cast<float>(m));
            const float got_sum = R.exp_shift_sum(x.data(), y.data(), n, static_cast<float>(m), nullptr);
            bool ok = true;
            for (int64_t i = 0; i < n; ++i) {
                const double e = std::exp(double(x[i] - static_cast<float>(m)));  // the kernel subtracts in float
                s += e;
                ok = ok && close(y[i], e, 3e-7, 1e-37);
            }
            EXPECT(ok);
            EXPECT(close(got_sum, s, 1e-6, 0));
            // The variant for a row maximum (arguments <= 0, its own table-based exponential) to the same accuracy.
            std::vector<float> y2(x.size());
            const float got_sum2 = R.exp_below_sum(x.data(), y2.data(), n, static_cast<float>(m), x.data());
            EXPECT(close(got_sum2, s, 1e-6, 0));
            ok = true;
            for (int64_t i = 0; i < n; ++i) ok = ok && close(y2[i], std::exp(double(x[i] - static_cast<float>(m))), 3e-7, 1e-37);
            EXPECT(ok);
            R.exp_diff_acc(x.data(), shift.data(), y.data(), acc.data(), n);
            ok = true;
            for (int64_t i = 0; i < n; ++i) {
                const double e = std::exp(double(x[i] - shift[i]));
                ok = ok && close(y[i], e, 3e-7, 1e-37) && close(acc[i], 1 + e, 3e-7, 1e-30);
            }
            EXPECT(ok);
            // The backward primitives against the same formulas in double.
            check_backward_rows(R, x, shift, n);
            float mean, mean_lo, var;
            // The prefetch of a following run is only a hint: the moments are the same with and without it.
            float mean_pf, mean_lo_pf, var_pf;
            R.moments(x.data(), n, &mean_pf, &mean_lo_pf, &var_pf, shift.data());
            R.moments(x.data(), n, &mean, &mean_lo, &var, nullptr);
            EXPECT(mean_pf == mean && mean_lo_pf == mean_lo && var_pf == var);
            double dm = 0, dv = 0;
            for (float v : x) dm += v;
            dm /= double(n);
            for (float v : x) dv += (v - dm) * (v - dm);
            dv /= double(n);
            EXPECT(close(double(mean) + mean_lo, dm, 1e-5, 1e-5));
            EXPECT(close(var, dv, 1e-5, 1e-6));
            // Plain and streamed stores; the streamed ones also from an output that starts off the vector
            // alignment (a head of single elements before the aligned runs).
            std::vector<float> out(static_cast<size_t>(n) + 16);
            for (bool stream : {false, true})
                for (size_t skew : {size_t(0), size_t(1), size_t(3)}) {
                    float* yo = out.data() + skew;
                    R.normalize(x.data(), yo, n, mean, mean_lo, 0.5f, shift.data(), acc.data(), stream);
                    R.fence();
                    ok = true;
                    for (int64_t i = 0; i < n; ++i) ok = ok && close(yo[i], ((double(x[i]) - mean) - mean_lo) * 0.5 * shift[i] + acc[i], 1e-5, 1e-5);
                    EXPECT(ok);
                    R.affine(x.data(), yo, n, -2.f, 0.25f, stream);
                    R.fence();
                    ok = true;
                    for (int64_t i = 0; i < n; ++i) ok = ok && close(yo[i], double(x[i]) * -2 + 0.25, 1e-6, 1e-6);
                    EXPECT(ok);
                }
        }
    }
    gemm::set_isa_cap(-1);
}

WICK_TEST(normalised_rows_far_from_zero_match_double_on_every_isa) {
    // 1000 + [0, 0.01): the float32 sum drifts by far more than the spread, and x * rstd - mean * rstd would
    // cancel 3e5 against 3e5. The normalised row must still match the double two-pass result to float
    // accuracy (about 1e-4 here for the scalar ISA, whose four sums each add 2250 terms).
    for (int isa = 0; isa <= static_cast<int>(gemm::detected_isa()); ++isa) {
        gemm::set_isa_cap(isa);
        const nn::RowsF32& R = nn::rows_f32();
        for (int64_t n : {9, 1000, 9000}) {
            std::vector<float> x = randoms(static_cast<size_t>(n), 77, 0.005), y(x.size());
            for (float& v : x) v += 1000.005f;
            double dm = 0, dv = 0;
            for (float v : x) dm += v;
            dm /= double(n);
            for (float v : x) dv += (v - dm) * (v - dm);
            dv /= double(n);
            float mean, mean_lo, var;
            R.moments(x.data(), n, &mean, &mean_lo, &var, nullptr);
            EXPECT(close(var, dv, 1e-3, 0));
            R.normalize(x.data(), y.data(), n, mean, mean_lo, static_cast<float>(1 / std::sqrt(double(var))), nullptr,
                        nullptr, false);
            double worst = 0;
            for (int64_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(y[i] - (x[i] - dm) / std::sqrt(dv)));
            if (worst > 1e-3) std::printf("  n = %lld on %s: worst error %g\n", static_cast<long long>(n), gemm::isa_name(gemm::active_isa()), worst);
            EXPECT(worst <= 1e-3);  // float sums of 9000 terms; the uncentred form was off by 0.36
        }
    }
    gemm::set_isa_cap(-1);
}

WICK_TEST(vector_exp_handles_special_values_on_every_isa) {
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> x = {0.f, -0.f, 1.f, -1.f, 88.f, 88.7f, 89.f, -87.f, -87.3f, -88.f, -103.f, -1e30f, 1e30f, inf, -inf, nan,
                                  0.5f, -0.3465f, 0.3466f, 50.f, -50.f};
    for (int isa = 0; isa <= static_cast<int>(gemm::detected_isa()); ++isa) {
        gemm::set_isa_cap(isa);
        const nn::RowsF32& R = nn::rows_f32();
        std::vector<float> y(x.size());
        R.exp_shift_sum(x.data(), y.data(), static_cast<int64_t>(x.size()), 0.f, nullptr);
        for (size_t i = 0; i < x.size(); ++i) {
            const double want = std::exp(double(x[i]));
            // Results below FLT_MIN may flush to zero; everything else within a few ulp.
            const bool ok = std::isnan(x[i]) ? std::isnan(y[i])
                            : want > 3.4028234663852886e38 ? std::isinf(y[i])
                            : want < 1.1754943508222875e-38 ? y[i] >= 0 && y[i] <= 1.2e-38f
                                                             : close(y[i], want, 3e-7, 0);
            if (!ok) std::printf("  exp(%g) = %g on %s, want %g\n", double(x[i]), double(y[i]), gemm::isa_name(gemm::active_isa()), want);
            EXPECT(ok);
        }
        // exp_below: arguments <= 0 only, -inf included.
        const float below[] = {0.f, -1.f, -87.f, -87.4f, -100.f, -inf, -0.5f, -20.f, -3.f};
        float yb[9];
        R.exp_below_sum(below, yb, 9, 0.f, nullptr);
        for (int i = 0; i < 9; ++i) {
            const double want = std::exp(double(below[i]));
            EXPECT((want < 1.1754943508222875e-38 ? yb[i] >= 0 && yb[i] <= 1.2e-38f : close(yb[i], want, 3e-7, 0)));
        }
        EXPECT(yb[5] == 0.f);
        const float with_nan[] = {1.f, nan, 3.f};
        EXPECT(std::isnan(R.max(with_nan, 3)));
    }
    gemm::set_isa_cap(-1);
}

// exp_below over every 1/1024 step of [-104, 0] and the float neighbours of the points where its table index,
// its exponent part or the flush to zero change: within 1.5 ulp of exp in double where the result is a normal
// float, and 0 or the correctly rounded subnormal below that.
WICK_TEST(exp_below_is_within_one_and_a_half_ulp_on_every_isa) {
    std::vector<float> x;
    for (int i = 0; i <= 104 * 1024; ++i) x.push_back(-static_cast<float>(i) / 1024.f);
    for (float edge : {-87.3365479f, -87.3365f, -0.0433217f, -0.0866434f, -0.693147f, -86.6434f, -1e-30f, -1e-45f, -0.f})
        for (int step = -3; step <= 3; ++step) {
            float v = edge;
            for (int k = 0; k < (step < 0 ? -step : step); ++k) v = std::nextafter(v, step < 0 ? -INFINITY : INFINITY);
            if (v <= 0) x.push_back(v);
        }
    for (int isa = 0; isa <= static_cast<int>(gemm::detected_isa()); ++isa) {
        gemm::set_isa_cap(isa);
        std::vector<float> y(x.size());
        nn::rows_f32().exp_below_sum(x.data(), y.data(), static_cast<int64_t>(x.size()), 0.f, nullptr);
        double worst = 0;
        bool ok = true;
        for (size_t i = 0; i < x.size(); ++i) {
            const double want = std::exp(double(x[i]));
            if (want < 1.1754943508222875e-38) {
                ok = ok && y[i] >= 0 && y[i] <= 1.1754943508222875e-38;
                continue;
            }
            const double ulp = std::nextafter(static_cast<float>(want), INFINITY) - static_cast<float>(want);
            worst = std::max(worst, std::fabs(double(y[i]) - want) / ulp);
        }
        std::printf("  [exp_below] %s: worst %.2f ulp over %zu arguments\n", gemm::isa_name(gemm::active_isa()), worst, x.size());
        EXPECT(ok);
        EXPECT(worst <= 1.5);
    }
    gemm::set_isa_cap(-1);
}
