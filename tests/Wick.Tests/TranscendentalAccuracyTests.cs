using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Tests;

/// <summary>
/// Worst error in ulp of the float32 transcendentals over a sweep of the whole float range (every
/// 40,009th bit pattern of both signs: subnormals, tiny, huge) plus ±0, ±inf, NaN and the
/// overflow/underflow edges, against float64 references, on every instruction set.
/// </summary>
[TestFixtureSource(typeof(KernelFixture), nameof(KernelFixture.Paths))]
public class TranscendentalAccuracyTests : KernelFixture
{
    public TranscendentalAccuracyTests(CpuIsa isa, int threads) : base(isa, threads) { }

    private static float[] Sweep()
    {
        var xs = new List<float>();
        for (ulong u = 0; u < 1ul << 32; u += 40009) xs.Add(BitConverter.UInt32BitsToSingle((uint)u));
        xs.AddRange(new[]
        {
            0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon,
            float.MaxValue, float.MinValue, 1.17549435e-38f, 88.7228394f, 88.72283f, -87.33654f, -103.972f, -104f,
            -1f, -0.99999994f, 1f, 0.5f, 0.625f, 2f, 9f, -9f, 10.05f, -10.05f, -14.2f, -13f, 1e-20f, -1e-20f,
        });
        return xs.ToArray();
    }

    private static double UlpError(float got, double exact)
    {
        if (double.IsNaN(exact)) return double.IsNaN(got) ? 0 : double.PositiveInfinity;
        if (Math.Abs(exact) > float.MaxValue) return float.IsInfinity(got) && Math.Sign(got) == Math.Sign(exact) ? 0 : double.PositiveInfinity;
        if (float.IsNaN(got) || float.IsInfinity(got)) return double.PositiveInfinity;
        return Math.Abs(got - exact) / Ulps.Ulp(exact, DType.Float32);
    }

    public static IEnumerable<TestCaseData> Functions()
    {
        TestCaseData F(string name, Func<Tensor, Tensor> op, Func<double, double> exact, double ulps) =>
            new TestCaseData(op, exact, ulps).SetArgDisplayNames(name);
        yield return F("exp", x => x.Exp(), Math.Exp, 2);
        yield return F("expm1", x => x.Expm1(), DoubleMath.Expm1, 2);
        yield return F("log", x => x.Log(), Math.Log, 2);
        yield return F("log1p", x => x.Log1p(), DoubleMath.Log1p, 2);
        yield return F("log2", x => x.Log2(), Math.Log2, 2);
        yield return F("tanh", x => x.Tanh(), Math.Tanh, 2);
        yield return F("sigmoid", x => x.Sigmoid(), v => double.IsNaN(v) ? v : DoubleMath.Sigmoid(v), 2.5);
        yield return F("silu", x => x.Silu(), v => v == double.NegativeInfinity ? double.NaN : v * DoubleMath.Sigmoid(v), 3);
        yield return F("erf", x => x.Erf(), DoubleMath.Erf, 2);
        yield return F("gelu", x => x.Gelu(), v => v == double.NegativeInfinity ? double.NaN : 0.5 * v * DoubleMath.Erfc(-v / Math.Sqrt(2)), 5);
        yield return F("gelu tanh", x => x.Gelu("tanh"),
            v => double.IsNaN(v) ? v : v == double.NegativeInfinity ? double.NaN : v * DoubleMath.Sigmoid(2 * Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)), 4);
        yield return F("softplus", x => x.Softplus(), v => double.IsNaN(v) || v > 20 ? v : Math.Max(v, 0) + DoubleMath.Log1p(Math.Exp(-Math.Abs(v))), 2);
        yield return F("elu", x => x.Elu(), v => v > 0 ? v : DoubleMath.Expm1(v), 2);
    }

    [TestCaseSource(nameof(Functions))]
    public void Float32FunctionIsAccurateOverTheWholeRange(Func<Tensor, Tensor> op, Func<double, double> exact, double ulps)
    {
        float[] xs = Sweep();
        using Tensor x = Tensor.FromArray(xs);
        using Tensor y = op(x);
        float[] got = y.ToArray<float>();
        double worst = 0;
        float at = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double e = UlpError(got[i], exact(xs[i]));
            if (e > worst) (worst, at) = (e, xs[i]);
        }
        // The scalar instruction set computes in double: correctly rounded but for the final rounding.
        double allowed = Isa == CpuIsa.Scalar ? 1 : ulps;
        TestContext.Out.WriteLine($"{Isa}: worst error {worst:F2} ulp at x = {at:R}");
        Assert.That(worst, Is.LessThanOrEqualTo(allowed), $"worst error at x = {at:R}");
    }
}
