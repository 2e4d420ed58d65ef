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

    /// <summary>
    /// Asserts that <paramref name="got"/> matches <paramref name="want"/> with NaN and infinities in the same places and the
    /// rest within the normalised error <paramref name="tol"/> (|got - want| / |want| over all finite elements, 2-norms), and
    /// each element within a loose bound (50 tol times its magnitude or the mean magnitude), so that one wrong element
    /// among large ones cannot hide. The measure for results rounded to a narrow dtype (tol: a few of its units in the last place).
    /// </summary>
    public static void AssertNormalisedClose(double[] got, double[] want, double tol, string what)
    {
        Assert.That(got.Length, Is.EqualTo(want.Length), $"{what}: element count");
        double diff2 = 0, ref2 = 0, meanAbs = 0;
        int finite = 0;
        for (int i = 0; i < want.Length; i++)
        {
            if (double.IsNaN(want[i]) || double.IsInfinity(want[i]))
            {
                Assert.That(got[i], Is.EqualTo(want[i]), $"{what}: element {i} (non-finite reference)");
                continue;
            }
            Assert.That(double.IsNaN(got[i]) || double.IsInfinity(got[i]), Is.False, $"{what}: element {i} is {got[i]}, expected {want[i]}");
            diff2 += (got[i] - want[i]) * (got[i] - want[i]);
            ref2 += want[i] * want[i];
            meanAbs += Math.Abs(want[i]);
            finite++;
        }
        if (finite == 0) return;
        meanAbs /= finite;
        double normalised = Math.Sqrt(diff2) / Math.Max(Math.Sqrt(ref2), 1e-300);
        if (ref2 == 0) normalised = Math.Sqrt(diff2);
        Assert.That(normalised, Is.LessThanOrEqualTo(tol), $"{what}: normalised error");
        for (int i = 0; i < want.Length; i++)
        {
            if (double.IsNaN(want[i]) || double.IsInfinity(want[i])) continue;
            // Scaled by the reference's magnitude; an all-zero reference (a gradient that cancels exactly on the CPU
            // and to a rounding on the GPU) is held to the absolute tolerance, as the normalised check above does.
            double bound = meanAbs > 0 ? 50 * tol * Math.Max(Math.Abs(want[i]), meanAbs) : tol;
            Assert.That(Math.Abs(got[i] - want[i]), Is.LessThanOrEqualTo(bound), $"{what}: element {i}: got {got[i]}, expected {want[i]}");
        }
    }

    /// <summary>Tolerances for results computed in a dtype and compared with a float64 reference.</summary>
    public static (double rtol, double atol) Tol(DType dtype, double scale = 1) =>
        dtype == DType.Float64 ? (1e-10 * scale, 1e-10 * scale) : (2e-4 * scale, 2e-5 * scale);
}

/// <summary>Gradient checks in float64: central differences of a scalar function of one input.</summary>
internal static class GradCheck
{
    /// <summary>
    /// Compares <paramref name="analytic"/> (the gradient of sum(f(x) * g) at x) with central differences at every
    /// position (or the first <paramref name="maxPositions"/> of a fixed stride through x).
    /// </summary>
    public static void AssertMatches(Func<Tensor, Tensor> f, double[] x, long[] shape, double[] g, double[] analytic, string what,
        int maxPositions = 60, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        Assert.That(analytic.Length, Is.EqualTo(x.Length), $"{what}: gradient size");
        int stride = Math.Max(1, x.Length / maxPositions);
        for (int i = 0; i < x.Length; i += stride)
        {
            double orig = x[i];
            x[i] = orig + eps;
            double up = Objective(f, x, shape, g);
            x[i] = orig - eps;
            double down = Objective(f, x, shape, g);
            x[i] = orig;
            double numeric = (up - down) / (2 * eps);
            if (!(Math.Abs(numeric - analytic[i]) <= atol + rtol * Math.Abs(numeric)))
                Assert.Fail($"{what}: d/dx[{i}] is {analytic[i]:R} analytically but {numeric:R} by central differences");
        }
    }

    private static double Objective(Func<Tensor, Tensor> f, double[] x, long[] shape, double[] g)
    {
        using var t = Tensor.FromArray(x, shape);
        using var y = f(t);
        var yv = KernelRef.Values(y);
        double s = 0;
        for (int i = 0; i < yv.Length; ++i) s += yv[i] * g[i];
        return s;
    }
}
