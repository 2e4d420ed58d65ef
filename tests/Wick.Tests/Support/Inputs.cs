using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Tests;

/// <summary>
/// Input tensors in every layout a kernel must handle: contiguous (with a vector tail), transposed,
/// sliced with a step, broadcast (expanded), 0-d, empty, and large ones that the thread pool splits.
/// Values come from a seeded generator in a range, so each test computes its own reference.
/// </summary>
public static class Inputs
{
    /// <summary>One layout: a name for messages and the tensor (a view; dispose it).</summary>
    public readonly record struct Case(string Name, Tensor Tensor) : IDisposable
    {
        /// <summary>Disposes the tensor.</summary>
        public void Dispose() => Tensor.Dispose();
    }

    /// <summary>A contiguous tensor of the given shape filled from <paramref name="values"/>.</summary>
    public static Tensor Make(DType dtype, long[] shape, IReadOnlyList<double> values)
    {
        double[] v = values.ToArray();
        return dtype switch
        {
            DType.Float32 => Tensor.FromArray(v.Select(x => (float)x).ToArray(), shape),
            DType.Float64 => Tensor.FromArray(v, shape),
            DType.Int64 => Tensor.FromArray(v.Select(x => (long)x).ToArray(), shape),
            DType.Int32 => Tensor.FromArray(v.Select(x => (int)x).ToArray(), shape),
            DType.Int16 => Tensor.FromArray(v.Select(x => (short)x).ToArray(), shape),
            DType.Int8 => Tensor.FromArray(v.Select(x => (sbyte)x).ToArray(), shape),
            DType.UInt8 => Tensor.FromArray(v.Select(x => (byte)x).ToArray(), shape),
            DType.Bool => Tensor.FromArray(v.Select(x => x != 0).ToArray(), shape),
            _ => throw new ArgumentException($"no test data for {dtype}"),
        };
    }

    /// <summary>n values in [lo, hi) (integers rounded toward zero for integer dtypes).</summary>
    public static double[] Values(int seed, int n, double lo, double hi, DType dtype)
    {
        var rng = new Random(seed);
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x = lo + (hi - lo) * rng.NextDouble();
            v[i] = dtype switch
            {
                DType.Float32 => (float)x,
                DType.Bool => x > (lo + hi) / 2 ? 1 : 0,
                DType.Float64 => x,
                _ => Math.Truncate(x),
            };
        }
        return v;
    }

    /// <summary>Every layout, with values in [lo, hi).</summary>
    public static IEnumerable<Case> Layouts(DType dtype, double lo, double hi, int seed = 1, bool large = true)
    {
        Tensor From(long[] shape, int s) => Make(dtype, shape, Values(s, (int)shape.Aggregate(1L, (a, b) => a * b), lo, hi, dtype));

        yield return new Case("contiguous [1003]", From(new long[] { 1003 }, seed));
        using (Tensor b = From(new long[] { 37, 29 }, seed + 1)) yield return new Case("transposed [29, 37]", b.T);
        using (Tensor b = From(new long[] { 3, 200 }, seed + 2)) yield return new Case("sliced step 3 [3, 67]", b.Slice(1, 1, 200, 3));
        using (Tensor b = From(new long[] { 1, 50 }, seed + 3)) yield return new Case("broadcast [7, 50]", b.Expand(7, 50));
        yield return new Case("0-d", From(Array.Empty<long>(), seed + 4));
        yield return new Case("empty [0, 5]", From(new long[] { 0, 5 }, seed + 5));
        if (large)
        {
            yield return new Case("large contiguous [70001]", From(new long[] { 70001 }, seed + 6));
            using Tensor b = From(new long[] { 300, 301 }, seed + 7);
            yield return new Case("large transposed [301, 300]", b.T);
        }
    }
}
