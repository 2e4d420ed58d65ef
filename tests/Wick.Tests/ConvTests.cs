using System;
using System.Collections.Generic;
using Wick.Tests.Support;

namespace Wick.Tests;

/// <summary>
/// conv1d, conv2d and conv_transpose2d against direct float64 loops over every (batch, channel, position,
/// tap), and their backward kernels (input, weight, bias) against the same loops written as scatters:
/// stride, padding (also larger than the kernel), dilation, groups (depthwise too), 1x1 kernels, batch 1,
/// unbatched and non-contiguous inputs; errors that name the mismatch.
/// </summary>
public class ConvTests
{
    private static readonly ConvGeo[] Geometries =
    {
        new(2, 3, 7, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1),
        new(1, 4, 8, 5, 6, 3, 2, 2, 1, 0, 3, 1, 2, 2),    // padding wider than the kernel, dilation along w, groups
        new(3, 6, 5, 5, 6, 1, 1, 1, 1, 0, 0, 1, 1, 3),    // 1x1, stride 1: the input is the column matrix
        new(2, 4, 6, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4),    // depthwise
        new(1, 2, 11, 4, 3, 5, 1, 3, 1, 2, 0, 2, 1, 1),   // dilation 2, stride 3
        new(2, 5, 4, 4, 3, 1, 1, 2, 2, 1, 1, 1, 1, 1),    // 1x1 with stride and padding
        new(3, 16, 13, 11, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1), // bigger than one GEMM tile in every direction
    };

