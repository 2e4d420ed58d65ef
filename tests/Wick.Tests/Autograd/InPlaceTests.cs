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
    public void InPlaceThroughAViewInvolvedInAutogradIsRefusedClearly()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).SetRequiresGrad();
        var y = x * 1.0;
        var row = y[0];
        var e = Assert.Throws<NotSupportedException>(() => row.MulInPlace(2.0));
        Assert.That(e!.Message, Does.Contain("MulInPlace").And.Contain("view").And.Contain("Clone()"));
        var buffer = Tensor.Zeros(new long[] { 2, 2 }, DType.Float64);
        Assert.That(() => buffer[1] = x[0] * 2.0, Throws.TypeOf<NotSupportedException>().With.Message.Contains("CopyFrom"));
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
