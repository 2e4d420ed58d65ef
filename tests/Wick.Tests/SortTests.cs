using System;
using System.Linq;

namespace Wick.Tests;

// Sort, Argsort, TopK, Unique. The reference is a stable sort with PyTorch's NaN rule (NaN is the
// largest value; -0 equals +0) written with LINQ's OrderBy, which is stable.
public class SortTests
{
    // NaN above +inf; -0 == +0 (double comparison already says so).
    private static int Compare(double a, double b)
    {
        bool na = double.IsNaN(a), nb = double.IsNaN(b);
        if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
        return a == b ? 0 : (a < b ? -1 : 1);
    }

    private sealed class NanLast : System.Collections.Generic.IComparer<double>
    {
        public int Compare(double a, double b) => SortTests.Compare(a, b);
    }

    // (values, indices) of every fiber along dim, stably sorted.
    private static (Nd Values, long[] Indices) SortRef(Nd x, int dim, bool descending)
    {
        var values = Nd.Zeros(x.Shape);
        var indices = new long[x.Data.Length];
        long n = x.Shape[dim];
        for (long f = 0; f < x.Data.Length; ++f)
        {
            long[] start = Nd.Unravel(f, x.Shape);
            if (start[dim] != 0) continue;  // one visit per fiber
            var positions = Enumerable.Range(0, (int)n).Select(j => { var p = (long[])start.Clone(); p[dim] = j; return p; }).ToArray();
            var order = Enumerable.Range(0, (int)n);
            var sorted = descending
                ? order.OrderByDescending(j => x[positions[j]], new NanLast()).ToArray()
                : order.OrderBy(j => x[positions[j]], new NanLast()).ToArray();
            for (int j = 0; j < n; ++j)
            {
                values[positions[j]] = x[positions[sorted[j]]];
                indices[values.Offset(positions[j])] = sorted[j];
            }
        }
        return (values, indices);
    }

    private static Nd WithSpecials(int seed, params long[] shape)
    {
        // Few distinct values (many ties), NaNs, infinities and both zeros.
        double[] pool = { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1.5, -1.5, 2, 2, 3 };
        var rng = new Random(seed);
        return new Nd(Enumerable.Range(0, (int)Nd.Numel(shape)).Select(_ => pool[rng.Next(pool.Length)]).ToArray(), shape);
    }

