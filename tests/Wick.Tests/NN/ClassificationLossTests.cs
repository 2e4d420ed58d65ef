using System;
using System.Linq;
using Wick.NN;
using Wick.Tests.Support;

namespace Wick.Tests.NN;

public class ClassificationLossTests
{
    private const int N = 6, C = 4;

    private static double[] LogSoftmaxRows(double[] x, int n, int c)
    {
        var r = new double[x.Length];
        for (int i = 0; i < n; ++i)
        {
            double m = Enumerable.Range(0, c).Max(k => x[i * c + k]);
            double lse = m + Math.Log(Enumerable.Range(0, c).Sum(k => Math.Exp(x[i * c + k] - m)));
            for (int k = 0; k < c; ++k) r[i * c + k] = x[i * c + k] - lse;
        }
        return r;
    }

    /// <summary>PyTorch's cross-entropy with class indices, written out: weights, ignore index, label smoothing, reductions.</summary>
    private static double[] Reference(double[] x, long[] t, double[]? w, long ignore, double eps, Reduction r)
    {
        double[] lp = LogSoftmaxRows(x, N, C);
        var nll = new double[N];
        var smooth = new double[N];
        double totalW = 0;
        for (int i = 0; i < N; ++i)
        {
            if (t[i] == ignore) continue;
            double wt = w?[t[i]] ?? 1;
            nll[i] = -wt * lp[i * C + t[i]];
            smooth[i] = -Enumerable.Range(0, C).Sum(k => (w?[k] ?? 1) * lp[i * C + k]);
            totalW += wt;
        }
        double[] per = nll.Select((v, i) => (1 - eps) * v + eps / C * smooth[i]).ToArray();
        return r switch
        {
            Reduction.None => per,
            Reduction.Sum => new[] { per.Sum() },
            _ => new[] { (1 - eps) * nll.Sum() / totalW + eps / C * smooth.Sum() / totalW },
        };
    }

