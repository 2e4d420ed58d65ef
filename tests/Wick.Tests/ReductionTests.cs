using System;
using System.Linq;
using Wick.Tests.Support;

namespace Wick.Tests;

public class ReductionTests
{
    private static readonly int[][] DimSets = { new int[0], new[] { 0 }, new[] { 1 }, new[] { -1 }, new[] { 0, 2 }, new[] { 2, 1 } };

    [Test]
    public void SumMatchesTheReferenceOverAnyDims([Range(0, 5)] int set, [Values] bool keepDim)
    {
        int[] dims = DimSets[set];
        double[] d = Check.Values(60, 5);
        using var x = Check.Tensor(d, new long[] { 3, 4, 5 }, DType.Float64);
        using var s = dims.Length == 0 ? (keepDim ? x.Sum(new[] { 0, 1, 2 }, true) : x.Sum()) : x.Sum(dims, keepDim);
        Check.Close(s, new Reference(d, 3, 4, 5).Reduce(dims, keepDim, l => l.Sum()), 1e-12, 1e-12);
    }

    [Test]
    public void MeanMatchesTheReferenceOverAnyDims([Range(0, 5)] int set, [Values] bool keepDim)
    {
        int[] dims = DimSets[set];
        double[] d = Check.Values(60, 6);
        using var x = Check.Tensor(d, new long[] { 3, 4, 5 }, DType.Float32);
        using var m = dims.Length == 0 ? x.Mean() : x.Mean(dims, keepDim);
        var expected = new Reference(d.Select(v => (double)(float)v).ToArray(), 3, 4, 5).Reduce(dims, keepDim && dims.Length > 0, l => l.Average());
        Check.Close(m, expected, 1e-6, 1e-7);
    }

    [Test]
    public void ReductionsOfNonContiguousInputsMatchContiguousOnes()
    {
        double[] d = Check.Values(60, 7);
        using var x = Check.Tensor(d, new long[] { 3, 4, 5 }, DType.Float64);
        using var p = x.Permute(2, 0, 1);
        using var pc = p.Contiguous();
        using var a = p.Sum(new[] { 0, 2 });
        using var b = pc.Sum(new[] { 0, 2 });
        Check.Close(a, Reference.Of(b), 1e-12, 1e-12);
    }

    [Test]
    public void IntegerAndBoolSumsGiveInt64()
    {
        using var b = Tensor.FromArray(new[] { true, true, false });
        using var s = b.Sum();
        Assert.That(s.DType, Is.EqualTo(DType.Int64));
        Assert.That(s.Item<long>(), Is.EqualTo(2));
        using var i = Tensor.FromArray(new[] { int.MaxValue, int.MaxValue });
        using var si = i.Sum();
        Assert.That(si.Item<long>(), Is.EqualTo(2L * int.MaxValue), "no overflow in int32");
    }

    [Test]
    public void SumWithADTypeConvertsFirst()
    {
        using var i = Tensor.FromArray(new[] { 1, 2 });
        using var s = i.Sum(DType.Float64);
        Assert.That(s.DType, Is.EqualTo(DType.Float64));
        Assert.That(s.Item<double>(), Is.EqualTo(3.0));
    }

    [Test]
    public void MeanOfIntegersAsksForAFloatingDType()
    {
        using var i = Tensor.FromArray(new[] { 1, 2 });
        var ex = Assert.Throws<DTypeException>(() => i.Mean());
        Assert.That(ex!.Message, Does.Contain("mean").And.Contain("int32"));
        using var m = i.Mean(DType.Float32);
        Assert.That(m.Item<float>(), Is.EqualTo(1.5f));
    }

    [Test]
    public void EmptyReductionsGiveTheIdentity()
    {
        using var e = Tensor.Zeros(0, 3);
        using var s = e.Sum(0);
        Assert.That(s.ToArray<float>(), Is.EqualTo(new float[] { 0, 0, 0 }));
        using var m = e.Mean(0);
        Assert.That(m.ToArray<float>(), Is.All.NaN);
    }

    [Test]
    public void ZeroDimensionalTensorsReduceToThemselves()
    {
        using var s = Tensor.Scalar(4.0);
        using var r = s.Sum(0);
        Assert.That(r.Dim, Is.Zero);
        Assert.That(r.Item<float>(), Is.EqualTo(4f));
    }

    [Test]
    public void ReducingADimensionTwiceOrOutOfRangeIsRefused()
    {
        using var x = Tensor.Zeros(2, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => x.Sum(new[] { 1, -1 }))!.Message, Does.Contain("twice"));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Sum(2));
        Assert.Throws<ArgumentException>(() => x.Sum(Array.Empty<int>()));
    }

    [Test]
    public void LargeFloatSumsStayAccurate()
    {
        // 1M values of 0.1f: a naive float accumulator drifts by far more than this tolerance.
        using var x = Tensor.Full(new long[] { 1 << 20 }, 0.1);
        using var s = x.Sum();
        double exact = (1 << 20) * (double)0.1f;
        Assert.That(s.Item<double>(), Is.EqualTo(exact).Within(exact * 1e-6));
    }
}
