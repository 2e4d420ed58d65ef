using System;

namespace Wick.Tests;

/// <summary>
/// Softmax and log-softmax along every dimension (against a float64 loop), their stability and special
/// values, their backward (direct formula and central differences), and the NLL / cross-entropy losses
/// with class weights, ignore_index and every reduction.
/// </summary>
public class SoftmaxLossTests
{
    // Softmax of a row-major tensor along dim, in float64.
    private static double[] RefSoftmax(double[] x, long[] shape, int dim, bool log)
    {
        long outer = 1, inner = 1, n = shape[dim];
        for (int i = 0; i < dim; ++i) outer *= shape[i];
        for (int i = dim + 1; i < shape.Length; ++i) inner *= shape[i];
        var y = new double[x.Length];
        for (long o = 0; o < outer; ++o)
            for (long i = 0; i < inner; ++i)
            {
                double m = double.NegativeInfinity;
                for (long j = 0; j < n; ++j) m = Math.Max(m, x[(o * n + j) * inner + i]);
                double s = 0;
                for (long j = 0; j < n; ++j) s += Math.Exp(x[(o * n + j) * inner + i] - m);
                for (long j = 0; j < n; ++j)
                {
                    long k = (o * n + j) * inner + i;
                    y[k] = log ? x[k] - m - Math.Log(s) : Math.Exp(x[k] - m) / s;
                }
            }
        return y;
    }

    [Test]
    public void SoftmaxAndLogSoftmaxMatchTheReferenceAlongEveryDimension([Values(DType.Float32, DType.Float64)] DType dtype, [Values(false, true)] bool log)
    {
        long[] shape = { 3, 37, 5, 19 };  // odd sizes: vector tails on every path
        using var x = KernelRef.RandN(1, dtype, shape);
        using var x3 = x.Mul(3.0);
        var xv = KernelRef.Values(x3);
        var (rtol, atol) = KernelRef.Tol(dtype);
        for (int dim = -4; dim < 4; ++dim)
        {
            using var y = log ? Functional.LogSoftmax(x3, dim) : Functional.Softmax(x3, dim);
            Assert.That(y.DType, Is.EqualTo(dtype));
            KernelRef.AssertClose(y, RefSoftmax(xv, shape, (dim + 4) % 4, log), shape, rtol, atol, $"dim {dim}");
        }
    }

    [Test]
    public void SoftmaxOfLongRowsMatchesTheReference()
    {
        // 1027 columns: the vector loop, its two-register unroll and a scalar tail.
        using var x = KernelRef.RandN(2, 4, 1027);
        using var y = x.Softmax(1);
        KernelRef.AssertClose(y, RefSoftmax(KernelRef.Values(x), new long[] { 4, 1027 }, 1, false), new long[] { 4, 1027 }, 1e-4, 1e-7);
        using var ly = x.LogSoftmax(-1);
        KernelRef.AssertClose(ly, RefSoftmax(KernelRef.Values(x), new long[] { 4, 1027 }, 1, true), new long[] { 4, 1027 }, 1e-5, 1e-5);
    }

    [Test]
    public void SoftmaxOfAnOutputTooLargeForTheCacheMatchesTheReference()
    {
        // 2100 x 1031 float32 is 8.7 MB, past the size where the last pass streams its stores; rows of 1031 start
        // at every alignment, so the unaligned heads before the streamed runs are covered too.
        long[] shape = { 2100, 1031 };
        using var x = KernelRef.RandN(5, shape);
        using var y = x.Softmax(1);
        using var ly = x.LogSoftmax(1);
        var xv = KernelRef.Values(x);
        var want = RefSoftmax(xv, shape, 1, false);
        var wantLog = RefSoftmax(xv, shape, 1, true);
        KernelRef.AssertClose(KernelRef.Values(y), want, 1e-4, 1e-7, "softmax");
        KernelRef.AssertClose(KernelRef.Values(ly), wantLog, 1e-5, 1e-5, "log_softmax");
    }

