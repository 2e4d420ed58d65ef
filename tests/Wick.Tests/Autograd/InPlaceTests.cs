using System;

namespace Wick.Tests.Autograd;

public class InPlaceTests
{
    [Test]
    public void ModifyingASavedInputInPlaceMakesBackwardNameTheOpAndBothVersions()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        var a = x * 1.0;        // a non-leaf, at version 0
        var y = a * x;          // MulBackward saves a (for x's gradient)
        a.AddInPlace(1.0);      // version 1
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.That(e!.Message, Does.Contain("modified by an in-place operation")
                                    .And.Contain("MulBackward")
                                    .And.Contain("is at version 1; expected version 0"));
    }

    [Test]
    public void ModifyingASavedOutputInPlaceIsDetectedToo()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        var y = x.Exp();        // ExpBackward saves its output
        using (Wick.Autograd.NoGrad()) y.MulInPlace(2.0);
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.That(e!.Message, Does.Contain("ExpBackward").And.Contain("version 1; expected version 0"));
    }

    [Test]
    public void MultiplyingATensorByItselfInPlaceInvalidatesTheSavedOperand()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 3 }).SetRequiresGrad();
        var y = x * 1.0;
        y.MulInPlace(y);
        Assert.That(() => y.Sum().Backward(), Throws.InvalidOperationException.With.Message.Contains("modified by an in-place operation"));
    }

    [Test]
    public void InPlaceOnALeafThatRequiresGradIsRefused()
    {
        using var scope = DisposeScope.Begin();
        var w = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        Assert.Multiple(() =>
        {
            Assert.That(() => w.AddInPlace(1.0), Throws.InvalidOperationException.With.Message.Contains("leaf tensor that requires grad").And.Message.Contains("NoGrad"));
            Assert.That(() => w.MulInPlace(w), Throws.InvalidOperationException.With.Message.Contains("MulInPlace"));
            Assert.That(() => w.Fill(0), Throws.InvalidOperationException.With.Message.Contains("Fill"));
            Assert.That(() => w.CopyFrom(Tensor.Zeros(new long[] { 2 }, DType.Float64)), Throws.InvalidOperationException.With.Message.Contains("CopyFrom"));
            Assert.That(() => w.NormalInPlace(), Throws.InvalidOperationException.With.Message.Contains("RandomFill"));
        });
        Assert.That(w.ToArray<double>(), Is.EqualTo(new double[] { 1, 2 }), "refused before writing");
    }

    [Test]
    public void InPlaceOnANonLeafRebasesItsHistory()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        var y = x * 2.0;
        Node before = y.GradFn!;
        y.MulInPlace(x);  // y = 2x * x
        Assert.That(y.GradFn, Is.Not.SameAs(before));
        Assert.That(y.GradFn!.Name, Is.EqualTo("MulBackward"));
        Assert.That(y.GradFn!.NextFunctions[0], Is.SameAs(before));
        y.Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 4, 8 }));  // d(2x^2)/dx = 4x
    }

    [Test]
    public void InPlaceWithAGradOperandTurnsAPlainTensorIntoANonLeaf()
    {
        using var scope = DisposeScope.Begin();
        var w = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        var acc = Tensor.Zeros(new long[] { 2 }, DType.Float64);
        acc.AddInPlace(w * 3.0);
        Assert.That(acc.RequiresGrad && !acc.IsLeaf, Is.True);
        acc.Sum().Backward();
        Assert.That(w.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 3, 3 }));
    }

    [Test]
    public void InPlaceThroughAViewRebasesItsBase()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).SetRequiresGrad();
        var y = x * 1.0;
        y[0].MulInPlace(x[1]);  // row 0 becomes x0 * x1
        Assert.That(y.GradFn!.Name, Is.EqualTo("CopySlices"));
        (y * y).Sum().Backward();
        // y = [[x00 x10, x01 x11], [x10, x11]]; d/dx of sum(y^2): row 0: 2 x0 x1^2, row 1: 2 x1 + 2 x1 x0^2
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2 * 1 * 9, 2 * 2 * 16, 2 * 3 + 2 * 3 * 1, 2 * 4 + 2 * 4 * 4 }));
    }

    [Test]
    public void AssigningThroughTheIndexerIsDifferentiable()
    {
        using var scope = DisposeScope.Begin();
        var w = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        var buffer = Tensor.Zeros(new long[] { 3, 2 }, DType.Float64);
        buffer[1] = w * 3.0;
        buffer[2] = w * w;
        Assert.That(buffer.RequiresGrad, Is.True);
        (buffer * Tensor.FromArray(new double[,] { { 100, 100 }, { 1, 10 }, { 2, 20 } })).Sum().Backward();
        // d/dw: row 1 gives 3 * (1, 10), row 2 gives 2w * (2, 20)
        Assert.That(w.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 3 + 4, 30 + 80 }));
    }

    [Test]
    public void InPlaceThroughAViewOfALeafThatRequiresGradIsRefused()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).SetRequiresGrad();
        var e = Assert.Throws<InvalidOperationException>(() => x[0].MulInPlace(2.0));
        Assert.That(e!.Message, Does.Contain("view of a leaf tensor that requires grad"));
    }

    /// <summary>GradGradCheck, and the first derivatives of a createGraph pass equal to those of a plain one.</summary>
    private static void AssertTwiceDifferentiable(Func<Tensor[], Tensor> f, Tensor[] inputs)
    {
        Assert.That(Wick.Autograd.GradGradCheck(f, inputs), Is.True);
        Tensor y = f(inputs);
        var v = Tensor.RandN(y.Shape, DType.Float64, generator: new Generator(9));
        Tensor?[] plain = Wick.Autograd.Grad(new[] { y }, inputs, new[] { v }, retainGraph: true);
        Tensor?[] recorded = Wick.Autograd.Grad(new[] { y }, inputs, new[] { v }, createGraph: true);
        for (int i = 0; i < inputs.Length; ++i)
            Assert.That(recorded[i]!.ToArray<double>(), Is.EqualTo(plain[i]!.ToArray<double>()).Within(1e-12), $"input {i}");
    }

    [Test]
    public void SecondDerivativesThroughWritesIntoViewsMatchCentralDifferences()
    {
        using var scope = DisposeScope.Begin();
        var w = Samples.Uniform(new long[] { 2 }, -2, 2, 1);
        // Assignments into rows (CopySlices over a copy).
        AssertTwiceDifferentiable(a =>
        {
            var buffer = Tensor.Zeros(new long[] { 3, 2 }, DType.Float64);
            buffer[1] = a[0] * 3.0;
            buffer[2] = a[0] * a[0];
            return buffer * buffer * buffer;
        }, new[] { w });

        // In-place ops through a row and a strided column, each with a differentiable second operand.
        var x = Samples.Uniform(new long[] { 2, 3 }, -2, 2, 2);
        var r = Samples.Uniform(new long[] { 3 }, -2, 2, 3);
        var c = Samples.Uniform(new long[] { 2 }, -2, 2, 4);
        AssertTwiceDifferentiable(a =>
        {
            Tensor y = a[0] * 1.0;
            using (Tensor row = y[0]) row.MulInPlace(a[1]);
            using (Tensor column = y.Select(1, 2)) column.AddInPlace(a[2] * a[2]);
            return y * y * y;
        }, new[] { x, r, c });

        // The view itself, whose history goes through its base's.
        AssertTwiceDifferentiable(a =>
        {
            Tensor y = a[0] * 1.0;
            Tensor v = y.Select(0, 1);
            v.MulInPlace(a[1]);
            return v * v * y.Select(0, 0);
        }, new[] { x, r });
    }

    [Test]
    public void AViewTakenBeforeItsBaseWasModifiedInPlaceIsRefused()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }).SetRequiresGrad();
        var y = x * 1.0;
        var first = y[..2];
        y.MulInPlace(2.0);
        var e = Assert.Throws<NotSupportedException>(() => first.Sum());
        Assert.That(e!.Message, Does.Contain("modified in place").And.Contain("Take the view again"));
    }

    [Test]
    public void InPlaceWithoutAnyGradIsUnaffected()
    {
        using var scope = DisposeScope.Begin();
        var t = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        t[0].MulInPlace(10.0);
        t[1] = Tensor.FromArray(new double[] { 7, 8 });
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 10, 20, 7, 8 }));
    }
}
