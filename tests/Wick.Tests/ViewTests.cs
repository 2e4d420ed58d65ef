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

    // Shapes big enough for the tiled transpose (tiles of 32, partial edge tiles) and small ones that take the run loop.
    private static readonly object[] PermutedCopyCases =
    {
        new object[] { new long[] { 37, 53 }, new[] { 1, 0 } },
        new object[] { new long[] { 3, 40, 65 }, new[] { 0, 2, 1 } },
        new object[] { new long[] { 33, 2, 48 }, new[] { 2, 1, 0 } },
        new object[] { new long[] { 5, 7 }, new[] { 1, 0 } },
        new object[] { new long[] { 64, 16, 3 }, new[] { 2, 1, 0 } },
    };

    [TestCaseSource(nameof(PermutedCopyCases))]
    public void ContiguousOfAPermutedViewMatchesIndexArithmetic(long[] shape, int[] order)
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64, DType.Int16, DType.UInt8, DType.BFloat16 })
        {
            long n = 1;
            foreach (long d in shape) n *= d;
            using var flat = Tensor.Arange(0, n, 1, DType.Int64).Remainder(251).To(dtype);
            using var a = flat.Reshape(shape);
            using var p = a.Permute(order);
            using var dense = p.Contiguous();
            Assert.That(dense.IsContiguous, Is.True);
            // Reference: element i of the permuted view, from its multi-index and the base's row-major strides.
            var pshape = p.Shape;
            var baseStrides = new long[shape.Length];
            for (int d = shape.Length - 1, acc = 1; d >= 0; acc *= (int)shape[d], --d) baseStrides[d] = acc;
            var got = dense.To(DType.Float64).ToArray<double>();
            var idx = new long[pshape.Length];
            for (long i = 0; i < n; ++i)
            {
                long rem = i, src = 0;
                for (int d = pshape.Length - 1; d >= 0; --d)
                {
                    idx[d] = rem % pshape[d];
                    rem /= pshape[d];
                    src += idx[d] * baseStrides[order[d]];
                }
                if (got[i] != src % 251)
                    Assert.Fail($"{dtype} shape [{string.Join(",", shape)}] permuted ({string.Join(",", order)}): element {i} is {got[i]}, expected {src % 251}");
            }
        }
    }

    [Test]
    public void ContiguousOfASteppedTransposeMatchesIndexArithmetic()
    {
        using var a = Tensor.Arange(0, 100 * 90, 1, DType.Float32).Reshape(100, 90);
        using var s = a.Slice(0, 1, 100, 3).Slice(1, 0, 90, 2);  // 33 x 45, strides (270, 2)
        using var t = s.Transpose(0, 1);
        using var dense = t.Contiguous();
        var got = dense.ToArray<float>();
        for (int r = 0; r < 45; ++r)
            for (int c = 0; c < 33; ++c)
                Assert.That(got[r * 33 + c], Is.EqualTo((float)((1 + 3 * c) * 90 + 2 * r)), $"element ({r}, {c})");
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
