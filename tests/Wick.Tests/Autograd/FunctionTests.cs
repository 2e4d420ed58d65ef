using System;

namespace Wick.Tests.Autograd;

public class FunctionTests
{
    /// <summary>y = x^3 with a hand-written backward that saves its input.</summary>
    private sealed class Cube : Function
    {
        protected override Tensor[] Forward(Tensor[] x)
        {
            SaveForBackward(x[0]);
            return new[] { x[0] * x[0] * x[0] };
        }

        protected override Tensor?[] Backward(Tensor[] g)
        {
            Tensor x = SavedTensors[0];
            return new[] { g[0] * 3.0 * x * x };
        }
    }

    /// <summary>Two outputs (sum and product of two inputs), the second marked non-differentiable when asked.</summary>
    private sealed class SumAndProduct : Function
    {
        public bool SecondNonDifferentiable;
        public bool[] Needs = Array.Empty<bool>();

        protected override Tensor[] Forward(Tensor[] x)
        {
            SaveForBackward(x[0], x[1]);
            var p = x[0] * x[1];
            if (SecondNonDifferentiable) MarkNonDifferentiable(p);
            return new[] { x[0] + x[1], p };
        }

        protected override Tensor?[] Backward(Tensor[] g)
        {
            Needs = new[] { NeedsInputGrad(0), NeedsInputGrad(1) };
            Tensor a = SavedTensors[0], b = SavedTensors[1];
            return new[] { NeedsInputGrad(0) ? g[0] + g[1] * b : null, NeedsInputGrad(1) ? g[0] + g[1] * a : null };
        }
    }

    private sealed class WrongCount : Function
    {
        protected override Tensor[] Forward(Tensor[] x) => new[] { x[0] * 2.0 };
        protected override Tensor?[] Backward(Tensor[] g) => new Tensor?[] { g[0], g[0] };
    }

    private sealed class WrongShape : Function
    {
        protected override Tensor[] Forward(Tensor[] x) => new[] { x[0].Sum() };
        protected override Tensor?[] Backward(Tensor[] g) => new Tensor?[] { Tensor.Ones(new long[] { 5 }, DType.Float64) };
    }

    /// <summary>y = 2x, with a backward that is wrong on purpose (returns 3g): GradCheck must catch it.</summary>
    private sealed class WrongDouble : Function
    {
        protected override Tensor[] Forward(Tensor[] x) => new[] { x[0] * 2.0 };
        protected override Tensor?[] Backward(Tensor[] g) => new Tensor?[] { g[0] * 3.0 };
    }

