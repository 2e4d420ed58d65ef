using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Tests;

/// <summary>Reductions over any dims against float64 plain loops, on every layout, instruction set and thread count.</summary>
[TestFixtureSource(typeof(KernelFixture), nameof(KernelFixture.Paths))]
public class ReductionKernelTests : KernelFixture
{
    public ReductionKernelTests(CpuIsa isa, int threads) : base(isa, threads) { }

    /// <summary>A reduction: how to call it (dims null = every dim), its reference over one lane, and the float32 tolerance.</summary>
    /// <summary>
    /// Scale(lane) times Rel is an absolute error allowance on top of the ulps (float32; float64 gets
    /// a millionth of it): sums are accurate relative to the sum of magnitudes, not to the result.
    /// </summary>
    public sealed record Op(string Name, Func<Tensor, int[]?, bool, Tensor> Apply, Func<IReadOnlyList<double>, double> Expected, double Lo, double Hi,
        double Ulps, Func<IReadOnlyList<double>, double>? Scale = null, double Rel = 0, bool MultiDim = true)
    {
        public override string ToString() => Name;
    }

    private static Tensor Call(Tensor t, int[]? dims, bool keep, Func<Tensor, Tensor> all, Func<Tensor, int, bool, Tensor> one, Func<Tensor, int[], bool, Tensor>? many) =>
        dims is null ? all(t) : dims.Length == 1 ? one(t, dims[0], keep) : many!(t, dims, keep);

    private static double Var(IReadOnlyList<double> v, double correction)
    {
        double mean = v.Sum() / v.Count;
        return v.Sum(x => (x - mean) * (x - mean)) / Math.Max(v.Count - correction, 0);
    }

    private static double NanAware(IReadOnlyList<double> v, Func<IEnumerable<double>, double> f) => v.Any(double.IsNaN) ? double.NaN : f(v);

    private static double LogSumExp(IReadOnlyList<double> v)
    {
        double m = NanAware(v, s => s.DefaultIfEmpty(double.NegativeInfinity).Max());
        if (double.IsNaN(m) || double.IsInfinity(m)) return m;
        return m + Math.Log(v.Sum(x => Math.Exp(x - m)));
    }

    private static double ArgExtreme(IReadOnlyList<double> v, bool max)
    {
        int best = 0;
        for (int i = 0; i < v.Count; i++)
        {
            if (double.IsNaN(v[i])) return i;
            if (max ? v[i] > v[best] : v[i] < v[best]) best = i;
        }
        return best;
    }

    private static double AbsSum(IReadOnlyList<double> v) => v.Sum(Math.Abs);
    private static double AbsMean(IReadOnlyList<double> v) => v.Count == 0 ? 0 : v.Sum(Math.Abs) / v.Count;
    private static double AbsMax(IReadOnlyList<double> v) => v.Count == 0 ? 0 : v.Max(Math.Abs);

