using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Native;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>
/// Indexing, masking, rearranging and sorting ops on CUDA against the CPU result: every dtype the
/// op accepts, indexed dimensions first, middle and last, transposed and sliced inputs, duplicate
/// indices (last write wins, sums accumulate), lengths that cross the kernels' tile sizes, and bad
/// indices, which must raise the CPU's error and leave an in-place target unchanged.
/// </summary>
[Category("Cuda")]
public class CudaShapeTests
{
    /// <summary>Runs <paramref name="op"/> on CPU inputs and on GPU copies of them (the function maps each input); the results must agree.</summary>
    private static void Same(string what, Func<Func<Tensor, Tensor>, Tensor> op, double? tolerance = null)
    {
        Tensor want = op(t => t);
        Tensor got = op(t => t.To(Gpu));
        AssertMatchesCpu(got, want, what, tolerance);
    }

    private static Tensor Mask(int seed, long[] shape, double pTrue = 0.5)
    {
        using Tensor v = Values(seed, shape, DType.Float64, 0, 1);
        return v.Lt(pTrue);
    }

    private static Tensor Indices(int seed, long[] shape, long size, DType dtype = DType.Int64)
    {
        var random = new Random(seed);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new long[n];
        for (long i = 0; i < n; i++) data[i] = random.NextInt64(size);
        using Tensor t = Tensor.FromSpan<long>(data, shape);
        return t.To(dtype);
    }

    // Values of any dtype, bools included.
    private static Tensor Any(int seed, long[] shape, DType dtype) =>
        dtype == DType.Bool ? Mask(seed, shape) : Values(seed, shape, dtype, dtype == DType.UInt8 ? 0 : -50, 50);

    public static IEnumerable<DType> Types() => AllTypes;

