using System;
using System.Linq;
using Wick.NN;
using Wick.Tests.Support;

namespace Wick.Tests.NN;

public class LinearTests
{
    [Test]
    public void ForwardIsXTimesWTransposedPlusBias([Values] bool bias)
    {
        using var lin = new Linear(5, 3, bias, DType.Float64, generator: new Generator(1));
        double[] xd = Check.Values(2 * 4 * 5, 1);
        using var x = Check.Tensor(xd, new long[] { 2, 4, 5 }, DType.Float64);
        using var y = lin.Forward(x);
        double[] w = lin.Weight.ToArray<double>();
        double[]? b = lin.Bias?.ToArray<double>();
        var expected = new double[2 * 4 * 3];
        for (int r = 0; r < 8; ++r)
            for (int o = 0; o < 3; ++o)
            {
                double s = b?[o] ?? 0;
                for (int i = 0; i < 5; ++i) s += xd[r * 5 + i] * w[o * 5 + i];
                expected[r * 3 + o] = s;
            }
        Check.Close(y, new Reference(expected, 2, 4, 3), 1e-12, 1e-12);
    }

    [Test]
    public void GradientsPassTheGradientCheck()
    {
        using var lin = new Linear(4, 3, dtype: DType.Float64, generator: new Generator(2));
        using var x = Check.Tensor(Check.Values(8, 2), new long[] { 2, 4 }, DType.Float64);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(xs => lin.Forward(xs[0]), new[] { x }));
        Assert.That(Wick.Autograd.GradCheck(ps =>
        {
            using var wt = ps[0].T;
            using var xw = x.MatMul(wt);
            return xw + ps[1];
        }, new[] { lin.Weight, lin.Bias! }));
        using (var scope = DisposeScope.Begin())
        {
            lin.Forward(x).Sum().Backward();
            // d(sum y)/dW[o, i] = sum over rows of x[r, i]; d/db[o] = rows.
            double[] xd = x.ToArray<double>();
            double[] gw = lin.Weight.Grad!.ToArray<double>();
            for (int o = 0; o < 3; ++o)
                for (int i = 0; i < 4; ++i) Assert.That(gw[o * 4 + i], Is.EqualTo(xd[i] + xd[4 + i]).Within(1e-12));
            Assert.That(lin.Bias!.Grad!.ToArray<double>(), Has.All.EqualTo(2.0));
        }
    }

    [Test]
    public void AWrongFeatureCountNamesTheLayerAndTheShape()
    {
        using var lin = new Linear(784, 10);
        using var x = Tensor.Zeros(32, 100);
        var e = Assert.Throws<ShapeMismatchException>(() => lin.Forward(x));
        Assert.That(e!.Message, Does.StartWith("Linear(in_features=784, out_features=10, bias=True): input has 100 features in its last dimension (shape [32, 100])"));
    }

    [Test]
    public void OneDimensionalAndEmptyBatchesWork()
    {
        using var lin = new Linear(3, 2);
        using var v = Tensor.Ones(3);
        using (var y = lin.Forward(v)) Assert.That(y.Shape, Is.EqualTo(new long[] { 2 }));
        using var empty = Tensor.Zeros(0, 3);
        using (var y = lin.Forward(empty)) Assert.That(y.Shape, Is.EqualTo(new long[] { 0, 2 }));
    }
}
