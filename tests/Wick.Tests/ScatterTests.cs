using System;
using System.Linq;

namespace Wick.Tests;

// Writing through indices: Scatter, ScatterAdd, IndexAdd, IndexCopy, IndexFill, OneHot. References
// walk the index in order, so duplicates resolve as specified: the last write wins, adds accumulate.
public class ScatterTests
{
    private static Nd ScatterRef(Nd self, int dim, Nd index, Func<long[], double> src, bool add)
    {
        var r = new Nd((double[])self.Data.Clone(), self.Shape);
        for (long i = 0; i < index.Data.Length; ++i)
        {
            long[] idx = Nd.Unravel(i, index.Shape);
            var target = (long[])idx.Clone();
            target[dim] = (long)index.Data[i];
            r[target] = add ? r[target] + src(idx) : src(idx);
        }
        return r;
    }

    private static Nd IndexReduceRef(Nd self, int dim, long[] index, Func<long[], double> src, bool add)
    {
        var r = new Nd((double[])self.Data.Clone(), self.Shape);
        var sshape = (long[])self.Shape.Clone();
        sshape[dim] = index.Length;
        for (long i = 0; i < Nd.Numel(sshape); ++i)
        {
            long[] idx = Nd.Unravel(i, sshape);
            var target = (long[])idx.Clone();
            target[dim] = index[idx[dim]];
            r[target] = add ? r[target] + src(idx) : src(idx);
        }
        return r;
    }

    // Scatter writes in index order along dim: for the reference to match "last write wins" the
    // visiting order must be index order along dim for each fiber, which row-major order is not when
    // dim is not the last dimension. This walks fibers with dim innermost.
    private static Nd ScatterAssignRef(Nd self, int dim, Nd index, Nd src)
    {
        var r = new Nd((double[])self.Data.Clone(), self.Shape);
        int n = index.Ndim;
        var order = Enumerable.Range(0, n).Where(d => d != dim).Append(dim).ToArray();
        var permShape = order.Select(d => index.Shape[d]).ToArray();
        for (long i = 0; i < index.Data.Length; ++i)
        {
            long[] p = Nd.Unravel(i, permShape);
            var idx = new long[n];
            for (int k = 0; k < n; ++k) idx[order[k]] = p[k];
            var target = (long[])idx.Clone();
            target[dim] = (long)index[idx];
            r[target] = src[idx];
        }
        return r;
    }

    private static Nd RandomIndex(int seed, long bound, params long[] shape)
    {
        var rng = new Random(seed);
        return new Nd(Enumerable.Range(0, (int)Nd.Numel(shape)).Select(_ => (double)rng.Next((int)bound)).ToArray(), shape);
    }