    [TestCaseSource(nameof(Types))]
    public void Index_select_and_advanced_indexing_match_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Any(1, new long[] { 5, 6, 7 }, dtype);
        foreach (int dim in new[] { 0, 1, 2 })
        {
            Tensor index = Indices(2 + dim, new long[] { 9 }, x.Shape[dim]);
            Same($"IndexSelect {dtype} dim {dim}", on => on(x).IndexSelect(dim, on(index)));
            Tensor index32 = index.To(DType.Int32);
            Same($"IndexSelect {dtype} dim {dim} int32 index", on => on(x).IndexSelect(dim, on(index32)));
            Tensor indexT = Indices(12 + dim, new long[] { 9 }, x.Transpose(0, 2).Shape[dim]);
            Same($"IndexSelect {dtype} dim {dim} of a transposed input", on => on(x).Transpose(0, 2).IndexSelect(dim, on(indexT)));
        }
        Tensor negative = Tensor.FromArray(new long[] { -1, 0, -5, 2, -1 });
        Same($"x[idx] with negative indices {dtype}", on => on(x)[TensorIndex.All, on(negative)]);
        Tensor idx2 = Indices(7, new long[] { 2, 3 }, 5);
        Same($"x[idx] with a 2-D index {dtype}", on => on(x)[on(idx2)]);
    }

    [TestCaseSource(nameof(Types))]
    public void Gather_matches_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Any(3, new long[] { 6, 8, 5 }, dtype);
        foreach (int dim in new[] { 0, 1, 2 })
        {
            long[] shape = { 4, 7, 3 };
            Tensor index = Indices(4 + dim, shape, x.Shape[dim]);
            Same($"Gather {dtype} dim {dim}", on => on(x).Gather(dim, on(index)));
            // The sliced input has 4 columns: an index sliced the same way, with entries valid for it.
            Tensor indexS = Indices(14 + dim, shape, x.Slice(1, 0, 8, 2).Shape[dim]);
            Same($"Gather {dtype} dim {dim} of a sliced input", on => on(x).Slice(1, 0, 8, 2).Gather(dim, on(indexS).Slice(1, 0, 4)));
        }
    }

    [TestCaseSource(nameof(Types))]
    public void Scatter_and_scatter_add_with_duplicates_match_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Any(5, new long[] { 6, 7, 5 }, dtype);
        foreach (int dim in new[] { 0, 1, 2 })
        {
            Tensor index = Indices(6 + dim, new long[] { 9, 4, 3 }.Select((s, d) => d == dim ? s : Math.Min(s, x.Shape[d])).ToArray(), 3);
            Tensor src = Any(7, index.Shape, dtype);
            Same($"Scatter {dtype} dim {dim} (last duplicate wins)", on => on(x).Scatter(dim, on(index), on(src)));
            Same($"Scatter {dtype} dim {dim} of a scalar", on => on(x).Scatter(dim, on(index), 1.0));
            Same($"ScatterAdd {dtype} dim {dim}", on => on(x).ScatterAdd(dim, on(index), on(src)));
            Same($"ScatterAddInPlace {dtype} dim {dim} into a transposed tensor", on =>
            {
                Tensor t = on(x).Clone().Transpose(0, 2);
                Tensor it = on(index).Transpose(0, 2), st = on(src).Transpose(0, 2);
                return t.ScatterAddInPlace(2 - dim, it, st);
            });
        }
    }

    [TestCaseSource(nameof(Types))]
    public void Index_add_copy_fill_and_put_match_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Any(8, new long[] { 6, 5, 4 }, dtype);
        foreach (int dim in new[] { 0, 1, 2 })
        {
            Tensor index = Indices(9 + dim, new long[] { 7 }, x.Shape[dim]);
            long[] srcShape = (long[])x.Shape.Clone();
            srcShape[dim] = 7;
            Tensor src = Any(10, srcShape, dtype);
            if (dtype != DType.Bool)
            {
                Same($"IndexAdd {dtype} dim {dim}", on => on(x).IndexAdd(dim, on(index), on(src)));
                Tensor index32 = index.To(DType.Int32);
                Same($"IndexAdd {dtype} dim {dim} int32 index, alpha 2", on => on(x).IndexAdd(dim, on(index32), on(src), 2));
            }
            Same($"IndexCopy {dtype} dim {dim}", on => on(x).IndexCopy(dim, on(index), on(src)));
            Same($"IndexFill {dtype} dim {dim}", on => on(x).IndexFill(dim, on(index), 1.0));
        }
        Tensor rows = Tensor.FromArray(new long[] { 1, -1, 1, 0 });
        Tensor values = Any(11, new long[] { 4, 5, 4 }, dtype);
        Same($"x[idx] = v {dtype}", on => on(x).Clone().IndexPutInPlace(new TensorIndex[] { on(rows) }, on(values)));
        if (dtype != DType.Bool)
            Same($"x[idx] += v {dtype}", on => on(x).Clone().IndexPutInPlace(new TensorIndex[] { on(rows) }, on(values), accumulate: true));
    }

    [Test]
    public void One_hot_matches_cpu()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor classes = Indices(12, new long[] { 3, 5 }, 6);
        Same("OneHot inferred classes", on => on(classes).OneHot());
        Same("OneHot 9 classes", on => on(classes).OneHot(9));
    }

    [TestCaseSource(nameof(Types))]
    public void Masked_ops_match_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Any(13, new long[] { 7, 9, 5 }, dtype);
        Tensor mask = Mask(14, new long[] { 7, 9, 5 });
        Tensor rowMask = Mask(15, new long[] { 9, 1 });
        Same($"MaskedFill {dtype}", on => on(x).MaskedFill(on(mask), 1.0));
        Same($"MaskedFill {dtype} broadcast mask", on => on(x).MaskedFill(on(rowMask), 0.0));
        Same($"MaskedSelect {dtype}", on => on(x).MaskedSelect(on(mask)));
        Same($"MaskedSelect {dtype} broadcast, transposed", on => on(x).Transpose(0, 2).MaskedSelect(on(mask).Transpose(0, 2)));
        Tensor source = Any(16, new long[] { 400 }, dtype);
        Same($"MaskedScatter {dtype}", on => on(x).MaskedScatter(on(mask), on(source)));
        Same($"Nonzero {dtype}", on => on(x).Nonzero());
        Same($"x[mask] {dtype}", on => on(x)[on(mask)]);
        Same($"x[mask] = v {dtype}", on => on(x).Clone().IndexPutInPlace(new TensorIndex[] { on(mask) }, on(source).Slice(0, 0, 1)));
    }

    [Test]
    public void Compaction_spanning_many_tiles_keeps_row_major_order()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        // 3 x 3001 positions: several scan tiles of 2048, a partial last one, sparse and dense masks.
        Tensor x = Values(17, new long[] { 3, 3001 }, DType.Float32);
        foreach (double p in new[] { 0.001, 0.5, 1.0 })
        {
            Tensor mask = Mask(18, new long[] { 3, 3001 }, p);
            Same($"MaskedSelect p={p}", on => on(x).MaskedSelect(on(mask)));
            Same($"Nonzero p={p}", on => on(mask).Nonzero());
            Same($"MaskedScatter p={p}", on => on(x).MaskedScatter(on(mask), on(x).Flatten().Neg()));
        }
    }

    [Test]
    public void Nonzero_treats_negative_zero_as_zero_and_nan_as_nonzero()
    {
        RequireCuda();
        foreach (DType dtype in FloatTypes)
        {
            using Tensor d = Tensor.FromArray(new double[] { 0.0, -0.0, double.NaN, 1e-3, 0.0, double.NegativeInfinity });
            using Tensor x = d.To(dtype);
            using Tensor xg = x.To(Gpu);
            using Tensor got = xg.Nonzero();
            using Tensor back = got.Cpu();
            Assert.That(back.ToArray<long>(), Is.EqualTo(new long[] { 2, 3, 5 }), $"{dtype}");
        }
    }

    [TestCaseSource(nameof(Types))]
    public void Flip_roll_repeat_tile_and_triangles_match_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Any(19, new long[] { 4, 6, 5 }, dtype);
        Same($"Flip {dtype} dims 0, 2", on => on(x).Flip(0, 2));
        Same($"Flip {dtype} transposed", on => on(x).Transpose(1, 2).Flip(1));
        Same($"Roll {dtype} flattened", on => on(x).Roll(7));
        Same($"Roll {dtype} two dims", on => on(x).Roll(new long[] { -2, 3 }, new[] { 1, 2 }));
        Same($"Repeat {dtype}", on => on(x).Repeat(2, 1, 1, 3));
        Same($"Tile {dtype}", on => on(x).Tile(2, 2));
        foreach (long diagonal in new long[] { -7, -1, 0, 2, 100 })
        {
            Same($"Tril {dtype} diagonal {diagonal}", on => on(x).Tril(diagonal));
            Same($"Triu {dtype} diagonal {diagonal}", on => on(x).Triu(diagonal));
            Same($"TriuInPlace {dtype} transposed, diagonal {diagonal}", on => on(x).Clone().Transpose(1, 2).TriuInPlace(diagonal));
        }
    }

    [TestCaseSource(nameof(Types))]
    public void Pad_in_every_mode_matches_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Any(20, new long[] { 2, 3, 5, 6 }, dtype);
        Same($"Pad constant {dtype}", on => on(x).Pad(new long[] { 2, 1, 0, 3 }, PaddingMode.Constant, 1));
        Same($"Pad constant cropping {dtype}", on => on(x).Pad(new long[] { -1, 2, 1, -2 }));
        Same($"Pad reflect {dtype}", on => on(x).Pad(new long[] { 3, 2, 4, 1 }, PaddingMode.Reflect));
        Same($"Pad replicate {dtype}", on => on(x).Pad(new long[] { 3, 4, 2, 2, 1, 0 }, PaddingMode.Replicate));
        Same($"Pad circular {dtype} of a transposed input", on => on(x).Transpose(2, 3).Pad(new long[] { 5, 2, 1, 3 }, PaddingMode.Circular));
    }

    [TestCaseSource(typeof(CudaTestSupport), nameof(FloatTypes))]
    public void Pad_backward_sums_every_reader_in_cpu_order(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        long[] input = { 2, 3, 5, 6 };
        foreach (PaddingMode mode in Enum.GetValues<PaddingMode>())
        {
            long[] pad = mode == PaddingMode.Constant ? new long[] { 2, -1, 3, 1 } : new long[] { 3, 4, 2, 4 };
            if (mode == PaddingMode.Reflect) pad = new long[] { 5, 4, 2, 3 };
            long[] outShape = { 2, 3, 5 + pad[2] + pad[3], 6 + pad[0] + pad[1] };
            Tensor grad = Values(21, outShape, dtype);
            Same($"PadBackward {mode} {dtype}", on => Kernels.PadBackward(on(grad), input, pad, mode), dtype == DType.Float32 ? 0 : null);
            Same($"PadBackward {mode} {dtype} of a transposed gradient", on =>
                Kernels.PadBackward(on(grad).Transpose(0, 1).Contiguous().Transpose(0, 1), input, pad, mode));
        }
    }

    public static IEnumerable<TestCaseData> SortCases()
    {
        foreach (DType dt in AllTypes)
            foreach (long n in new long[] { 1, 7, 2048, 5001 })
                yield return new TestCaseData(dt, n).SetName($"Sort_{dt}_length_{n}_matches_cpu");
    }

    [TestCaseSource(nameof(SortCases))]
    public void Sort(DType dtype, long n)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        long rows = n > 100 ? 3 : 11;
        // Few distinct values, so ties are many and stability shows.
        Tensor x = dtype == DType.Bool ? Mask(22, new long[] { rows, n }) : Values(22, new long[] { rows, n }, dtype, -4, 4);
        if (dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16)
        {
            x = Kernels.Unary(x.Mul(4.0), wk_unary_op.WK_UNARY_ROUND);
            using Tensor special = Tensor.FromArray(new double[] { double.NaN, -0.0, 0.0, double.NegativeInfinity, double.PositiveInfinity, double.NaN });
            using Tensor sp = special.To(dtype);
            long k = Math.Min(6, n);
            using Tensor head = x.Select(0, 0).Slice(0, 0, k);
            using Tensor part = sp.Slice(0, 0, k);
            head.CopyFrom(part);
        }
        foreach (bool descending in new[] { false, true })
        {
            Same($"Sort {dtype} n={n} descending={descending} values", on => on(x).Sort(-1, descending).Values);
            Same($"Sort {dtype} n={n} descending={descending} indices", on => on(x).Sort(-1, descending).Indices);
            Same($"Sort {dtype} n={n} descending={descending} along dim 0 of the transpose", on => on(x).T.Sort(0, descending).Indices);
        }
        long kk = Math.Min(n, 5);
        Same($"TopK {dtype} n={n} largest", on => on(x).TopK(kk).Indices);
        Same($"TopK {dtype} n={n} smallest values", on => on(x).TopK(kk, largest: false).Values);
    }

    [TestCaseSource(nameof(Types))]
    public void Unique_with_inverse_and_counts_matches_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = dtype == DType.Bool ? Mask(23, new long[] { 40, 70 }) : Values(23, new long[] { 40, 70 }, dtype, -9, 9);
        if (dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16)
        {
            x = Kernels.Unary(x, wk_unary_op.WK_UNARY_ROUND);
            using Tensor special = Tensor.FromArray(new double[] { double.NaN, -0.0, 0.0, double.NaN });
            using Tensor sp = special.To(dtype);
            using Tensor head = x.Select(0, 0).Slice(0, 0, 4);
            head.CopyFrom(sp);
        }
        Same($"Unique {dtype} values", on => on(x).Unique().Values);
        Same($"Unique {dtype} inverse", on => on(x).Unique(returnInverse: true).Inverse!);
        Same($"Unique {dtype} counts", on => on(x).Unique(returnCounts: true).Counts!);
    }

    [Test]
    public void Cat_and_stack_on_the_gpu_match_cpu()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor a = Values(24, new long[] { 3, 4 }, DType.Float32), b = Values(25, new long[] { 2, 4 }, DType.Float64);
        Same("Cat promotes", on => Tensor.Cat(new[] { on(a), on(b) }, 0));
        Same("Stack", on => Tensor.Stack(new[] { on(a), on(a).Neg() }, 1));
    }

    /// <summary>
    /// The CPU, and CUDA in synchronous mode (<see cref="Wick.Cuda.SynchronousChecks"/>), check indices before
    /// writing; the default deferred mode is covered by <see cref="CudaIndexErrorTests"/>.
    /// </summary>
    [Test]
    public void A_bad_index_raises_the_cpu_error_and_leaves_the_target_unchanged()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Values(26, new long[] { 4, 5 }, DType.Float32);
        Tensor bad = Tensor.FromArray(new long[,] { { 0, 1, 2, 3, 1 }, { 1, 9, 0, 7, 4 } });
        Wick.Cuda.SynchronousChecks = true;
        try
        {
            foreach (Device device in new[] { Device.Cpu, Gpu }) BadIndexRaisesAndLeavesTarget(x, bad, device);
        }
        finally
        {
            Wick.Cuda.SynchronousChecks = false;
        }
    }

    private static void BadIndexRaisesAndLeavesTarget(Tensor x, Tensor bad, Device device)
    {
        Tensor xd = x.To(device), idx = bad.To(device);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => xd.Gather(0, idx))!;
        Assert.That(e.Message, Does.Contain("gather: index 9 is out of bounds for dimension 0 with size 4"), $"{device}");
        Tensor before = xd.Clone();
        e = Assert.Throws<ArgumentOutOfRangeException>(() => xd.ScatterAddInPlace(0, idx, xd))!;
        Assert.That(e.Message, Does.Contain("scatter_add: index 9 is out of bounds for dimension 0 with size 4"), $"{device}");
        AssertEqualValues(xd, before, $"ScatterAddInPlace left the tensor unchanged on {device}");
        Tensor rows = Tensor.FromArray(new long[] { 1, -5 }).To(device);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => xd.IndexSelect(0, rows))!;
        Assert.That(e.Message, Does.Contain("index_select: index -5 is out of bounds for dimension 0 with size 4"), $"{device}");
        e = Assert.Throws<ArgumentOutOfRangeException>(() => xd.IndexPutInPlace(new TensorIndex[] { rows }, Tensor.Scalar(1.0).To(device)))!;
        Assert.That(e.Message, Does.Contain("index -5 is out of bounds for dimension 0 with size 4"), $"{device}");
        AssertEqualValues(xd, before, $"x[idx] = v left the tensor unchanged on {device}");
    }

    private static void AssertEqualValues(Tensor actual, Tensor expected, string what)
    {
        Assert.That(AsDoubles(actual), Is.EqualTo(AsDoubles(expected)), what);
    }
}
