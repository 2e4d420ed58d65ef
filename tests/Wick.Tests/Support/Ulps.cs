using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Tests;

/// <summary>Reading tensors as float64 and comparing them, in ulps, with a float64 reference computed in the test.</summary>
public static class Ulps
{
    /// <summary>The elements (row-major) as doubles, whatever the dtype.</summary>
    public static double[] Values(Tensor t) => t.DType switch
    {
        DType.Float32 => t.ToArray<float>().Select(v => (double)v).ToArray(),
        DType.Float64 => t.ToArray<double>(),
        DType.Int64 => t.ToArray<long>().Select(v => (double)v).ToArray(),
        DType.Int32 => t.ToArray<int>().Select(v => (double)v).ToArray(),
        DType.Int16 => t.ToArray<short>().Select(v => (double)v).ToArray(),
        DType.Int8 => t.ToArray<sbyte>().Select(v => (double)v).ToArray(),
        DType.UInt8 => t.ToArray<byte>().Select(v => (double)v).ToArray(),
        DType.Bool => t.ToArray<bool>().Select(v => v ? 1.0 : 0.0).ToArray(),
        _ => Values(t.To(DType.Float64)),
    };

    /// <summary>The spacing of the representable numbers of <paramref name="dtype"/> at |x| (subnormal spacing near 0).</summary>
    public static double Ulp(double x, DType dtype)
    {
        x = Math.Abs(x);
        if (dtype == DType.Float64) return Math.Max(Math.BitIncrement(x) - x, double.Epsilon);
        int e = x == 0 ? -200 : Math.ILogB(x);
        return Math.ScaleB(1.0, Math.Max(e - 23, -149));
    }

    /// <summary>
    /// Asserts actual[i] matches expected[i] within <paramref name="ulps"/> units in the last place
    /// of the actual dtype (plus <paramref name="abs"/>), with NaN matching NaN and infinities equal.
    /// Expected values beyond the dtype's range must come out infinite.
    /// </summary>
    public static void AssertClose(Tensor actual, IReadOnlyList<double> expected, double ulps, string what, double abs = 0)
    {
        double[] got = Values(actual);
        Assert.That(got.Length, Is.EqualTo(expected.Count), $"{what}: element count");
        double max = actual.DType == DType.Float32 ? float.MaxValue : double.MaxValue;
        for (int i = 0; i < got.Length; i++)
        {
            double e = expected[i], g = got[i];
            if (actual.DType != DType.Float32 && actual.DType != DType.Float64 && actual.DType != DType.Float16 && actual.DType != DType.BFloat16)
            {
                if (g != e) Assert.Fail($"{what}: element {i} is {g}, expected {e}");
                continue;
            }
            if (double.IsNaN(e))
            {
                if (!double.IsNaN(g)) Assert.Fail($"{what}: element {i} is {g}, expected NaN");
                continue;
            }
            if (Math.Abs(e) > max)
            {
                if (!double.IsInfinity(g) || Math.Sign(g) != Math.Sign(e)) Assert.Fail($"{what}: element {i} is {g}, expected {e} (infinite in {actual.DType})");
                continue;
            }
            double tol = ulps * Ulp(e, actual.DType) + abs;
            if (!(Math.Abs(g - e) <= tol)) Assert.Fail($"{what}: element {i} is {g:R}, expected {e:R} (error {Math.Abs(g - e) / Ulp(e, actual.DType):G3} ulp, allowed {ulps})");
        }
    }

    /// <summary>Asserts exact equality of every element (integers, bools, exactly representable results).</summary>
    public static void AssertEqual(Tensor actual, IReadOnlyList<double> expected, string what) =>
        AssertClose(actual, expected, 0, what);
}