    [Test]
    public void ACustomFunctionRecordsOneNodeNamedAfterItAndComputesItsGradient()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        Tensor y = new Cube().Apply(x)[0];
        Assert.That(y.GradFn!.Name, Is.EqualTo("CubeBackward"));
        Assert.That(y.GradFn!.NextFunctions[0]!.Name, Is.EqualTo("AccumulateGrad"), "forward ops inside it are not recorded");
        y.Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 3, 12 }));
    }

    [Test]
    public void ACustomFunctionPassesGradCheckAndGradGradCheck()
    {
        using var scope = DisposeScope.Begin();
        var x = Samples.Uniform(new long[] { 2, 3 }, -1, 1, 42, Layout.Transposed);
        Assert.That(Wick.Autograd.GradCheck(xs => new Cube().Apply(xs)[0], new[] { x }), Is.True);
        Assert.That(Wick.Autograd.GradGradCheck(xs => new Cube().Apply(xs)[0], new[] { x }), Is.True);
    }

    [Test]
    public void MultipleOutputsMissingGradientsAndNeedsInputGrad()
    {
        using var scope = DisposeScope.Begin();
        var a = Tensor.FromArray(new double[] { 2 }).SetRequiresGrad();
        var b = Tensor.FromArray(new double[] { 5 });
        var f = new SumAndProduct();
        Tensor[] outs = f.Apply(a, b);
        outs[0].Sum().Backward();  // the product gets no gradient: zeros are passed for it
        Assert.That(f.Needs, Is.EqualTo(new[] { true, false }));
        Assert.That(a.Grad!.Item<double>(), Is.EqualTo(1));
        var g = new SumAndProduct { SecondNonDifferentiable = true };
        Tensor[] outs2 = g.Apply(a, b);
        Assert.That(outs2[1].RequiresGrad, Is.False);
        Assert.That(Wick.Autograd.GradCheck(xs => new SumAndProduct().Apply(xs), new[] { Samples.Uniform(new long[] { 3 }, -1, 1, 1), Samples.Uniform(new long[] { 3 }, -1, 1, 2) }), Is.True);
    }

    [Test]
    public void SavedTensorsOfACustomFunctionAreVersionChecked()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        var h = x * 1.0;
        Tensor y = new Cube().Apply(h)[0];
        h.AddInPlace(1.0);
        Assert.That(() => y.Sum().Backward(), Throws.InvalidOperationException.With.Message.Contains("CubeBackward").And.Message.Contains("version"));
    }

    [Test]
    public void ABackwardReturningTheWrongNumberOfGradientsIsReported()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1 }).SetRequiresGrad();
        Tensor y = new WrongCount().Apply(x)[0];
        Assert.That(() => y.Sum().Backward(), Throws.InvalidOperationException.With.Message.Contains("WrongCountBackward").And.Message.Contains("returned 2 gradients").And.Message.Contains("took 1 inputs"));
    }

    [Test]
    public void ABackwardReturningAGradientOfTheWrongShapeIsReported()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        Tensor y = new WrongShape().Apply(x)[0];
        Assert.That(() => y.Backward(), Throws.TypeOf<ShapeMismatchException>().With.Message.Contains("index 0").And.Message.Contains("[5]").And.Message.Contains("[2]"));
    }

    [Test]
    public void GradCheckReportsTheInputTheElementsAndBothValuesOfAWrongBackward()
    {
        using var scope = DisposeScope.Begin();
        var x = Samples.Uniform(new long[] { 2, 2 }, -1, 1, 3);
        var e = Assert.Throws<GradCheckException>(() => Wick.Autograd.GradCheck(xs => new WrongDouble().Apply(xs)[0], new[] { x }));
        Assert.That(e!.Message, Does.Contain("with respect to input 0").And.Contain("input element [0, 0]").And.Contain("output element [0, 0]")
                                    .And.Contain("analytical 3").And.Contain("numerical 2"));
        Assert.That(Wick.Autograd.GradCheck(xs => new WrongDouble().Apply(xs)[0], new[] { x }, raiseException: false), Is.False);
    }

    [Test]
    public void GradCheckRefusesSinglePrecisionAndOverlappingInputs()
    {
        using var scope = DisposeScope.Begin();
        var f32 = Tensor.FromArray(new float[] { 1 }).SetRequiresGrad();
        Assert.That(() => Wick.Autograd.GradCheck(xs => xs[0] * 2.0, new[] { f32 }), Throws.TypeOf<DTypeException>().With.Message.Contains("Float64"));
        var expanded = Tensor.FromArray(new double[] { 1 }).Expand(3).Detach().SetRequiresGrad();
        Assert.That(() => Wick.Autograd.GradCheck(xs => xs[0] * 2.0, new[] { expanded }), Throws.ArgumentException.With.Message.Contains("overlaps"));
    }

    [Test]
    public void AFunctionInstanceRecordsOneCall()
    {
        using var scope = DisposeScope.Begin();
        var f = new Cube();
        var x = Tensor.FromArray(new double[] { 1 }).SetRequiresGrad();
        f.Apply(x);
        Assert.That(() => f.Apply(x), Throws.InvalidOperationException.With.Message.Contains("new instance"));
    }

    [Test]
    public void WithoutGradTheFunctionJustRunsForward()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 2 });
        Tensor y = new Cube().Apply(x)[0];
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(y.Item<double>(), Is.EqualTo(8));
    }
}