    [Test]
    public void CrossEntropyWithClassIndicesMatchesPyTorchsDefinition(
        [Values] Reduction r, [Values] bool weighted, [Values(0.0, 0.2)] double eps, [Values] bool ignore)
    {
        double[] xd = Check.Values(N * C, 1, 6);
        long[] t = { 0, 3, 1, 1, 2, 3 };
        if (ignore) t[2] = -100;
        double[]? w = weighted ? new[] { 0.5, 1.0, 2.0, 1.5 } : null;
        using var wt = w is null ? null : Tensor.FromArray(w);
        using var loss = new CrossEntropyLoss(wt, reduction: r, labelSmoothing: eps);
        using var x = Check.Tensor(xd, new long[] { N, C }, DType.Float64);
        using var target = Tensor.FromArray(t);
        using var l = loss.Forward(x, target);
        double[] expected = Reference(xd, t, w, -100, eps, r);
        Check.Close(l, new Reference(expected, r == Reduction.None ? new long[] { N } : Array.Empty<long>()), 1e-12, 1e-12);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => loss.Forward(a[0], target), new[] { x }));
    }

    [Test]
    public void CrossEntropyWithProbabilitiesMatchesTheSoftTargetFormula([Values] Reduction r, [Values(0.0, 0.1)] double eps, [Values] bool weighted)
    {
        double[] xd = Check.Values(N * C, 2, 6);
        double[] p = LogSoftmaxRows(Check.Values(N * C, 3, 4), N, C).Select(Math.Exp).ToArray();
        double[]? w = weighted ? new[] { 0.5, 1.0, 2.0, 1.5 } : null;
        using var wt = w is null ? null : Tensor.FromArray(w);
        using var loss = new CrossEntropyLoss(wt, reduction: r, labelSmoothing: eps);
        using var x = Check.Tensor(xd, new long[] { N, C }, DType.Float64);
        using var target = Check.Tensor(p, new long[] { N, C }, DType.Float64);
        using var l = loss.Forward(x, target);
        double[] lp = LogSoftmaxRows(xd, N, C);
        double[] per = Enumerable.Range(0, N).Select(i => -Enumerable.Range(0, C).Sum(k => (w?[k] ?? 1) * ((1 - eps) * p[i * C + k] + eps / C) * lp[i * C + k])).ToArray();
        double[] expected = r switch { Reduction.None => per, Reduction.Sum => new[] { per.Sum() }, _ => new[] { per.Average() } };
        Check.Close(l, new Reference(expected, r == Reduction.None ? new long[] { N } : Array.Empty<long>()), 1e-12, 1e-12);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => loss.Forward(a[0], target), new[] { x }));
    }

    [Test]
    public void CrossEntropyOverSpatialDimensionsUsesDimensionOneForClasses()
    {
        using var loss = new CrossEntropyLoss(reduction: Reduction.None);
        using var x = Check.Tensor(Check.Values(2 * 3 * 5, 4), new long[] { 2, 3, 5 }, DType.Float64);
        using var t = Tensor.FromArray(new long[,] { { 0, 1, 2, 0, 1 }, { 2, 2, 1, 0, 0 } });
        using var l = loss.Forward(x, t);
        Assert.That(l.Shape, Is.EqualTo(new long[] { 2, 5 }));
        double[] xd = x.ToArray<double>();
        // element (1, 3): classes x[1, :, 3], target 0
        double[] col = Enumerable.Range(0, 3).Select(c => xd[15 + c * 5 + 3]).ToArray();
        double lse = Math.Log(col.Sum(Math.Exp));
        Assert.That(l.ToArray<double>()[8], Is.EqualTo(lse - col[0]).Within(1e-12));
    }

    [Test]
    public void NllLossTakesLogProbabilities()
    {
        double[] xd = Check.Values(N * C, 5, 6);
        double[] lp = LogSoftmaxRows(xd, N, C);
        long[] t = { 1, 2, 3, 0, 0, 1 };
        using var nll = new NLLLoss();
        using var x = Check.Tensor(lp, new long[] { N, C }, DType.Float64);
        using var target = Tensor.FromArray(t);
        using var l = nll.Forward(x, target);
        Assert.That(l.Item<double>(), Is.EqualTo(-Enumerable.Range(0, N).Average(i => lp[i * C + t[i]])).Within(1e-12));
    }

    [Test]
    public void OutOfRangeClassIndicesAreReported()
    {
        using var loss = new CrossEntropyLoss();
        using var x = Tensor.Zeros(3, 10);
        using var t = Tensor.FromArray(new long[] { 1, 10, 2 });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => loss.Forward(x, t));
        Assert.That(e!.Message, Does.Contain("10"));
    }

    [Test]
    public void MismatchedShapesAndDTypesNameTheLoss()
    {
        using var loss = new CrossEntropyLoss();
        using var x = Tensor.Zeros(3, 10);
        using var t = Tensor.FromArray(new long[] { 1, 2 });
        Assert.That(Assert.Throws<ShapeMismatchException>(() => loss.Forward(x, t))!.Message,
                    Is.EqualTo("CrossEntropyLoss: the input has shape [3, 10] (batch, classes, ...) but the target has shape [2]; expected [3]"));
        using var tf = Tensor.Zeros(3, 9);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => loss.Forward(x, tf))!.Message, Does.Contain("CrossEntropyLoss: the input has shape [3, 10] but the target has shape [3, 9]"));
        using var w = Tensor.Ones(3);
        using var weighted = new CrossEntropyLoss(w);
        using var ti = Tensor.FromArray(new long[] { 1, 2, 0 });
        Assert.That(Assert.Throws<ShapeMismatchException>(() => weighted.Forward(x, ti))!.Message, Does.Contain("3 class weights for 10 classes"));
    }

    [Test]
    public void SoftmaxModulesNormaliseAlongTheirDimension()
    {
        using var sm = new Softmax(1);
        using var lsm = new LogSoftmax(1);
        double[] xd = Check.Values(N * C, 6, 6);
        using var x = Check.Tensor(xd, new long[] { N, C }, DType.Float64);
        using var p = sm.Forward(x);
        using var lp = lsm.Forward(x);
        double[] expected = LogSoftmaxRows(xd, N, C);
        Check.Close(lp, new Reference(expected, N, C), 1e-12, 1e-12);
        Check.Close(p, new Reference(expected.Select(Math.Exp).ToArray(), N, C), 1e-12, 1e-12);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => sm.Forward(a[0]), new[] { x }));
        Assert.That(Wick.Autograd.GradCheck(a => lsm.Forward(a[0]), new[] { x }));
    }
}
