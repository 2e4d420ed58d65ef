using System;

namespace Wick.Tests;

/// <summary>
/// Dropout (seeded masks equal to a Bernoulli(1 - p) draw, scaling, evaluation mode), embedding and its
/// scatter-add backward with padding_idx, and nearest / bilinear upsampling against PyTorch's coordinate
/// rules written out in float64, with backward kernels checked as exact adjoints.
/// </summary>
public class DropoutEmbeddingUpsampleTests
{
    [Test]
    public void DropoutMaskIsTheBernoulliDrawOfTheSameSeedAndKeptValuesAreScaled()
    {
        using var x = KernelRef.RandN(1, DType.Float64, 40, 50);
        using var g1 = new Generator(123);
        var (y, mask) = Functional.DropoutWithMask(x, 0.3, true, g1);
        using (y)
        using (mask)
        {
            Assert.That(mask!.DType, Is.EqualTo(DType.Bool));
            using var g2 = new Generator(123);
            using var bern = Tensor.Bernoulli(0.7, new long[] { 40, 50 }, DType.Bool, generator: g2);
            Assert.That(mask.ToArray<bool>(), Is.EqualTo(bern.ToArray<bool>()), "same seed, same draw");
            var m = mask.ToArray<bool>();
            var xv = KernelRef.Values(x);
            var expect = new double[xv.Length];
            int kept = 0;
            for (int i = 0; i < xv.Length; ++i)
            {
                expect[i] = m[i] ? xv[i] / 0.7 : 0;
                kept += m[i] ? 1 : 0;
            }
            KernelRef.AssertClose(y, expect, x.Shape, 1e-12, 0);
            Assert.That(kept / 2000.0, Is.EqualTo(0.7).Within(0.05));
        }
    }

    [Test]
    public void DropoutIsReproducibleAndAdvancesTheGenerator()
    {
        using var x = Tensor.Ones(1000);
        using var g = new Generator(7);
        using var a = Functional.Dropout(x, 0.5, true, g);
        using var b = Functional.Dropout(x, 0.5, true, g);
        Assert.That(a.ToArray<float>(), Is.Not.EqualTo(b.ToArray<float>()), "the second call draws new numbers");
        g.SetState(7, 0);
        using var c = Functional.Dropout(x, 0.5, true, g);
        Assert.That(c.ToArray<float>(), Is.EqualTo(a.ToArray<float>()));
    }

