using System;
using System.Linq;

namespace Wick.Tests.Support;

public static class Check
{
    /// <summary>Asserts the tensor's shape and values against a float64 reference within tolerances.</summary>
    public static void Close(Tensor actual, Reference expected, double rtol = 1e-6, double atol = 1e-6)
    {
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape), "shape");
        var got = Reference.Of(actual).Data;
        for (int i = 0; i < got.Length; ++i)
        {
            double e = expected.Data[i], g = got[i];
            if (double.IsNaN(e)) { Assert.That(double.IsNaN(g), $"element {i}: expected NaN, got {g}"); continue; }
            if (double.IsInfinity(e)) { Assert.That(g, Is.EqualTo(e), $"element {i}"); continue; }
            Assert.That(Math.Abs(g - e), Is.LessThanOrEqualTo(atol + rtol * Math.Abs(e)), $"element {i}: expected {e}, got {g}");
        }
    }

    /// <summary>A deterministic pseudo-random array (independent of Wick's generator).</summary>
    public static double[] Values(int n, int seed, double scale = 2.0)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (rng.NextDouble() - 0.5) * scale).ToArray();
    }

    public static Tensor Tensor(double[] data, long[] shape, DType dtype = DType.Float32)
    {
        using var t = Wick.Tensor.FromArray(data, shape);
        return t.To(dtype);
    }
}
