using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Tests;

// x[idx], x[mask] and assignment through them, mixed with ordinary indices, against references.
public class AdvancedIndexingTests
{
    [Test]
    public void IntegerIndexTensorSelectsRowsWithNegativeIndicesCountingFromTheEnd([Values] Layout layout, [Values(DType.Int64, DType.Int32)] DType indexType)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(4, 3);
        long[] idx = { 2, -1, 0, -4, 2 };
        var r = layout.Make(x)[LayoutExtensions.Longs(idx).To(indexType)];
        var expected = Nd.Zeros(5, 3);
        for (int i = 0; i < 5; ++i)
            for (int j = 0; j < 3; ++j) expected[i, j] = x[(idx[i] + 4) % 4, j];
        Expect.Same(r, expected);
    }

    [Test]
    public void IndexTensorShapeReplacesTheIndexedDimension()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 4, 5);
        var idx = Tensor.FromArray(new long[,] { { 0, 3 }, { 1, 1 } });
        var r = x.ToTensor()[.., idx];
        var expected = Nd.Zeros(3, 2, 2, 5);
        long[,] ix = { { 0, 3 }, { 1, 1 } };
        for (long i = 0; i < expected.Data.Length; ++i)
        {
            long[] p = Nd.Unravel(i, expected.Shape);
            expected.Data[i] = x[p[0], ix[p[1], p[2]], p[3]];
        }
        Expect.Same(r, expected);
        // Ordinary indices around it: an integer removes its dimension first, a slice narrows one.
        var s = x.ToStrided()[1, idx, 1..3];
        var es = Nd.Zeros(2, 2, 2);
        for (long i = 0; i < es.Data.Length; ++i)
        {
            long[] p = Nd.Unravel(i, es.Shape);
            es.Data[i] = x[1, ix[p[0], p[1]], 1 + p[2]];
        }
        Expect.Same(s, es);
        Assert.That(x.ToTensor()[TensorIndex.Ellipsis, LayoutExtensions.Longs(4, 0)].Shape, Is.EqualTo(new long[] { 3, 4, 2 }));
    }

    [Test]
    public void BoolMaskSelectsPositionsInRowMajorOrder([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 4);
        var maskData = x.Data.Select(v => v > 0 ? 1.0 : 0.0).ToArray();
        var r = layout.Make(x)[layout.Make(new Nd(maskData, 3, 4), DType.Bool)];
        var expected = x.Data.Where(v => v > 0).ToArray();
        Expect.Same(r, new Nd(expected, expected.Length));
    }

    [Test]
    public void BoolMaskOverSomeDimensionsKeepsTheOthers()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(2, 3, 4);
        var rowMask = Tensor.FromArray(new[] { true, false, true });
        var r = x.ToTensor()[.., rowMask];
        var expected = Nd.Zeros(2, 2, 4);
        long[] rows = { 0, 2 };
        for (long i = 0; i < expected.Data.Length; ++i)
        {
            long[] p = Nd.Unravel(i, expected.Shape);
            expected.Data[i] = x[p[0], rows[p[1]], p[2]];
        }
        Expect.Same(r, expected);
        var lead = Tensor.FromArray(new bool[,] { { false, true, true }, { true, false, false } });
        var l = x.ToTransposed()[lead];
        Assert.That(l.Shape, Is.EqualTo(new long[] { 3, 4 }));
        Expect.Same(l, new Nd(new[] { 1L, 2L, 3L }.SelectMany(k => Enumerable.Range(0, 4).Select(j => x.Data[k * 4 + j])).ToArray(), 3, 4));
        Assert.That(x.ToTensor()[Tensor.Scalar(1.0, DType.Bool)].Shape, Is.EqualTo(new long[] { 1, 2, 3, 4 }));
        Assert.That(x.ToTensor()[Tensor.Scalar(0.0, DType.Bool)].Shape, Is.EqualTo(new long[] { 0, 2, 3, 4 }));
    }

    [Test]
    public void ReadingThroughAnIndexTensorCopies()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Arange(6);
        var r = x[LayoutExtensions.Longs(0, 1)];
        r.Fill(100);
        Assert.That(x.ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void AdvancedIndexingRefusesBadIndices()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Ones(3, 4);
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => _ = x[LayoutExtensions.Longs(3)]);
        Assert.That(oor!.Message, Does.Contain("index: index 3 is out of bounds for dimension 0 with size 3"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => _ = x[.., LayoutExtensions.Longs(-5)]);
        Assert.That(oor!.Message, Does.Contain("index: index -5 is out of bounds for dimension 1 with size 4"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => _ = x[Tensor.FromArray(new[] { true, false })]);
        Assert.That(oor!.Message, Does.Contain("index: the shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0"));
        var dt = Assert.Throws<DTypeException>(() => _ = x[Tensor.Zeros(1)]);
        Assert.That(dt!.Message, Does.Contain("index: tensors used as indices must be int64, int32 or bool, got float32"));
        dt = Assert.Throws<DTypeException>(() => _ = x[Tensor.Ones(new long[] { 3 }, DType.UInt8)]);
        Assert.That(dt!.Message, Does.Contain("got uint8"));
        Assert.Throws<NotSupportedException>(() => _ = x[LayoutExtensions.Longs(0), LayoutExtensions.Longs(1)]);
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => _ = x[0, 0, LayoutExtensions.Longs(0)]);
        Assert.That(oor!.Message, Does.Contain("too many indices"));
    }

    [Test]
    public void AssigningThroughAMaskFillsOrScattersValues([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 4);
        var mask = new Nd(x.Data.Select(v => v < 0 ? 1.0 : 0.0).ToArray(), 3, 4);
        var t = layout.Make(x);
        long before = t.Version;
        t[layout.Make(mask, DType.Bool)] = Tensor.Scalar(0.5, DType.Float64);
        Assert.That(t.Version, Is.GreaterThan(before));
        Expect.Same(t, new Nd(x.Data.Select((v, i) => mask.Data[i] != 0 ? 0.5 : v).ToArray(), 3, 4));

        int count = mask.Data.Count(m => m != 0);
        var values = Enumerable.Range(0, count).Select(i => 100.0 + i).ToArray();
        var u = layout.Make(x);
        u[mask.ToTensor(DType.Bool)] = Tensor.FromArray(values);
        int k = 0;
        Expect.Same(u, new Nd(x.Data.Select((v, i) => mask.Data[i] != 0 ? values[k++] : v).ToArray(), 3, 4));
    }

    [Test]
    public void AssigningThroughARowMaskBroadcastsARow()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 4);
        var t = x.ToStrided();
        t[Tensor.FromArray(new[] { true, false, true })] = Tensor.FromArray(new[] { 1.0, 2, 3, 4 });
        var expected = new Nd((double[])x.Data.Clone(), 3, 4);
        foreach (int r in new[] { 0, 2 })
            for (int j = 0; j < 4; ++j) expected[r, j] = j + 1;
        Expect.Same(t, expected);
    }

    [Test]
    public void AssigningThroughIntegerIndicesKeepsTheLastDuplicateAndAccumulateAdds()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(4, 2);
        var t = x.ToTransposed();
        t[LayoutExtensions.Longs(1, -1, 1)] = Tensor.FromArray(new double[,] { { 10, 11 }, { 20, 21 }, { 30, 31 } });
        var expected = new Nd((double[])x.Data.Clone(), 4, 2);
        expected[1, 0] = 30; expected[1, 1] = 31; expected[3, 0] = 20; expected[3, 1] = 21;
        Expect.Same(t, expected);

        var acc = Tensor.Zeros(new long[] { 3 }, DType.Float64);
        acc.IndexPutInPlace(new TensorIndex[] { LayoutExtensions.Longs(0, 2, 0, 0) }, Tensor.FromArray(new[] { 1.0, 2, 3, 4 }), accumulate: true);
        Assert.That(acc.ToArray<double>(), Is.EqualTo(new[] { 8.0, 0, 2 }));

        var cols = Tensor.Zeros(new long[] { 2, 3 }, DType.Float64);
        cols[.., LayoutExtensions.Longs(2)] = Tensor.Scalar(7.0, DType.Float64);
        Assert.That(cols.ToArray<double>(), Is.EqualTo(new[] { 0.0, 0, 7, 0, 0, 7 }));

        var masked = Tensor.Ones(new long[] { 2, 2 }, DType.Float64);
        masked.IndexPutInPlace(new TensorIndex[] { Tensor.FromArray(new bool[,] { { true, false }, { false, true } }) }, Tensor.FromArray(new[] { 5.0, 6 }), accumulate: true);
        Assert.That(masked.ToArray<double>(), Is.EqualTo(new[] { 6.0, 1, 1, 7 }));
    }

    [Test]
    public void AssigningValuesOfTheWrongShapeOrOutOfRangeFailsWithoutWriting()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Zeros(new long[] { 3, 4 }, DType.Float64);
        var sh = Assert.Throws<ShapeMismatchException>(() => x[LayoutExtensions.Longs(0, 1)] = Tensor.Ones(3));
        Assert.That(sh!.Message, Does.Contain("index_put_: shape mismatch: the value tensor of shape [3] cannot be broadcast to the indexing result of shape [2, 4]"));
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => x[LayoutExtensions.Longs(0, 3)] = Tensor.Ones(4));
        Assert.That(oor!.Message, Does.Contain("index_put_: index 3 is out of bounds for dimension 0 with size 3"));
        Assert.That(x.Sum().Item<double>(), Is.EqualTo(0.0));
        sh = Assert.Throws<ShapeMismatchException>(() => x[x.Eq(0.0)] = Tensor.Ones(5));
        Assert.That(sh!.Message, Does.Contain("cannot be broadcast to the indexing result of shape [12]"));
    }

    [Test]
    public void FSharpStyleIndexMethodsMatchTheIndexer()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Arange(10);
        var a = x.Index(TensorIndex.Indices(LayoutExtensions.Longs(9, 0)));
        Assert.That(a.ToArray<long>(), Is.EqualTo(new long[] { 9, 0 }));
        var hits = new List<long>();
        foreach (long v in x.ToArray<long>()) if (v % 3 == 0) hits.Add(v);
        var m = x.Index(TensorIndex.Indices(Tensor.FromArray(x.ToArray<long>().Select(v => v % 3 == 0).ToArray())));
        Assert.That(m.ToArray<long>(), Is.EqualTo(hits.ToArray()));
    }
}