    [Test]
    public void DropoutInEvaluationOrWithTheExtremeProbabilities()
    {
        using var x = KernelRef.RandN(2, 3, 4);
        var (y, mask) = Functional.DropoutWithMask(x, 0.5, training: false);
        using (y)
        {
            Assert.That(mask, Is.Null);
            Assert.That(y.ToArray<float>(), Is.EqualTo(x.ToArray<float>()));
        }
        using var all = Functional.Dropout(x, 1.0);
        Assert.That(all.ToArray<float>(), Is.All.EqualTo(0f));
        using var none = Functional.Dropout(x, 0.0);
        Assert.That(none.ToArray<float>(), Is.EqualTo(x.ToArray<float>()));
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.Dropout(x, 1.5).Dispose())!.Message,
            Does.Contain("dropout: probability must be between 0 and 1, got 1.5"));
    }

    [Test]
    public void EmbeddingGathersRowsForIndicesOfAnyShape()
    {
        using var w = KernelRef.RandN(3, 10, 6);
        using var idx = Tensor.FromArray(new long[,] { { 3, 0, 9 }, { 3, 3, 1 } });
        using var e = Functional.Embedding(idx, w);
        Assert.That(e.Shape, Is.EqualTo(new long[] { 2, 3, 6 }));
        var wv = KernelRef.Values(w);
        long[] flat = { 3, 0, 9, 3, 3, 1 };
        var expect = new double[36];
        for (int i = 0; i < 6; ++i) Array.Copy(wv, flat[i] * 6, expect, i * 6, 6);
        KernelRef.AssertClose(e, expect, new long[] { 2, 3, 6 }, 0, 0);
        using var i32 = idx.To(DType.Int32);
        using var e32 = Functional.Embedding(i32, w);
        Assert.That(e32.ToArray<float>(), Is.EqualTo(e.ToArray<float>()));
    }

    [Test]
    public void EmbeddingBackwardScatterAddsRepeatedIndicesAndSkipsPadding([Values(null, 3L, -7L)] long? paddingIdx)
    {
        const long V = 10, D = 70;  // D spans two column blocks
        using var idx = Tensor.FromArray(new long[] { 3, 0, 9, 3, 3, 1, 7 });
        using var g = KernelRef.RandN(4, DType.Float64, 7, D);
        using var gw = Functional.EmbeddingBackward(g, idx, V, paddingIdx);
        var gv = KernelRef.Values(g);
        long[] flat = { 3, 0, 9, 3, 3, 1, 7 };
        long pad = paddingIdx is null ? -1 : (paddingIdx.Value + V) % V;
        var expect = new double[V * D];
        for (int i = 0; i < 7; ++i)
            if (flat[i] != pad)
                for (int d = 0; d < D; ++d) expect[flat[i] * D + d] += gv[i * D + d];
        KernelRef.AssertClose(gw, expect, new[] { V, D }, 1e-12, 1e-12);
    }

    [Test]
    public void EmbeddingRejectsOutOfRangeIndices()
    {
        using var w = Tensor.Zeros(5, 2);
        using var idx = Tensor.FromArray(new long[] { 1, 5 });
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Embedding(idx, w).Dispose())!.Message,
            Does.Contain("embedding: index 5 is out of range for an embedding of 5 rows (expected 0 to 4)"));
        using var neg = Tensor.FromArray(new long[] { -1 });
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Embedding(neg, w).Dispose())!.Message,
            Does.Contain("index -1 is out of range"));
        using var f = Tensor.Zeros(2);
        Assert.That(Assert.Throws<DTypeException>(() => Functional.Embedding(f, w).Dispose())!.Message,
            Does.Contain("embedding: indices must be an integer tensor, got float32"));
    }

    // PyTorch's source coordinates, written out.
    private static double[] RefUpsample(double[] x, long P, long H, long W, long OH, long OW, bool bilinear, bool align, double sfH, double sfW)
    {
        var y = new double[P * OH * OW];
        double Scale(long i, long o, double sf) => align ? (o > 1 ? (i - 1.0) / (o - 1.0) : 0) : sf > 0 ? 1 / sf : (double)i / o;
        double sh = Scale(H, OH, sfH), sw = Scale(W, OW, sfW);
        for (long p = 0; p < P; ++p)
            for (long oh = 0; oh < OH; ++oh)
                for (long ow = 0; ow < OW; ++ow)
                {
                    double v;
                    if (!bilinear)
                    {
                        double nsh = sfH > 0 ? 1 / sfH : (double)H / OH, nsw = sfW > 0 ? 1 / sfW : (double)W / OW;
                        long ih = Math.Min((long)Math.Floor(oh * nsh), H - 1), iw = Math.Min((long)Math.Floor(ow * nsw), W - 1);
                        v = x[p * H * W + ih * W + iw];
                    }
                    else
                    {
                        double srcH = align ? sh * oh : Math.Max(sh * (oh + 0.5) - 0.5, 0), srcW = align ? sw * ow : Math.Max(sw * (ow + 0.5) - 0.5, 0);
                        long h0 = Math.Min((long)srcH, H - 1), w0 = Math.Min((long)srcW, W - 1);
                        long h1 = Math.Min(h0 + 1, H - 1), w1 = Math.Min(w0 + 1, W - 1);
                        double lh = srcH - h0, lw = srcW - w0;
                        double At(long a, long b) => x[p * H * W + a * W + b];
                        v = (1 - lh) * ((1 - lw) * At(h0, w0) + lw * At(h0, w1)) + lh * ((1 - lw) * At(h1, w0) + lw * At(h1, w1));
                    }
                    y[(p * OH + oh) * OW + ow] = v;
                }
        return y;
    }

    [TestCase(false, false, 7, 5, 0.0, 0.0)]
    [TestCase(false, false, 3, 11, 0.0, 0.0)]     // downsampling in one axis
    [TestCase(false, false, 0, 0, 2.5, 1.5)]     // scale factors
    [TestCase(true, false, 9, 7, 0.0, 0.0)]
    [TestCase(true, true, 9, 7, 0.0, 0.0)]
    [TestCase(true, true, 1, 1, 0.0, 0.0)]        // align_corners with a single output pixel
    [TestCase(true, false, 0, 0, 1.7, 2.0)]
    [TestCase(true, false, 2, 3, 0.0, 0.0)]       // bilinear downsampling
    public void UpsampleMatchesPyTorchCoordinatesAndItsBackwardIsTheAdjoint(bool bilinear, bool align, long OH, long OW, double sfH, double sfW)
    {
        const long N = 2, C = 3, H = 4, W = 6;
        using var x = KernelRef.RandN(5, DType.Float64, N, C, H, W);
        var mode = bilinear ? InterpolateMode.Bilinear : InterpolateMode.Nearest;
        (long, long)? size = sfH > 0 ? null : (OH, OW);
        (double, double)? sf = sfH > 0 ? (sfH, sfW) : null;
        using var y = Functional.Interpolate(x, size, sf, mode, align);
        if (sfH > 0) (OH, OW) = ((long)Math.Floor(H * sfH), (long)Math.Floor(W * sfW));
        KernelRef.AssertClose(y, RefUpsample(KernelRef.Values(x), N * C, H, W, OH, OW, bilinear, align, sfH, sfW), new[] { N, C, OH, OW }, 1e-12, 1e-12);

        using var g = KernelRef.RandN(6, DType.Float64, N, C, OH, OW);
        using var gx = Functional.InterpolateBackward(g, x.Shape, size, sf, mode, align);
        double lhs = 0, rhs = 0;
        var yv = KernelRef.Values(y);
        var gv = KernelRef.Values(g);
        var xv = KernelRef.Values(x);
        var gxv = KernelRef.Values(gx);
        for (int i = 0; i < yv.Length; ++i) lhs += yv[i] * gv[i];
        for (int i = 0; i < xv.Length; ++i) rhs += xv[i] * gxv[i];
        Assert.That(rhs, Is.EqualTo(lhs).Within(1e-10 * (1 + Math.Abs(lhs))), "the backward is the adjoint of the forward");
        if (bilinear)
            GradCheck.AssertMatches(t => Functional.Interpolate(t, size, sf, mode, align), xv, x.Shape, gv, gxv, "bilinear");
    }

    [Test]
    public void UpsampleInFloat32MatchesTheReference()
    {
        using var x = KernelRef.RandN(7, 1, 2, 5, 5);
        using var y = Functional.Interpolate(x, (8, 12), mode: InterpolateMode.Bilinear, alignCorners: true);
        KernelRef.AssertClose(y, RefUpsample(KernelRef.Values(x), 2, 5, 5, 8, 12, true, true, 0, 0), new long[] { 1, 2, 8, 12 }, 1e-5, 1e-6);
    }

    [Test]
    public void InterpolateRejectsAmbiguousOrBadArguments()
    {
        using var x = Tensor.Zeros(1, 1, 4, 4);
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.Interpolate(x).Dispose())!.Message,
            Does.Contain("give exactly one of size and scaleFactor"));
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.Interpolate(x, (2, 2), alignCorners: true).Dispose())!.Message,
            Does.Contain("alignCorners only applies to bilinear"));
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.Interpolate(x, (0, 2)).Dispose())!.Message,
            Does.Contain("upsample_nearest2d: output size must be positive, got 0x2"));
        using var v = Tensor.Zeros(4, 4);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Interpolate(v, (2, 2)).Dispose())!.Message,
            Does.Contain("interpolate: expected input (N, C, H, W), got shape [4, 4]"));
    }
}
