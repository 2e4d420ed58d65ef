using System;
using Wick.Tests.Support;

namespace Wick.Tests;

public class DataTests
{
    [Test]
    public void FromArrayKeepsTheShapeOfRectangularArraysOfAnyRank()
    {
        using var v = Tensor.FromArray(new[] { 1.0, 2.0, 3.0 });
        using var m = Tensor.FromArray(new long[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        using var c = Tensor.FromArray(new byte[2, 1, 2] { { { 1, 2 } }, { { 3, 4 } } });
        Assert.That(v.Shape, Is.EqualTo(new long[] { 3 }));
        Assert.That(v.DType, Is.EqualTo(DType.Float64));
        Assert.That(m.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(m.DType, Is.EqualTo(DType.Int64));
        Assert.That(m.ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(c.Shape, Is.EqualTo(new long[] { 2, 1, 2 }));
        Assert.That(c.ToArray<byte>(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void FromArrayWithAShapeReadsRowMajor()
    {
        using var t = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 3, 2);
        Assert.That(t.Shape, Is.EqualTo(new long[] { 3, 2 }));
        using var row = t[1];
        Assert.That(row.ToArray<float>(), Is.EqualTo(new float[] { 3, 4 }));
    }

    [Test]
    public void FromArrayRefusesJaggedArrays()
    {
        var jagged = new float[][] { new float[] { 1, 2 }, new float[] { 3 } };
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray(jagged));
        Assert.That(ex!.Message, Does.Contain("jagged"));
    }

    [Test]
    public void FromArrayRefusesAShapeThatDoesNotMatchTheData()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[] { 1, 2, 3 }, 2, 2));
        Assert.That(ex!.Message, Does.Contain("16 bytes").And.Contain("12 were given"));
    }

    [Test]
    public void FromArrayRefusesElementTypesWithoutADType()
    {
        Assert.Throws<DTypeException>(() => Tensor.FromArray(new decimal[] { 1m }));
    }

    [Test]
    public void BoolAndHalfRoundTrip()
    {
        using var b = Tensor.FromArray(new[] { true, false, true });
        Assert.That(b.DType, Is.EqualTo(DType.Bool));
        Assert.That(b.ToArray<bool>(), Is.EqualTo(new[] { true, false, true }));
        using var h = Tensor.FromArray(new[] { (Half)1.5, (Half)(-2) });
        Assert.That(h.DType, Is.EqualTo(DType.Float16));
        Assert.That(h.ToArray<Half>(), Is.EqualTo(new[] { (Half)1.5, (Half)(-2) }));
    }

    [Test]
    public void ItemConvertsTheSingleValue()
    {
        using var t = Tensor.FromArray(new long[] { 42 });
        Assert.That(t.Item<long>(), Is.EqualTo(42));
        Assert.That(t.Item<double>(), Is.EqualTo(42.0));
        Assert.That(t.Item<int>(), Is.EqualTo(42));
    }

    [Test]
    public void ItemOnSeveralElementsNamesTheShape()
    {
        using var t = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => t.Item<float>());
        Assert.That(ex!.Message, Does.Contain("6 elements").And.Contain("[2, 3]"));
    }

    [Test]
    public void ToArrayOfTheWrongTypeSaysHowToConvert()
    {
        using var t = Tensor.Zeros(2);
        var ex = Assert.Throws<DTypeException>(() => t.ToArray<double>());
        Assert.That(ex!.Message, Does.Contain("Float32").And.Contain("To(DType.Float64)"));
    }

    [Test]
    public void ToArrayOfANonContiguousViewIsRowMajorInTheViewsOrder()
    {
        using var t = Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        using var tt = t.T;
        Assert.That(tt.IsContiguous, Is.False);
        Assert.That(tt.ToArray<float>(), Is.EqualTo(new float[] { 1, 4, 2, 5, 3, 6 }));
    }

    [Test]
    public void CopyToNeedsADestinationOfTheRightLength()
    {
        using var t = Tensor.Zeros(3);
        Assert.Throws<ArgumentException>(() => t.CopyTo<float>(new float[2]));
        var dst = new float[3];
        t.CopyTo<float>(dst);
        Assert.That(dst, Is.All.EqualTo(0f));
    }
}
