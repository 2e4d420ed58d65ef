using System;
using System.Linq;
using Wick.Tests.Support;

namespace Wick.Tests;

public class FactoryTests
{
    [Test]
    public void ZerosOnesAndFullHaveTheRequestedShapeDTypeAndValue()
    {
        using var z = Tensor.Zeros(new long[] { 2, 3 }, DType.Int32);
        using var o = Tensor.Ones(4);
        using var f = Tensor.Full(new long[] { 3 }, 2.5, DType.Float64);
        Assert.That(z.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(z.DType, Is.EqualTo(DType.Int32));
        Assert.That(z.ToArray<int>(), Is.All.EqualTo(0));
        Assert.That(o.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 1, 1 }));
        Assert.That(f.ToArray<double>(), Is.EqualTo(new[] { 2.5, 2.5, 2.5 }));
    }

    [Test]
    public void FullRefusesAFractionForAnIntegerTensor()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Full(new long[] { 2 }, 2.5, DType.Int64));
        Assert.That(ex!.Message, Does.Contain("2.5").And.Contain("Int64"));
    }

    [Test]
    public void ScalarTensorsHaveNoDimensions()
    {
        using var s = Tensor.Scalar(3.5);
        Assert.That(s.Dim, Is.EqualTo(0));
        Assert.That(s.Shape, Is.Empty);
        Assert.That(s.NumberOfElements, Is.EqualTo(1));
        Assert.That(s.Item<double>(), Is.EqualTo(3.5));
    }

    [Test]
    public void ArangeOfWholeNumbersIsInt64AndExcludesTheEnd()
    {
        using var a = Tensor.Arange(0, 5, 1);
        Assert.That(a.DType, Is.EqualTo(DType.Int64));
        Assert.That(a.ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 4 }));
        using var f = Tensor.Arange(0, 1, 0.25);
        Assert.That(f.DType, Is.EqualTo(DType.Float32));
        Assert.That(f.ToArray<float>(), Is.EqualTo(new[] { 0f, 0.25f, 0.5f, 0.75f }));
        using var down = Tensor.Arange(5, 0, -2);
        Assert.That(down.ToArray<long>(), Is.EqualTo(new long[] { 5, 3, 1 }));
    }

    [Test]
    public void ArangeRefusesAZeroStepAndAStepPointingAway()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 5, 0))!.Message, Does.Contain("step"));
        Assert.That(Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 5, -1))!.Message, Does.Contain("sign"));
    }

    [Test]
    public void LinspaceHitsBothEndsExactly()
    {
        using var l = Tensor.Linspace(-1, 1, 5, DType.Float64);
        Assert.That(l.ToArray<double>(), Is.EqualTo(new[] { -1, -0.5, 0, 0.5, 1 }));
        using var one = Tensor.Linspace(3, 7, 1);
        Assert.That(one.ToArray<float>(), Is.EqualTo(new[] { 3f }));
        using var none = Tensor.Linspace(3, 7, 0);
        Assert.That(none.NumberOfElements, Is.Zero);
    }

    [Test]
    public void EyeIsOneOnTheDiagonalOnly([Values(1, 3)] int rows, [Values(2, 3)] int cols)
    {
        using var e = Tensor.Eye(rows, cols, DType.Int32);
        int[] values = e.ToArray<int>();
        for (int i = 0; i < rows; ++i)
            for (int j = 0; j < cols; ++j)
                Assert.That(values[i * cols + j], Is.EqualTo(i == j ? 1 : 0));
    }

    [Test]
    public void EmptyDimensionsAreAllowed()
    {
        using var e = Tensor.Zeros(0, 3);
        Assert.That(e.Shape, Is.EqualTo(new long[] { 0, 3 }));
        Assert.That(e.ToArray<float>(), Is.Empty);
    }

    [Test]
    public void NegativeSizesAreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, -1));
        Assert.That(ex!.Message, Does.Contain("negative size -1"));
    }

    [Test]
    public void TooManyDimensionsAreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(Enumerable.Repeat(1L, 17).ToArray()));
        Assert.That(ex!.Message, Does.Contain("17 dimensions"));
    }
}
