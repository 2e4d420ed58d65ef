using System;

namespace Wick.Tests;

/// <summary>
/// batch_norm (training statistics, running-stat updates with momentum and unbiased variance, evaluation
/// mode), layer_norm and group_norm against float64 loops; their fused backward kernels against central
/// differences in float64 for input, weight and bias.
/// </summary>
public class NormTests
{
    // Normalises x viewed as (outer, K) rows... per "group" index: stats over the elements for which key(i) is equal.
    private static (double[] y, double[] mean, double[] rstd) RefNormalize(double[] x, int groups, Func<long, int> group, double eps,
        Func<long, double> scale, Func<long, double> shift)
    {
        var sum = new double[groups];
        var cnt = new double[groups];
        for (long i = 0; i < x.Length; ++i) { sum[group(i)] += x[i]; cnt[group(i)]++; }
        var mean = new double[groups];
        for (int k = 0; k < groups; ++k) mean[k] = sum[k] / cnt[k];
        // The mean of the deviations from that mean takes out its rounding (corrected two-pass), so the reference
        // stays exact for data far from zero (see LayerNormOfRowsFarFromZeroMatchesTheReference).
        var dev = new double[groups];
        for (long i = 0; i < x.Length; ++i) dev[group(i)] += x[i] - mean[group(i)];
        for (int k = 0; k < groups; ++k) mean[k] += dev[k] / cnt[k];
        var sq = new double[groups];
        for (long i = 0; i < x.Length; ++i) sq[group(i)] += (x[i] - mean[group(i)]) * (x[i] - mean[group(i)]);
        var rstd = new double[groups];
        for (int k = 0; k < groups; ++k) rstd[k] = 1 / Math.Sqrt(sq[k] / cnt[k] + eps);
        var y = new double[x.Length];
        for (long i = 0; i < x.Length; ++i) y[i] = (x[i] - mean[group(i)]) * rstd[group(i)] * scale(i) + shift(i);
        return (y, mean, rstd);
    }

