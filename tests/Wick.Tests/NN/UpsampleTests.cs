using System;
using Wick.NN;
using Wick.Tests.Autograd;
using SampleLayout = Wick.Tests.Autograd.Layout;

namespace Wick.Tests.NN;

public class UpsampleTests
{
    [Test]
    public void NearestUpsamplingRepeatsEachPixelAndTrains()
    {
        using var scope = DisposeScope.Begin();
        var x = Samples.Uniform(new long[] { 1, 2, 2, 3 }, -1, 1, 1, SampleLayout.Transposed);
        using var up = new Upsample(2.0);
        Tensor y = up.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(new long[] { 1, 2, 4, 6 }));
        double[] xv = x.Contiguous().ToArray<double>(), yv = y.ToArray<double>();
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < 4; ++i)
                for (int j = 0; j < 6; ++j)
                    Assert.That(yv[(c * 4 + i) * 6 + j], Is.EqualTo(xv[(c * 2 + i / 2) * 3 + j / 2]));
        Assert.That(y.GradFn!.Name, Is.EqualTo("UpsampleBackward"));
        y.Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.All.EqualTo(4.0), "each input pixel feeds a 2x2 block");
    }

    [Test]
    public void BilinearUpsamplingMatchesInterpolate()
    {
        using var scope = DisposeScope.Begin();
        var x = Samples.Uniform(new long[] { 2, 1, 3, 2 }, -1, 1, 2);
        using var up = new Upsample((5, 4), mode: InterpolateMode.Bilinear, alignCorners: true);
        Tensor y = up.Forward(x), expected = Functional.Interpolate(x, (5, 4), null, InterpolateMode.Bilinear, true);
        Assert.That(y.ToArray<double>(), Is.EqualTo(expected.ToArray<double>()));
        Assert.That(Wick.Autograd.GradCheck(a => up.Forward(a[0]), new[] { x }));
    }

    [Test]
    public void UpsampleReadsLikePyTorchAndRejectsAmbiguousArguments()
    {
        Assert.That(new Upsample(2.0).ToString(), Is.EqualTo("Upsample(scale_factor=2.0, mode='nearest')"));
        Assert.That(new Upsample((4, 6), mode: InterpolateMode.Bilinear).ToString(), Is.EqualTo("Upsample(size=(4, 6), mode='bilinear')"));
        var both = Assert.Throws<ArgumentException>(() => _ = new Upsample((4, 4), (2.0, 2.0)));
        Assert.That(both!.Message, Does.Contain("exactly one of size and scaleFactor"));
        var align = Assert.Throws<ArgumentException>(() => _ = new Upsample(2.0, alignCorners: true));
        Assert.That(align!.Message, Does.Contain("alignCorners only applies to bilinear"));
        using var scope = DisposeScope.Begin();
        var e = Assert.Throws<ShapeMismatchException>(() => new Upsample(2.0).Forward(Tensor.Zeros(new long[] { 2, 3 }, DType.Float64)));
        Assert.That(e!.Message, Does.Contain("expected input (N, C, H, W)"));
    }
}
