using System;
using Wick.Tests.Support;

namespace Wick.Tests;

public class ViewTests
{
    private static Tensor Matrix() => Tensor.FromArray(new float[,] { { 0, 1, 2, 3 }, { 4, 5, 6, 7 }, { 8, 9, 10, 11 } });

    [Test]
    public void ViewsShareMemoryWithTheirBase()
    {
        using var m = Matrix();
        using var row = m.Select(0, 1);
        row.Fill(-1);
        Assert.That(m.ToArray<float>()[4..8], Is.All.EqualTo(-1f));
        Assert.That(row.StorageId, Is.EqualTo(m.StorageId));
    }

    [Test]
    public void TransposeSwapsSizesAndStridesWithoutCopying()
    {
        using var m = Matrix();
        using var t = m.Transpose(0, 1);
        Assert.That(t.Shape, Is.EqualTo(new long[] { 4, 3 }));
        Assert.That(t.Strides, Is.EqualTo(new long[] { 1, 4 }));
        Assert.That(t.StorageId, Is.EqualTo(m.StorageId));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }));
    }

    [Test]
    public void PermuteReordersDimensions()
    {
        using var a = Tensor.Arange(24).Reshape(2, 3, 4);
        using var p = a.Permute(2, 0, 1);
        Assert.That(p.Shape, Is.EqualTo(new long[] { 4, 2, 3 }));
        Assert.That(p.Strides, Is.EqualTo(new long[] { 1, 12, 4 }));
        var values = p.ToArray<long>();
        Assert.That(values[0..3], Is.EqualTo(new long[] { 0, 4, 8 }));
    }

    [Test]
    public void PermuteRefusesRepeatedDimensions()
    {
        using var a = Tensor.Zeros(2, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => a.Permute(0, 0))!.Message, Does.Contain("appears twice"));
    }

    [Test]
    public void ViewNeedsCompatibleStridesButReshapeCopies()
    {
        using var m = Matrix();
        using var t = m.T;
        var ex = Assert.Throws<ShapeMismatchException>(() => t.View(12));
        Assert.That(ex!.Message, Does.Contain("Reshape"));
        using var r = t.Reshape(12);
        Assert.That(r.StorageId, Is.Not.EqualTo(m.StorageId));
        Assert.That(r.ToArray<float>(), Is.EqualTo(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }));
        using var v = m.View(2, -1);
        Assert.That(v.Shape, Is.EqualTo(new long[] { 2, 6 }));
        Assert.That(v.StorageId, Is.EqualTo(m.StorageId));
    }

    [Test]
    public void ReshapeToAnIncompatibleSizeNamesBothShapes()
    {
        using var m = Matrix();
        var ex = Assert.Throws<ShapeMismatchException>(() => m.Reshape(5, 2));
        Assert.That(ex!.Message, Does.Contain("[5, 2]").And.Contain("[3, 4]"));
        Assert.Throws<ShapeMismatchException>(() => m.Reshape(-1, -1));
    }

    [Test]
    public void ExpandBroadcastsSizeOneDimensionsWithStrideZero()
    {
        using var col = Tensor.FromArray(new float[] { 1, 2, 3 }, 3, 1);
        using var e = col.Expand(2, 3, 4);
        Assert.That(e.Shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(e.Strides, Is.EqualTo(new long[] { 0, 1, 0 }));
        Assert.That(e.ToArray<float>()[0..4], Is.All.EqualTo(1f));
        var ex = Assert.Throws<ShapeMismatchException>(() => col.Expand(4, 4));
        Assert.That(ex!.Message, Does.Contain("only size-1 dimensions"));
    }

    [Test]
    public void WritingIntoAnExpandedTensorIsRefused()
    {
        using var col = Tensor.Zeros(3, 1);
        using var e = col.Expand(3, 4);
        var ex = Assert.Throws<ArgumentException>(() => e.Fill(1));
        Assert.That(ex!.Message, Does.Contain("expanded"));
    }

    [Test]
    public void SliceWithAStepFollowsPythonRules()
    {
        using var a = Tensor.Arange(10);
        using var s = a.Slice(0, 1, 8, 3);
        Assert.That(s.ToArray<long>(), Is.EqualTo(new long[] { 1, 4, 7 }));
        using var neg = a.Slice(0, -3, long.MaxValue);
        Assert.That(neg.ToArray<long>(), Is.EqualTo(new long[] { 7, 8, 9 }));
        using var clamped = a.Slice(0, 8, 100);
        Assert.That(clamped.ToArray<long>(), Is.EqualTo(new long[] { 8, 9 }));
        using var empty = a.Slice(0, 5, 2);
        Assert.That(empty.Shape, Is.EqualTo(new long[] { 0 }));
        Assert.Throws<ArgumentException>(() => a.Slice(0, 0, 5, 0));
    }

    [Test]
    public void NarrowChecksItsBounds()
    {
        using var a = Tensor.Arange(5);
        using var n = a.Narrow(0, 1, 3);
        Assert.That(n.ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Narrow(0, 3, 3));
    }

    [Test]
    public void SqueezeUnsqueezeAndFlatten()
    {
        using var a = Tensor.Zeros(1, 3, 1, 2);
        using (var s = a.Squeeze()) Assert.That(s.Shape, Is.EqualTo(new long[] { 3, 2 }));
        using (var s = a.Squeeze(2)) Assert.That(s.Shape, Is.EqualTo(new long[] { 1, 3, 2 }));
        using (var s = a.Squeeze(1)) Assert.That(s.Shape, Is.EqualTo(new long[] { 1, 3, 1, 2 }));
        using (var u = a.Unsqueeze(-1)) Assert.That(u.Shape, Is.EqualTo(new long[] { 1, 3, 1, 2, 1 }));
        using (var f = a.Flatten(1, 2)) Assert.That(f.Shape, Is.EqualTo(new long[] { 1, 3, 2 }));
        using (var f = a.Flatten()) Assert.That(f.Shape, Is.EqualTo(new long[] { 6 }));
        using var scalar = Tensor.Scalar(1.0);
        using (var f = scalar.Flatten()) Assert.That(f.Shape, Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public void DimensionsOutOfRangeAreRefusedWithTheValidRange()
    {
        using var a = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => a.Transpose(0, 2));
        Assert.That(ex!.Message, Does.Contain("dimension 2").And.Contain("-2 to 1"));
    }

    [Test]
    public void AsStridedStaysInsideTheStorage()
    {
        using var a = Tensor.Arange(6);
        using var w = a.AsStrided(new long[] { 2, 3 }, new long[] { 1, 1 }, 1);
        Assert.That(w.ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 3, 2, 3, 4 }));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => a.AsStrided(new long[] { 3 }, new long[] { 3 }));
        Assert.That(ex!.Message, Does.Contain("storage holds 6"));
        Assert.Throws<ArgumentException>(() => a.AsStrided(new long[] { long.MaxValue / 2 }, new long[] { 4 }));
    }
}