    [Test]
    public void SoftmaxReadsNonContiguousInputs()
    {
        using var baseT = KernelRef.RandN(3, 6, 20);
        using var t = baseT.T;                    // (20, 6), transposed
        using var s = t.Slice(0, 1, 20, 3);       // every third row
        using var y = s.Softmax(1);
        KernelRef.AssertClose(y, RefSoftmax(KernelRef.Values(s), s.Shape, 1, false), s.Shape, 1e-5, 1e-7);
    }

    [Test]
    public void SoftmaxIsStableForHugeInputsAndPropagatesNaN()
    {
        using var x = Tensor.FromArray(new float[,] { { 1000, 1001, 999 }, { -1e30f, 0, float.NegativeInfinity }, { 1, float.NaN, 2 } });
        using var y = x.Softmax(1);
        var v = y.ToArray<float>();
        double e1 = Math.Exp(-1), e2 = Math.Exp(-2), s = 1 + e1 + e2;
        Assert.That(v[0], Is.EqualTo(e1 / s).Within(1e-6));
        Assert.That(v[1], Is.EqualTo(1 / s).Within(1e-6));
        Assert.That(v[3], Is.EqualTo(0f));
        Assert.That(v[4], Is.EqualTo(1f));
        Assert.That(v[5], Is.EqualTo(0f));
        Assert.That(v[6..9], Has.All.NaN);
        using var ly = x.LogSoftmax(1);
        var lv = ly.ToArray<float>();
        Assert.That(lv[5], Is.EqualTo(float.NegativeInfinity));
        Assert.That(lv[0], Is.EqualTo(-1 - Math.Log(s)).Within(1e-5));
    }

    [Test]
    public void SoftmaxOfZeroDimAndEmptyTensors()
    {
        using var s = Tensor.Scalar(3.5);
        using var y = s.Softmax(0);
        Assert.That(y.Dim, Is.EqualTo(0));
        Assert.That(y.Item<float>(), Is.EqualTo(1f));
        using var ly = s.LogSoftmax(-1);
        Assert.That(ly.Item<float>(), Is.EqualTo(0f));
        using var e = Tensor.Zeros(0, 4);
        using var ey = e.Softmax(1);
        Assert.That(ey.Shape, Is.EqualTo(new long[] { 0, 4 }));
    }

    [Test]
    public void SoftmaxKeepsHalfPrecisionDTypes()
    {
        using var x = KernelRef.RandN(4, 3, 9);
        using var h = x.To(DType.BFloat16);
        using var y = h.Softmax(1);
        Assert.That(y.DType, Is.EqualTo(DType.BFloat16));
        KernelRef.AssertClose(y, RefSoftmax(KernelRef.Values(h), new long[] { 3, 9 }, 1, false), new long[] { 3, 9 }, 1e-2, 1e-3);
    }