    private static IEnumerable<TestCaseData> Cases()
    {
        for (int i = 0; i < Geometries.Length; ++i)
        {
            yield return new TestCaseData(i, DType.Float32);
            yield return new TestCaseData(i, DType.Float64);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Conv2dMatchesTheDirectLoop(int which, DType dtype)
    {
        ConvGeo g = Geometries[which];
        using var x = KernelRef.RandN((ulong)(10 + which), dtype, g.N, g.C, g.H, g.W);
        using var w = KernelRef.RandN((ulong)(20 + which), dtype, g.OC, g.Cg, g.KH, g.KW);
        using var b = KernelRef.RandN((ulong)(30 + which), dtype, g.OC);
        using var y = Functional.Conv2d(x, w, b, (g.SH, g.SW), (g.PH, g.PW), (g.DH, g.DW), g.G);
        var (rtol, atol) = KernelRef.Tol(dtype, 4);
        KernelRef.AssertClose(y, ConvRef.Conv(g, KernelRef.Values(x), KernelRef.Values(w), KernelRef.Values(b)), new[] { g.N, g.OC, g.OH, g.OW }, rtol, atol);
        using var yn = Functional.Conv2d(x, w, null, (g.SH, g.SW), (g.PH, g.PW), (g.DH, g.DW), g.G);
        KernelRef.AssertClose(yn, ConvRef.Conv(g, KernelRef.Values(x), KernelRef.Values(w), null), new[] { g.N, g.OC, g.OH, g.OW }, rtol, atol, "no bias");
    }

    [TestCaseSource(nameof(Cases))]
    public void Conv2dBackwardMatchesTheScatterLoops(int which, DType dtype)
    {
        ConvGeo g = Geometries[which];
        using var x = KernelRef.RandN((ulong)(40 + which), dtype, g.N, g.C, g.H, g.W);
        using var w = KernelRef.RandN((ulong)(50 + which), dtype, g.OC, g.Cg, g.KH, g.KW);
        using var gy = KernelRef.RandN((ulong)(60 + which), dtype, g.N, g.OC, g.OH, g.OW);
        var (gx, gw, gb) = Functional.Conv2dBackward(gy, x, w, (g.SH, g.SW), (g.PH, g.PW), (g.DH, g.DW), g.G);
        using (gx)
        using (gw)
        using (gb)
        {
            var (ex, ew, eb) = ConvRef.ConvBackward(g, KernelRef.Values(x), KernelRef.Values(w), KernelRef.Values(gy));
            var (rtol, atol) = KernelRef.Tol(dtype, 8);
            KernelRef.AssertClose(gx!, ex, x.Shape, rtol, atol, "grad input");
            KernelRef.AssertClose(gw!, ew, w.Shape, rtol, atol, "grad weight");
            KernelRef.AssertClose(gb!, eb, new[] { g.OC }, rtol, atol, "grad bias");
        }
    }

    [Test]
    public void Conv2dBackwardReturnsOnlyTheGradientsAskedFor()
    {
        ConvGeo g = Geometries[0];
        using var x = KernelRef.RandN(1, g.N, g.C, g.H, g.W);
        using var w = KernelRef.RandN(2, g.OC, g.Cg, g.KH, g.KW);
        using var gy = KernelRef.RandN(3, g.N, g.OC, g.OH, g.OW);
        var (gx, gw, gb) = Functional.Conv2dBackward(gy, x, w, padding: 1, inputGrad: false, biasGrad: false);
        Assert.That(gx, Is.Null);
        Assert.That(gb, Is.Null);
        Assert.That(gw, Is.Not.Null);
        gw!.Dispose();
    }

    [Test]
    public void Conv2dWeightGradientPassesCentralDifferences()
    {
        ConvGeo g = new(2, 2, 5, 4, 3, 2, 3, 2, 1, 1, 2, 1, 1, 1);
        using var x = KernelRef.RandN(70, DType.Float64, g.N, g.C, g.H, g.W);
        using var w = KernelRef.RandN(71, DType.Float64, g.OC, g.Cg, g.KH, g.KW);
        using var gy = KernelRef.RandN(72, DType.Float64, g.N, g.OC, g.OH, g.OW);
        var (gx, gw, gb) = Functional.Conv2dBackward(gy, x, w, (g.SH, g.SW), (g.PH, g.PW), (g.DH, g.DW), 1);
        using (gx)
        using (gw)
        using (gb)
        {
            GradCheck.AssertMatches(t => Functional.Conv2d(x, t, null, (g.SH, g.SW), (g.PH, g.PW), (g.DH, g.DW)), KernelRef.Values(w), w.Shape,
                KernelRef.Values(gy), KernelRef.Values(gw!), "conv2d weight");
            GradCheck.AssertMatches(t => Functional.Conv2d(t, w, null, (g.SH, g.SW), (g.PH, g.PW), (g.DH, g.DW)), KernelRef.Values(x), x.Shape,
                KernelRef.Values(gy), KernelRef.Values(gx!), "conv2d input");
        }
    }

    [Test]
    public void Conv2dReadsNonContiguousAndUnbatchedInputs()
    {
        ConvGeo g = new(1, 3, 6, 7, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        using var xt = KernelRef.RandN(80, 1, 3, 7, 6);
        using var x = xt.Transpose(2, 3);  // (1, 3, 6, 7), strided
        Assert.That(x.IsContiguous, Is.False);
        using var w = KernelRef.RandN(81, 2, 3, 3, 3);
        using var y = Functional.Conv2d(x, w, padding: 1);
        var expect = ConvRef.Conv(g, KernelRef.Values(x), KernelRef.Values(w), null);
        KernelRef.AssertClose(y, expect, new long[] { 1, 2, 6, 7 }, 1e-4, 1e-5);
        using var x3 = x.Squeeze(0);
        using var y3 = Functional.Conv2d(x3, w, padding: 1);
        KernelRef.AssertClose(y3, expect, new long[] { 2, 6, 7 }, 1e-4, 1e-5, "unbatched");
    }

    [Test]
    public void Conv1dMatchesTheDirectLoopAndItsBackward([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        // conv1d (N, C, L) is conv2d with height 1.
        ConvGeo g = new(2, 4, 1, 17, 6, 1, 3, 1, 2, 0, 2, 1, 3, 2);
        using var x = KernelRef.RandN(90, dtype, g.N, g.C, g.W);
        using var w = KernelRef.RandN(91, dtype, g.OC, g.Cg, g.KW);
        using var b = KernelRef.RandN(92, dtype, g.OC);
        using var y = Functional.Conv1d(x, w, b, stride: 2, padding: 2, dilation: 3, groups: 2);
        var (rtol, atol) = KernelRef.Tol(dtype, 4);
        KernelRef.AssertClose(y, ConvRef.Conv(g, KernelRef.Values(x), KernelRef.Values(w), KernelRef.Values(b)), new[] { g.N, g.OC, g.OW }, rtol, atol);
        using var gy = KernelRef.RandN(93, dtype, g.N, g.OC, g.OW);
        var (gx, gw, gb) = Functional.Conv1dBackward(gy, x, w, 2, 2, 3, 2);
        using (gx)
        using (gw)
        using (gb)
        {
            var (ex, ew, eb) = ConvRef.ConvBackward(g, KernelRef.Values(x), KernelRef.Values(w), KernelRef.Values(gy));
            KernelRef.AssertClose(gx!, ex, x.Shape, rtol, atol, "grad input");
            KernelRef.AssertClose(gw!, ew, w.Shape, rtol, atol, "grad weight");
            KernelRef.AssertClose(gb!, eb, new[] { g.OC }, rtol, atol, "grad bias");
        }
    }

    [TestCase(2, 4, 5, 3, 3, 3, 2, 2, 2, 1, 1, 1, 0, 1, 1)]
    [TestCase(1, 4, 3, 4, 2, 2, 3, 3, 2, 0, 1, 2, 1, 2, 2)]  // output padding, dilation, groups
    [TestCase(2, 3, 4, 4, 5, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1)]  // 1x1
    public void ConvTranspose2dMatchesTheScatterLoopAndItsGradients(long N, long Cin, long H, long W, long Coutg, long KH, long KW, long s, long sw,
        long p, long pw, long op, long opw, long d, long G)
    {
        using var x = KernelRef.RandN(100, DType.Float64, N, Cin, H, W);
        using var w = KernelRef.RandN(101, DType.Float64, Cin, Coutg, KH, KW);
        using var b = KernelRef.RandN(102, DType.Float64, Coutg * G);
        using var y = Functional.ConvTranspose2d(x, w, b, (s, sw), (p, pw), (op, opw), G, (d, d));
        var expect = ConvRef.ConvTranspose(KernelRef.Values(x), KernelRef.Values(w), KernelRef.Values(b), N, Cin, H, W, Coutg, KH, KW, s, sw, p, pw, op, opw,
            d, d, G, out long OH, out long OW);
        KernelRef.AssertClose(y, expect, new[] { N, Coutg * G, OH, OW }, 1e-10, 1e-10);

        using var gy = KernelRef.RandN(103, DType.Float64, N, Coutg * G, OH, OW);
        var (gx, gw, gb) = Kernels.ConvTranspose2dBackward(gy, x, w, (s, sw), (p, pw), (d, d), G, true, true, true);
        using (gx)
        using (gw)
        using (gb)
        {
            GradCheck.AssertMatches(t => Functional.ConvTranspose2d(t, w, null, (s, sw), (p, pw), (op, opw), G, (d, d)), KernelRef.Values(x), x.Shape,
                KernelRef.Values(gy), KernelRef.Values(gx!), "conv_transpose2d input");
            GradCheck.AssertMatches(t => Functional.ConvTranspose2d(x, t, null, (s, sw), (p, pw), (op, opw), G, (d, d)), KernelRef.Values(w), w.Shape,
                KernelRef.Values(gy), KernelRef.Values(gw!), "conv_transpose2d weight");
            GradCheck.AssertMatches(t => Functional.ConvTranspose2d(x, w, t, (s, sw), (p, pw), (op, opw), G, (d, d)), KernelRef.Values(b), b.Shape,
                KernelRef.Values(gy), KernelRef.Values(gb!), "conv_transpose2d bias");
        }
    }

    [Test]
    public void AnEmptyBatchGivesEmptyOutputsAndZeroWeightGradients()
    {
        using var x = Tensor.Zeros(0, 3, 5, 5);
        using var w = KernelRef.RandN(110, 4, 3, 3, 3);
        using var y = Functional.Conv2d(x, w, padding: 1);
        Assert.That(y.Shape, Is.EqualTo(new long[] { 0, 4, 5, 5 }));
        using var gy = Tensor.Zeros(0, 4, 5, 5);
        var (gx, gw, gb) = Functional.Conv2dBackward(gy, x, w, padding: 1);
        using (gx)
        using (gw)
        using (gb)
        {
            Assert.That(gx!.Shape, Is.EqualTo(x.Shape));
            Assert.That(gw!.ToArray<float>(), Is.All.EqualTo(0f));
            Assert.That(gb!.ToArray<float>(), Is.All.EqualTo(0f));
        }
    }

    [Test]
    public void ConvolutionsRejectInconsistentArgumentsWithClearMessages()
    {
        using var x = Tensor.Zeros(1, 4, 5, 5);
        using var w3 = Tensor.Zeros(2, 3, 3, 3);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv2d(x, w3).Dispose())!.Message,
            Does.Contain("conv2d: the weight [2, 3, 3, 3] expects 3 input channels (3 per group x 1 groups) but the input [1, 4, 5, 5] has 4"));
        using var w = Tensor.Zeros(2, 4, 3, 3);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv2d(x, w, groups: 3).Dispose())!.Message,
            Does.Contain("conv2d: groups (3) must divide the 4 input channels"));
        using var big = Tensor.Zeros(2, 4, 7, 7);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv2d(x, big).Dispose())!.Message,
            Does.Contain("conv2d: the kernel (7 taps with dilation 1, spanning 7) is larger than the padded input height (5 + 2 * 0 = 5)"));
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, w, stride: 0).Dispose())!.Message,
            Does.Contain("conv2d: stride must be at least 1, got 0"));
        using var bias = Tensor.Zeros(3);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv2d(x, w, bias).Dispose())!.Message,
            Does.Contain("conv2d: bias must have shape [2]"));
        using var wd = Tensor.Zeros(new long[] { 2, 4, 3, 3 }, DType.Float64);
        Assert.That(Assert.Throws<DTypeException>(() => Functional.Conv2d(x, wd).Dispose())!.Message,
            Does.Contain("conv2d: the input is float32 but the weight is float64"));
        using var x2 = Tensor.Zeros(4, 5);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv2d(x2, w).Dispose())!.Message,
            Does.Contain("conv2d: expected input (N, C, H, W) or (C, H, W), got shape [4, 5]"));
        using var gy = Tensor.Zeros(1, 2, 4, 4);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv2dBackward(gy, x, w).GradInput?.Dispose())!.Message,
            Does.Contain("conv2d_backward: grad_output has shape [1, 2, 4, 4] but the convolution's output has shape [1, 2, 3, 3]"));
        using var wt = Tensor.Zeros(4, 2, 3, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.ConvTranspose2d(x, wt, stride: 2, outputPadding: 2).Dispose())!.Message,
            Does.Contain("conv_transpose2d: output_padding (2) must be non-negative and smaller than either the stride (2) or the dilation (1)"));
    }

    [Test]
    public void Conv1dRejectsInconsistentArgumentsInItsOwnTerms()
    {
        // conv1d runs as conv2d of height 1; its messages still name conv1d and its 3-D shapes.
        using var x = Tensor.Zeros(1, 4, 5);
        using var w3 = Tensor.Zeros(2, 3, 3);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv1d(x, w3).Dispose())!.Message,
            Does.Contain("conv1d: the weight [2, 3, 3] expects 3 input channels (3 per group x 1 groups) but the input [1, 4, 5] has 4"));
        using var w = Tensor.Zeros(2, 4, 3);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv1d(x, w, groups: 3).Dispose())!.Message,
            Does.Contain("conv1d: groups (3) must divide the 4 input channels"));
        using var big = Tensor.Zeros(2, 4, 7);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv1d(x, big).Dispose())!.Message,
            Does.Contain("conv1d: the kernel (7 taps with dilation 1, spanning 7) is larger than the padded input length (5 + 2 * 0 = 5)"));
        Assert.That(Assert.Throws<ArgumentException>(() => Functional.Conv1d(x, w, stride: 0).Dispose())!.Message,
            Does.Contain("conv1d: stride must be at least 1, got 0"));
        using var unbatched = Tensor.Zeros(3, 5);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv1d(unbatched, w).Dispose())!.Message,
            Does.Contain("conv1d: the weight [2, 4, 3] expects 4 input channels (4 per group x 1 groups) but the input [1, 3, 5] has 3"));
        using var gy = Tensor.Zeros(1, 2, 4);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv1dBackward(gy, x, w).GradInput?.Dispose())!.Message,
            Does.Contain("conv1d_backward: grad_output has shape [1, 2, 4] but the convolution's output has shape [1, 2, 3]"));
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.Conv1dBackward(gy, x, big).GradInput?.Dispose())!.Message,
            Does.Contain("conv1d_backward: the kernel (7 taps"));
    }
}
