#!/usr/bin/python3
"""Fits the polynomial coefficients of the vectorised float32 math in native/src/cpu/simd/vmath.h.

Weighted least squares on Chebyshev nodes, refined by Lawson's iteration towards the minimax
(equal-ripple) fit of the relative error, then rounded to float32. References come from mpmath at
60 digits. Run with Debian's python3 (numpy and mpmath): /usr/bin/python3 native/tools/fit_vmath.py
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 60


def fit(name, f, lo, hi, degree, weight=None, var=lambda x: x, n=4000, iters=40):
    """Coefficients c[0..degree] of sum c_k * var(x)^k approximating f on [lo, hi] (relative error)."""
    k = np.arange(n)
    xs = [mp.mpf(lo) + (mp.mpf(hi) - mp.mpf(lo)) * (1 - mp.cos(mp.pi * (kk + 0.5) / n)) / 2 for kk in k]
    ys = np.array([float(f(x)) for x in xs])
    ws = np.array([float(weight(x)) for x in xs]) if weight else 1 / np.abs(ys)
    v = np.array([float(var(x)) for x in xs])
    A = np.vander(v, degree + 1, increasing=True)
    # Round one coefficient at a time to float32 and refit the others around it, so the rounding
    # of the leading (largest) terms is compensated by the remaining ones.
    fixed = np.zeros(degree + 1)
    for j in range(degree + 1):
        rest = ys - A[:, :j] @ fixed[:j]
        lw = np.ones(n) / n
        for _ in range(iters):
            sw = np.sqrt(lw) * ws
            c, *_ = np.linalg.lstsq(A[:, j:] * sw[:, None], rest * sw, rcond=None)
            err = np.abs((A[:, j:] @ c - rest) * ws)
            lw = lw * err
            lw /= lw.sum()
        fixed[j] = np.float32(c[0])
    c = fixed
    c32 = c.astype(np.float32)
    err32 = np.max(np.abs((A @ c32.astype(np.float64) - ys) * ws))
    print(f"// {name}: degree {degree} on [{lo}, {hi}], max weighted error {err32:.3g} ({err32 / 2**-24:.3f} ulp-ish)")
    for i, ci in enumerate(c32):
        print(f"    constexpr float {name}{i} = {float(ci):.9e}f;")
    return c32


ln2 = mp.log(2)
# exp: e^r = 1 + r + r^2 P(r), |r| <= ln2/2; error relative to e^r.
fit("kExpP", lambda r: (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(0.5), -ln2 / 2, ln2 / 2, 5,
    weight=lambda r: r**2 / mp.exp(r))
# log: log(1+f) = f + f^2 Q(f), f in [sqrt(1/2)-1, sqrt(2)-1]; error relative to log(1+f).
flo, fhi = mp.sqrt(0.5) - 1, mp.sqrt(2) - 1
fit("kLogQ", lambda f: (mp.log1p(f) - f) / f**2 if f != 0 else mp.mpf(-0.5), flo, fhi, 8,
    weight=lambda f: f**2 / abs(mp.log1p(f)) if f != 0 else mp.mpf(1))
# log2: log2(1+f) = f log2(e) + f^2 Q(f).
fit("kLog2Q", lambda f: (mp.log1p(f) / ln2 - f / ln2) / f**2 if f != 0 else -0.5 / ln2, flo, fhi, 8,
    weight=lambda f: f**2 / abs(mp.log1p(f) / ln2) if f != 0 else mp.mpf(1))
# tanh(x) = x + x^3 P(x^2), |x| <= 0.625; variable y = x^2.
fit("kTanhP", lambda x: (mp.tanh(x) - x) / x**3 if x != 0 else mp.mpf(-1) / 3, 1e-6, 0.625, 6,
    weight=lambda x: x**3 / mp.tanh(x), var=lambda x: x * x)
# erf(x) = x + x R(x^2), |x| <= 0.5.
fit("kErfR", lambda x: mp.erf(x) / x - 1, 1e-6, 0.5, 5, weight=lambda x: x / mp.erf(x), var=lambda x: x * x)
# erfc(t) = exp(-t^2) A(t - 1.25) on [0.5, 2].
fit("kErfcA", lambda t: mp.erfc(t) * mp.exp(t * t), 0.5, 2.0, 10, var=lambda t: t - 1.25, iters=25)
# erfc(t) = exp(-t^2) B(1/t^2 - 0.08) / t on [2, 10.1] (erfc underflows float32 beyond 10.06).
fit("kErfcB", lambda t: mp.erfc(t) * mp.exp(t * t) * t, 2.0, 10.1, 8, var=lambda t: 1 / (t * t) - 0.08, iters=25)
