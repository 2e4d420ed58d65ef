using System;
using System.Linq;

namespace Wick.Tests;

// IndexSelect and Gather: loop references, every layout, int64 and int32 indices, every dtype's
// bytes moved unchanged, and every bad input.
public class IndexSelectGatherTests
{
    private static Nd IndexSelectRef(Nd x, int dim, long[] index)
    {
        var shape = (long[])x.Shape.Clone();
        shape[dim] = index.Length;
        var r = Nd.Zeros(shape);
        for (long i = 0; i < r.Data.Length; ++i)
        {
            long[] idx = Nd.Unravel(i, shape);
            idx[dim] = index[idx[dim]];
            r.Data[i] = x[idx];
        }
        return r;
    }

    private static Nd GatherRef(Nd x, int dim, Nd index)
    {
        var r = Nd.Zeros(index.Shape);
        for (long i = 0; i < r.Data.Length; ++i)
        {
            long[] idx = Nd.Unravel(i, index.Shape);
            idx[dim] = (long)index.Data[i];
            r.Data[i] = x[idx];
        }
        return r;
    }

    [Test]
    public void IndexSelectPicksSlicesInIndexOrder([Values(0, 1, 2, -1)] int dim, [Values] Layout layout, [Values(DType.Int64, DType.Int32)] DType indexType)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Random(3, -10, 10, 4, 5, 6);
        int d = dim < 0 ? dim + 3 : dim;
        long n = x.Shape[d];
        long[] index = { n - 1, 0, 2, 2, 1, n - 1, 0 };
        using var idx = LayoutExtensions.Longs(index).To(indexType);
        Expect.Same(layout.Make(x).IndexSelect(dim, idx), IndexSelectRef(x, d, index));
    }

    [Test]
    public void IndexSelectWithAStridedIndexAndLargeRows()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Random(4, -1, 1, 1000, 70);
        var rng = new Random(5);
        long[] index = Enumerable.Range(0, 3000).Select(_ => (long)rng.Next(1000)).ToArray();
        var strided = new Nd(index.Select(v => (double)v).ToArray(), index.Length).ToStrided(DType.Int64);
        Assert.That(strided.IsContiguous, Is.False);
        Expect.Same(x.ToTensor(DType.Float32).IndexSelect(0, strided), Nd.Of(IndexSelectRef(x, 0, index).ToTensor(DType.Float32)));
    }

    [Test]
    public void IndexSelectMovesEveryDtypeUnchanged([Values] DType dtype)
    {
        using var scope = DisposeScope.Begin();
        var x = new Nd(new double[] { 0, 1, 0, 1, 1, 0 }, 2, 3);
        using var t = x.ToTensor(dtype);
        var r = t.IndexSelect(1, LayoutExtensions.Longs(2, 0));
        Assert.That(r.DType, Is.EqualTo(dtype));
        Expect.Same(r, IndexSelectRef(x, 1, new long[] { 2, 0 }));
    }

    [Test]
    public void IndexSelectHandlesEmptyAndZeroDimensionalCases()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 4).ToTensor();
        Assert.That(x.IndexSelect(0, Tensor.Zeros(new long[] { 0 }, DType.Int64)).Shape, Is.EqualTo(new long[] { 0, 4 }));
        Assert.That(Tensor.Zeros(0, 4).IndexSelect(1, LayoutExtensions.Longs(3, 1)).Shape, Is.EqualTo(new long[] { 0, 2 }));
        // A 0-d index selects one slice and keeps the dimension, as in PyTorch.
        Assert.That(x.IndexSelect(0, Tensor.Scalar(1L)).Shape, Is.EqualTo(new long[] { 1, 4 }));
        var s = Tensor.Scalar(5.0, DType.Float64).IndexSelect(0, Tensor.Scalar(0L));
        Assert.That(s.Shape, Is.Empty);
        Assert.That(s.Item<double>(), Is.EqualTo(5.0));
    }

    [Test]
    public void IndexSelectRefusesBadIndices()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Ones(3, 4);
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, LayoutExtensions.Longs(0, 3)));
        Assert.That(oor!.Message, Does.Contain("index_select: index 3 is out of bounds for dimension 0 with size 3"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(1, LayoutExtensions.Longs(-1)));
        Assert.That(oor!.Message, Does.Contain("index_select: index -1 is out of bounds for dimension 1 with size 4"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(2, LayoutExtensions.Longs(0)));
        Assert.That(oor!.Message, Does.Contain("index_select: dimension 2 is out of range"));
        var dt = Assert.Throws<DTypeException>(() => x.IndexSelect(0, Tensor.Zeros(1)));
        Assert.That(dt!.Message, Does.Contain("index_select: expected an int64 or int32 index tensor, got float32"));
        var sh = Assert.Throws<ShapeMismatchException>(() => x.IndexSelect(0, Tensor.Zeros(new long[] { 1, 1 }, DType.Int64)));
        Assert.That(sh!.Message, Does.Contain("index_select: the index must be a vector"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(0, 2).IndexSelect(0, LayoutExtensions.Longs(0)));
        Assert.That(oor!.Message, Does.Contain("index 0 is out of bounds for dimension 0 with size 0"));
    }

    [Test]
    public void GatherPicksOneElementPerIndexEntry([Values(0, 1, 2, -2)] int dim, [Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Random(6, -3, 3, 4, 5, 6);
        int d = dim < 0 ? dim + 3 : dim;
        // index smaller than x outside dim, larger along dim.
        var ishape = new long[] { 3, 4, 5 };
        ishape[d] = 7;
        var rng = new Random(7);
        var index = new Nd(Enumerable.Range(0, (int)Nd.Numel(ishape)).Select(_ => (double)rng.Next((int)x.Shape[d])).ToArray(), ishape);
        using var idx = layout.Make(index, DType.Int64);
        Expect.Same(layout.Make(x).Gather(dim, idx), GatherRef(x, d, index));
    }

    [Test]
    public void GatherWorksOnZeroDimensionalAndEmptyTensors()
    {
        using var scope = DisposeScope.Begin();
        var g = Tensor.Scalar(3.0).Gather(0, Tensor.Scalar(0L));
        Assert.That(g.Shape, Is.Empty);
        Assert.That(g.Item<float>(), Is.EqualTo(3f));
        Assert.That(Tensor.Ones(2, 3).Gather(1, Tensor.Zeros(new long[] { 2, 0 }, DType.Int64)).Shape, Is.EqualTo(new long[] { 2, 0 }));
    }

    [Test]
    public void GatherRefusesBadIndices()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Ones(3, 4);
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(1, Tensor.FromArray(new long[,] { { 0 }, { 5 } })));
        Assert.That(oor!.Message, Does.Contain("gather: index 5 is out of bounds for dimension 1 with size 4"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(1, Tensor.FromArray(new long[,] { { -1 } })));
        Assert.That(oor!.Message, Does.Contain("gather: index -1 is out of bounds for dimension 1 with size 4"));
        var dt = Assert.Throws<DTypeException>(() => x.Gather(1, Tensor.FromArray(new int[,] { { 0 } })));
        Assert.That(dt!.Message, Does.Contain("gather: expected an int64 index tensor, got int32"));
        var sh = Assert.Throws<ShapeMismatchException>(() => x.Gather(1, LayoutExtensions.Longs(0)));
        Assert.That(sh!.Message, Does.Contain("gather: the index tensor must have the same number of dimensions as x"));
        sh = Assert.Throws<ShapeMismatchException>(() => x.Gather(1, Tensor.Zeros(new long[] { 4, 1 }, DType.Int64)));
        Assert.That(sh!.Message, Does.Contain("gather: size does not match at dimension 0"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.Gather(-3, Tensor.Zeros(new long[] { 1, 1 }, DType.Int64)));
        Assert.That(oor!.Message, Does.Contain("gather: dimension -3 is out of range"));
    }
}
