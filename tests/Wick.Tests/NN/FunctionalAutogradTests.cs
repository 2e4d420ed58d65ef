using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using Wick.Tests.Autograd;
using SampleLayout = Wick.Tests.Autograd.Layout;

namespace Wick.Tests.NN;

/// <summary>
/// The Wick.Functional ops (and Tensor.Softmax / LogSoftmax) record autograd when an operand requires grad, through the
/// same Functions the layers use: first and second derivatives match central differences. Without gradients they call
/// the kernel directly and the result has no history.
/// </summary>
public class FunctionalAutogradTests
{
    private static Tensor X(long[] shape, int seed, SampleLayout layout = SampleLayout.Contiguous, double lo = -2, double hi = 2) =>
        Samples.Uniform(shape, lo, hi, seed, layout);

    public static IEnumerable<LayerCase> Cases()
    {
        yield return new("Tensor.Softmax", () => (a => a[0].Softmax(-1), new[] { X(new long[] { 2, 4 }, 1, SampleLayout.Transposed) }));
        yield return new("Tensor.LogSoftmax", () => (a => a[0].LogSoftmax(0), new[] { X(new long[] { 3, 2 }, 2) }));
        yield return new("Functional.CrossEntropy with class weights", () =>
        {
            var t = Tensor.FromArray(new long[] { 2, 0, 1 });
            var w = Tensor.FromArray(new[] { 1.0, 2.0, 0.5 });
            return (a => Functional.CrossEntropy(a[0], t, w), new[] { X(new long[] { 3, 3 }, 3) });
        });
        yield return new("Functional.Conv1d", () =>
            (a => Functional.Conv1d(a[0], a[1], a[2], stride: 2, padding: 1), new[] { X(new long[] { 1, 2, 6 }, 4), X(new long[] { 3, 2, 3 }, 5), X(new long[] { 3 }, 6) }));
        yield return new("Functional.Conv2d with (height, width) stride, padding and dilation", () =>
            (a => Functional.Conv2d(a[0], a[1], null, (2, 1), (0, 1), (1, 2)), new[] { X(new long[] { 1, 2, 5, 5 }, 7), X(new long[] { 2, 2, 2, 2 }, 8) }));
        yield return new("Functional.ConvTranspose2d with (height, width) stride and padding", () =>
            (a => Functional.ConvTranspose2d(a[0], a[1], a[2], (2, 1), (1, 0), (1, 0), 1, (1, 1)),
             new[] { X(new long[] { 1, 2, 3, 3 }, 9), X(new long[] { 2, 2, 3, 2 }, 10), X(new long[] { 2 }, 11) }));
        yield return new("Functional.MaxPool2d", () => (a => Functional.MaxPool2d(a[0], 2, 1), new[] { X(new long[] { 1, 1, 3, 4 }, 12) }));
        yield return new("Functional.AvgPool2d (height, width)", () =>
            (a => Functional.AvgPool2d(a[0], (2, 3), (1, 2), (1, 1), countIncludePad: false), new[] { X(new long[] { 1, 2, 4, 5 }, 13) }));
        yield return new("Functional.AdaptiveAvgPool2d", () => (a => Functional.AdaptiveAvgPool2d(a[0], 2), new[] { X(new long[] { 1, 1, 5, 3 }, 14) }));
        yield return new("Functional.BatchNorm training with a weight and no bias", () =>
            (a => Functional.BatchNorm(a[0], null, null, a[1], null, training: true), new[] { X(new long[] { 4, 2 }, 15), X(new long[] { 2 }, 16, lo: 0.5) }));
        yield return new("Functional.LayerNorm with a bias and no weight", () =>
            (a => Functional.LayerNorm(a[0], new long[] { 3 }, null, a[1]), new[] { X(new long[] { 2, 3 }, 17), X(new long[] { 3 }, 18) }));
        yield return new("Functional.GroupNorm", () =>
            (a => Functional.GroupNorm(a[0], 2, a[1], a[2]), new[] { X(new long[] { 2, 4, 2 }, 19), X(new long[] { 4 }, 20, lo: 0.5), X(new long[] { 4 }, 21) }));
        yield return new("Functional.Embedding", () =>
        {
            var idx = Tensor.FromArray(new long[] { 1, 0, 1, 2 });
            return (a => Functional.Embedding(idx, a[0]).Pow(2.0), new[] { X(new long[] { 3, 2 }, 22) });
        });
        yield return new("Functional.Interpolate bilinear", () =>
            (a => Functional.Interpolate(a[0], (3, 4), null, InterpolateMode.Bilinear), new[] { X(new long[] { 1, 1, 2, 3 }, 23) }));
        yield return new("Functional.NllLoss none", () =>
        {
            var t = Tensor.FromArray(new long[] { 1, 0 });
            return (a => Functional.NllLoss(a[0], t, reduction: Reduction.None), new[] { X(new long[] { 2, 2 }, 24) });
        });
    }

    public static IEnumerable<TestCaseData> Rows() => Cases().Select(c => new TestCaseData(c).SetName($"Functional derivatives: {c.Name}"));

    [TestCaseSource(nameof(Rows))]
    public void FirstAndSecondDerivativesMatchCentralDifferences(LayerCase c)
    {
        using var scope = DisposeScope.Begin();
        var (f, inputs) = c.Make();
        Tensor y = f(inputs);
        Assert.That(y.RequiresGrad, Is.True, "recorded when an operand requires grad");
        Assert.That(Wick.Autograd.GradCheck(f, inputs), Is.True);
        Assert.That(Wick.Autograd.GradGradCheck(f, inputs), Is.True);
    }

    [Test]
    public void WithoutGradientsTheFunctionalOpsLeaveNoHistory()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.RandN(new long[] { 1, 2, 4, 4 }, DType.Float64, generator: new Generator(1));
        var w = Tensor.RandN(new long[] { 3, 2, 3, 3 }, DType.Float64, generator: new Generator(2));
        Assert.That(Functional.Conv2d(x, w).GradFn, Is.Null);
        Assert.That(x.Softmax(1).RequiresGrad, Is.False);
        x.RequiresGrad = true;
        using (Wick.Autograd.NoGrad()) Assert.That(Functional.Conv2d(x, w).RequiresGrad, Is.False);
        Assert.That(Functional.Conv2d(x, w).GradFn!.Name, Is.EqualTo("Conv2dBackward"));
        Assert.That(x.Softmax(1).GradFn!.Name, Is.EqualTo("SoftmaxBackward"));
        Assert.That(Functional.Interpolate(x, scaleFactor: (2, 2)).GradFn!.Name, Is.EqualTo("InterpolateBackward"));
    }
}
