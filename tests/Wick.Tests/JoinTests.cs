using System;
using System.Linq;

namespace Wick.Tests;

// Cat, Stack, Split, Chunk against loop references on contiguous and non-contiguous inputs.
public class JoinTests
{
    // Reference cat: walks the output and reads from the input that owns each position along dim.
    private static Nd CatRef(Nd[] parts, int dim)
    {
        long[] shape = (long[])parts[0].Shape.Clone();
        shape[dim] = parts.Sum(p => p.Shape[dim]);
        var r = Nd.Zeros(shape);
        for (long i = 0; i < r.Data.Length; ++i)
        {
            long[] idx = Nd.Unravel(i, shape);
            long k = idx[dim];
            int p = 0;
            while (k >= parts[p].Shape[dim]) k -= parts[p++].Shape[dim];
            var src = (long[])idx.Clone();
            src[dim] = k;
            r.Data[i] = parts[p][src];
        }
        return r;
    }

    [Test]
    public void CatJoinsAlongEveryDimensionForEveryLayout(
        [Values(0, 1, 2, -1)] int dim, [Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        int d = dim < 0 ? dim + 3 : dim;
        var parts = new[] { 2L, 3L, 1L }.Select((n, i) =>
        {
            var shape = new long[] { 3, 4, 5 };
            shape[d] = n;
            return Nd.Random(10 + i, -5, 5, shape);
        }).ToArray();
        var tensors = parts.Select(p => layout.Make(p)).ToArray();
        Expect.Same(Tensor.Cat(tensors, dim), CatRef(parts, d));
    }

    [Test]
    public void CatOfLargeContiguousTensorsAlongDimZeroMatchesTheReference()
    {
        using var scope = DisposeScope.Begin();
        var a = Nd.Random(1, -1, 1, 300, 257);
        var b = Nd.Random(2, -1, 1, 211, 257);
        Expect.Same(Tensor.Cat(new[] { a.ToTensor(DType.Float32), b.ToTensor(DType.Float32) }),
                    Nd.Of(CatRef(new[] { a, b }, 0).ToTensor(DType.Float32)));
    }

    [Test]
    public void CatPromotesDtypesAsPyTorch()
    {
        using var scope = DisposeScope.Begin();
        var i = Tensor.FromArray(new[] { 1, 2 });
        var f = Tensor.FromArray(new[] { 0.5 });
        var c = Tensor.Cat(new[] { i, f });
        Assert.That(c.DType, Is.EqualTo(DType.Float64));
        Assert.That(c.ToArray<double>(), Is.EqualTo(new[] { 1.0, 2.0, 0.5 }));
        Assert.That(Tensor.Cat(new[] { Tensor.FromArray(new byte[] { 200 }), Tensor.FromArray(new sbyte[] { -1 }) }).DType,
                    Is.EqualTo(DType.Int16));
    }

    [Test]
    public void CatSkipsOneDimensionalEmptyTensorsAndKeepsEmptyOnes()
    {
        using var scope = DisposeScope.Begin();
        var a = Nd.Sequence(2, 3);
        var c = Tensor.Cat(new[] { a.ToTensor(), Tensor.Zeros(0), a.ToTensor() }, 0);
        Expect.Same(c, CatRef(new[] { a, a }, 0));
        var e = Tensor.Cat(new[] { Tensor.Zeros(0, 3), a.ToTensor() }, 0);
        Expect.Same(e, a);
        Assert.That(Tensor.Cat(new[] { Tensor.Zeros(0), Tensor.Zeros(0) }).Shape, Is.EqualTo(new long[] { 0 }));
    }

    [Test]
    public void CatAcceptsAnyEnumerable()
    {
        using var scope = DisposeScope.Begin();
        var list = new System.Collections.Generic.List<Tensor> { Tensor.Ones(2), Tensor.Zeros(1) };
        Assert.That(Tensor.Cat(list).ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 0 }));
    }

    [Test]
    public void CatRefusesBadInputsWithMessagesNamingTheProblem()
    {
        using var scope = DisposeScope.Begin();
        var ex = Assert.Throws<ShapeMismatchException>(() => Tensor.Cat(new[] { Tensor.Ones(2, 3), Tensor.Ones(2, 4) }, 0));
        Assert.That(ex!.Message, Does.Contain("cat: sizes of tensors must match except in dimension 0")
                                    .And.Contain("expected size 3 but got size 4"));
        ex = Assert.Throws<ShapeMismatchException>(() => Tensor.Cat(new[] { Tensor.Ones(2, 3), Tensor.Ones(3) }, 0));
        Assert.That(ex!.Message, Does.Contain("same number of dimensions"));
        ex = Assert.Throws<ShapeMismatchException>(() => Tensor.Cat(new[] { Tensor.Scalar(1.0), Tensor.Scalar(2.0) }));
        Assert.That(ex!.Message, Does.Contain("zero-dimensional tensor at position 0"));
        var ae = Assert.Throws<ArgumentException>(() => Tensor.Cat(Array.Empty<Tensor>()));
        Assert.That(ae!.Message, Does.Contain("cat: expected a non-empty list"));
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Cat(new[] { Tensor.Ones(2, 3) }, 2));
        Assert.That(oor!.Message, Does.Contain("cat: dimension 2 is out of range"));
        Assert.Throws<ArgumentNullException>(() => Tensor.Cat(new Tensor[] { Tensor.Ones(1), null! }));
    }

    [Test]
    public void StackInsertsANewDimensionAnywhere([Values(0, 1, 2, -1, -3)] int dim, [Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var parts = Enumerable.Range(0, 3).Select(i => Nd.Random(i, -1, 1, 2, 4)).ToArray();
        int d = dim < 0 ? dim + 3 : dim;
        var s = Tensor.Stack(parts.Select(p => layout.Make(p)).ToArray(), dim);
        var shape = new System.Collections.Generic.List<long> { 2, 4 };
        shape.Insert(d, 3);
        var r = Nd.Zeros(shape.ToArray());
        for (long i = 0; i < r.Data.Length; ++i)
        {
            var idx = Nd.Unravel(i, r.Shape).ToList();
            int which = (int)idx[d];
            idx.RemoveAt(d);
            r.Data[i] = parts[which][idx.ToArray()];
        }
        Expect.Same(s, r);
    }

    [Test]
    public void StackOfScalarsMakesAVector()
    {
        using var scope = DisposeScope.Begin();
        var s = Tensor.Stack(new[] { Tensor.Scalar(1.0), Tensor.Scalar(2.0) });
        Assert.That(s.Shape, Is.EqualTo(new long[] { 2 }));
        Assert.That(s.ToArray<float>(), Is.EqualTo(new float[] { 1, 2 }));
    }

    [Test]
    public void StackRefusesUnequalShapesAndBadDims()
    {
        using var scope = DisposeScope.Begin();
        var ex = Assert.Throws<ShapeMismatchException>(() => Tensor.Stack(new[] { Tensor.Ones(2, 3), Tensor.Ones(2, 4) }));
        Assert.That(ex!.Message, Does.Contain("stack: expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1"));
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Stack(new[] { Tensor.Ones(2, 3) }, 3));
        Assert.That(oor!.Message, Does.Contain("stack: dimension 3 is out of range"));
    }

    [Test]
    public void SplitBySizeGivesViewsWithASmallerLastPiece([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var a = Nd.Sequence(7, 3);
        var x = layout.Make(a);
        var parts = x.Split(3, 0);
        Assert.That(parts.Select(p => p.Shape[0]), Is.EqualTo(new long[] { 3, 3, 1 }));
        Expect.Same(Tensor.Cat(parts), a);
        // Views: writing through a piece writes the original.
        parts[2].Fill(100);
        Assert.That(Nd.Of(x)[6, 1], Is.EqualTo(100));
    }

    [Test]
    public void SplitWithSizesAlongTheLastDimension()
    {
        using var scope = DisposeScope.Begin();
        var a = Nd.Sequence(2, 6);
        var parts = a.ToTensor().Split(new long[] { 1, 0, 5 }, -1);
        Assert.That(parts.Select(p => p.Shape[1]), Is.EqualTo(new long[] { 1, 0, 5 }));
        Assert.That(parts[2].ToArray<double>(), Is.EqualTo(new[] { a[0, 1], a[0, 2], a[0, 3], a[0, 4], a[0, 5], a[1, 1], a[1, 2], a[1, 3], a[1, 4], a[1, 5] }));
    }

    [Test]
    public void ChunkFollowsPyTorchSizes()
    {
        using var scope = DisposeScope.Begin();
        Assert.That(Tensor.Arange(6).Chunk(4).Select(c => c.Shape[0]), Is.EqualTo(new long[] { 2, 2, 2 }));
        Assert.That(Tensor.Arange(10).Chunk(3).Select(c => c.Shape[0]), Is.EqualTo(new long[] { 4, 4, 2 }));
        Assert.That(Tensor.Zeros(0).Chunk(3).Select(c => c.Shape[0]), Is.EqualTo(new long[] { 0, 0, 0 }));
        Assert.That(Tensor.Zeros(0).Split(2).Select(c => c.Shape[0]), Is.EqualTo(new long[] { 0 }));
        Assert.That(Tensor.Arange(5).Chunk(1)[0].ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void SplitAndChunkRefuseBadArguments()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Ones(3, 4);
        var ex = Assert.Throws<ShapeMismatchException>(() => x.Split(new long[] { 1, 1 }));
        Assert.That(ex!.Message, Does.Contain("split: split sizes must sum exactly to 3").And.Contain("but got split sizes [1, 1]"));
        var ae = Assert.Throws<ArgumentException>(() => x.Split(new long[] { 4, -1 }));
        Assert.That(ae!.Message, Does.Contain("split sizes must be non-negative, got -1"));
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.Split(0));
        Assert.That(oor!.Message, Does.Contain("can only be 0 if the dimension is empty"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.Split(-2));
        Assert.That(oor!.Message, Does.Contain("must be non-negative"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.Chunk(0));
        Assert.That(oor!.Message, Does.Contain("number of chunks must be positive"));
        oor = Assert.Throws<ArgumentOutOfRangeException>(() => x.Split(1, 2));
        Assert.That(oor!.Message, Does.Contain("dimension 2 is out of range"));
        ex = Assert.Throws<ShapeMismatchException>(() => Tensor.Scalar(1.0).Split(1));
        Assert.That(ex!.Message, Does.Contain("cannot split a zero-dimensional tensor"));
    }
}
