using System;

namespace Wick.Tests.Autograd;

public class BackwardTests
{
    private static Tensor Leaf(params double[] values) => Tensor.FromArray(values).SetRequiresGrad();

    [Test]
    public void ProductRuleGivesEachFactorTheOther()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2, 3);
        var y = Leaf(4, 5, 6);
        (x * y).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 4, 5, 6 }));
        Assert.That(y.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3 }));
    }

    [Test]
    public void ResultsOfRecordedOpsAreNonLeavesWithNamedNodes()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        var y = x * 2.0;
        var s = y.Sum();
        Assert.Multiple(() =>
        {
            Assert.That(x.IsLeaf, Is.True);
            Assert.That(x.GradFn, Is.Null);
            Assert.That(y.IsLeaf, Is.False);
            Assert.That(y.RequiresGrad, Is.True);
            Assert.That(y.GradFn!.Name, Is.EqualTo("MulBackward"));
            Assert.That(s.GradFn!.Name, Is.EqualTo("SumBackward"));
            Assert.That(s.GradFn!.NextFunctions[0], Is.SameAs(y.GradFn));
            Assert.That(y.GradFn!.NextFunctions[0]!.Name, Is.EqualTo("AccumulateGrad"));
        });
    }

    [Test]
    public void GradientsAccumulateAcrossTwoBackwardPassesIntoTheSameGradObject()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2, 3);
        (x * x).Sum().Backward();
        Tensor first = x.Grad!;
        (x * 3.0).Sum().Backward();
        Assert.That(x.Grad, Is.SameAs(first));
        // d/dx (x^2) + d/dx (3x) = 2x + 3
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 5, 7, 9 }));
    }

    [Test]
    public void SettingGradToNullResetsAccumulation()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        (x * 5.0).Sum().Backward();
        Tensor old = x.Grad!;
        x.Grad = null;
        Assert.That(old.IsDisposed, Is.True, "the leaf owns its gradient and frees it when replaced");
        (x * 2.0).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, 2 }));
    }

    [Test]
    public void ATensorUsedTwiceReceivesTheSumOfBothPaths()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(2, -3);
        var y = x * x + x.Exp();  // dy/dx = 2x + e^x
        y.Sum().Backward();
        double[] g = x.Grad!.ToArray<double>();
        Assert.That(g[0], Is.EqualTo(2 * 2 + Math.Exp(2)).Within(1e-12));
        Assert.That(g[1], Is.EqualTo(2 * -3 + Math.Exp(-3)).Within(1e-12));
    }

    [Test]
    public void BroadcastOperandsGetGradientsSummedToTheirShape()
    {
        using var scope = DisposeScope.Begin();
        var a = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }).SetRequiresGrad();  // (2, 3)
        var b = Tensor.FromArray(new double[] { 10, 20, 30 }).SetRequiresGrad();                  // (3)
        var c = Tensor.FromArray(new double[,] { { 2 }, { 3 } }).SetRequiresGrad();               // (2, 1)
        ((a + b) * c).Sum().Backward();
        Assert.That(b.Grad!.Shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(b.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 5, 5, 5 }));
        Assert.That(c.Grad!.Shape, Is.EqualTo(new long[] { 2, 1 }));
        // sum over the row of (a + b): row 0: 6 + 60, row 1: 15 + 60
        Assert.That(c.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 66, 75 }));
        Assert.That(a.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, 2, 2, 3, 3, 3 }));
    }

    [Test]
    public void BackwardWithAnExplicitGradientWeighsTheOutputs()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2, 3);
        var y = x * x;
        y.Backward(Tensor.FromArray(new double[] { 1, 10, 100 }));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, 40, 600 }));
    }

    [Test]
    public void MixedPrecisionOperandsGetGradientsInTheirOwnDType()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new float[] { 1, 2 }).SetRequiresGrad();
        var w = Leaf(3, 4);
        (x * w).Sum().Backward();
        Assert.That(x.Grad!.DType, Is.EqualTo(DType.Float32));
        Assert.That(x.Grad!.ToArray<float>(), Is.EqualTo(new float[] { 3, 4 }));
        Assert.That(w.Grad!.DType, Is.EqualTo(DType.Float64));
    }

    [Test]
    public void BackwardOnANonScalarWithoutGradientExplainsWhatToPass()
    {
        using var scope = DisposeScope.Begin();
        var y = Leaf(1, 2) * 2.0;
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(e!.Message, Does.Contain("only for a one-element output").And.Contain("[2]").And.Contain("Sum()"));
    }

    [Test]
    public void BackwardOnATensorThatDoesNotRequireGradSaysSo()
    {
        using var scope = DisposeScope.Begin();
        var y = Tensor.FromArray(new double[] { 1, 2 }).Sum();
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.That(e!.Message, Does.Contain("does not require grad").And.Contain("RequiresGrad = true"));
    }

    [Test]
    public void BackwardWithAGradientOfTheWrongShapeNamesBothShapes()
    {
        using var scope = DisposeScope.Begin();
        var y = Leaf(1, 2, 3) * 2.0;
        var e = Assert.Throws<ShapeMismatchException>(() => y.Backward(Tensor.Ones(new long[] { 2 }, DType.Float64)));
        Assert.That(e!.Message, Does.Contain("[2]").And.Contain("[3]"));
    }

    [Test]
    public void ASecondBackwardThroughAFreedGraphThrowsLikePyTorch()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        var loss = (x * x).Sum();
        loss.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.That(e!.Message, Does.Contain("Trying to backward through the graph a second time").And.Contain("retainGraph: true").And.Contain("MulBackward"));
    }

    [Test]
    public void RetainGraphAllowsASecondBackward()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        var loss = (x * x).Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 4, 8 }));
    }

    [Test]
    public void RequiresGradOnAnIntegerTensorIsRefused()
    {
        using var t = Tensor.FromArray(new long[] { 1, 2 });
        var e = Assert.Throws<DTypeException>(() => t.RequiresGrad = true);
        Assert.That(e!.Message, Does.Contain("floating-point").And.Contain("Int64"));
    }

    [Test]
    public void RequiresGradCannotBeTurnedOffOnANonLeaf()
    {
        using var scope = DisposeScope.Begin();
        var y = Leaf(1) * 2.0;
        var e = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.That(e!.Message, Does.Contain("leaf").And.Contain("Detach()"));
    }

    [Test]
    public void NonDifferentiableOpsGiveResultsThatDoNotRequireGrad()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, -2);
        Assert.Multiple(() =>
        {
            Assert.That(x.Gt(0.0).RequiresGrad, Is.False);
            Assert.That(x.Eq(x).RequiresGrad, Is.False);
            Assert.That(x.To(DType.Int64).RequiresGrad, Is.False);
            Assert.That(x.To(DType.Float32).RequiresGrad, Is.True);
        });
    }

    [Test]
    public void GradOfAnIntegerInputIsRefusedClearly()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        var i = x.To(DType.Int64);
        var e = Assert.Throws<DTypeException>(() => Wick.Autograd.Grad(x.Sum(), i));
        Assert.That(e!.Message, Does.Contain("Int64").And.Contain("floating-point"));
    }

    [Test]
    public void BackwardThroughAnIntegerResultIsRefusedClearly()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1.5, 2.5);
        var e = Assert.Throws<DTypeException>(() => x.To(DType.Int64).Sum().Backward());
        Assert.That(e!.Message, Does.Contain("Int64").And.Contain("carry no gradient"));
    }

    [Test]
    public void DetachSharesMemoryButNotHistory()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        var y = x * 2.0;
        var d = y.Detach();
        Assert.That(d.RequiresGrad, Is.False);
        Assert.That(d.StorageId, Is.EqualTo(y.StorageId));
        (y * d).Sum().Backward();  // d is a constant: d/dx (2x * 2x_const) = 2 * d
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 4, 8 }));
    }

    [Test]
    public void DetachInPlaceMakesALeaf()
    {
        using var scope = DisposeScope.Begin();
        var y = Leaf(1, 2) * 2.0;
        y.DetachInPlace();
        Assert.That(y.IsLeaf && !y.RequiresGrad, Is.True);
    }

    [Test]
    public void FunctionalGradReturnsGradientsWithoutAccumulating()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2, 3);
        var y = (x * x * x).Sum();
        Tensor g = Wick.Autograd.Grad(y, x)!;
        Assert.That(g.ToArray<double>(), Is.EqualTo(new double[] { 3, 12, 27 }));
        Assert.That(x.Grad, Is.Null);
    }

    [Test]
    public void FunctionalGradOfAnUnusedInputThrowsUnlessAllowed()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1);
        var z = Leaf(2);
        var y = (x * 2.0).Sum();
        var e = Assert.Throws<InvalidOperationException>(() => Wick.Autograd.Grad(new[] { y }, new[] { x, z }, retainGraph: true));
        Assert.That(e!.Message, Does.Contain("input 1").And.Contain("allowUnused"));
        Tensor?[] g = Wick.Autograd.Grad(new[] { y }, new[] { x, z }, allowUnused: true);
        Assert.That(g[1], Is.Null);
        Assert.That(g[0]!.ToArray<double>(), Is.EqualTo(new double[] { 2 }));
    }

    [Test]
    public void FunctionalGradWithRespectToAnIntermediateTensor()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        var h = x * 3.0;
        var y = (h * h).Sum();
        Tensor g = Wick.Autograd.Grad(y, h)!;  // 2h
        Assert.That(g.ToArray<double>(), Is.EqualTo(new double[] { 6, 12 }));
    }

    [Test]
    public void ToStringShowsTheGradFnOrRequiresGradAndRecordsNothing()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        var y = x * 2.0;
        Assert.That(y.ToString(), Is.EqualTo("tensor([2., 4.], dtype=Float64, gradFn=<MulBackward>)"));
        Assert.That(x.ToString(), Does.EndWith("requiresGrad=True)"));
        var big = Tensor.Zeros(new long[] { 40, 40 }, DType.Float64).SetRequiresGrad() * 1.0;
        Node before = big.GradFn!;
        _ = big.ToString();
        Assert.That(big.GradFn, Is.SameAs(before));
    }

    [Test]
    public void FunctionalGradChecksItsArguments()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        var y = (x * x).Sum();
        Assert.Multiple(() =>
        {
            Assert.That(() => Wick.Autograd.Grad(new[] { y }, new[] { x }, new Tensor?[] { null, null }),
                        Throws.ArgumentException.With.Message.Contains("2 gradOutputs for 1 outputs"));
            Assert.That(() => Wick.Autograd.Grad(new[] { y }, new Tensor[] { null! }), Throws.ArgumentNullException.With.Message.Contains("input 0 is null"));
            Assert.That(() => Wick.Autograd.Grad(y, Tensor.FromArray(new double[] { 1 })),
                        Throws.InvalidOperationException.With.Message.Contains("input 0 does not require grad"));
            Assert.That(() => Wick.Autograd.Grad(Tensor.FromArray(new double[] { 1 }), x),
                        Throws.InvalidOperationException.With.Message.Contains("does not require grad and has no GradFn"));
            Assert.That(() => Wick.Autograd.Grad(x * 2.0, x), Throws.InvalidOperationException.With.Message.Contains("one-element output"));
        });
        Assert.That(Wick.Autograd.Grad(y, x)!.ToArray<double>(), Is.EqualTo(new double[] { 2, 4 }), "failed calls leave the graph usable");
    }

    [Test]
    public void BackwardOfALeafItselfAccumulatesOnes()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(5);
        x.Backward();
        Assert.That(x.Grad!.Item<double>(), Is.EqualTo(1));
    }

    [Test]
    public void GradientsOfSeveralOutputsAreSummed()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        var a = (x * 2.0).Sum();
        var b = (x * x).Sum();
        Tensor?[] g = Wick.Autograd.Grad(new[] { a, b }, new[] { x });
        Assert.That(g[0]!.ToArray<double>(), Is.EqualTo(new double[] { 4, 6 }));  // 2 + 2x
    }

    [Test]
    public void AssigningGradChecksShapeAndDType()
    {
        using var scope = DisposeScope.Begin();
        var x = Leaf(1, 2);
        Assert.That(() => x.Grad = Tensor.Zeros(new long[] { 3 }, DType.Float64), Throws.TypeOf<ShapeMismatchException>().With.Message.Contains("[3]").And.Message.Contains("[2]"));
        Assert.That(() => x.Grad = Tensor.Zeros(new long[] { 2 }), Throws.TypeOf<DTypeException>().With.Message.Contains("Float32"));
        var mine = Tensor.FromArray(new double[] { 7, 8 });
        x.Grad = mine;
        mine.Dispose();  // the leaf keeps its own reference
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 7, 8 }));
    }
}
