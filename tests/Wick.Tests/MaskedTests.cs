using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Tests;

// MaskedFill, MaskedSelect, MaskedScatter, Nonzero: broadcasting masks, every layout, large inputs
// (the compaction kernels work in blocks), and the errors.
public class MaskedTests
{
    private static Nd RandomMask(int seed, double pTrue, params long[] shape)
    {
        var rng = new Random(seed);
        return new Nd(Enumerable.Range(0, (int)Nd.Numel(shape)).Select(_ => rng.NextDouble() < pTrue ? 1.0 : 0.0).ToArray(), shape);
    }

    // Reads an Nd at a broadcast position: dimensions of size 1 repeat, missing leading ones too.
    private static double At(Nd a, long[] idx)
    {
        int lead = idx.Length - a.Ndim;
        var j = new long[a.Ndim];
        for (int d = 0; d < a.Ndim; ++d) j[d] = a.Shape[d] == 1 ? 0 : idx[d + lead];
        return a[j];
    }

    private static long[] BroadcastShape(long[] a, long[] b)
    {
        int n = Math.Max(a.Length, b.Length);
        var r = new long[n];
        for (int i = 0; i < n; ++i)
        {
            long x = i - (n - a.Length) >= 0 ? a[i - (n - a.Length)] : 1;
            long y = i - (n - b.Length) >= 0 ? b[i - (n - b.Length)] : 1;
            r[i] = x == 1 ? y : x;
        }
        return r;
    }