    private static readonly Op[] Ops =
    {
        new("sum", (t, d, k) => Call(t, d, k, x => x.Sum(), (x, i, kk) => x.Sum(i, kk), (x, i, kk) => x.Sum(i, kk)), v => v.Sum(), -10, 10, 2, AbsSum, 1e-6),
        new("mean", (t, d, k) => Call(t, d, k, x => x.Mean(), (x, i, kk) => x.Mean(i, kk), (x, i, kk) => x.Mean(i, kk)), v => v.Sum() / v.Count, -10, 10, 2, AbsMean, 1e-6),
        new("prod", (t, d, k) => Call(t, d, k, x => x.Prod(), (x, i, kk) => x.Prod(i, kk), null), v => v.Aggregate(1.0, (a, b) => a * b), 0.6, 1.5, 4, MultiDim: false),
        new("amax", (t, d, k) => Call(t, d, k, x => x.Amax(), (x, i, kk) => x.Amax(i, kk), (x, i, kk) => x.Amax(i, kk)), v => NanAware(v, s => s.Max()), -10, 10, 0),
        new("amin", (t, d, k) => Call(t, d, k, x => x.Amin(), (x, i, kk) => x.Amin(i, kk), (x, i, kk) => x.Amin(i, kk)), v => NanAware(v, s => s.Min()), -10, 10, 0),
        new("var", (t, d, k) => Call(t, d, k, x => x.Var(), (x, i, kk) => x.Var(i, kk), (x, i, kk) => x.Var(i, kk)), v => Var(v, 1), -10, 10, 16),
        new("var correction 0", (t, d, k) => Call(t, d, k, x => x.Var(correction: 0), (x, i, kk) => x.Var(i, kk, 0), (x, i, kk) => x.Var(i, kk, 0)), v => Var(v, 0), -10, 10, 16),
        new("std", (t, d, k) => Call(t, d, k, x => x.Std(), (x, i, kk) => x.Std(i, kk), (x, i, kk) => x.Std(i, kk)), v => Math.Sqrt(Var(v, 1)), -10, 10, 8),
        new("norm 2", (t, d, k) => Call(t, d, k, x => x.Norm(), (x, i, kk) => x.Norm(2, i, kk), (x, i, kk) => x.Norm(2, i, kk)), v => Math.Sqrt(v.Sum(x => x * x)), -10, 10, 8),
        new("norm 1", (t, d, k) => Call(t, d, k, x => x.Norm(1), (x, i, kk) => x.Norm(1, i, kk), (x, i, kk) => x.Norm(1, i, kk)), v => v.Sum(Math.Abs), -10, 10, 16),
        new("norm 3", (t, d, k) => Call(t, d, k, x => x.Norm(3), (x, i, kk) => x.Norm(3, i, kk), (x, i, kk) => x.Norm(3, i, kk)), v => Math.Pow(v.Sum(x => Math.Pow(Math.Abs(x), 3)), 1.0 / 3), -10, 10, 2),
        new("norm inf", (t, d, k) => Call(t, d, k, x => x.Norm(double.PositiveInfinity), (x, i, kk) => x.Norm(double.PositiveInfinity, i, kk), (x, i, kk) => x.Norm(double.PositiveInfinity, i, kk)), v => NanAware(v, s => s.Max(Math.Abs)), -10, 10, 0),
        new("norm -inf", (t, d, k) => Call(t, d, k, x => x.Norm(double.NegativeInfinity), (x, i, kk) => x.Norm(double.NegativeInfinity, i, kk), (x, i, kk) => x.Norm(double.NegativeInfinity, i, kk)), v => NanAware(v, s => s.Min(Math.Abs)), -10, 10, 0),
        new("norm 0", (t, d, k) => Call(t, d, k, x => x.Norm(0), (x, i, kk) => x.Norm(0, i, kk), (x, i, kk) => x.Norm(0, i, kk)), v => v.Count(x => x != 0), -2, 2, 0),
        new("logsumexp", (t, d, k) => Call(t, d, k, x => x.LogSumExp(Enumerable.Range(0, x.Dim).ToArray()), (x, i, kk) => x.LogSumExp(i, kk), (x, i, kk) => x.LogSumExp(i, kk)), LogSumExp, -20, 20, 4, AbsMax, 2e-6),
        new("argmax", (t, d, k) => Call(t, d, k, x => x.ArgMax(), (x, i, kk) => x.ArgMax(i, kk), null), v => ArgExtreme(v, true), -10, 10, 0, MultiDim: false),
        new("argmin", (t, d, k) => Call(t, d, k, x => x.ArgMin(), (x, i, kk) => x.ArgMin(i, kk), null), v => ArgExtreme(v, false), -10, 10, 0, MultiDim: false),
    };

    public static IEnumerable<TestCaseData> OpCases() => Ops.Select(o => new TestCaseData(o).SetArgDisplayNames(o.Name));

