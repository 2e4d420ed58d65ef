using System;
using System.Linq;

namespace Wick.Tests;

/// <summary>
/// Float64 reference helpers for the kernel tests: values of a tensor as doubles, seeded inputs,
/// row-major index arithmetic and closeness checks that name the first bad element.
/// </summary>
internal static class KernelRef
{
    /// <summary>The tensor's elements in row-major order as doubles (any layout, any dtype).</summary>
    public static double[] Values(Tensor t)
    {
        using var d = t.To(DType.Float64);
        return d.ToArray<double>();
    }

    /// <summary>Seeded normal values (float32 unless told), as a fresh tensor.</summary>
    public static Tensor RandN(ulong seed, DType dtype, params long[] shape)
    {
        using var g = new Generator(seed);
        return Tensor.RandN(shape, dtype, generator: g);
    }

    public static Tensor RandN(ulong seed, params long[] shape) => RandN(seed, DType.Float32, shape);

    /// <summary>Seeded uniform values in [low, high).</summary>
    public static Tensor Uniform(ulong seed, double low, double high, DType dtype, params long[] shape)
    {
        using var g = new Generator(seed);
        var t = Tensor.Empty(shape, dtype);
        t.UniformInPlace(low, high, g);
        return t;
    }

    public static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Row-major strides of a shape.</summary>
    public static long[] Strides(long[] shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; --i)
        {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /// <summary>Asserts |actual - expected| &lt;= atol + rtol * |expected| elementwise, with the same shape.</summary>
    public static void AssertClose(Tensor actual, double[] expected, long[] shape, double rtol, double atol, string what = "")
    {
        Assert.That(actual.Shape, Is.EqualTo(shape), $"{what}: shape");
        AssertClose(Values(actual), expected, rtol, atol, what);
    }

    public static void AssertClose(double[] got, double[] expected, double rtol, double atol, string what = "")
    {
        Assert.That(got.Length, Is.EqualTo(expected.Length), $"{what}: element count");
        for (int i = 0; i < got.Length; ++i)
        {
            double e = expected[i], g = got[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(g) : Math.Abs(g - e) <= atol + rtol * Math.Abs(e);
            if (!ok) Assert.Fail($"{what}: element {i} is {g:R}, expected {e:R} (rtol {rtol}, atol {atol})");
        }
    }

    /// <summary>Tolerances for results computed in a dtype and compared with a float64 reference.</summary>
    public static (double rtol, double atol) Tol(DType dtype, double scale = 1) =>
        dtype == DType.Float64 ? (1e-10 * scale, 1e-10 * scale) : (2e-4 * scale, 2e-5 * scale);
}
