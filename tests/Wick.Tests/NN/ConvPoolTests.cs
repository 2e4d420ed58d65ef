using System;
using System.Linq;
using Wick.NN;
using Wick.Tests.Support;

namespace Wick.Tests.NN;

public class ConvPoolTests
{
    private static Tensor Input(long[] shape, int seed) =>
        Check.Tensor(Check.Values((int)shape.Aggregate(1L, (a, b) => a * b), seed), shape, DType.Float64);

    [TestCase(1, 0, 1, 1)]
    [TestCase(2, 1, 1, 1)]
    [TestCase(1, 2, 2, 2)]
    public void Conv2dMatchesTheDirectSumAndItsGradientsCheck(int stride, int pad, int dil, int groups)
    {
        using var conv = new Conv2d(4, 6, 3, stride, pad, dil, groups, dtype: DType.Float64, generator: new Generator(1));
        Assert.That(conv.Weight.Shape, Is.EqualTo(new long[] { 6, 4 / groups, 3, 3 }));
        long[] xs = { 2, 4, 7, 6 };
        using var x = Input(xs, 1);
        using var y = conv.Forward(x);
        var g = new ConvGeo(2, 4, 7, 6, 6, 3, 3, stride, stride, pad, pad, dil, dil, groups);
        double[] expected = ConvRef.Conv(g, x.ToArray<double>(), conv.Weight.ToArray<double>(), conv.Bias!.ToArray<double>());
        Check.Close(y, new Reference(expected, g.YShape), 1e-10, 1e-10);
        using var small = Input(new long[] { 1, 4, 5, 5 }, 2);
        small.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => conv.Forward(a[0]), new[] { small }));
        Assert.That(Wick.Autograd.GradCheck(p =>
        {
            using var c = new Conv2d(4, 6, 3, stride, pad, dil, groups, dtype: DType.Float64);
            using (Wick.Autograd.NoGrad()) { c.Weight.CopyFrom(p[0]); c.Bias!.CopyFrom(p[1]); }
            return new ConvFunction(2, false, true, c.Stride, c.Padding, c.Dilation, c.OutputPadding, groups).Run(small, p[0], p[1]);
        }, new[] { conv.Weight, conv.Bias! }));
    }

    [Test]
    public void Conv1dIsConv2dOnARowAndConvTranspose2dIsTheAdjointOfConv2d()
    {
        using var c1 = new Conv1d(3, 5, 4, stride: 2, padding: 1, dtype: DType.Float64, generator: new Generator(3));
        using var x1 = Input(new long[] { 2, 3, 11 }, 3);
        using var y1 = c1.Forward(x1);
        // A 2-D convolution of height 1, with padding 1 on the length only.
        var g1 = new ConvGeo(2, 3, 1, 11, 5, 1, 4, 1, 2, 0, 1, 1, 1, 1);
        double[] e = ConvRef.Conv(g1, x1.ToArray<double>(), c1.Weight.ToArray<double>(), c1.Bias!.ToArray<double>());
        Check.Close(y1, new Reference(e, 2, 5, g1.OW), 1e-10, 1e-10);

        // <conv(x), y> == <x, convT(y)> for the same weight and no bias.
        using var conv = new Conv2d(3, 4, 3, stride: 2, padding: 1, bias: false, dtype: DType.Float64, generator: new Generator(4));
        using var convT = new ConvTranspose2d(4, 3, 3, stride: 2, padding: 1, outputPadding: 1, bias: false, dtype: DType.Float64);
        using (Wick.Autograd.NoGrad()) convT.Weight.CopyFrom(conv.Weight);
        using var x = Input(new long[] { 1, 3, 8, 8 }, 5);
        using var cx = conv.Forward(x);
        using var yv = Input(cx.Shape, 6);
        using var ty = convT.Forward(yv);
        Assert.That(ty.Shape, Is.EqualTo(x.Shape));
        using var lhs = (cx * yv).Sum();
        using var rhs = (x * ty).Sum();
        Assert.That(lhs.Item<double>(), Is.EqualTo(rhs.Item<double>()).Within(1e-10));
        Assert.That(convT.ToString(), Is.EqualTo("ConvTranspose2d(4, 3, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), bias=False)"));
    }

    [Test]
    public void ConvolutionsStartWithPyTorchsBoundsAndShowTheirSettings()
    {
        using var conv = new Conv2d(8, 16, 5, generator: new Generator(2));
        double bound = 1 / Math.Sqrt(8 * 25);
        double[] w = conv.Weight.ToArray<float>().Select(v => (double)v).ToArray();
        Assert.That(w.Max(), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.97 * bound));
        Assert.That(conv.Bias!.ToArray<float>().Select(Math.Abs).Max(), Is.LessThanOrEqualTo(bound));
        Assert.That(conv.ToString(), Is.EqualTo("Conv2d(8, 16, kernel_size=(5, 5), stride=(1, 1))"));
        using var c1 = new Conv1d(2, 4, 3, padding: 1, groups: 2, bias: false);
        Assert.That(c1.ToString(), Is.EqualTo("Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=(1,), groups=2, bias=False)"));
    }

    [Test]
    public void AConvolutionFedTheWrongChannelCountNamesItselfAndTheShape()
    {
        using var conv = new Conv2d(3, 8, 3);
        using var x = Tensor.Zeros(2, 1, 28, 28);
        var e = Assert.Throws<ShapeMismatchException>(() => conv.Forward(x));
        Assert.That(e!.Message, Is.EqualTo("Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1)): the input has 1 channels (shape [2, 1, 28, 28]); expected 3"));
        using var flat = Tensor.Zeros(2, 784);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => conv.Forward(flat))!.Message, Does.Contain("expected a 4-d (batched) or 3-d (unbatched) input"));
        Assert.Throws<ArgumentException>(() => new Conv2d(3, 8, 3, groups: 2));
    }

    [Test]
    public void MaxPoolTakesWindowMaximaAndRoutesTheGradientToThem()
    {
        using var pool = new MaxPool2d(2);
        using var x = Input(new long[] { 2, 3, 6, 5 }, 7);
        using var y = pool.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(new long[] { 2, 3, 3, 2 }));
        double[] xd = x.ToArray<double>();
        var expected = new double[2 * 3 * 3 * 2];
        for (int nc = 0; nc < 6; ++nc)
            for (int p = 0; p < 3; ++p)
                for (int q = 0; q < 2; ++q)
                    expected[(nc * 3 + p) * 2 + q] = new[] { xd[nc * 30 + 2 * p * 5 + 2 * q], xd[nc * 30 + 2 * p * 5 + 2 * q + 1], xd[nc * 30 + (2 * p + 1) * 5 + 2 * q], xd[nc * 30 + (2 * p + 1) * 5 + 2 * q + 1] }.Max();
        Check.Close(y, new Reference(expected, 2, 3, 3, 2), 0, 0);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => pool.Forward(a[0]), new[] { x }));
        Assert.That(pool.ToString(), Is.EqualTo("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"));
    }

    [Test]
    public void AveragePoolsAverageTheirWindows()
    {
        using var x = Input(new long[] { 1, 2, 4, 6 }, 8);
        using var avg = new AvgPool2d(2);
        using var ad = new AdaptiveAvgPool2d(1);
        using var ya = avg.Forward(x);
        using var yg = ad.Forward(x);
        double[] xd = x.ToArray<double>();
        Assert.That(ya.ToArray<double>()[0], Is.EqualTo((xd[0] + xd[1] + xd[6] + xd[7]) / 4).Within(1e-12));
        Assert.That(yg.Shape, Is.EqualTo(new long[] { 1, 2, 1, 1 }));
        Assert.That(yg.ToArray<double>()[1], Is.EqualTo(xd.Skip(24).Average()).Within(1e-12));
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => avg.Forward(a[0]), new[] { x }));
        Assert.That(Wick.Autograd.GradCheck(a => ad.Forward(a[0]), new[] { x }));
    }
}
