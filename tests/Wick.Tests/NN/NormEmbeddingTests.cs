using System;
using System.Linq;
using Wick.NN;
using Wick.Tests.Support;

namespace Wick.Tests.NN;

public class NormEmbeddingTests
{
    private static Tensor Input(long[] shape, int seed, double scale = 2) =>
        Check.Tensor(Check.Values((int)shape.Aggregate(1L, (a, b) => a * b), seed, scale), shape, DType.Float64);

    [Test]
    public void BatchNorm2dNormalisesPerChannelAndUpdatesRunningStatistics()
    {
        using var bn = new BatchNorm2d(3, momentum: 0.2, dtype: DType.Float64);
        long[] shape = { 4, 3, 2, 5 };
        using var x = Input(shape, 1, 6);
        double[] xd = x.ToArray<double>();
        using var y = bn.Forward(x);
        double[] yd = y.ToArray<double>();
        for (int c = 0; c < 3; ++c)
        {
            var idx = Enumerable.Range(0, xd.Length).Where(i => i / 10 % 3 == c).ToArray();
            double mean = idx.Average(i => xd[i]);
            double var = idx.Average(i => (xd[i] - mean) * (xd[i] - mean));
            foreach (int i in idx) Assert.That(yd[i], Is.EqualTo((xd[i] - mean) / Math.Sqrt(var + 1e-5)).Within(1e-10));
            Assert.That(bn.RunningMean!.ToArray<double>()[c], Is.EqualTo(0.2 * mean).Within(1e-12));
            Assert.That(bn.RunningVar!.ToArray<double>()[c], Is.EqualTo(0.8 + 0.2 * var * idx.Length / (idx.Length - 1)).Within(1e-12));
        }
        Assert.That(bn.NumBatchesTracked!.Item<long>(), Is.EqualTo(1));

        bn.Eval();
        using var ye = bn.Forward(x);
        double[] rm = bn.RunningMean!.ToArray<double>(), rv = bn.RunningVar!.ToArray<double>();
        double[] yed = ye.ToArray<double>();
        for (int i = 0; i < xd.Length; ++i)
            Assert.That(yed[i], Is.EqualTo((xd[i] - rm[i / 10 % 3]) / Math.Sqrt(rv[i / 10 % 3] + 1e-5)).Within(1e-10));
        Assert.That(bn.NumBatchesTracked!.Item<long>(), Is.EqualTo(1), "evaluation does not count batches");
    }

