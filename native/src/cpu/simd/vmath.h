// Vectorised float32 transcendental functions over vec.h (AVX2 and AVX-512 builds), accurate to a
// few ulp over the whole float range: ±0, subnormal inputs and results, ±inf and NaN included. The
// scalar build computes these in double with libm instead (unary_ref.h), which is the reference.
//
// Techniques: Cody-Waite argument reduction with a short-mantissa ln2 (exact products without FMA),
// minimax polynomials fitted by native/tools/fit_vmath.py (coefficients rounded to float one at a
// time), results scaled by 2^n in two exact power-of-two steps so a subnormal result is rounded once,
// and algebraic rewrites that avoid cancellation: gelu(x < 0) = x/2 * erfc(|x|/sqrt2) with the
// argument and its square carried in two floats; x * sigmoid(z) scaled by 2^n last; log1p with the
// rounding error of 1 + x fed back. tests/Wick.Tests measure the errors against float64.
// Only included inside an isa_begin.h region with WICK_ISA_LEVEL > 0.
#pragma once

#include <limits>

#include "cpu/simd/vec.h"

namespace wick::cpu::WICK_ISA_NS::vm {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLog2eLo = 1.925963033e-8f;  // log2(e) - float(log2(e))
constexpr float kLn2Hi = 0.693359375f;       // 9 significant bits: n * kLn2Hi is exact for |n| < 2^15
constexpr float kLn2Lo = -2.12194440e-4f;    // ln2 - kLn2Hi
constexpr float kSqrtHalfHi = 0.707106769084930419921875f;  // float(1/sqrt2)
constexpr float kSqrtHalfLo = 1.2101617e-8f;                // 1/sqrt2 - kSqrtHalfHi

// e^r = 1 + r + r^2 P(r), |r| <= ln2/2.
constexpr float kExpP[] = {5.000000000e-01f, 1.666666567e-01f, 4.166646302e-02f,
                           8.333570324e-03f, 1.393507700e-03f, 1.974022598e-04f};
// log(1+f) = f + f^2 Q(f), f in [sqrt(1/2)-1, sqrt(2)-1].
constexpr float kLogQ[] = {-4.999998808e-01f, 3.333332539e-01f, -2.500160038e-01f,
                           2.000200152e-01f,  -1.660876423e-01f, 1.418117732e-01f,
                           -1.324462742e-01f, 1.290878654e-01f, -7.623397559e-02f};
// log2(1+f) = f log2(e) + f^2 Q(f).
constexpr float kLog2Q[] = {-7.213473320e-01f, 4.808982015e-01f,  -3.606986403e-01f,
                            2.885713875e-01f,  -2.395684421e-01f, 2.044881135e-01f,
                            -1.913813055e-01f, 1.870723367e-01f,  -1.102617159e-01f};
// tanh(x) = x + x^3 P(x^2), |x| <= 0.625.
constexpr float kTanhP[] = {-3.333333433e-01f, 1.333337873e-01f, -5.397507548e-02f, 2.191462740e-02f,
                            -8.996003307e-03f, 3.685745876e-03f, -1.137895975e-03f};
// erf(x) = x + x R(x^2), |x| <= 0.5.
constexpr float kErfR[] = {1.283791661e-01f,  -3.761262000e-01f, 1.128318757e-01f,
                           -2.679789253e-02f, 4.903480876e-03f,  -2.959644189e-04f};
// erfc(t) = exp(-t^2) A(t - 1.25) on [0.5, 2]; = exp(-t^2) B(1/t^2 - 0.08) / t on [2, 10.1].
constexpr float kErfcA[] = {3.678229153e-01f,  -2.088218778e-01f, 1.067955941e-01f, -5.021803826e-02f,
                            2.201120742e-02f,  -9.084784426e-03f, 3.554011229e-03f, -1.311123837e-03f,
                            4.701445869e-04f,  -1.906326215e-04f, 6.186727114e-05f};
constexpr float kErfcB[] = {5.439016223e-01f, -2.293912172e-01f, 2.592534721e-01f, -4.425736070e-01f,
                            9.706135988e-01f, -2.586571455e+00f, 7.914450169e+00f, -2.110840225e+01f,
                            2.916985321e+01f, 0.0f, 0.0f};

template <int N>
inline VF horner(VF x, const float (&c)[N]) {
    VF r = vset(c[N - 1]);
    for (int i = N - 2; i >= 0; --i) r = vfma(r, x, vset(c[i]));
    return r;
}

// 2^n for n in [-126, 127].
inline VF pow2i(VI n) { return vas_float(vshl<23>(n + vseti(127))); }

// x * 2^n for n in [-252, 254]: two exact steps, so only the last multiplication rounds.
inline VF scale2(VF x, VI n) {
    VI h = vsra<1>(n);
    return x * pow2i(h) * pow2i(n - h);
}

// e^x = p * 2^n with p in [0.70, 1.42]; x is clamped to [-104, 89] (beyond, e^x is 0 or inf in
// float, which scale2 produces; a caller that scales the result further may lower the clamp to
// -175, the end of scale2's range). NaN comes out as some finite value: callers select it back.
struct ExpParts {
    VF p;
    VI n;
    VF q;  // p - 1, without the rounding of the 1 (expm1 needs it)
};
inline ExpParts exp_parts(VF x, float lo = -104.0f) {
    VF xc = vmin(vmax(x, vset(lo)), vset(89.0f));
    VF fn = vround(xc * vset(kLog2e));
    VF r = vfma(fn, vset(-kLn2Hi), xc);
    r = vfma(fn, vset(-kLn2Lo), r);
    VF q = vfma(r * r, horner(r, kExpP), r);
    return {q + vset(1.0f), vcvt_int(fn), q};
}

inline VF vexp(VF x) {
    ExpParts e = exp_parts(x);
    return vselect(visnan(x), x, scale2(e.p, e.n));
}

inline VF vexpm1(VF x) {
    ExpParts e = exp_parts(vmax(x, vset(-18.0f)));  // below -17.4, expm1 rounds to -1
    VI n = e.n;
    // 2^n (1 + q) - 1 = 2^n q + (2^n - 1): both terms exact or nearly so for n in [-26, 126].
    VF t = pow2i(vselect(n > vseti(126), vseti(126), n));
    VF mid = vfma(t, e.q, t - vset(1.0f));
    VF big = scale2(e.p, n);  // near overflow the -1 does not matter
    VF y = vselect(n > vseti(126), big, mid);
    y = vselect(x == vset(0.0f), x, y);  // keeps -0
    return vselect(visnan(x), x, y);
}

// Splits positive finite x (subnormals included) into 2^e * m, m in [sqrt(1/2), sqrt(2)); returns
// f = m - 1 (exact) and e as float.
inline void log_split(VF x, VF& f, VF& e) {
    MF sub = x < vset(1.17549435e-38f);
    VF xs = vselect(sub, x * vset(8388608.0f), x);  // 2^23
    VI bits = vas_int(xs);
    VI ei = vsra<23>(bits) - vseti(127);
    VF m = vas_float((bits & vseti(0x007fffff)) | vseti(0x3f800000));
    MF big = m > vset(1.41421354f);
    m = vselect(big, m * vset(0.5f), m);
    ei = vselect(big, ei + vseti(1), ei);
    ei = vselect(sub, ei - vseti(23), ei);
    f = m - vset(1.0f);
    e = vcvt_float(ei);
}

// The special values of log-like functions: log(0) = -inf, log(x < 0) = NaN, log(inf) = inf.
inline VF log_specials(VF x, VF y) {
    y = vselect(x == vset(0.0f), vset(-kInf), y);
    y = vselect(x < vset(0.0f), vset(kNaN), y);
    y = vselect(x == vset(kInf), x, y);
    return vselect(visnan(x), x, y);
}

inline VF vlog(VF x) {
    VF f, e;
    log_split(x, f, e);
    VF y = vfma(f * f, horner(f, kLogQ), e * vset(kLn2Lo));
    y = y + f;
    y = vfma(e, vset(kLn2Hi), y);
    return log_specials(x, y);
}

inline VF vlog2(VF x) {
    VF f, e;
    log_split(x, f, e);
    VF hi = f * vset(kLog2e);
    VF lo = vfms(f, vset(kLog2e), hi);  // exact rounding error of hi
    VF tail = vfma(f * f, horner(f, kLog2Q), vfma(f, vset(kLog2eLo), lo));
    // e + hi + tail, with the rounding error of e + hi recovered (|e| >= |hi| or e = 0).
    VF s = e + hi;
    VF err = hi - (s - e);
    return log_specials(x, s + (err + tail));
}

inline VF vlog1p(VF x) {
    VF u = x + vset(1.0f);
    VF c = (x - (u - vset(1.0f))) / u;  // what rounding 1 + x lost, relative to u
    VF y = vlog(u) + c;
    y = vselect(u == vset(1.0f), x, y);  // tiny x (and ±0)
    y = vselect(x == vset(-1.0f), vset(-kInf), y);
    y = vselect(x == vset(kInf), x, y);
    return vselect(visnan(x), x, y);
}

inline VF vtanh(VF x) {
    VF a = vabs(x);
    VF x2 = x * x;
    VF small = vfma(x * x2, horner(x2, kTanhP), x);
    VF e = vexp(a + a);
    VF large = vset(1.0f) - vset(2.0f) / (e + vset(1.0f));
    large = vselect(x < vset(0.0f), vneg(large), large);
    VF y = vselect(a < vset(0.625f), small, large);
    y = vselect(x == vset(0.0f), x, y);
    return vselect(visnan(x), x, y);
}

// x * sigmoid(z + zl), zl a small correction to z. For z < 0 it is x e / (1 + e) with
// e = e^z = p 2^n, scaled by 2^n last so a tiny result keeps its precision. Callers keep
// |x| <= max(|z|, 1), so below z = -175 the product is exactly 0 in float.
inline VF vmul_sigmoid(VF x, VF z, VF zl) {
    MF negz = z < vset(0.0f);
    ExpParts ep = exp_parts(vneg(vabs(z)), -175.0f);
    VF p = ep.p * (vset(1.0f) - vselect(negz, vneg(zl), zl));  // e^-|z + zl|
    VF e = scale2(p, ep.n);
    VF den = vset(1.0f) + e;
    VF pos = x / den;
    VF neg = scale2(x * p / den, ep.n);
    neg = vselect(z < vset(-175.0f), x * vset(0.0f), neg);
    VF y = vselect(negz, neg, pos);
    return vselect(visnan(z), z, y);
}

inline VF vsigmoid(VF x) { return vmul_sigmoid(vset(1.0f), x, vset(0.0f)); }

// x * f(x) at x = -inf is -inf * 0 = NaN, as PyTorch computes it.
inline VF neg_inf_to_nan(VF x, VF y) { return vselect(x == vset(-kInf), vset(kNaN), y); }

inline VF vsilu(VF x) { return neg_inf_to_nan(x, vselect(visnan(x), x, vmul_sigmoid(x, x, vset(0.0f)))); }

// gelu, tanh form: x/2 (1 + tanh(u)) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3).
// z = 2u = x (A + B x^2) is carried in two floats: far in the negative tail the result is e^z
// times x, so z's own rounding (relative 2^-24, absolute 4e-6 at z = -70) would cost ~100 ulp.
inline VF vgelu_tanh(VF x_in) {
    constexpr float kAh = 1.5957692f, kAl = -4.534068e-08f;      // 2 sqrt(2/pi), as float + remainder
    constexpr float kBh = 0.071354814f, kBl = 2.3988325e-09f;    // 2 sqrt(2/pi) 0.044715
    // Past |x| = 20 the sigmoid is saturated (|z| > 600): z from a clamped x keeps x^2 finite.
    VF x = vmin(vmax(x_in, vset(-20.0f)), vset(20.0f));
    VF x2h = x * x, x2l = vfms(x, x, x2h);
    VF sh = vset(kBh) * x2h;
    VF sl = vfms(vset(kBh), x2h, sh) + vfma(vset(kBh), x2l, vset(kBl) * x2h);
    VF wh = vset(kAh) + sh;  // two-sum: A + s exactly as wh + err
    VF bb = wh - vset(kAh);
    VF err = (vset(kAh) - (wh - bb)) + (sh - bb);
    VF wl = err + vset(kAl) + sl;
    VF zh = x * wh;
    VF zl = vfma(x, wl, vfms(x, wh, zh));
    VF y = vmul_sigmoid(x_in, zh, zl);
    y = vselect(visnan(x_in), x_in, y);
    return neg_inf_to_nan(x_in, y);
}

// erfc(t) = q * 2^n for t = th + tl in [0.5, 10.5] (tl: a small correction to th).
struct ErfcParts {
    VF q;
    VI n;
};
inline ErfcParts erfc_parts(VF th, VF tl) {
    MF ma = th < vset(2.0f);
    VF inv = vset(1.0f) / th;
    VF v = vselect(ma, th - vset(1.25f), vfms(inv, inv, vset(0.08f)));
    VF g = vselect(ma, vset(kErfcA[10]), vset(kErfcB[10]));
    for (int i = 9; i >= 0; --i) g = vfma(g, v, vselect(ma, vset(kErfcA[i]), vset(kErfcB[i])));
    g = vselect(ma, g, g * inv);
    // exp(-t^2): t^2 = s_hi + s_lo, s_lo = (exact error of th*th) + 2 th tl; e^-s_lo ~ 1 - s_lo.
    VF s_hi = th * th;
    VF s_lo = vfms(th, th, s_hi) + vset(2.0f) * th * tl;
    ExpParts ep = exp_parts(vneg(s_hi));
    VF gp = g * ep.p;
    return {vfma(gp, vneg(s_lo), gp), ep.n};
}

// erf(t) for |t| <= 0.5.
inline VF erf_small(VF t) { return vfma(t, horner(t * t, kErfR), t); }

inline VF verf(VF x) {
    VF a = vabs(x);
    ErfcParts ec = erfc_parts(vmin(vmax(a, vset(0.5f)), vset(10.5f)), vset(0.0f));
    VF large = vset(1.0f) - scale2(ec.q, ec.n);
    large = vselect(x < vset(0.0f), vneg(large), large);
    VF y = vselect(a < vset(0.5f), erf_small(x), large);
    return vselect(visnan(x), x, y);
}

// gelu, erf form: x/2 (1 + erf(x/sqrt2)); for x < 0 written x/2 erfc(|x|/sqrt2) (no cancellation).
inline VF vgelu(VF x) {
    VF a = vabs(x);
    VF th = a * vset(kSqrtHalfHi);
    VF tl = vfma(a, vset(kSqrtHalfLo), vfms(a, vset(kSqrtHalfHi), th));
    VF es = erf_small(th);
    // Beyond t = 10.5, x/2 erfc(t) < 1e-48 is 0 in float (and tl would be meaningless).
    MF tiny = th > vset(10.5f);
    ErfcParts ec = erfc_parts(vmin(vmax(th, vset(0.5f)), vset(10.5f)), vselect(tiny, vset(0.0f), tl));
    MF small = th < vset(0.5f);
    VF half_x = vset(0.5f) * x;
    VF pos = half_x * vselect(small, vset(1.0f) + es, vset(2.0f) - scale2(ec.q, ec.n));
    VF neg = vselect(small, half_x * (vset(1.0f) - es), scale2(half_x * ec.q, ec.n));
    neg = vselect(tiny, x * vset(0.0f), neg);
    VF y = vselect(x < vset(0.0f), neg, pos);
    y = vselect(visnan(x), x, y);
    return neg_inf_to_nan(x, y);
}

// softplus: x when beta x > threshold, else (max(z, 0) + log1p(e^-|z|)) / beta with z = beta x.
inline VF vsoftplus(VF x, VF beta, VF threshold) {
    VF z = beta * x;
    VF y = (vmax(z, vset(0.0f)) + vlog1p(vexp(vneg(vabs(z))))) / beta;
    y = vselect(z > threshold, x, y);
    return vselect(visnan(x), x, y);
}

inline VF velu(VF x, VF alpha) { return vselect(x > vset(0.0f), x, alpha * vexpm1(x)); }

}  // namespace wick::cpu::WICK_ISA_NS::vm