    private static void SameBits(Tensor actual, Nd expected)
    {
        // Compare doubles bit for bit so -0 vs +0 and NaN placement are checked too.
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape));
        var a = Nd.Of(actual).Data.Select(BitConverter.DoubleToInt64Bits).ToArray();
        var e = expected.Data.Select(v => double.IsNaN(v) ? BitConverter.DoubleToInt64Bits(double.NaN) : BitConverter.DoubleToInt64Bits(v)).ToArray();
        var an = a.Select(b => double.IsNaN(BitConverter.Int64BitsToDouble(b)) ? BitConverter.DoubleToInt64Bits(double.NaN) : b).ToArray();
        Assert.That(an, Is.EqualTo(e));
    }

    [Test]
    public void SortIsStableWithNaNLargestInBothDirections(
        [Values(0, 1, -1)] int dim, [Values] bool descending, [Values] Layout layout, [Values(DType.Float64, DType.Float32)] DType dtype)
    {
        using var scope = DisposeScope.Begin();
        var x = WithSpecials(1, 6, 40);
        var (values, indices) = layout.Make(x, dtype).Sort(dim, descending);
        var (ev, ei) = SortRef(x, dim < 0 ? dim + 2 : dim, descending);
        SameBits(values, ev);
        Expect.Longs(indices, x.Shape, ei);
    }

    [Test]
    public void SortOfLongFibersUsesTheSameOrder([Values] bool descending, [Values(DType.Float32, DType.Float64, DType.Int64, DType.Int32, DType.Int16, DType.Int8, DType.UInt8, DType.Float16, DType.BFloat16, DType.Bool)] DType dtype)
    {
        using var scope = DisposeScope.Begin();
        // Values exactly representable in every dtype (integers in [0, 100], or 0/1 for bool).
        var rng = new Random(2);
        int hi = dtype == DType.Bool ? 2 : 101;
        var x = new Nd(Enumerable.Range(0, 3 * 2000).Select(_ => (double)rng.Next(hi)).ToArray(), 3, 2000);
        var (values, indices) = x.ToTensor(dtype).Sort(1, descending);
        var (ev, ei) = SortRef(x, 1, descending);
        Assert.That(values.DType, Is.EqualTo(dtype));
        Expect.Same(values, ev);
        Expect.Longs(indices, x.Shape, ei);
    }

    [Test]
    public void SortOfNegativeAndSpecialValuesInLongFibers([Values(DType.Float32, DType.Float16, DType.BFloat16, DType.Int8, DType.Int64)] DType dtype)
    {
        using var scope = DisposeScope.Begin();
        bool floating = dtype is DType.Float32 or DType.Float16 or DType.BFloat16;
        var x = floating ? WithSpecials(3, 1500) : new Nd(Enumerable.Range(0, 1500).Select(i => (double)((i * 37) % 255 - 127)).ToArray(), 1500);
        var (values, indices) = x.ToTensor(dtype).Sort(0);
        var (ev, ei) = SortRef(x, 0, false);
        SameBits(values, ev);
        Expect.Longs(indices, x.Shape, ei);
    }

    [Test]
    public void ArgsortAndSortOfZeroDimensionalAndEmptyTensors()
    {
        using var scope = DisposeScope.Begin();
        var x = WithSpecials(4, 7, 5);
        var (_, ei) = SortRef(x, 0, true);
        Expect.Longs(x.ToStrided().Argsort(0, descending: true), x.Shape, ei);
        var (v, i) = Tensor.Scalar(3.0).Sort();
        Assert.That(v.Shape, Is.Empty);
        Assert.That(v.Item<float>(), Is.EqualTo(3f));
        Expect.Longs(i, Array.Empty<long>(), new long[] { 0 });
        Assert.That(Tensor.Zeros(0, 4).Sort(0).Values.Shape, Is.EqualTo(new long[] { 0, 4 }));
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2, 2).Sort(2));
        Assert.That(oor!.Message, Does.Contain("sort: dimension 2 is out of range"));
    }

    [Test]
    public void TopKReturnsTheKLargestOrSmallestSorted([Values(0, 1)] int dim, [Values] bool largest, [Values(0, 1, 3, 6)] long k, [Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = WithSpecials(5, 6, 6);
        var (values, indices) = layout.Make(x).TopK(k, dim, largest);
        var (sv, si) = SortRef(x, dim, descending: largest);
        // The reference: the first k of the stable sort in that direction.
        var shape = (long[])x.Shape.Clone();
        shape[dim] = k;
        var ev = Nd.Zeros(shape);
        var ei = new long[Nd.Numel(shape)];
        for (long f = 0; f < ev.Data.Length; ++f)
        {
            long[] idx = Nd.Unravel(f, shape);
            ev.Data[f] = sv[idx];
            ei[f] = si[sv.Offset(idx)];
        }
        SameBits(values, ev);
        Expect.Longs(indices, shape, ei);
    }

    [Test]
    public void TopKOfALongFiberWithSmallK()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Random(6, -100, 100, 2, 5000);
        var (values, indices) = x.ToTensor(DType.Float32).TopK(10, 1);
        for (int r = 0; r < 2; ++r)
        {
            var row = Enumerable.Range(0, 5000).Select(j => ((float)x[r, j], (long)j)).OrderByDescending(p => p.Item1).Take(10).ToArray();
            Assert.That(values.Select(0, r).ToArray<float>(), Is.EqualTo(row.Select(p => p.Item1).ToArray()));
            Assert.That(indices.Select(0, r).ToArray<long>(), Is.EqualTo(row.Select(p => p.Item2).ToArray()));
        }
    }

    [Test]
    public void TopKOfALongFiberWithManyTiesAndNaNsKeepsIndexOrder([Values] bool largest, [Values(1, 5, 40)] long k)
    {
        using var scope = DisposeScope.Begin();
        // 1000 elements from a pool of 10 values: the selection path (k * 8 < n) meets ties and NaNs.
        var x = WithSpecials(8, 2, 1000);
        var (values, indices) = x.ToTensor(DType.Float32).TopK(k, 1, largest);
        var (sv, si) = SortRef(x, 1, descending: largest);
        var ev = Nd.Zeros(2, k);
        var ei = new long[2 * k];
        for (long f = 0; f < ev.Data.Length; ++f)
        {
            long[] idx = Nd.Unravel(f, ev.Shape);
            ev.Data[f] = sv[idx];
            ei[f] = si[sv.Offset(idx)];
        }
        SameBits(values, ev);
        Expect.Longs(indices, new long[] { 2, k }, ei);
    }

    [Test]
    public void TopKRefusesKOutOfRange()
    {
        using var scope = DisposeScope.Begin();
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2).TopK(3));
        Assert.That(oor!.Message, Does.Contain("topk: k (3) is out of range for dimension 0 of size 2"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2).TopK(-1));
        Assert.That(oor!.Message, Does.Contain("topk: k (-1) is out of range"));
        var (v, i) = Tensor.Scalar(4.0).TopK(1);
        Assert.That(v.Shape, Is.Empty);
        Assert.That(i.Item<long>(), Is.EqualTo(0));
    }

    [Test]
    public void UniqueGivesSortedValuesInverseAndCounts()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new long[,] { { 3, 1, 3 }, { 2, 1, 5 } });
        var (values, inverse, counts) = x.Unique(returnInverse: true, returnCounts: true);
        Assert.That(values.ToArray<long>(), Is.EqualTo(new long[] { 1, 2, 3, 5 }));
        Expect.Longs(inverse!, new long[] { 2, 3 }, new long[] { 2, 0, 2, 1, 0, 3 });
        Expect.Longs(counts!, new long[] { 4 }, new long[] { 2, 1, 2, 1 });
        var (u, none, none2) = Tensor.FromArray(new[] { double.NaN, 1, double.NaN, -0.0, 0.0 }).Unique();
        Assert.That(none, Is.Null);
        Assert.That(none2, Is.Null);
        var uv = u.ToArray<double>();
        Assert.That(uv.Length, Is.EqualTo(4), "each NaN is distinct; -0 and +0 are one value");
        Assert.That(uv[0] == 0 && uv[1] == 1 && double.IsNaN(uv[2]) && double.IsNaN(uv[3]), Is.True);
        Assert.That(Tensor.Zeros(0).Unique().Values.Shape, Is.EqualTo(new long[] { 0 }));
    }

    [Test]
    public void UniqueOfALargeRandomTensorMatchesTheReference()
    {
        using var scope = DisposeScope.Begin();
        var rng = new Random(7);
        var data = Enumerable.Range(0, 20000).Select(_ => (long)rng.Next(-300, 300)).ToArray();
        var (values, inverse, counts) = Tensor.FromArray(data).Unique(returnInverse: true, returnCounts: true);
        var distinct = data.Distinct().OrderBy(v => v).ToArray();
        Assert.That(values.ToArray<long>(), Is.EqualTo(distinct));
        Assert.That(counts!.ToArray<long>(), Is.EqualTo(distinct.Select(v => (long)data.Count(d => d == v)).ToArray()));
        Assert.That(inverse!.ToArray<long>(), Is.EqualTo(data.Select(v => (long)Array.BinarySearch(distinct, v)).ToArray()));
    }
}