    /// <summary>The reference: lanes of the row-major values over the reduced dims, in order.</summary>
    private static (double[] Values, double[] Scales) ReduceRef(double[] x, long[] shape, int[]? dims, Func<IReadOnlyList<double>, double> f,
        Func<IReadOnlyList<double>, double>? scale = null)
    {
        int nd = shape.Length;
        bool[] reduced = new bool[nd];
        if (dims is null) for (int d = 0; d < nd; d++) reduced[d] = true;
        else foreach (int d in dims) reduced[d < 0 ? d + nd : d] = true;
        long outputs = 1;
        for (int d = 0; d < nd; d++) if (!reduced[d]) outputs *= shape[d];
        var lanes = new List<double>[outputs];
        for (long o = 0; o < outputs; o++) lanes[o] = new List<double>();
        var idx = new long[nd];
        for (long i = 0; i < x.Length; i++)
        {
            long rem = i, o = 0;
            for (int d = nd - 1; d >= 0; d--) { idx[d] = rem % shape[d]; rem /= shape[d]; }
            for (int d = 0; d < nd; d++) if (!reduced[d]) o = o * shape[d] + idx[d];
            lanes[o].Add(x[i]);
        }
        return (lanes.Select(l => f(l)).ToArray(), lanes.Select(l => scale is null ? 0 : scale(l)).ToArray());
    }

    private static long[] ReducedShape(long[] shape, int[]? dims, bool keep)
    {
        int nd = shape.Length;
        var r = new List<long>();
        for (int d = 0; d < nd; d++)
        {
            bool red = dims is null || dims.Any(x => (x < 0 ? x + nd : x) == d);
            if (!red) r.Add(shape[d]);
            else if (keep && dims is not null) r.Add(1);
        }
        return r.ToArray();
    }

    // 3-D layouts of shape [4, 5, 6] (and a large one), each a differently strided view.
    private static IEnumerable<Inputs.Case> Layouts3(DType dtype, double lo, double hi)
    {
        Tensor From(long[] shape, int s) => Inputs.Make(dtype, shape, Inputs.Values(s, (int)shape.Aggregate(1L, (a, b) => a * b), lo, hi, dtype));
        yield return new Inputs.Case("contiguous [4, 5, 6]", From(new long[] { 4, 5, 6 }, 1));
        using (Tensor b = From(new long[] { 6, 4, 5 }, 2)) yield return new Inputs.Case("permuted [4, 5, 6]", b.Permute(1, 2, 0));
        using (Tensor b = From(new long[] { 4, 10, 6 }, 3)) yield return new Inputs.Case("sliced step 2 [4, 5, 6]", b.Slice(1, 1, 10, 2));
        using (Tensor b = From(new long[] { 1, 5, 6 }, 4)) yield return new Inputs.Case("expanded [4, 5, 6]", b.Expand(4, 5, 6));
        yield return new Inputs.Case("large [60, 50, 40]", From(new long[] { 60, 50, 40 }, 5));
        using (Tensor b = From(new long[] { 40, 60, 50 }, 6)) yield return new Inputs.Case("large permuted [60, 50, 40]", b.Permute(1, 2, 0));
    }

    private static readonly int[]?[] DimSets = { null, new[] { 0 }, new[] { 1 }, new[] { 2 }, new[] { -1 }, new[] { 0, 2 }, new[] { 1, 2 }, new[] { 0, 1 } };

