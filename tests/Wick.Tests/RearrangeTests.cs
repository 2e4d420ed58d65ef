using System;
using System.Linq;

namespace Wick.Tests;

// Flip, Roll, Repeat, Tile, Tril, Triu: each output position computed by its definition.
public class RearrangeTests
{
    // out[idx] = x[source(idx)], for a per-dimension source function.
    private static Nd Remap(Nd x, long[] outShape, Func<int, long, long> source)
    {
        var r = Nd.Zeros(outShape);
        int lead = outShape.Length - x.Ndim;
        for (long i = 0; i < r.Data.Length; ++i)
        {
            long[] idx = Nd.Unravel(i, outShape);
            var src = new long[x.Ndim];
            for (int d = 0; d < x.Ndim; ++d) src[d] = source(d, idx[d + lead]);
            r.Data[i] = x[src];
        }
        return r;
    }

    [Test]
    public void FlipReversesTheGivenDimensions([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 4, 5);
        foreach (var dims in new[] { new[] { 0 }, new[] { 2 }, new[] { -1, 0 }, new[] { 0, 1, 2 }, Array.Empty<int>() })
        {
            var set = dims.Select(d => d < 0 ? d + 3 : d).ToHashSet();
            Expect.Same(layout.Make(x).Flip(dims), Remap(x, x.Shape, (d, i) => set.Contains(d) ? x.Shape[d] - 1 - i : i));
        }
    }

    [Test]
    public void FlipOfScalarsEmptyAndEveryDtype([Values] DType dtype)
    {
        using var scope = DisposeScope.Begin();
        var x = new Nd(new double[] { 0, 1, 1, 0, 1, 1 }, 2, 3);
        Expect.Same(x.ToTensor(dtype).Flip(1), Remap(x, x.Shape, (d, i) => d == 1 ? 2 - i : i));
        Assert.That(Tensor.Scalar(2.0).Flip(0).Item<float>(), Is.EqualTo(2f));
        Assert.That(Tensor.Zeros(0, 3).Flip(0, 1).Shape, Is.EqualTo(new long[] { 0, 3 }));
    }