    [Test]
    public void MaskedFillBroadcastsTheMask([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Random(1, -5, 5, 3, 4);
        var mask = new Nd(new double[] { 1, 0, 0, 1 }, 4);
        var r = layout.Make(x).MaskedFill(mask.ToTensor(DType.Bool), -1.0);
        var expected = Nd.Zeros(3, 4);
        for (long i = 0; i < 12; ++i)
        {
            long[] idx = Nd.Unravel(i, expected.Shape);
            expected.Data[i] = At(mask, idx) != 0 ? -1.0 : x.Data[i];
        }
        Expect.Same(r, expected);
    }

    [Test]
    public void MaskedFillOutOfPlaceBroadcastsXToTheMaskShape()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 1);
        var mask = RandomMask(2, 0.5, 2, 3, 4);
        var r = x.ToTensor().MaskedFill(mask.ToStrided(DType.Bool), 9.0);
        var shape = BroadcastShape(x.Shape, mask.Shape);
        var expected = Nd.Zeros(shape);
        for (long i = 0; i < expected.Data.Length; ++i)
        {
            long[] idx = Nd.Unravel(i, shape);
            expected.Data[i] = At(mask, idx) != 0 ? 9.0 : At(x, idx);
        }
        Expect.Same(r, expected);
    }

    [Test]
    public void MaskedFillTakesAZeroDimensionalTensorValueConvertedToXsDtype()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Arange(4);
        var r = x.MaskedFill(Tensor.FromArray(new[] { true, false, true, false }), Tensor.Scalar(1.7, DType.Float64));
        Assert.That(r.DType, Is.EqualTo(DType.Int64));
        Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, 1, 1, 3 }));
        var ok = Tensor.FromArray(new[] { true, false }).MaskedFill(Tensor.FromArray(new[] { false, true }), 1.0);
        Assert.That(ok.ToArray<bool>(), Is.EqualTo(new[] { true, true }));
    }

    [Test]
    public void MaskedFillInPlaceOnHalfPrecisionAndStridedTensors([Values(DType.Float16, DType.BFloat16, DType.Float32)] DType dtype)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(4, 6);
        var t = x.ToStrided(dtype);
        var mask = RandomMask(3, 0.4, 4, 6);
        long before = t.Version;
        Assert.That(t.MaskedFillInPlace(mask.ToTensor(DType.Bool), 0.5), Is.SameAs(t));
        Assert.That(t.Version, Is.GreaterThan(before));
        var expected = new Nd(x.Data.Select((v, i) => mask.Data[i] != 0 ? 0.5 : v).ToArray(), x.Shape);
        Expect.Same(t, Nd.Of(expected.ToTensor(dtype)));
    }

    [Test]
    public void MaskedFillRefusesBadInputs()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Ones(3, 4);
        var dt = Assert.Throws<DTypeException>(() => x.MaskedFill(Tensor.Ones(new long[] { 3, 4 }, DType.UInt8), 1.0));
        Assert.That(dt!.Message, Does.Contain("masked_fill: expected a bool mask, got uint8"));
        var sh = Assert.Throws<ShapeMismatchException>(() => x.MaskedFill(Tensor.Ones(new long[] { 4 }, DType.Bool), Tensor.Ones(1)));
        Assert.That(sh!.Message, Does.Contain("masked_fill: the value tensor must be 0-dimensional, got shape [1]"));
        sh = Assert.Throws<ShapeMismatchException>(() => x.MaskedFillInPlace(Tensor.Ones(new long[] { 2, 3, 4 }, DType.Bool), 1.0));
        Assert.That(sh!.Message, Does.Contain("masked_fill: the mask of shape [2, 3, 4] cannot be broadcast to the shape [3, 4]"));
        sh = Assert.Throws<ShapeMismatchException>(() => x.MaskedFill(Tensor.Ones(new long[] { 3 }, DType.Bool), 1.0));
        Assert.That(sh!.Message, Does.Contain("masked_fill"));
        var ae = Assert.Throws<ArgumentException>(() => Tensor.Arange(3).MaskedFill(Tensor.Ones(new long[] { 3 }, DType.Bool), 1.5));
        Assert.That(ae!.Message, Does.Contain("1.5 is not a whole number"));
    }

    [Test]
    public void MaskedSelectReturnsSelectedElementsInRowMajorOrder([Values] Layout layout, [Values(0.0, 0.3, 1.0)] double pTrue)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Random(4, -1, 1, 5, 7);
        var mask = RandomMask(5, pTrue, 5, 7);
        var r = layout.Make(x).MaskedSelect(layout.Make(mask, DType.Bool));
        var expected = x.Data.Where((_, i) => mask.Data[i] != 0).ToArray();
        Expect.Same(r, new Nd(expected, expected.Length));
    }

    [Test]
    public void MaskedSelectOnLargeBroadcastInputsSpansManyBlocks()
    {
        using var scope = DisposeScope.Begin();
        // 3 * 70000 positions: the compaction kernel works in blocks of 65536.
        var x = Nd.Random(6, -1, 1, 70000);
        var mask = RandomMask(7, 0.5, 3, 1);
        var r = x.ToTensor().MaskedSelect(mask.ToTensor(DType.Bool));
        var expected = new List<double>();
        for (int i = 0; i < 3; ++i)
            if (mask.Data[i] != 0) expected.AddRange(x.Data);
        Assert.That(r.Shape, Is.EqualTo(new long[] { expected.Count }));
        Assert.That(r.ToArray<double>(), Is.EqualTo(expected.ToArray()));
        var big = RandomMask(8, 0.3, 200001);
        var sel = Tensor.Arange(200001).MaskedSelect(big.ToTensor(DType.Bool));
        Assert.That(sel.ToArray<long>(), Is.EqualTo(Enumerable.Range(0, 200001).Where(i => big.Data[i] != 0).Select(i => (long)i).ToArray()));
    }

    [Test]
    public void MaskedScatterFillsTruePositionsWithConsecutiveSourceElements([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(4, 5);
        var mask = RandomMask(9, 0.5, 4, 5);
        var source = Nd.Random(10, 100, 200, 5, 5);
        var r = layout.Make(x).MaskedScatter(layout.Make(mask, DType.Bool), layout.Make(source));
        var expected = new Nd((double[])x.Data.Clone(), x.Shape);
        int k = 0;
        for (int i = 0; i < x.Data.Length; ++i)
            if (mask.Data[i] != 0) expected.Data[i] = source.Data[k++];
        Expect.Same(r, expected);
        var t = layout.Make(x);
        Assert.That(t.MaskedScatterInPlace(mask.ToTensor(DType.Bool), source.ToTensor()), Is.SameAs(t));
        Expect.Same(t, expected);
    }

    [Test]
    public void MaskedScatterRefusesAShortSourceOrAnotherDtype()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Zeros(2, 3);
        var sh = Assert.Throws<ShapeMismatchException>(() => x.MaskedScatter(Tensor.Ones(new long[] { 2, 3 }, DType.Bool), Tensor.Zeros(2)));
        Assert.That(sh!.Message, Does.Contain("masked_scatter: the mask selects 6 positions but the source has only 2 elements"));
        var dt = Assert.Throws<DTypeException>(() => x.MaskedScatter(Tensor.Ones(new long[] { 2, 3 }, DType.Bool), Tensor.Arange(6)));
        Assert.That(dt!.Message, Does.Contain("masked_scatter: x (float32) and source (int64) must have the same dtype"));
        dt = Assert.Throws<DTypeException>(() => x.MaskedScatter(Tensor.Ones(2, 3), Tensor.Zeros(6)));
        Assert.That(dt!.Message, Does.Contain("masked_scatter: expected a bool mask, got float32"));
    }

    [Test]
    public void NonzeroListsCoordinatesRowMajor([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = new Nd(new double[] { 0, 1.5, 0, -2, 0, 0, double.NaN, 3, 0, 0, 0, -0.0 }, 2, 3, 2);
        var r = layout.Make(x).Nonzero();
        var coords = new List<long>();
        for (long i = 0; i < x.Data.Length; ++i)
            if (x.Data[i] != 0 || double.IsNaN(x.Data[i])) coords.AddRange(Nd.Unravel(i, x.Shape));
        Expect.Longs(r, new long[] { coords.Count / 3, 3 }, coords.ToArray());
    }

    [Test]
    public void NonzeroOfEveryDtypeAndOfZeroDimensionalTensors([Values] DType dtype)
    {
        using var scope = DisposeScope.Begin();
        var x = new Nd(new double[] { 0, 1, 0, 1 }, 4).ToTensor(dtype);
        Expect.Longs(x.Nonzero(), new long[] { 2, 1 }, new long[] { 1, 3 });
        Assert.That(Tensor.Scalar(3.0).Nonzero().Shape, Is.EqualTo(new long[] { 1, 0 }));
        Assert.That(Tensor.Scalar(0.0).Nonzero().Shape, Is.EqualTo(new long[] { 0, 0 }));
        Assert.That(Tensor.Zeros(0, 3).Nonzero().Shape, Is.EqualTo(new long[] { 0, 2 }));
        var half = Tensor.FromArray(new[] { -0.0f, 0.0f, float.NaN }).To(DType.Float16);
        Expect.Longs(half.Nonzero(), new long[] { 1, 1 }, new long[] { 2 });
    }

    [Test]
    public void NonzeroOnALargeTensorMatchesTheReference()
    {
        using var scope = DisposeScope.Begin();
        var mask = RandomMask(11, 0.1, 300, 701);
        var r = mask.ToTensor(DType.Float32).Nonzero();
        var coords = new List<long>();
        for (long i = 0; i < mask.Data.Length; ++i)
            if (mask.Data[i] != 0) coords.AddRange(Nd.Unravel(i, mask.Shape));
        Expect.Longs(r, new long[] { coords.Count / 2, 2 }, coords.ToArray());
    }
}