    [Test]
    public void ScatterAddAccumulatesDuplicates([Values(0, 1, -1)] int dim, [Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var self = Nd.Random(1, -1, 1, 4, 5);
        int d = dim < 0 ? dim + 2 : dim;
        var ishape = new long[] { 3, 4 };
        ishape[d] = 9;  // more entries than positions: duplicates certain
        var index = RandomIndex(2, self.Shape[d], ishape);
        var src = Nd.Random(3, -2, 2, 10, 10);
        var r = layout.Make(self).ScatterAdd(dim, layout.Make(index, DType.Int64), layout.Make(src));
        var expected = ScatterRef(self, d, index, idx => src[idx], add: true);
        var actual = Nd.Of(r);
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape));
        Assert.That(actual.Data, Is.EqualTo(expected.Data).Within(1e-12));
    }

    [Test]
    public void ScatterWithDuplicatesKeepsTheLastInIndexOrder([Values(0, 1)] int dim, [Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var self = Nd.Sequence(4, 5);
        var ishape = new long[] { 4, 5 };
        ishape[dim] = 12;
        var index = RandomIndex(4, self.Shape[dim], ishape);
        var src = Nd.Random(5, -9, 9, ishape);
        var r = layout.Make(self).Scatter(dim, layout.Make(index, DType.Int64), layout.Make(src));
        Expect.Same(r, ScatterAssignRef(self, dim, index, src));
    }

    [Test]
    public void ScatterOfAScalarValue()
    {
        using var scope = DisposeScope.Begin();
        var self = Nd.Sequence(3, 4);
        var index = new Nd(new double[] { 3, 0, 1, 1 }, 2, 2);
        var r = self.ToTensor().Scatter(1, index.ToTensor(DType.Int64), -2.5);
        Expect.Same(r, ScatterRef(self, 1, index, _ => -2.5, add: false));
    }

    [Test]
    public void ScatterInPlaceWritesIntoTheTensorAndBumpsItsVersion()
    {
        using var scope = DisposeScope.Begin();
        var self = Nd.Sequence(3, 4);
        var x = self.ToStrided();
        long before = x.Version;
        var index = new Nd(new double[] { 2, 0, 1 }, 1, 3);
        var src = Nd.Random(1, 0, 1, 1, 3);
        var same = x.ScatterInPlace(0, index.ToTensor(DType.Int64), src.ToTensor());
        Assert.That(same, Is.SameAs(x));
        Assert.That(x.Version, Is.GreaterThan(before));
        Expect.Same(x, ScatterRef(self, 0, index, idx => src[idx], add: false));
        x.ScatterAddInPlace(0, index.ToTensor(DType.Int64), src.ToTensor());
        var twice = ScatterRef(ScatterRef(self, 0, index, idx => src[idx], add: false), 0, index, idx => src[idx], add: true);
        Expect.Same(x, twice);
    }

    [Test]
    public void ScatterAddOnHalfPrecisionAccumulatesInFloat32([Values(DType.Float16, DType.BFloat16)] DType dtype)
    {
        using var scope = DisposeScope.Begin();
        var self = Tensor.Zeros(new long[] { 2 }, dtype);
        var index = LayoutExtensions.Longs(0, 0, 0, 1);
        var src = Tensor.Full(new long[] { 4 }, 0.25, dtype);
        Assert.That(Nd.Of(self.ScatterAdd(0, index, src)).Data, Is.EqualTo(new[] { 0.75, 0.25 }));
    }

    [Test]
    public void ScatterAddWrapsIntegersAroundLikePyTorch()
    {
        using var scope = DisposeScope.Begin();
        var self = Tensor.FromArray(new sbyte[] { 120 });
        var r = self.ScatterAdd(0, LayoutExtensions.Longs(0, 0), Tensor.FromArray(new sbyte[] { 5, 5 }));
        Assert.That(r.ToArray<sbyte>(), Is.EqualTo(new sbyte[] { unchecked((sbyte)130) }));
        var big = Tensor.FromArray(new[] { long.MaxValue });
        Assert.That(big.ScatterAdd(0, LayoutExtensions.Longs(0), Tensor.FromArray(new[] { 1L })).ToArray<long>(), Is.EqualTo(new[] { long.MinValue }));
    }

    [Test]
    public void ScatterRefusesBadInputsAndLeavesTheTensorUnchanged()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 4).ToTensor();
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() =>
            x.ScatterInPlace(1, Tensor.FromArray(new long[,] { { 0, 1, 9 } }), Tensor.Ones(new long[] { 1, 3 }, DType.Float64)));
        Assert.That(oor!.Message, Does.Contain("scatter: index 9 is out of bounds for dimension 1 with size 4"));
        Expect.Same(x, Nd.Sequence(3, 4));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.ScatterAdd(0, Tensor.FromArray(new long[,] { { -1 } }), Tensor.Ones(new long[] { 1, 1 }, DType.Float64)));
        Assert.That(oor!.Message, Does.Contain("scatter_add: index -1 is out of bounds for dimension 0 with size 3"));
        var dt = Assert.Throws<DTypeException>(() => x.Scatter(1, Tensor.FromArray(new int[,] { { 0 } }), 1.0));
        Assert.That(dt!.Message, Does.Contain("scatter: expected an int64 index tensor, got int32"));
        dt = Assert.Throws<DTypeException>(() => x.Scatter(1, Tensor.FromArray(new long[,] { { 0 } }), Tensor.Ones(1, 1)));
        Assert.That(dt!.Message, Does.Contain("scatter: src (float32) must have the same dtype as x (float64)"));
        var sh = Assert.Throws<ShapeMismatchException>(() => x.Scatter(1, Tensor.Zeros(new long[] { 1, 3 }, DType.Int64), Tensor.Ones(new long[] { 1, 2 }, DType.Float64)));
        Assert.That(sh!.Message, Does.Contain("scatter: expected index [1, 3] to be no larger than src [1, 2]"));
        sh = Assert.Throws<ShapeMismatchException>(() => x.Scatter(1, Tensor.Zeros(new long[] { 4, 1 }, DType.Int64), 1.0));
        Assert.That(sh!.Message, Does.Contain("scatter: expected index [4, 1] to be no larger than x [3, 4] apart from dimension 1"));
        sh = Assert.Throws<ShapeMismatchException>(() => x.Scatter(1, LayoutExtensions.Longs(0), 1.0));
        Assert.That(sh!.Message, Does.Contain("same number of dimensions"));
        var ae = Assert.Throws<ArgumentException>(() => x.Expand(2, 3, 4).ScatterInPlace(0, Tensor.Zeros(new long[] { 1, 1, 1 }, DType.Int64), 1.0));
        Assert.That(ae!.Message, Does.Contain("cannot write into an expanded tensor"));
    }

    [Test]
    public void IndexAddAccumulatesScaledSlices([Values(0, 1, 2)] int dim, [Values] Layout layout, [Values(DType.Int64, DType.Int32)] DType indexType)
    {
        using var scope = DisposeScope.Begin();
        var self = Nd.Random(8, -1, 1, 4, 5, 6);
        long n = self.Shape[dim];
        long[] index = { 0, n - 1, 0, 1, n - 1, 0 };
        var sshape = (long[])self.Shape.Clone();
        sshape[dim] = index.Length;
        var src = Nd.Random(9, -1, 1, sshape);
        var r = layout.Make(self).IndexAdd(dim, LayoutExtensions.Longs(index).To(indexType), layout.Make(src), alpha: 0.5);
        var expected = IndexReduceRef(self, dim, index, idx => 0.5 * src[idx], add: true);
        Assert.That(Nd.Of(r).Data, Is.EqualTo(expected.Data).Within(1e-12));
    }

    [Test]
    public void IndexAddInPlaceOnEmbeddingShapedGradients()
    {
        using var scope = DisposeScope.Begin();
        // The embedding backward: weight (V, D) += rows of grad (N, D) at token ids.
        var weight = Nd.Zeros(50, 16);
        var rng = new Random(11);
        long[] ids = Enumerable.Range(0, 4000).Select(_ => (long)rng.Next(50)).ToArray();
        var grad = Nd.Random(12, -1, 1, 4000, 16);
        var w = weight.ToTensor();
        w.IndexAddInPlace(0, LayoutExtensions.Longs(ids), grad.ToTensor());
        var expected = IndexReduceRef(weight, 0, ids, idx => grad[idx], add: true);
        Assert.That(Nd.Of(w).Data, Is.EqualTo(expected.Data).Within(1e-9));
    }

    [Test]
    public void IndexCopyKeepsTheLastDuplicateAndIndexFillSetsSlices([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var self = Nd.Sequence(3, 4);
        long[] index = { 2, 0, 2 };
        var src = Nd.Random(2, 10, 20, 3, 3);
        var copied = layout.Make(self).IndexCopy(1, LayoutExtensions.Longs(index), layout.Make(src));
        Expect.Same(copied, IndexReduceRef(self, 1, index, idx => src[idx], add: false));
        var filled = layout.Make(self).IndexFill(0, LayoutExtensions.Longs(2, 0), -1.0);
        Expect.Same(filled, IndexReduceRef(self, 0, new long[] { 2, 0 }, _ => -1.0, add: false));
        var byTensor = layout.Make(self).IndexFill(1, LayoutExtensions.Longs(3), Tensor.Scalar(7.0, DType.Float64));
        Expect.Same(byTensor, IndexReduceRef(self, 1, new long[] { 3 }, _ => 7.0, add: false));
        var x = layout.Make(self);
        Assert.That(x.IndexFillInPlace(0, LayoutExtensions.Longs(1), 0.0), Is.SameAs(x));
        Expect.Same(x, IndexReduceRef(self, 0, new long[] { 1 }, _ => 0.0, add: false));
    }

    [Test]
    public void IndexAddCopyFillRefuseBadInputs()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Ones(new long[] { 3, 4 }, DType.Float64);
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexAddInPlace(0, LayoutExtensions.Longs(0, 5), Tensor.Ones(new long[] { 2, 4 }, DType.Float64)));
        Assert.That(oor!.Message, Does.Contain("index_add: index 5 is out of bounds for dimension 0 with size 3"));
        Assert.That(x.Sum().Item<double>(), Is.EqualTo(12.0), "a failed in-place op leaves the tensor unchanged");
        var sh = Assert.Throws<ShapeMismatchException>(() => x.IndexAdd(0, LayoutExtensions.Longs(0), Tensor.Ones(new long[] { 1, 3 }, DType.Float64)));
        Assert.That(sh!.Message, Does.Contain("index_add: source has shape [1, 3] but expected [1, 4]"));
        var dt = Assert.Throws<DTypeException>(() => x.IndexAdd(0, LayoutExtensions.Longs(0), Tensor.Ones(1, 4)));
        Assert.That(dt!.Message, Does.Contain("index_add: x (float64) and source (float32) must have the same dtype"));
        dt = Assert.Throws<DTypeException>(() => x.IndexCopy(0, Tensor.FromArray(new[] { 0 }), Tensor.Ones(new long[] { 1, 4 }, DType.Float64)));
        Assert.That(dt!.Message, Does.Contain("index_copy: expected an int64 index tensor, got int32"));
        dt = Assert.Throws<DTypeException>(() => x.IndexFill(0, Tensor.FromArray(new[] { 0 }), 1.0));
        Assert.That(dt!.Message, Does.Contain("index_fill: expected an int64 index tensor, got int32"));
        sh = Assert.Throws<ShapeMismatchException>(() => x.IndexFill(0, LayoutExtensions.Longs(0), Tensor.Ones(new long[] { 1 }, DType.Float64)));
        Assert.That(sh!.Message, Does.Contain("index_fill: the value tensor must be 0-dimensional"));
        var ae = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new[] { 1L, 2L }).IndexAdd(0, LayoutExtensions.Longs(0), Tensor.FromArray(new[] { 1L }), alpha: 0.5));
        Assert.That(ae!.Message, Does.Contain("0.5 is not a whole number"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexCopy(0, LayoutExtensions.Longs(-4), Tensor.Ones(new long[] { 1, 4 }, DType.Float64)));
        Assert.That(oor!.Message, Does.Contain("index_copy: index -4 is out of bounds for dimension 0 with size 3"));
    }

    [Test]
    public void OneHotEncodesClassIndices()
    {
        using var scope = DisposeScope.Begin();
        var idx = Tensor.FromArray(new long[,] { { 0, 2 }, { 1, 0 } });
        Expect.Longs(idx.OneHot(), new long[] { 2, 2, 3 }, new long[] { 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0 });
        Expect.Longs(idx.OneHot(4), new long[] { 2, 2, 4 }, new long[] { 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0 });
        Expect.Longs(Tensor.Scalar(1L).OneHot(3), new long[] { 3 }, new long[] { 0, 1, 0 });
        Expect.Longs(Tensor.Zeros(new long[] { 0 }, DType.Int64).OneHot(3), new long[] { 0, 3 }, Array.Empty<long>());
    }

    [Test]
    public void OneHotRefusesBadClassValues()
    {
        using var scope = DisposeScope.Begin();
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => LayoutExtensions.Longs(-1, 2).OneHot(3));
        Assert.That(oor!.Message, Does.Contain("one_hot: class values must be non-negative, got -1"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => LayoutExtensions.Longs(3).OneHot(3));
        Assert.That(oor!.Message, Does.Contain("one_hot: class values must be smaller than num_classes (3), got 3"));
        var dt = Assert.Throws<DTypeException>(() => Tensor.FromArray(new[] { 1 }).OneHot(3));
        Assert.That(dt!.Message, Does.Contain("one_hot: expected an int64 tensor of class indices, got int32"));
        var ae = Assert.Throws<ArgumentException>(() => Tensor.Zeros(new long[] { 0 }, DType.Int64).OneHot());
        Assert.That(ae!.Message, Does.Contain("cannot infer the number of classes from an empty tensor"));
    }
}