    [TestCaseSource(nameof(OpCases))]
    public void ReducesAnyDimsOfAnyLayoutLikeTheReference(Op op)
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            foreach (Inputs.Case c in Layouts3(dtype, op.Lo, op.Hi))
            {
                using (c)
                {
                    double[] x = Ulps.Values(c.Tensor);
                    foreach (int[]? dims in DimSets)
                    {
                        if (dims is { Length: > 1 } && !op.MultiDim) continue;
                        foreach (bool keep in dims is null ? new[] { false } : new[] { false, true })
                        {
                            string what = $"{op.Name} {dtype} {c.Name} dims {(dims is null ? "all" : string.Join(",", dims))} keep {keep}";
                            var (expected, scales) = ReduceRef(x, c.Tensor.Shape, dims, op.Expected, op.Scale);
                            using Tensor r = op.Apply(c.Tensor, dims, keep);
                            Assert.That(r.Shape, Is.EqualTo(ReducedShape(c.Tensor.Shape, dims, keep)), $"{what}: shape");
                            double abs = op.Rel * scales.DefaultIfEmpty(0).Max();
                            if (r.DType == DType.Int64) Ulps.AssertEqual(r, expected, what);
                            // Float64: a relative 2e-13 (the reference sums in another order).
                            else Ulps.AssertClose(r, expected, dtype == DType.Float32 || op.Ulps == 0 ? op.Ulps : 1000, what, dtype == DType.Float32 ? abs : abs * 1e-6);
                        }
                    }
                }
            }
        }
    }

    [Test]
    public void FewLongLanesAndFewLongColumnsAreSplitAndStillExact()
    {
        // [2, 140000] over dim 1: two lanes split into blocks; [140000, 3] over dim 0: three columns split into row blocks.
        foreach (long[] shape in new[] { new long[] { 2, 140000 }, new long[] { 140000, 3 } })
        {
            int dim = shape[0] == 2 ? 1 : 0;
            using Tensor x = Inputs.Make(DType.Float32, shape, Inputs.Values(8, (int)(shape[0] * shape[1]), -1, 1, DType.Float32));
            double[] v = Ulps.Values(x);
            var (sums, abss) = ReduceRef(v, shape, new[] { dim }, l => l.Sum(), AbsSum);
            using (Tensor s = x.Sum(dim)) Ulps.AssertClose(s, sums, 2, $"sum {shape[0]}x{shape[1]}", 1e-6 * abss.Max());
            var (maxes, _) = ReduceRef(v, shape, new[] { dim }, l => l.Max());
            using (Tensor m = x.Amax(dim)) Ulps.AssertEqual(m, maxes, $"amax {shape[0]}x{shape[1]}");
            var (args, _) = ReduceRef(v, shape, new[] { dim }, l => ArgExtreme(l, false));
            using (Tensor a = x.ArgMin(dim)) Ulps.AssertEqual(a, args, $"argmin {shape[0]}x{shape[1]}");
        }
    }

    [Test]
    public void SumOfFourMillionFloatsIsAccurate()
    {
        const int n = 1 << 22;
        double[] v = Inputs.Values(21, n, 0, 1, DType.Float32);
        using Tensor x = Inputs.Make(DType.Float32, new long[] { n }, v);
        double exact = v.Sum();
        using Tensor s = x.Sum();
        Assert.That(Math.Abs(s.Item<float>() - exact) / exact, Is.LessThan(2e-7), "relative error of a float32 sum of 4M values in [0, 1)");
        using Tensor m = x.Mean();
        Assert.That(Math.Abs(m.Item<float>() - exact / n) / (exact / n), Is.LessThan(2e-7));
        using Tensor sd = x.Std();
        double mean = exact / n, varExact = v.Sum(t => (t - mean) * (t - mean)) / (n - 1);
        Assert.That(Math.Abs(sd.Item<float>() - Math.Sqrt(varExact)) / Math.Sqrt(varExact), Is.LessThan(1e-6));
    }

    [Test]
    public void ResultsAreTheSameBitsForOneAndTwoThreads()
    {
        using Tensor x = Inputs.Make(DType.Float32, new long[] { 3, 300001 }, Inputs.Values(31, 900003, -1, 1, DType.Float32));
        int saved = Threads.Count;
        try
        {
            float[][] Run()
            {
                using Tensor a = x.Sum();
                using Tensor b = x.Sum(1);
                using Tensor c = x.Var(correction: 0);
                using Tensor d = x.LogSumExp(1);
                using Tensor e = x.CumSum(1);
                using Tensor f = x.Exp();
                return new[] { a.ToArray<float>(), b.ToArray<float>(), c.ToArray<float>(), d.ToArray<float>(), e.ToArray<float>(), f.ToArray<float>() };
            }
            Threads.Count = 1;
            float[][] one = Run();
            Threads.Count = 2;
            float[][] two = Run();
            for (int i = 0; i < one.Length; i++) Assert.That(two[i], Is.EqualTo(one[i]), $"result {i} differs between 1 and 2 threads");
        }
        finally
        {
            Threads.Count = saved;
        }
    }

    [Test]
    public void NaNPropagatesAndArgMaxPointsAtTheFirstNaN()
    {
        using Tensor x = Tensor.FromArray(new float[,] { { 1, float.NaN, 3, float.NaN }, { 4, 2, 4, 0 } });
        using (Tensor r = x.Sum(1)) Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { float.NaN, 10f }));
        using (Tensor r = x.Amax(1)) Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { float.NaN, 4f }));
        using (Tensor r = x.ArgMax(1)) Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, 0 }), "first NaN; first of equal maxima");
        using (Tensor r = x.ArgMin(1)) Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, 3 }));
        using (Tensor r = x.ArgMax()) Assert.That(r.Item<long>(), Is.EqualTo(1));
        var (values, indices) = x.Max(1);
        using (values)
        using (indices)
        {
            Assert.That(values.ToArray<float>(), Is.EqualTo(new[] { float.NaN, 4f }));
            Assert.That(indices.ToArray<long>(), Is.EqualTo(new long[] { 1, 0 }));
        }
        using (Tensor r = x.Norm(2, 1)) Assert.That(float.IsNaN(r.ToArray<float>()[0]));
        using (Tensor r = x.LogSumExp(1)) Assert.That(float.IsNaN(r.ToArray<float>()[0]));
    }

    [Test]
    public void MaxAndMinAlongADimGiveValuesAndFirstIndices()
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64, DType.Int64, DType.Int8, DType.UInt8, DType.Bool })
        {
            foreach (Inputs.Case c in Layouts3(dtype, 0, 4))
            {
                using (c)
                {
                    double[] x = Ulps.Values(c.Tensor);
                    foreach (int dim in new[] { 0, 1, 2, -1 })
                    {
                        foreach (bool keep in new[] { false, true })
                        {
                            using ValuesIndices mx = c.Tensor.Max(dim, keep);
                            using ValuesIndices mn = c.Tensor.Min(dim, keep);
                            string what = $"{dtype} {c.Name} dim {dim} keep {keep}";
                            Assert.That(mx.Values.DType, Is.EqualTo(dtype), $"max values keep the dtype ({what})");
                            Assert.That(mx.Indices.DType, Is.EqualTo(DType.Int64));
                            Assert.That(mx.Values.Shape, Is.EqualTo(ReducedShape(c.Tensor.Shape, new[] { dim }, keep)));
                            Ulps.AssertEqual(mx.Values, ReduceRef(x, c.Tensor.Shape, new[] { dim }, l => l.Max()).Values, $"max values {what}");
                            Ulps.AssertEqual(mx.Indices, ReduceRef(x, c.Tensor.Shape, new[] { dim }, l => ArgExtreme(l, true)).Values, $"max indices {what}");
                            Ulps.AssertEqual(mn.Values, ReduceRef(x, c.Tensor.Shape, new[] { dim }, l => l.Min()).Values, $"min values {what}");
                            Ulps.AssertEqual(mn.Indices, ReduceRef(x, c.Tensor.Shape, new[] { dim }, l => ArgExtreme(l, false)).Values, $"min indices {what}");
                        }
                    }
                }
            }
        }
    }

    [Test]
    public void IntegerAndBoolReductions()
    {
        foreach (DType dtype in new[] { DType.Int64, DType.Int32, DType.Int16, DType.Int8, DType.UInt8, DType.Bool })
        {
            foreach (Inputs.Case c in Layouts3(dtype, dtype == DType.UInt8 || dtype == DType.Bool ? 0 : -50, 50))
            {
                using (c)
                {
                    double[] x = Ulps.Values(c.Tensor);
                    foreach (int[]? dims in DimSets)
                    {
                        string what = $"{dtype} {c.Name} dims {(dims is null ? "all" : string.Join(",", dims))}";
                        using (Tensor r = dims is null ? c.Tensor.Sum() : c.Tensor.Sum(dims))
                        {
                            Assert.That(r.DType, Is.EqualTo(DType.Int64), $"integer sums give int64 ({what})");
                            Ulps.AssertEqual(r, ReduceRef(x, c.Tensor.Shape, dims, l => l.Sum()).Values, $"sum {what}");
                        }
                        using (Tensor r = dims is null ? c.Tensor.Amax() : c.Tensor.Amax(dims))
                        {
                            Assert.That(r.DType, Is.EqualTo(dtype));
                            Ulps.AssertEqual(r, ReduceRef(x, c.Tensor.Shape, dims, l => l.Max()).Values, $"amax {what}");
                        }
                        using (Tensor r = dims is null ? c.Tensor.All() : c.Tensor.All(dims[0]))
                            Ulps.AssertEqual(r, ReduceRef(x, c.Tensor.Shape, dims is null ? null : new[] { dims[0] }, l => l.All(v => v != 0) ? 1 : 0).Values, $"all {what}");
                        using (Tensor r = dims is null ? c.Tensor.Any() : c.Tensor.Any(dims[0]))
                            Ulps.AssertEqual(r, ReduceRef(x, c.Tensor.Shape, dims is null ? null : new[] { dims[0] }, l => l.Any(v => v != 0) ? 1 : 0).Values, $"any {what}");
                    }
                }
            }
        }
        using Tensor small = Tensor.FromArray(new long[] { 3, -2, 5 });
        using (Tensor p = small.Prod()) Assert.That(p.Item<long>(), Is.EqualTo(-30));
        using Tensor big = Tensor.FromArray(new long[] { long.MaxValue, 1 });
        using (Tensor s = big.Sum()) Assert.That(s.Item<long>(), Is.EqualTo(long.MinValue), "int64 sums wrap");
    }

    [Test]
    public void EmptyInputsGiveTheIdentityOrAnError()
    {
        using Tensor e = Tensor.Zeros(0, 3);
        using (Tensor r = e.Sum()) Assert.That(r.Item<float>(), Is.EqualTo(0));
        using (Tensor r = e.Sum(0)) Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { 0f, 0f, 0f }));
        using (Tensor r = e.Sum(1)) Assert.That(r.Shape, Is.EqualTo(new long[] { 0 }));
        using (Tensor r = e.Prod(0)) Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { 1f, 1f, 1f }));
        using (Tensor r = e.Mean()) Assert.That(float.IsNaN(r.Item<float>()));
        using (Tensor r = e.Var()) Assert.That(float.IsNaN(r.Item<float>()));
        using (Tensor r = e.All()) Assert.That(r.Item<bool>(), Is.True);
        using (Tensor r = e.Any()) Assert.That(r.Item<bool>(), Is.False);
        using (Tensor r = e.LogSumExp(0)) Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity }));
        using (Tensor r = e.Norm(1)) Assert.That(r.Item<float>(), Is.EqualTo(0));
        Assert.That(Assert.Throws<ArgumentException>(() => e.Amax())!.Message, Does.Contain("amax").And.Contain("size 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => e.Max(0))!.Message, Does.Contain("max").And.Contain("size 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => e.ArgMin())!.Message, Does.Contain("argmin"));
        Assert.That(Assert.Throws<ArgumentException>(() => e.Norm(double.PositiveInfinity))!.Message, Does.Contain("norm").And.Contain("size 0"));
        using (Tensor r = e.Amax(1)) Assert.That(r.Shape, Is.EqualTo(new long[] { 0 }), "reducing a non-empty dim of an empty tensor is fine");
    }

    [Test]
    public void ZeroDimTensorsReduceToThemselves()
    {
        using Tensor x = Tensor.Scalar(2.5);
        using (Tensor r = x.Sum()) Assert.That(r.Item<float>(), Is.EqualTo(2.5f));
        using (Tensor r = x.Sum(0)) Assert.That(r.Dim, Is.EqualTo(0));
        using (Tensor r = x.ArgMax()) Assert.That(r.Item<long>(), Is.EqualTo(0));
        var (v, i) = x.Max(0);
        using (v)
        using (i)
        {
            Assert.That(v.Item<float>(), Is.EqualTo(2.5f));
            Assert.That(i.Item<long>(), Is.EqualTo(0));
        }
        using (Tensor r = x.CumSum(0)) Assert.That(r.Item<float>(), Is.EqualTo(2.5f));
    }

    [Test]
    public void CumSumAndCumProdAlongEveryDimOfEveryLayout()
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64, DType.Int32, DType.Bool })
        {
            foreach (Inputs.Case c in Layouts3(dtype, dtype == DType.Bool ? 0 : 0.5, dtype == DType.Bool ? 1 : 1.5))
            {
                using (c)
                {
                    double[] x = Ulps.Values(c.Tensor);
                    long[] shape = c.Tensor.Shape;
                    foreach (int dim in new[] { 0, 1, 2 })
                    {
                        foreach (bool prod in new[] { false, true })
                        {
                            var expected = new double[x.Length];
                            long inner = 1;
                            for (int d = dim + 1; d < 3; d++) inner *= shape[d];
                            for (long i = 0; i < x.Length; i++)
                            {
                                long pos = i / inner % shape[dim];
                                expected[i] = pos == 0 ? x[i] : (prod ? expected[i - inner] * x[i] : expected[i - inner] + x[i]);
                            }
                            using Tensor r = prod ? c.Tensor.CumProd(dim) : c.Tensor.CumSum(dim);
                            DType want = dtype is DType.Float32 or DType.Float64 ? dtype : DType.Int64;
                            Assert.That(r.DType, Is.EqualTo(want));
                            string what = $"{(prod ? "cumprod" : "cumsum")} {dtype} {c.Name} dim {dim}";
                            if (want == DType.Int64) Ulps.AssertEqual(r, expected, what);
                            else Ulps.AssertClose(r, expected, 1, what);
                        }
                    }
                }
            }
        }
        using Tensor ints = Tensor.FromArray(new[] { 1, 2, 3 });
        using (Tensor r = ints.CumSum(0, DType.Float64)) Assert.That(r.ToArray<double>(), Is.EqualTo(new[] { 1.0, 3.0, 6.0 }));
        using Tensor empty = Tensor.Zeros(0);
        using (Tensor r = empty.CumSum(0)) Assert.That(r.Shape, Is.EqualTo(new long[] { 0 }));
    }

    [Test]
    public void BadArgumentsAreRefusedWithMessages()
    {
        using Tensor x = Tensor.Zeros(2, 3);
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => x.Sum(2))!.Message, Does.Contain("sum").And.Contain("dimension 2"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Sum(new[] { 0, 0 }))!.Message, Does.Contain("appears twice"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Sum(Array.Empty<int>()))!.Message, Does.Contain("empty list of dimensions"));
        using Tensor ints = Tensor.FromArray(new[] { 1, 2 });
        Assert.That(Assert.Throws<DTypeException>(() => ints.Mean())!.Message, Does.Contain("mean").And.Contain("floating"));
        Assert.That(Assert.Throws<DTypeException>(() => ints.Var())!.Message, Does.Contain("var"));
        Assert.That(Assert.Throws<DTypeException>(() => ints.LogSumExp(0))!.Message, Does.Contain("logsumexp"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Norm(double.NaN))!.Message, Does.Contain("norm").And.Contain("NaN"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => x.CumSum(3))!.Message, Does.Contain("cumsum"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => x.Max(-3))!.Message, Does.Contain("max"));
    }
}
