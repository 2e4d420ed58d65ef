using System;

namespace Wick.Tests;

/// <summary>
/// max_pool2d (with indices), avg_pool2d and adaptive_avg_pool2d against float64 window loops with
/// padding, stride, dilation, ceil_mode, count_include_pad and divisor_override; their backward kernels
/// against scatter loops (max) and the adjoint identity sum(A(x) * g) = sum(x * A'(g)) (linear pools).
/// </summary>
public class PoolTests
{
    private static long OutSize(long input, long k, long s, long p, long d, bool ceil)
    {
        long span = input + 2 * p - d * (k - 1) - 1;
        long o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= input + p) --o;
        return o;
    }

    private static (double[] y, long[] idx, long OH, long OW) RefMax(double[] x, long P, long H, long W, long kh, long kw, long sh, long sw, long ph,
        long pw, long dh, long dw, bool ceil)
    {
        long OH = OutSize(H, kh, sh, ph, dh, ceil), OW = OutSize(W, kw, sw, pw, dw, ceil);
        var y = new double[P * OH * OW];
        var idx = new long[y.Length];
        for (long p = 0; p < P; ++p)
            for (long oh = 0; oh < OH; ++oh)
                for (long ow = 0; ow < OW; ++ow)
                {
                    double best = double.NegativeInfinity;
                    long at = -1;
                    for (long i = 0; i < kh; ++i)
                        for (long j = 0; j < kw; ++j)
                        {
                            long ih = oh * sh - ph + i * dh, iw = ow * sw - pw + j * dw;
                            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                            double v = x[p * H * W + ih * W + iw];
                            if (at < 0 || v > best) (best, at) = (v, ih * W + iw);
                        }
                    y[(p * OH + oh) * OW + ow] = best;
                    idx[(p * OH + oh) * OW + ow] = at;
                }
        return (y, idx, OH, OW);
    }

    [TestCase(2, 3, 7, 9, 3, 3, 2, 2, 1, 1, 1, 1, false)]
    [TestCase(1, 2, 8, 8, 2, 3, 2, 1, 1, 0, 2, 1, true)]   // dilation, ceil mode
    [TestCase(1, 1, 5, 6, 3, 2, 3, 3, 1, 1, 1, 1, true)]   // ceil mode drops a window that would start in the padding
    [TestCase(3, 2, 4, 4, 4, 4, 1, 1, 2, 2, 1, 1, false)]  // padding = half the kernel
    public void MaxPool2dMatchesTheWindowLoopAndScattersItsGradient(long N, long C, long H, long W, long kh, long kw, long sh, long sw, long ph, long pw,
        long dh, long dw, bool ceil)
    {
        using var x = KernelRef.RandN(1, DType.Float64, N, C, H, W);
        var (y, idx) = Functional.MaxPool2dWithIndices(x, (kh, kw), (sh, sw), (ph, pw), (dh, dw), ceil);
        using (y)
        using (idx)
        {
            var (ey, eidx, OH, OW) = RefMax(KernelRef.Values(x), N * C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, ceil);
            KernelRef.AssertClose(y, ey, new[] { N, C, OH, OW }, 0, 0);
            Assert.That(idx.DType, Is.EqualTo(DType.Int64));
            Assert.That(idx.ToArray<long>(), Is.EqualTo(eidx));

            using var g = KernelRef.RandN(2, DType.Float64, N, C, OH, OW);
            using var gx = Functional.MaxPool2dBackward(g, idx, x.Shape);
            var gv = KernelRef.Values(g);
            var expect = new double[N * C * H * W];
            for (long i = 0; i < gv.Length; ++i) expect[i / (OH * OW) * H * W + eidx[i]] += gv[i];
            KernelRef.AssertClose(gx, expect, x.Shape, 1e-12, 1e-12, "grad");
        }
    }

    [TestCase(2, 2, 0)]  // every window inside the plane
    [TestCase(3, 2, 1)]  // edge windows in the padding around interior ones
    public void MaxPool2dKeepsTheFirstOfTiesAndPropagatesNaN(long k, long stride, long pad)
    {
        // A 6x6 plane of ties (all 1) with a NaN at (3, 3) and a larger value later in the same window.
        var values = new float[36];
        Array.Fill(values, 1f);
        values[3 * 6 + 3] = float.NaN;
        values[3 * 6 + 4] = 5f;
        using var x = Tensor.FromArray(values).Reshape(1, 1, 6, 6);
        var (y, idx) = Functional.MaxPool2dWithIndices(x, (k, k), (stride, stride), (pad, pad), (1, 1), false);
        using (y)
        using (idx)
        {
            long OH = y.Size(2), OW = y.Size(3);
            var yv = y.ToArray<float>();
            var iv = idx.ToArray<long>();
            for (long oh = 0; oh < OH; ++oh)
                for (long ow = 0; ow < OW; ++ow)
                {
                    long h0 = Math.Max(0, oh * stride - pad), w0 = Math.Max(0, ow * stride - pad);
                    long h1 = Math.Min(6, oh * stride - pad + k), w1 = Math.Min(6, ow * stride - pad + k);
                    bool hasNaN = h0 <= 3 && 3 < h1 && w0 <= 3 && 3 < w1;
                    bool hasFive = h0 <= 3 && 3 < h1 && w0 <= 4 && 4 < w1;
                    long i = oh * OW + ow;
                    if (hasNaN)
                    {
                        Assert.That(float.IsNaN(yv[i]), $"window ({oh}, {ow}) holds the NaN");
                        Assert.That(iv[i], Is.EqualTo(3 * 6 + 3), $"index of window ({oh}, {ow})");
                    }
                    else if (hasFive)
                    {
                        Assert.That((yv[i], iv[i]), Is.EqualTo((5f, 3L * 6 + 4)), $"window ({oh}, {ow})");
                    }
                    else
                    {
                        Assert.That((yv[i], iv[i]), Is.EqualTo((1f, h0 * 6 + w0)), $"window ({oh}, {ow}) keeps its first tie");
                    }
                }
        }
    }

    [Test]
    public void MaxPool2dWorksInFloat32OnUnbatchedAndStridedInputs()
    {
        using var xt = KernelRef.RandN(3, 3, 10, 9);
        using var x = xt.Transpose(1, 2);  // (3, 9, 10), unbatched and strided
        using var y = Functional.MaxPool2d(x, 3, stride: 2, padding: 1);
        var (ey, _, OH, OW) = RefMax(KernelRef.Values(x), 3, 9, 10, 3, 3, 2, 2, 1, 1, 1, 1, false);
        KernelRef.AssertClose(y, ey, new[] { 3L, OH, OW }, 0, 0);
    }

    private static double[] RefAvg(double[] x, long P, long H, long W, long kh, long kw, long sh, long sw, long ph, long pw, bool ceil, bool includePad,
        long divisor, out long OH, out long OW)
    {
        OH = OutSize(H, kh, sh, ph, 1, ceil);
        OW = OutSize(W, kw, sw, pw, 1, ceil);
        var y = new double[P * OH * OW];
        for (long p = 0; p < P; ++p)
            for (long oh = 0; oh < OH; ++oh)
                for (long ow = 0; ow < OW; ++ow)
                {
                    long h0 = oh * sh - ph, w0 = ow * sw - pw;
                    long h1 = Math.Min(h0 + kh, H + ph), w1 = Math.Min(w0 + kw, W + pw);
                    long padded = (h1 - h0) * (w1 - w0);
                    h0 = Math.Max(h0, 0); w0 = Math.Max(w0, 0); h1 = Math.Min(h1, H); w1 = Math.Min(w1, W);
                    double s = 0;
                    for (long i = h0; i < h1; ++i)
                        for (long j = w0; j < w1; ++j) s += x[p * H * W + i * W + j];
                    long d = divisor > 0 ? divisor : includePad ? padded : (h1 - h0) * (w1 - w0);
                    y[(p * OH + oh) * OW + ow] = s / d;
                }
        return y;
    }

    [TestCase(2, 3, 7, 9, 3, 3, 2, 2, 1, 1, false, true, 0)]
    [TestCase(1, 2, 7, 8, 3, 2, 2, 3, 1, 1, true, false, 0)]
    [TestCase(1, 2, 6, 6, 2, 2, 2, 2, 1, 0, true, true, 0)]
    [TestCase(2, 1, 5, 5, 3, 3, 1, 1, 1, 1, false, true, 7)]  // divisor override
    public void AvgPool2dMatchesTheWindowLoopAndItsBackwardIsTheAdjoint(long N, long C, long H, long W, long kh, long kw, long sh, long sw, long ph,
        long pw, bool ceil, bool includePad, long divisor)
    {
        using var x = KernelRef.RandN(4, DType.Float64, N, C, H, W);
        long? d = divisor > 0 ? divisor : null;
        using var y = Functional.AvgPool2d(x, (kh, kw), (sh, sw), (ph, pw), ceil, includePad, d);
        var ey = RefAvg(KernelRef.Values(x), N * C, H, W, kh, kw, sh, sw, ph, pw, ceil, includePad, divisor, out long OH, out long OW);
        KernelRef.AssertClose(y, ey, new[] { N, C, OH, OW }, 1e-12, 1e-12);

        using var g = KernelRef.RandN(5, DType.Float64, N, C, OH, OW);
        using var gx = Functional.AvgPool2dBackward(g, x.Shape, (kh, kw), (sh, sw), (ph, pw), ceil, includePad, d);
        AssertAdjoint(x, y, g, gx);
    }

    // sum(A(x) * g) == sum(x * A'(g)) for a linear A: the backward is exactly the transpose.
    private static void AssertAdjoint(Tensor x, Tensor y, Tensor g, Tensor gx)
    {
        Assert.That(gx.Shape, Is.EqualTo(x.Shape));
        double lhs = Dot(KernelRef.Values(y), KernelRef.Values(g)), rhs = Dot(KernelRef.Values(x), KernelRef.Values(gx));
        Assert.That(rhs, Is.EqualTo(lhs).Within(1e-10 * (1 + Math.Abs(lhs))), "backward is not the adjoint of forward");
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; ++i) s += a[i] * b[i];
        return s;
    }

    [TestCase(2, 3, 7, 9, 3, 4)]
    [TestCase(1, 2, 5, 5, 5, 5)]
    [TestCase(1, 1, 4, 6, 7, 9)]  // output larger than input: windows overlap
    [TestCase(2, 2, 10, 3, 1, 1)]
    public void AdaptiveAvgPool2dAveragesFloorCeilWindowsAndItsBackwardIsTheAdjoint(long N, long C, long H, long W, long OH, long OW)
    {
        using var x = KernelRef.RandN(6, DType.Float64, N, C, H, W);
        using var y = Functional.AdaptiveAvgPool2d(x, (OH, OW));
        var xv = KernelRef.Values(x);
        var ey = new double[N * C * OH * OW];
        for (long p = 0; p < N * C; ++p)
            for (long i = 0; i < OH; ++i)
                for (long j = 0; j < OW; ++j)
                {
                    long h0 = i * H / OH, h1 = ((i + 1) * H + OH - 1) / OH, w0 = j * W / OW, w1 = ((j + 1) * W + OW - 1) / OW;
                    double s = 0;
                    for (long a = h0; a < h1; ++a)
                        for (long b = w0; b < w1; ++b) s += xv[p * H * W + a * W + b];
                    ey[(p * OH + i) * OW + j] = s / ((h1 - h0) * (w1 - w0));
                }
        KernelRef.AssertClose(y, ey, new[] { N, C, OH, OW }, 1e-12, 1e-12);
        using var g = KernelRef.RandN(7, DType.Float64, N, C, OH, OW);
        using var gx = Functional.AdaptiveAvgPool2dBackward(g, x.Shape);
        AssertAdjoint(x, y, g, gx);
    }

    [Test]
    public void LinearPoolBackwardsMatchCentralDifferencesElementwise()
    {
        using var x = KernelRef.RandN(8, DType.Float64, 1, 2, 5, 6);
        using var g = KernelRef.RandN(9, DType.Float64, 1, 2, 3, 3);
        using var gx = Functional.AvgPool2dBackward(g, x.Shape, (3, 2), (2, 2), (1, 0), true, false);
        GradCheck.AssertMatches(t => Functional.AvgPool2d(t, (3, 2), (2, 2), (1, 0), true, false), KernelRef.Values(x), x.Shape, KernelRef.Values(g),
            KernelRef.Values(gx), "avg_pool2d");
        using var ga = Functional.AdaptiveAvgPool2dBackward(g, x.Shape);
        GradCheck.AssertMatches(t => Functional.AdaptiveAvgPool2d(t, (3, 3)), KernelRef.Values(x), x.Shape, KernelRef.Values(g), KernelRef.Values(ga),
            "adaptive_avg_pool2d");
    }

    [Test]
    public void PoolingRejectsBadWindowsWithClearMessages()
    {
        using var x = Tensor.Zeros(1, 1, 4, 4);
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(x, 3, padding: 2).Dispose())!.Message,
            Does.Contain("max_pool2d: padding (2) must be non-negative and at most half the kernel size (3)"));
        using var small = Tensor.Zeros(1, 1, 2, 2);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.MaxPool2d(small, 3).Dispose())!.Message,
            Does.Contain("max_pool2d: the input [1, 1, 2, 2] is too small for the 3x3 window"));
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.AvgPool2d(x, 0).Dispose())!.Message,
            Does.Contain("avg_pool2d: kernel size must be at least 1, got 0"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Functional.AvgPool2d(x, 2, divisorOverride: 0).Dispose())!.Message,
            Does.Contain("divisorOverride must be positive"));
        using var v = Tensor.Zeros(4, 4);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.AdaptiveAvgPool2d(v, 2).Dispose())!.Message,
            Does.Contain("adaptive_avg_pool2d: expected input (N, C, H, W) or (C, H, W), got shape [4, 4]"));
        var (y, idx) = Functional.MaxPool2dWithIndices(x, (2, 2));
        using (y)
        using (idx)
        {
            using var wrong = idx.To(DType.Int32);
            Assert.That(Assert.Throws<DTypeException>(() => Functional.MaxPool2dBackward(y, wrong, x.Shape).Dispose())!.Message,
                Does.Contain("max_pool2d_backward: indices must be the int64 tensor MaxPool2d returned"));
            using var bad = Tensor.Full(new long[] { 1, 1, 2, 2 }, 99, DType.Int64);
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Functional.MaxPool2dBackward(y, bad, x.Shape).Dispose())!.Message,
                Does.Contain("max_pool2d_backward: index 99 is outside the 4x4 input plane"));
        }
    }
}