    [Test]
    public void BatchNormTrainingNormalisesPerChannelAndUpdatesRunningStats([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        const long N = 3, C = 4, H = 5, W = 3;
        using var x0 = KernelRef.RandN(1, dtype, N, C, H, W);
        using var x = x0.Mul(2.0).Add(1.5);
        using var w = KernelRef.RandN(2, dtype, C);
        using var b = KernelRef.RandN(3, dtype, C);
        using var rm = KernelRef.RandN(4, dtype, C);
        using var rv0 = KernelRef.Uniform(5, 0.5, 2, dtype, C);
        using var rv = rv0.Clone();
        var rmv = KernelRef.Values(rm);
        var rvv = KernelRef.Values(rv);
        var wv = KernelRef.Values(w);
        var bv = KernelRef.Values(b);
        long S = H * W;
        var (ey, emean, erstd) = RefNormalize(KernelRef.Values(x), (int)C, i => (int)(i / S % C), 1e-5, i => wv[i / S % C], i => bv[i / S % C]);
        long version = rm.Version;
        var (y, mean, invstd) = Functional.BatchNormWithStats(x, rm, rv, w, b, training: true, momentum: 0.25);
        using (y)
        using (mean)
        using (invstd)
        {
            var (rtol, atol) = KernelRef.Tol(dtype, 4);
            KernelRef.AssertClose(y, ey, x.Shape, rtol, atol, "output");
            KernelRef.AssertClose(mean, emean, new[] { C }, rtol, atol, "mean");
            KernelRef.AssertClose(invstd, erstd, new[] { C }, rtol, atol, "invstd");
            var m = N * S;
            var newMean = new double[C];
            var newVar = new double[C];
            for (int c = 0; c < C; ++c)
            {
                newMean[c] = 0.75 * rmv[c] + 0.25 * emean[c];
                double biased = 1 / (erstd[c] * erstd[c]) - 1e-5;
                newVar[c] = 0.75 * rvv[c] + 0.25 * biased * m / (m - 1);
            }
            KernelRef.AssertClose(rm, newMean, new[] { C }, rtol, atol, "running mean");
            KernelRef.AssertClose(rv, newVar, new[] { C }, rtol, atol, "running var (unbiased)");
            Assert.That(rm.Version, Is.GreaterThan(version), "the in-place update bumps the version");
        }
    }

    [Test]
    public void BatchNormEvaluationUsesTheRunningStats()
    {
        using var x = KernelRef.RandN(6, DType.Float64, 2, 3, 4);
        using var rm = Tensor.FromArray(new[] { 0.5, -1.0, 2.0 });
        using var rv = Tensor.FromArray(new[] { 1.0, 4.0, 0.25 });
        using var y = Functional.BatchNorm(x, rm, rv, eps: 0);
        var xv = KernelRef.Values(x);
        var e = new double[xv.Length];
        double[] m = { 0.5, -1, 2 }, s = { 1, 2, 0.5 };
        for (int i = 0; i < xv.Length; ++i) e[i] = (xv[i] - m[i / 4 % 3]) / s[i / 4 % 3];
        KernelRef.AssertClose(y, e, x.Shape, 1e-12, 1e-12);
        Assert.That(rm.ToArray<double>(), Is.EqualTo(new[] { 0.5, -1.0, 2.0 }), "evaluation leaves the running stats alone");
    }

    [Test]
    public void BatchNormBackwardMatchesCentralDifferences([Values(true, false)] bool training)
    {
        long[] shape = { 3, 2, 4 };
        using var x = KernelRef.RandN(7, DType.Float64, shape);
        using var w = KernelRef.RandN(8, DType.Float64, 2);
        using var b = KernelRef.RandN(9, DType.Float64, 2);
        using var g = KernelRef.RandN(10, DType.Float64, shape);
        using var rm = Tensor.FromArray(new[] { 0.3, -0.2 });
        using var rv = Tensor.FromArray(new[] { 1.5, 0.7 });
        // Training grad checks run without running stats (each evaluation would update them).
        Tensor? runM = training ? null : rm, runV = training ? null : rv;
        var (y, mean, invstd) = Functional.BatchNormWithStats(x, runM, runV, w, b, training);
        using (y)
        using (mean)
        using (invstd)
        {
            var (gx, gw, gb) = Functional.BatchNormBackward(g, x, w, mean, invstd, training);
            using (gx)
            using (gw)
            using (gb)
            {
                GradCheck.AssertMatches(t => Functional.BatchNorm(t, runM, runV, w, b, training), KernelRef.Values(x), shape, KernelRef.Values(g),
                    KernelRef.Values(gx!), "input");
                GradCheck.AssertMatches(t => Functional.BatchNorm(x, runM, runV, t, b, training), KernelRef.Values(w), w.Shape, KernelRef.Values(g),
                    KernelRef.Values(gw!), "weight");
                GradCheck.AssertMatches(t => Functional.BatchNorm(x, runM, runV, w, t, training), KernelRef.Values(b), b.Shape, KernelRef.Values(g),
                    KernelRef.Values(gb!), "bias");
            }
        }
    }

    [Test]
    public void BatchNormRejectsBadArguments()
    {
        using var one = Tensor.Zeros(1, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.BatchNorm(one, null, null, training: true).Dispose())!.Message,
            Does.Contain("batch_norm: expected more than 1 value per channel when training, got input of shape [1, 3]"));
        using var x = Tensor.Zeros(2, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.BatchNorm(x, null, null).Dispose())!.Message,
            Does.Contain("batch_norm: evaluation mode normalises with the running statistics"));
        using var rm = Tensor.Zeros(4);
        using var rv = Tensor.Ones(4);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.BatchNorm(x, rm, rv).Dispose())!.Message,
            Does.Contain("batch_norm: running_mean must have shape [3]"));
        using var rm64 = Tensor.Zeros(new long[] { 3 }, DType.Float64);
        using var rv32 = Tensor.Ones(3);
        Assert.That(Assert.Throws<DTypeException>(() => Functional.BatchNorm(x, rm64, rv32, training: true).Dispose())!.Message,
            Does.Contain("batch_norm: running_mean is updated in place, so it must be a contiguous float32 tensor; got float64"));
    }

    [Test]
    public void LayerNormNormalisesTheTrailingDimensions([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        long[] shape = { 3, 5, 2, 67 };
        long K = 2 * 67;
        using var x0 = KernelRef.RandN(11, dtype, shape);
        using var x = x0.Add(3.0);
        using var w = KernelRef.RandN(12, dtype, 2, 67);
        using var b = KernelRef.RandN(13, dtype, 2, 67);
        var wv = KernelRef.Values(w);
        var bv = KernelRef.Values(b);
        var (ey, em, er) = RefNormalize(KernelRef.Values(x), 15, i => (int)(i / K), 1e-5, i => wv[i % K], i => bv[i % K]);
        var (y, mean, rstd) = Functional.LayerNormWithStats(x, new long[] { 2, 67 }, w, b);
        using (y)
        using (mean)
        using (rstd)
        {
            var (rtol, atol) = KernelRef.Tol(dtype, 8);
            KernelRef.AssertClose(y, ey, shape, rtol, atol, "output");
            KernelRef.AssertClose(mean, em, new long[] { 3, 5, 1, 1 }, rtol, atol, "mean");
            KernelRef.AssertClose(rstd, er, new long[] { 3, 5, 1, 1 }, rtol, atol, "rstd");
        }
        using var plain = Functional.LayerNorm(x, new long[] { 67 });
        var (ep, _, _) = RefNormalize(KernelRef.Values(x), 30, i => (int)(i / 67), 1e-5, _ => 1, _ => 0);
        KernelRef.AssertClose(plain, ep, shape, 2e-4, 2e-4, "without affine");
    }

    [Test]
    public void LayerNormOfRowsFarFromZeroMatchesTheReference([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        // 1000 + [0, 0.01): float32 sums of the row drift by more than its spread, and x * rstd - mean * rstd would
        // cancel 3e5 against 3e5 (that form was off by 0.36 at 9000 wide). The mean is kept as a first estimate plus
        // the mean deviation from it, and rows are centred before they are scaled.
        foreach (long n in new long[] { 1031, 9000 })
        {
            long[] shape = { 3, n };
            using var x = KernelRef.Uniform(24, 1000, 1000.01, dtype, shape);
            var (ey, em, _) = RefNormalize(KernelRef.Values(x), 3, i => (int)(i / n), 1e-12, _ => 1, _ => 0);
            var (y, mean, rstd) = Functional.LayerNormWithStats(x, new long[] { n }, null, null, 1e-12);
            using (y)
            using (mean)
            using (rstd)
            {
                var (rtol, atol) = dtype == DType.Float32 ? (1e-4, 1e-4) : KernelRef.Tol(dtype, 8);
                KernelRef.AssertClose(y, ey, shape, rtol, atol, $"output, {n} wide");
                KernelRef.AssertClose(mean, em, new long[] { 3, 1 }, KernelRef.Tol(dtype, 8).rtol, 0, $"mean, {n} wide");
            }
        }
    }

    [Test]
    public void LayerNormOfAnOutputTooLargeForTheCacheMatchesTheReference()
    {
        // 2100 x 1031 float32 (8.7 MB): the normalising pass streams its stores, from rows at every alignment.
        long[] shape = { 2100, 1031 };
        using var x = KernelRef.RandN(21, shape);
        using var w = KernelRef.RandN(22, 1031);
        using var b = KernelRef.RandN(23, 1031);
        var wv = KernelRef.Values(w);
        var bv = KernelRef.Values(b);
        var (ey, _, _) = RefNormalize(KernelRef.Values(x), 2100, i => (int)(i / 1031), 1e-5, i => wv[i % 1031], i => bv[i % 1031]);
        using var y = Functional.LayerNorm(x, new long[] { 1031 }, w, b);
        KernelRef.AssertClose(y, ey, shape, 1e-4, 1e-4, "output");
    }

    [Test]
    public void LayerNormBackwardMatchesCentralDifferences()
    {
        long[] shape = { 4, 3, 5 };
        long[] ns = { 3, 5 };
        using var x = KernelRef.RandN(14, DType.Float64, shape);
        using var w = KernelRef.RandN(15, DType.Float64, ns);
        using var b = KernelRef.RandN(16, DType.Float64, ns);
        using var g = KernelRef.RandN(17, DType.Float64, shape);
        var (y, mean, rstd) = Functional.LayerNormWithStats(x, ns, w, b);
        using (y)
        using (mean)
        using (rstd)
        {
            var (gx, gw, gb) = Functional.LayerNormBackward(g, x, ns, mean, rstd, w);
            using (gx)
            using (gw)
            using (gb)
            {
                GradCheck.AssertMatches(t => Functional.LayerNorm(t, ns, w, b), KernelRef.Values(x), shape, KernelRef.Values(g), KernelRef.Values(gx!), "input");
                GradCheck.AssertMatches(t => Functional.LayerNorm(x, ns, t, b), KernelRef.Values(w), ns, KernelRef.Values(g), KernelRef.Values(gw!), "weight");
                GradCheck.AssertMatches(t => Functional.LayerNorm(x, ns, w, t), KernelRef.Values(b), ns, KernelRef.Values(g), KernelRef.Values(gb!), "bias");
            }
        }
    }

    [Test]
    public void LayerNormBackwardInFloat32MatchesTheFormulaInDouble([Values(false, true)] bool withWeight)
    {
        // 70 rows of 37: the weight and bias gradients are summed over three blocks of rows, the rows end in a tail.
        const int M = 70, N = 37;
        long[] shape = { M, N };
        using var x = KernelRef.RandN(31, shape);
        using var w = KernelRef.RandN(32, N);
        using var b = KernelRef.RandN(33, N);
        using var g = KernelRef.RandN(34, shape);
        var (y, mean, rstd) = Functional.LayerNormWithStats(x, new long[] { N }, withWeight ? w : null, withWeight ? b : null);
        using (y)
        using (mean)
        using (rstd)
        {
            double[] xv = KernelRef.Values(x), gv = KernelRef.Values(g), wv = KernelRef.Values(w);
            double[] mv = KernelRef.Values(mean), rv = KernelRef.Values(rstd);
            double[] egx = new double[M * N], egw = new double[N], egb = new double[N];
            for (int r = 0; r < M; ++r)
            {
                double s1 = 0, s2 = 0;
                for (int j = 0; j < N; ++j)
                {
                    double xhat = (xv[r * N + j] - mv[r]) * rv[r], d = gv[r * N + j] * (withWeight ? wv[j] : 1);
                    s1 += d;
                    s2 += d * xhat;
                    egw[j] += gv[r * N + j] * xhat;
                    egb[j] += gv[r * N + j];
                }
                for (int j = 0; j < N; ++j)
                {
                    double xhat = (xv[r * N + j] - mv[r]) * rv[r], d = gv[r * N + j] * (withWeight ? wv[j] : 1);
                    egx[r * N + j] = rv[r] * (d - s1 / N - xhat * s2 / N);
                }
            }
            var (gx, gw, gb) = Functional.LayerNormBackward(g, x, new long[] { N }, mean, rstd, withWeight ? w : null);
            using (gx)
            using (gw)
            using (gb)
            {
                KernelRef.AssertClose(gx!, egx, shape, 1e-4, 1e-5, "input");
                KernelRef.AssertClose(gw!, egw, new long[] { N }, 1e-5, 1e-5, "weight");
                KernelRef.AssertClose(gb!, egb, new long[] { N }, 1e-5, 1e-5, "bias");
            }
        }
    }

    [Test]
    public void LayerNormRejectsAMismatchedNormalizedShape()
    {
        using var x = Tensor.Zeros(2, 4);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.LayerNorm(x, new long[] { 5 }).Dispose())!.Message,
            Does.Contain("layer_norm: normalized_shape [5] does not match the last dimensions of the input [2, 4]"));
        using var w = Tensor.Ones(3);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.LayerNorm(x, new long[] { 4 }, w).Dispose())!.Message,
            Does.Contain("layer_norm: weight must have the normalized shape [4], got [3]"));
    }

    [Test]
    public void GroupNormNormalisesEachGroupOfChannels([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        const long N = 2, C = 6, S = 7, G = 3;
        using var x = KernelRef.RandN(18, dtype, N, C, S);
        using var w = KernelRef.RandN(19, dtype, C);
        using var b = KernelRef.RandN(20, dtype, C);
        var wv = KernelRef.Values(w);
        var bv = KernelRef.Values(b);
        var (ey, em, er) = RefNormalize(KernelRef.Values(x), (int)(N * G), i => (int)(i / (S * C / G)), 1e-5, i => wv[i / S % C], i => bv[i / S % C]);
        var (y, mean, rstd) = Functional.GroupNormWithStats(x, G, w, b);
        using (y)
        using (mean)
        using (rstd)
        {
            var (rtol, atol) = KernelRef.Tol(dtype, 4);
            KernelRef.AssertClose(y, ey, x.Shape, rtol, atol, "output");
            KernelRef.AssertClose(mean, em, new[] { N, G }, rtol, atol, "mean");
            KernelRef.AssertClose(rstd, er, new[] { N, G }, rtol, atol, "rstd");
        }
    }

    [Test]
    public void GroupNormBackwardMatchesCentralDifferences()
    {
        long[] shape = { 2, 4, 3, 2 };
        using var x = KernelRef.RandN(21, DType.Float64, shape);
        using var w = KernelRef.RandN(22, DType.Float64, 4);
        using var b = KernelRef.RandN(23, DType.Float64, 4);
        using var g = KernelRef.RandN(24, DType.Float64, shape);
        var (y, mean, rstd) = Functional.GroupNormWithStats(x, 2, w, b);
        using (y)
        using (mean)
        using (rstd)
        {
            var (gx, gw, gb) = Functional.GroupNormBackward(g, x, mean, rstd, 2, w);
            using (gx)
            using (gw)
            using (gb)
            {
                GradCheck.AssertMatches(t => Functional.GroupNorm(t, 2, w, b), KernelRef.Values(x), shape, KernelRef.Values(g), KernelRef.Values(gx!), "input");
                GradCheck.AssertMatches(t => Functional.GroupNorm(x, 2, t, b), KernelRef.Values(w), w.Shape, KernelRef.Values(g), KernelRef.Values(gw!), "weight");
                GradCheck.AssertMatches(t => Functional.GroupNorm(x, 2, w, t), KernelRef.Values(b), b.Shape, KernelRef.Values(g), KernelRef.Values(gb!), "bias");
            }
        }
    }

    [Test]
    public void EmptyInputsNormaliseToEmptyOutputs()
    {
        using var x = Tensor.Zeros(0, 4, 3);
        using var ln = Functional.LayerNorm(x, new long[] { 3 });
        Assert.That(ln.Shape, Is.EqualTo(new long[] { 0, 4, 3 }));
        using var gn = Functional.GroupNorm(x, 2);
        Assert.That(gn.Shape, Is.EqualTo(new long[] { 0, 4, 3 }));
        using var rm = Tensor.Zeros(4);
        using var rv = Tensor.Ones(4);
        using var bn = Functional.BatchNorm(x, rm, rv);
        Assert.That(bn.Shape, Is.EqualTo(new long[] { 0, 4, 3 }));
    }

    [Test]
    public void GroupNormRejectsGroupsThatDoNotDivideTheChannels()
    {
        using var x = Tensor.Zeros(2, 6, 3);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.GroupNorm(x, 4).Dispose())!.Message,
            Does.Contain("group_norm: the number of groups (4) must be positive and divide the 6 channels of the input [2, 6, 3]"));
    }
}