    [Test]
    public void SoftmaxRejectsIntegerInputsAndBadDims()
    {
        using var i = Tensor.Zeros(new long[] { 2, 3 }, DType.Int64);
        Assert.That(Assert.Throws<DTypeException>(() => i.Softmax(1).Dispose())!.Message, Does.Contain("softmax: needs a floating-point input, got int64"));
        using var f = Tensor.Zeros(2, 3);
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => f.LogSoftmax(2).Dispose())!.Message, Does.Contain("log_softmax: dimension 2 is out of range"));
    }

    [Test]
    public void SoftmaxBackwardMatchesTheFormulaAndCentralDifferences([Values(false, true)] bool log, [Values(0, 1, 2)] int dim)
    {
        long[] shape = { 3, 4, 5 };
        using var x = KernelRef.RandN(5, DType.Float64, shape);
        using var g = KernelRef.RandN(6, DType.Float64, shape);
        using var y = log ? Functional.LogSoftmax(x, dim) : Functional.Softmax(x, dim);
        using var gx = log ? Functional.LogSoftmaxBackward(g, y, dim) : Functional.SoftmaxBackward(g, y, dim);
        GradCheck.AssertMatches(t => log ? Functional.LogSoftmax(t, dim) : Functional.Softmax(t, dim), KernelRef.Values(x), shape, KernelRef.Values(g),
            KernelRef.Values(gx), $"{(log ? "log_softmax" : "softmax")} dim {dim}");
    }

    [Test]
    public void SoftmaxBackwardInFloat32MatchesTheFormulaInDouble([Values(false, true)] bool log, [Values(0, 1)] int dim)
    {
        // 6 x 37: along dim 1 the vectorised row kernel (37 = four 8-lane vectors and a tail), along dim 0 the column one.
        long[] shape = { 6, 37 };
        using var x = KernelRef.RandN(41, shape);
        using var g = KernelRef.RandN(42, shape);
        using var y = log ? Functional.LogSoftmax(x, dim) : Functional.Softmax(x, dim);
        using var gx = log ? Functional.LogSoftmaxBackward(g, y, dim) : Functional.SoftmaxBackward(g, y, dim);
        double[] yv = KernelRef.Values(y), gv = KernelRef.Values(g), expected = new double[yv.Length];
        long rows = shape[0], cols = shape[1];
        long lines = dim == 1 ? rows : cols, len = dim == 1 ? cols : rows;
        for (long l = 0; l < lines; ++l)
        {
            long At(long k) => dim == 1 ? l * cols + k : k * cols + l;
            double s = 0;
            for (long k = 0; k < len; ++k) s += log ? gv[At(k)] : gv[At(k)] * yv[At(k)];
            for (long k = 0; k < len; ++k)
                expected[At(k)] = log ? gv[At(k)] - Math.Exp(yv[At(k)]) * s : yv[At(k)] * (gv[At(k)] - s);
        }
        KernelRef.AssertClose(gx, expected, shape, 1e-5, 2e-6, $"{(log ? "log_softmax" : "softmax")} backward dim {dim}");
    }

    [Test]
    public void SoftmaxBackwardRejectsMismatchedShapes()
    {
        using var y = Tensor.Zeros(2, 3);
        using var g = Tensor.Zeros(3, 2);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.SoftmaxBackward(g, y, 1).Dispose())!.Message,
            Does.Contain("softmax_backward: grad_output of shape [3, 2] does not match the forward output's shape [2, 3]"));
    }

    // NLL on input (N, C, S) flattened, targets (N, S).
    private static (double[] perElement, double sum, double wsum) RefNll(double[] input, long[] target, double[]? weight, long N, long C, long S, long ignore)
    {
        var l = new double[N * S];
        double sum = 0, wsum = 0;
        for (long n = 0; n < N; ++n)
            for (long s = 0; s < S; ++s)
            {
                long t = target[n * S + s];
                if (t == ignore) continue;
                double w = weight is null ? 1 : weight[t];
                l[n * S + s] = -w * input[(n * C + t) * S + s];
                sum += l[n * S + s];
                wsum += w;
            }
        return (l, sum, wsum);
    }

    [Test]
    public void NllLossWeightsIgnoresAndReducesLikePyTorch([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        const long N = 5, C = 4, S = 6;  // input (N, C, 2, 3): the spatial form
        using var x = KernelRef.RandN(7, dtype, N, C, 2, 3);
        var targets = new long[N * S];
        for (int i = 0; i < targets.Length; ++i) targets[i] = (i * 7) % 5 == 4 ? -100 : (i * 3) % C;  // some ignored
        using var target = Tensor.FromArray(targets, N, 2, 3);
        var wv = new[] { 0.5, 2.0, 1.0, 3.0 };
        using var weight = Tensor.FromArray(wv, C).To(dtype);
        var (le, sum, wsum) = RefNll(KernelRef.Values(x), targets, wv, N, C, S, -100);
        var (rtol, atol) = KernelRef.Tol(dtype);
        using var none = Functional.NllLoss(x, target, weight, reduction: Reduction.None);
        KernelRef.AssertClose(none, le, new long[] { N, 2, 3 }, rtol, atol, "none");
        using var s = Functional.NllLoss(x, target, weight, reduction: Reduction.Sum);
        KernelRef.AssertClose(KernelRef.Values(s), new[] { sum }, rtol, atol, "sum");
        using var m = Functional.NllLoss(x, target, weight);
        KernelRef.AssertClose(KernelRef.Values(m), new[] { sum / wsum }, rtol, atol, "mean");
        Assert.That(m.Dim, Is.EqualTo(0));
    }

    [Test]
    public void NllLossBackwardMatchesCentralDifferences([Values(Reduction.None, Reduction.Mean, Reduction.Sum)] Reduction reduction)
    {
        const long N = 6, C = 5;
        using var x = KernelRef.RandN(8, DType.Float64, N, C);
        var targets = new long[] { 0, 4, 2, -1, 2, 1 };  // -1 is the ignore index here
        using var target = Tensor.FromArray(targets, N);
        using var weight = Tensor.FromArray(new[] { 1.0, 0.5, 2.0, 1.5, 0.25 }, C);
        var (loss, total) = Functional.NllLossWithTotalWeight(x, target, weight, -1, reduction);
        using (loss)
        using (total)
        {
            using var g = reduction == Reduction.None ? KernelRef.RandN(9, DType.Float64, N) : Tensor.Scalar(0.7, DType.Float64);
            using var gx = Functional.NllLossBackward(g, x, target, total, weight, -1, reduction);
            GradCheck.AssertMatches(t => Functional.NllLoss(t, target, weight, -1, reduction), KernelRef.Values(x), new[] { N, C }, KernelRef.Values(g),
                KernelRef.Values(gx), $"nll_loss {reduction}");
        }
    }

    [Test]
    public void NllLossOfASingleSampleAndAllIgnoredTargets()
    {
        using var x = Tensor.FromArray(new[] { -1.0f, -2.0f, -3.0f });
        using var t = Tensor.Scalar(2L);
        using var l = Functional.NllLoss(x, t);
        Assert.That(l.Item<float>(), Is.EqualTo(3f));
        using var x2 = Tensor.Zeros(2, 3);
        using var ignored = Tensor.FromArray(new long[] { -100, -100 });
        using var nan = Functional.NllLoss(x2, ignored);
        Assert.That(float.IsNaN(nan.Item<float>()), "mean over no counted target is 0/0, as in PyTorch");
    }

    [Test]
    public void CrossEntropyIsLogSoftmaxThenNll()
    {
        using var x = KernelRef.RandN(10, DType.Float64, 4, 3);
        using var t = Tensor.FromArray(new long[] { 2, 0, 1, 2 });
        using var ce = Functional.CrossEntropy(x, t);
        var xv = KernelRef.Values(x);
        var lp = RefSoftmax(xv, new long[] { 4, 3 }, 1, true);
        double expect = -(lp[2] + lp[3] + lp[7] + lp[11]) / 4;
        Assert.That(ce.Item<double>(), Is.EqualTo(expect).Within(1e-12));
    }

    [Test]
    public void NllLossRejectsBadTargetsWithClearMessages()
    {
        using var x = Tensor.Zeros(3, 4);
        using var outOfRange = Tensor.FromArray(new long[] { 0, 4, 1 });
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Functional.NllLoss(x, outOfRange).Dispose())!.Message,
            Does.Contain("nll_loss: target 4 is out of bounds for 4 classes"));
        using var wrongShape = Tensor.FromArray(new long[] { 0, 1 });
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.NllLoss(x, wrongShape).Dispose())!.Message,
            Does.Contain("nll_loss: target of shape [2] does not fit input of shape [3, 4]"));
        using var floatTarget = Tensor.Zeros(3);
        Assert.That(Assert.Throws<DTypeException>(() => Functional.NllLoss(x, floatTarget).Dispose())!.Message,
            Does.Contain("nll_loss: target must hold integer class indices"));
        using var ok = Tensor.FromArray(new long[] { 0, 1, 2 });
        using var w = Tensor.Ones(3);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Functional.NllLoss(x, ok, w).Dispose())!.Message,
            Does.Contain("nll_loss: weight must have shape [4]"));
    }
}