    [Test]
    public void FlipRefusesRepeatedOrOutOfRangeDims()
    {
        using var scope = DisposeScope.Begin();
        var ae = Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3).Flip(0, -2));
        Assert.That(ae!.Message, Does.Contain("flip: dim 0 appears multiple times in the list of dims"));
        var oor = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2, 3).Flip(2));
        Assert.That(oor!.Message, Does.Contain("flip: dimension 2 is out of range"));
    }

    [Test]
    public void RollShiftsAlongDimsWithWrapAround([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 4, 5);
        foreach (var (shifts, dims) in new[] { (new long[] { 1 }, new[] { 0 }), (new long[] { -7 }, new[] { 2 }),
                                               (new long[] { 2, 13 }, new[] { 1, -1 }), (new long[] { 1, 2 }, new[] { 1, 1 }) })
        {
            var total = new long[3];
            for (int k = 0; k < dims.Length; ++k) total[dims[k] < 0 ? dims[k] + 3 : dims[k]] += shifts[k];
            Expect.Same(layout.Make(x).Roll(shifts, dims),
                        Remap(x, x.Shape, (d, i) => (((i - total[d]) % x.Shape[d]) + x.Shape[d]) % x.Shape[d]));
        }
    }

    [Test]
    public void RollWithoutDimsRollsTheFlattenedTensor()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(3, 4);
        var r = x.ToTransposed().Roll(5);
        var expected = new Nd(Enumerable.Range(0, 12).Select(i => x.Data[((i - 5) % 12 + 12) % 12]).ToArray(), 3, 4);
        Expect.Same(r, expected);
        Assert.That(Tensor.Scalar(1.0).Roll(3).Item<float>(), Is.EqualTo(1f));
        Assert.That(Tensor.Zeros(0, 3).Roll(1, 0).Shape, Is.EqualTo(new long[] { 0, 3 }));
        Assert.That(Tensor.Arange(5).Roll(long.MinValue + 1, 0).ToArray<long>(), Is.EqualTo(new long[] { 2, 3, 4, 0, 1 }));
    }

    [Test]
    public void RollRefusesMisalignedShiftsAndDims()
    {
        using var scope = DisposeScope.Begin();
        var ae = Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3).Roll(new long[] { 1, 2 }, new[] { 0 }));
        Assert.That(ae!.Message, Does.Contain("roll: shifts and dims must align: got 2 shifts and 1 dims"));
        ae = Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3).Roll(new long[] { 1, 2 }, Array.Empty<int>()));
        Assert.That(ae!.Message, Does.Contain("roll: without dims the flattened tensor rolls by one shift"));
    }

    [Test]
    public void RepeatTilesAndAddsLeadingDimensions([Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Sequence(2, 3);
        foreach (var reps in new[] { new long[] { 1, 1 }, new long[] { 2, 3 }, new long[] { 2, 1, 2 }, new long[] { 3, 0, 1 } })
        {
            int lead = reps.Length - 2;
            var shape = reps.Select((r, i) => r * (i < lead ? 1 : x.Shape[i - lead])).ToArray();
            Expect.Same(layout.Make(x).Repeat(reps), Remap(x, shape, (d, i) => i % x.Shape[d]));
        }
    }

    [Test]
    public void RepeatOfAScalarAndTileWithFewerRepetitions()
    {
        using var scope = DisposeScope.Begin();
        var s = Tensor.Scalar(2.0).Repeat(2, 3);
        Assert.That(s.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(s.ToArray<float>(), Is.All.EqualTo(2f));
        var x = Nd.Sequence(3, 4);
        Expect.Same(x.ToTensor().Tile(2), Remap(x, new long[] { 3, 8 }, (d, i) => i % x.Shape[d]));
        Expect.Same(x.ToTensor().Tile(2, 1, 1), Remap(x, new long[] { 2, 3, 4 }, (d, i) => i % x.Shape[d]));
    }

    [Test]
    public void RepeatRefusesFewerRepeatsThanDimsAndNegativeRepeats()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Ones(3, 4);
        var ae = Assert.Throws<ArgumentException>(() => x.Repeat(2));
        Assert.That(ae!.Message, Does.Contain("repeat: the number of repeats (1) cannot be smaller than the number of dimensions of the tensor (2"));
        ae = Assert.Throws<ArgumentException>(() => x.Repeat(-1, 1));
        Assert.That(ae!.Message, Does.Contain("repeat: repeats must be non-negative, got -1 at position 0"));
        ae = Assert.Throws<ArgumentException>(() => x.Tile(-1));
        Assert.That(ae!.Message, Does.Contain("repeats must be non-negative, got -1 at position 1"));
        ae = Assert.Throws<ArgumentException>(() => x.Repeat(long.MaxValue, 2));
        Assert.That(ae!.Message, Does.Contain("overflows"));
    }

    private static Nd TriangleRef(Nd x, long diagonal, bool upper)
    {
        var r = new Nd((double[])x.Data.Clone(), x.Shape);
        int n = x.Ndim;
        for (long i = 0; i < r.Data.Length; ++i)
        {
            long[] idx = Nd.Unravel(i, x.Shape);
            long delta = idx[n - 1] - idx[n - 2];
            bool keep = upper ? delta >= diagonal : delta <= diagonal;
            if (!keep) r.Data[i] = 0;
        }
        return r;
    }

    [Test]
    public void TrilAndTriuKeepTheirTriangleForAnyDiagonal([Values(-4, -1, 0, 2, 7)] long diagonal, [Values] Layout layout)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Random(1, 1, 2, 2, 4, 5);
        Expect.Same(layout.Make(x).Tril(diagonal), TriangleRef(x, diagonal, upper: false));
        Expect.Same(layout.Make(x).Triu(diagonal), TriangleRef(x, diagonal, upper: true));
    }

    [Test]
    public void TrilAndTriuInPlaceAndWithExtremeDiagonals()
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Random(2, 1, 2, 6, 3);
        var t = x.ToStrided();
        Assert.That(t.TriuInPlace(1), Is.SameAs(t));
        Expect.Same(t, TriangleRef(x, 1, upper: true));
        Expect.Same(x.ToTensor().Tril(long.MaxValue), x);
        Expect.Same(x.ToTensor().Tril(long.MinValue), Nd.Zeros(6, 3));
        Expect.Same(x.ToTensor().Triu(long.MinValue), x);
        Expect.Same(x.ToTensor().Triu(long.MaxValue), Nd.Zeros(6, 3));
        var b = Tensor.Ones(new long[] { 2, 2 }, DType.Bool).Tril();
        Assert.That(b.ToArray<bool>(), Is.EqualTo(new[] { true, false, true, true }));
        Assert.That(Tensor.Zeros(0, 3).Tril().Shape, Is.EqualTo(new long[] { 0, 3 }));
    }

    [Test]
    public void TrilRefusesTensorsWithFewerThanTwoDimensions()
    {
        using var scope = DisposeScope.Begin();
        var sh = Assert.Throws<ShapeMismatchException>(() => Tensor.Ones(3).Tril());
        Assert.That(sh!.Message, Does.Contain("tril: expected a tensor with at least 2 dimensions, got shape [3]"));
        sh = Assert.Throws<ShapeMismatchException>(() => Tensor.Scalar(1.0).Triu());
        Assert.That(sh!.Message, Does.Contain("triu: expected a tensor with at least 2 dimensions"));
    }
}
