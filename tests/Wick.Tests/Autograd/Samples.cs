using System;

namespace Wick.Tests.Autograd;

/// <summary>How a sample input is laid out in memory: the same values, reached through different strides.</summary>
public enum Layout
{
    Contiguous,
    Transposed,  // a transposed view (last two dimensions swapped in memory)
    Strided,     // every other element of a wider tensor along the last dimension
}

/// <summary>Deterministic float64 sample inputs that require grad, in a chosen layout and value domain.</summary>
public static class Samples
{
    /// <summary>Values drawn uniformly from [lo, hi).</summary>
    public static Tensor Uniform(long[] shape, double lo, double hi, int seed, Layout layout = Layout.Contiguous) =>
        Make(shape, seed, layout, r => lo + (hi - lo) * r.NextDouble());

    /// <summary>Values with magnitude in [lo, hi) and random sign: away from 0, where many functions have a kink.</summary>
    public static Tensor AwayFromZero(long[] shape, double lo, double hi, int seed, Layout layout = Layout.Contiguous) =>
        Make(shape, seed, layout, r => (r.Next(2) == 0 ? -1 : 1) * (lo + (hi - lo) * r.NextDouble()));

    /// <summary>Values between integers (fractional part in [0.2, 0.4) or [0.6, 0.8)): away from the jumps of floor, round, ...</summary>
    public static Tensor BetweenIntegers(long[] shape, int seed, Layout layout = Layout.Contiguous) =>
        Make(shape, seed, layout, r => r.Next(-3, 3) + (r.Next(2) == 0 ? 0.2 : 0.6) + 0.2 * r.NextDouble());

    private static Tensor Make(long[] shape, int seed, Layout layout, Func<Random, double> draw)
    {
        var rng = new Random(seed);
        long n = 1;
        foreach (long s in shape) n *= s;
        var values = new double[n];
        for (long i = 0; i < n; ++i) values[i] = draw(rng);
        using Tensor dense = Tensor.FromSpan<double>(values, shape);  // shape [] gives a 0-d tensor
        Tensor laidOut;
        if (layout == Layout.Transposed && shape.Length >= 2)
        {
            // Stored with the last two dimensions swapped, then viewed back: same values, non-contiguous strides.
            int d = shape.Length;
            using Tensor swapped = dense.Transpose(d - 2, d - 1).Contiguous();
            laidOut = swapped.Transpose(d - 2, d - 1);
        }
        else if (layout == Layout.Strided && shape.Length >= 1)
        {
            int d = shape.Length;
            var wide = (long[])shape.Clone();
            wide[d - 1] *= 2;
            using Tensor w = Tensor.Zeros(wide, DType.Float64);
            laidOut = w.Slice(d - 1, 0, wide[d - 1], 2);
            laidOut.CopyFrom(dense);
        }
        else
        {
            laidOut = dense.Clone();
        }
        // A fresh leaf: views above were taken before it required grad.
        Tensor leaf = laidOut.Detach();
        laidOut.Dispose();
        return leaf.SetRequiresGrad();
    }
}
