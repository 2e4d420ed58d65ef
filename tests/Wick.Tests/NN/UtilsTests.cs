using System;
using System.Linq;
using Wick.NN;

namespace Wick.Tests.NN;

public class UtilsTests
{
    private static Tensor WithGrad(float[] value, float[] grad)
    {
        var p = Tensor.FromArray(value).SetRequiresGrad();
        using var g = Tensor.FromArray(grad);
        p.Grad = g;
        return p;
    }

    [Test]
    public void ClipGradNormScalesAllGradientsByOneFactor([Values(1.0, 2.0, 3.0)] double p)
    {
        using var a = WithGrad(new float[] { 0, 0 }, new float[] { 3, -4 });
        using var b = WithGrad(new float[] { 0 }, new float[] { 12 });
        double total = Math.Pow(Math.Pow(3, p) + Math.Pow(4, p) + Math.Pow(12, p), 1 / p);
        double norm = Utils.ClipGradNorm(new[] { a, b }, maxNorm: 1.0, normType: p);
        Assert.That(norm, Is.EqualTo(total).Within(1e-9 * total));
        double coef = 1.0 / (total + 1e-6);
        Assert.That(a.Grad!.ToArray<float>(), Is.EqualTo(new[] { (float)(3 * coef), (float)(-4 * coef) }).Within(1e-6));
        Assert.That(b.Grad!.ToArray<float>()[0], Is.EqualTo(12 * coef).Within(1e-6));
    }

    [Test]
    public void ClipGradNormLeavesSmallGradientsAlone()
    {
        using var a = WithGrad(new float[] { 0, 0 }, new float[] { 0.3f, 0.4f });
        double norm = Utils.ClipGradNorm(new[] { a }, maxNorm: 1.0);
        Assert.That(norm, Is.EqualTo(0.5).Within(1e-7));
        Assert.That(a.Grad!.ToArray<float>(), Is.EqualTo(new float[] { 0.3f, 0.4f }));
    }

    [Test]
    public void ClipGradNormWithTheInfinityNormUsesTheLargestMagnitude()
    {
        using var a = WithGrad(new float[] { 0, 0 }, new float[] { 3, -8 });
        double norm = Utils.ClipGradNorm(new[] { a }, maxNorm: 4.0, normType: double.PositiveInfinity);
        Assert.That(norm, Is.EqualTo(8));
        Assert.That(a.Grad!.ToArray<float>(), Is.EqualTo(new[] { 1.5f, -4f }).Within(1e-5));
    }

    [Test]
    public void ClipGradNormCanRefuseNonFiniteNorms()
    {
        using var a = WithGrad(new float[] { 0 }, new float[] { float.NaN });
        var e = Assert.Throws<InvalidOperationException>(() => Utils.ClipGradNorm(new[] { a }, 1.0, errorIfNonfinite: true));
        Assert.That(e!.Message, Does.Contain("NaN"));
    }

    [Test]
    public void ClipGradValueClampsEachElement()
    {
        using var a = WithGrad(new float[] { 0, 0, 0 }, new float[] { -5, 0.5f, 7 });
        using var b = Tensor.Zeros(2).SetRequiresGrad();  // no gradient: skipped
        Utils.ClipGradValue(new[] { a, b }, 1.0);
        Assert.That(a.Grad!.ToArray<float>(), Is.EqualTo(new float[] { -1, 0.5f, 1 }));
        Assert.That(b.Grad, Is.Null);
    }
}
