using System;

namespace Wick.Tests;

public class IndexingTests
{
    private static Tensor Cube() => Tensor.Arange(24).Reshape(2, 3, 4);

    [Test]
    public void IntegersSelectAndRemoveDimensions()
    {
        using var c = Cube();
        using var e = c[1, 2, 3];
        Assert.That(e.Dim, Is.Zero);
        Assert.That(e.Item<long>(), Is.EqualTo(23));
        using var neg = c[^1, ^1];
        Assert.That(neg.ToArray<long>(), Is.EqualTo(new long[] { 20, 21, 22, 23 }));
    }

    [Test]
    public void RangesSliceAndKeepDimensions()
    {
        using var c = Cube();
        using var s = c[.., 1.., ..2];
        Assert.That(s.Shape, Is.EqualTo(new long[] { 2, 2, 2 }));
        Assert.That(s.ToArray<long>(), Is.EqualTo(new long[] { 4, 5, 8, 9, 16, 17, 20, 21 }));
        using var tail = c[0, ^2..];
        Assert.That(tail.Shape, Is.EqualTo(new long[] { 2, 4 }));
    }

    [Test]
    public void EllipsisAndNewAxis()
    {
        using var c = Cube();
        using var last = c[TensorIndex.Ellipsis, 0];
        Assert.That(last.Shape, Is.EqualTo(new long[] { 2, 3 }));
        using var n = c[TensorIndex.NewAxis, 0];
        Assert.That(n.Shape, Is.EqualTo(new long[] { 1, 3, 4 }));
        using var stepped = c[TensorIndex.Ellipsis, TensorIndex.Slice(null, null, 2)];
        Assert.That(stepped.Shape, Is.EqualTo(new long[] { 2, 3, 2 }));
    }

    [Test]
    public void AssigningThroughAnIndexCopiesWithBroadcasting()
    {
        using var m = Tensor.Zeros(2, 3);
        using var row = Tensor.FromArray(new float[] { 1, 2, 3 });
        m[1] = row;
        using var scalar = Tensor.Scalar(7.0);
        m[0, 1..] = scalar;
        Assert.That(m.ToArray<float>(), Is.EqualTo(new float[] { 0, 7, 7, 1, 2, 3 }));
    }

    [Test]
    public void OutOfRangeIndicesNameTheDimensionAndSize()
    {
        using var c = Cube();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = c[2]);
        Assert.That(ex!.Message, Does.Contain("index 2").And.Contain("size 2"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = c[0, 0, 0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = c[0, -4]);
    }

    [Test]
    public void OutOfRangeSlicesAreClampedAsInPython()
    {
        using var c = Cube();
        using var s = c[.., 2..10];
        Assert.That(s.Shape, Is.EqualTo(new long[] { 2, 1, 4 }));
    }

    [Test]
    public void ZeroDimensionalTensorsCannotBeIndexed()
    {
        using var s = Tensor.Scalar(1.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = s[0]);
    }
}