    [Test]
    public void BatchNormGradientsCheckInTrainingAndEvaluation([Values] bool training)
    {
        using var bn = new BatchNorm1d(3, dtype: DType.Float64);
        using (Wick.Autograd.NoGrad())
        {
            using var w = Input(new long[] { 3 }, 2);
            bn.Weight!.CopyFrom(w);
        }
        if (!training) bn.Eval();
        using var x = Input(new long[] { 5, 3 }, 3);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => bn.Forward(a[0]), new[] { x }));
        Assert.That(Wick.Autograd.GradCheck(a =>
        {
            using var fresh = new BatchNorm1d(3, dtype: DType.Float64);
            if (!training) fresh.Eval();
            return new NormFunction(NormFunction.Kind.Batch, true, 1e-5, training, fresh.RunningMean, fresh.RunningVar).Run(x, a[0], a[1]);
        }, new[] { bn.Weight!, bn.Bias! }));
    }

    [Test]
    public void BatchNormWithoutMomentumKeepsACumulativeAverage()
    {
        using var bn = new BatchNorm1d(1, momentum: null, dtype: DType.Float64);
        double[] means = { 1, 2, 6 };
        foreach (double m in means)
        {
            using var x = Tensor.FromArray(new[] { m - 1, m + 1 }, 2, 1);
            using var _ = bn.Forward(x);
        }
        Assert.That(bn.RunningMean!.Item<double>(), Is.EqualTo(3).Within(1e-12));
        Assert.That(bn.ToString(), Is.EqualTo("BatchNorm1d(1, eps=1e-05, momentum=None, affine=True, track_running_stats=True)"));
    }

    [Test]
    public void BatchNormRejectsWrongChannelsAndSingleValues()
    {
        using var bn = new BatchNorm2d(4);
        using var x = Tensor.Zeros(2, 3, 5, 5);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => bn.Forward(x))!.Message, Does.Contain("the input has 3 channels in dimension 1 (shape [2, 3, 5, 5]); expected 4"));
        using var one = Tensor.Zeros(1, 4, 1, 1);
        Assert.That(Assert.Throws<ArgumentException>(() => bn.Forward(one))!.Message, Does.Contain("more than 1 value per channel"));
    }

    [Test]
    public void LayerNormNormalisesTheLastDimensions([Values] bool affine)
    {
        using var ln = new LayerNorm(new long[] { 2, 3 }, elementwiseAffine: affine, dtype: DType.Float64);
        if (affine)
        {
            using (Wick.Autograd.NoGrad())
            {
                using var w = Input(new long[] { 2, 3 }, 4);
                using var b = Input(new long[] { 2, 3 }, 5);
                ln.Weight!.CopyFrom(w);
                ln.Bias!.CopyFrom(b);
            }
        }
        using var x = Input(new long[] { 4, 2, 3 }, 6, 5);
        using var y = ln.Forward(x);
        double[] xd = x.ToArray<double>(), yd = y.ToArray<double>();
        double[] w0 = affine ? ln.Weight!.ToArray<double>() : Enumerable.Repeat(1.0, 6).ToArray();
        double[] b0 = affine ? ln.Bias!.ToArray<double>() : new double[6];
        for (int r = 0; r < 4; ++r)
        {
            var row = xd.Skip(r * 6).Take(6).ToArray();
            double m = row.Average(), v = row.Average(e => (e - m) * (e - m));
            for (int k = 0; k < 6; ++k) Assert.That(yd[r * 6 + k], Is.EqualTo((row[k] - m) / Math.Sqrt(v + 1e-5) * w0[k] + b0[k]).Within(1e-10));
        }
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => ln.Forward(a[0]), new[] { x }));
        using var bad = Tensor.Zeros(4, 3, 2);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => ln.Forward(bad))!.Message, Does.Contain("last dimensions must be [2, 3], got shape [4, 3, 2]"));
    }

    [Test]
    public void GroupNormNormalisesEachGroupOfChannels()
    {
        using var gn = new GroupNorm(2, 4, dtype: DType.Float64);
        using var x = Input(new long[] { 2, 4, 3 }, 7, 5);
        using var y = gn.Forward(x);
        double[] xd = x.ToArray<double>(), yd = y.ToArray<double>();
        for (int n = 0; n < 2; ++n)
            for (int g = 0; g < 2; ++g)
            {
                var idx = Enumerable.Range(n * 12 + g * 6, 6).ToArray();
                double m = idx.Average(i => xd[i]), v = idx.Average(i => (xd[i] - m) * (xd[i] - m));
                foreach (int i in idx) Assert.That(yd[i], Is.EqualTo((xd[i] - m) / Math.Sqrt(v + 1e-5)).Within(1e-10));
            }
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => gn.Forward(a[0]), new[] { x }));
        Assert.Throws<ArgumentException>(() => new GroupNorm(3, 4));
    }

    [Test]
    public void EmbeddingLooksUpRowsAndKeepsThePaddingRowAtZero()
    {
        using var emb = new Embedding(5, 3, paddingIdx: 1, dtype: DType.Float64, generator: new Generator(1));
        Assert.That(emb.Weight.Select(0, 1).ToArray<double>(), Is.EqualTo(new double[] { 0, 0, 0 }));
        using var idx = Tensor.FromArray(new long[,] { { 0, 1 }, { 4, 0 } });
        using var y = emb.Forward(idx);
        Assert.That(y.Shape, Is.EqualTo(new long[] { 2, 2, 3 }));
        double[] w = emb.Weight.ToArray<double>(), yd = y.ToArray<double>();
        Assert.That(yd.Skip(6).Take(3), Is.EqualTo(w.Skip(12).Take(3)));
        using (var scope = DisposeScope.Begin())
        {
            emb.Forward(idx).Sum().Backward();
        }
        double[] g = emb.Weight.Grad!.ToArray<double>();
        Assert.That(g, Is.EqualTo(new double[] { 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1 }), "row 0 used twice, padding row 1 gets nothing");
        using var bad = Tensor.FromArray(new long[] { 5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => emb.Forward(bad));
        using var floats = Tensor.Zeros(2);
        Assert.That(Assert.Throws<DTypeException>(() => emb.Forward(floats))!.Message, Does.Contain("indices must be Int64"));
        Assert.That(emb.ToString(), Is.EqualTo("Embedding(5, 3, padding_idx=1)"));
    }
}
