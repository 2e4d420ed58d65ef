using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Tests;

/// <summary>Unary elementwise ops against a float64 reference, on every layout, instruction set and thread count.</summary>
[TestFixtureSource(typeof(KernelFixture), nameof(KernelFixture.Paths))]
public class UnaryTests : KernelFixture
{
    public UnaryTests(CpuIsa isa, int threads) : base(isa, threads) { }

    /// <summary>An op, its float64 reference, an input range and the float32 tolerance in ulp.</summary>
    public sealed record Op(string Name, Func<Tensor, Tensor> Apply, Func<double, double> Expected, double Lo, double Hi, double Ulps)
    {
        public override string ToString() => Name;
    }

    private static double Relu(double x) => x > 0 ? x : (double.IsNaN(x) ? x : 0);
    private static double Sign(double x) => double.IsNaN(x) ? x : Math.Sign(x);
    private static double Gelu(double x) => x == double.NegativeInfinity ? double.NaN : 0.5 * x * DoubleMath.Erfc(-x / Math.Sqrt(2));
    private static double GeluTanh(double x) =>
        x == double.NegativeInfinity ? double.NaN : x * DoubleMath.Sigmoid(2 * Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x));
    private static double Silu(double x) => x == double.NegativeInfinity ? double.NaN : x * DoubleMath.Sigmoid(x);
    private static double Softplus(double x, double beta, double threshold) =>
        double.IsNaN(x) || beta * x > threshold ? x : (Math.Max(beta * x, 0) + DoubleMath.Log1p(Math.Exp(-Math.Abs(beta * x)))) / beta;

    private static readonly Op[] FloatOps =
    {
        new("neg", x => x.Neg(), x => -x, -100, 100, 0),
        new("abs", x => x.Abs(), Math.Abs, -100, 100, 0),
        new("sign", x => x.Sign(), Sign, -2, 2, 0),
        new("exp", x => x.Exp(), Math.Exp, -105, 90, 2),
        new("exp2", x => x.Exp2(), x => Math.Pow(2, x), -130, 130, 1),
        new("expm1", x => x.Expm1(), DoubleMath.Expm1, -20, 20, 2),
        new("log", x => x.Log(), Math.Log, -1, 1000, 2),
        new("log1p", x => x.Log1p(), DoubleMath.Log1p, -1.5, 100, 2),
        new("log2", x => x.Log2(), Math.Log2, 0, 1e6, 2),
        new("log10", x => x.Log10(), Math.Log10, 0, 1e6, 1),
        new("sqrt", x => x.Sqrt(), Math.Sqrt, -1, 100, 0.5),
        new("rsqrt", x => x.Rsqrt(), x => 1 / Math.Sqrt(x), 0.001, 100, 1.5),
        new("reciprocal", x => x.Reciprocal(), x => 1 / x, -10, 10, 0.5),
        new("square", x => x.Square(), x => x * x, -100, 100, 0.5),
        new("sin", x => x.Sin(), Math.Sin, -10, 10, 1),
        new("cos", x => x.Cos(), Math.Cos, -10, 10, 1),
        new("tan", x => x.Tan(), Math.Tan, -1.5, 1.5, 1),
        new("asin", x => x.Asin(), Math.Asin, -1.1, 1.1, 1),
        new("acos", x => x.Acos(), Math.Acos, -1.1, 1.1, 1),
        new("atan", x => x.Atan(), Math.Atan, -10, 10, 1),
        new("sinh", x => x.Sinh(), Math.Sinh, -10, 10, 1),
        new("cosh", x => x.Cosh(), Math.Cosh, -10, 10, 1),
        new("tanh", x => x.Tanh(), Math.Tanh, -12, 12, 2),
        new("sigmoid", x => x.Sigmoid(), DoubleMath.Sigmoid, -110, 110, 2.5),
        new("relu", x => x.Relu(), Relu, -10, 10, 0),
        new("silu", x => x.Silu(), Silu, -110, 110, 3),
        new("gelu", x => x.Gelu(), Gelu, -16, 16, 5),
        new("gelu tanh", x => x.Gelu("tanh"), GeluTanh, -16, 16, 4),
        new("softplus", x => x.Softplus(), x => Softplus(x, 1, 20), -30, 30, 2),
        new("softplus beta 2 threshold 5", x => x.Softplus(2, 5), x => Softplus(x, 2, 5), -10, 10, 2),
        new("elu", x => x.Elu(), x => x > 0 ? x : DoubleMath.Expm1(x), -20, 5, 2),
        new("elu alpha 0.5", x => x.Elu(0.5), x => x > 0 ? x : 0.5 * DoubleMath.Expm1(x), -20, 5, 2),
        new("leaky relu", x => x.LeakyRelu(0.2), x => x > 0 ? x : 0.2 * x, -10, 10, 1),
        new("erf", x => x.Erf(), DoubleMath.Erf, -5, 5, 2),
        new("floor", x => x.Floor(), Math.Floor, -100, 100, 0),
        new("ceil", x => x.Ceil(), Math.Ceiling, -100, 100, 0),
        new("round", x => x.Round(), x => Math.Round(x, MidpointRounding.ToEven), -100, 100, 0),
        new("trunc", x => x.Trunc(), Math.Truncate, -100, 100, 0),
        new("clamp [-1, 2]", x => x.Clamp(-1, 2), x => Math.Min(Math.Max(x, -1), 2), -5, 5, 0),
        new("clamp max only", x => x.Clamp(max: 0.5), x => Math.Min(x, 0.5), -5, 5, 0),
        new("clamp min only", x => x.Clamp(min: 0.5), x => Math.Max(x, 0.5), -5, 5, 0),
    };

    public static IEnumerable<TestCaseData> FloatOpCases() => FloatOps.Select(o => new TestCaseData(o).SetArgDisplayNames(o.Name));

    [TestCaseSource(nameof(FloatOpCases))]
    public void FloatOpMatchesTheFloat64ReferenceInEveryLayout(Op op)
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            foreach (Inputs.Case c in Inputs.Layouts(dtype, op.Lo, op.Hi))
            {
                using (c)
                {
                    double[] x = Ulps.Values(c.Tensor);
                    using Tensor y = op.Apply(c.Tensor);
                    Assert.That(y.Shape, Is.EqualTo(c.Tensor.Shape), $"{op.Name} {c.Name}: shape");
                    Assert.That(y.DType, Is.EqualTo(dtype), $"{op.Name} {c.Name}: dtype");
                    // Float64 is held to a relative 2e-13 (exact ops to their ulps): the references
                    // here are simple formulas, not correctly rounded ones.
                    double ulps = dtype == DType.Float32 || op.Ulps <= 0.5 ? op.Ulps : 1000;
                    Ulps.AssertClose(y, x.Select(op.Expected).ToArray(), ulps, $"{op.Name} {dtype} {c.Name}");
                }
            }
        }
    }

    private static readonly double[] Specials =
    {
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, 1.4e-45, -1.4e-45, 1e-40, -1e-40,
        1.17549435e-38, 3.4e38, -3.4e38, 1, -1, 0.5, -0.5, 88.7, -87.4, -103.9, 10.06, -10.06, 14, -14,
    };

    [TestCaseSource(nameof(FloatOpCases))]
    public void FloatOpHandlesNaNInfinitiesZerosAndSubnormals(Op op)
    {
        using Tensor x = Tensor.FromArray(Specials.Select(v => (float)v).ToArray());
        using Tensor y = op.Apply(x);
        double[] xs = Ulps.Values(x);
        Ulps.AssertClose(y, xs.Select(op.Expected).ToArray(), Math.Max(op.Ulps, 0.5), $"{op.Name} on special values");
    }

    [Test]
    public void IntegerOpsKeepTheDtypeAndWrap()
    {
        foreach (DType dtype in new[] { DType.Int64, DType.Int32, DType.Int16, DType.Int8, DType.UInt8 })
        {
            foreach (Inputs.Case c in Inputs.Layouts(dtype, dtype == DType.UInt8 ? 0 : -120, 120))
            {
                using (c)
                {
                    double[] x = Ulps.Values(c.Tensor);
                    double Wrap(double v) => dtype switch
                    {
                        DType.Int8 => (sbyte)(long)v,
                        DType.UInt8 => (byte)(long)v,
                        DType.Int16 => (short)(long)v,
                        DType.Int32 => (int)(long)v,
                        _ => v,
                    };
                    using (Tensor y = c.Tensor.Abs()) Ulps.AssertEqual(y, x.Select(v => Wrap(Math.Abs(v))).ToArray(), $"abs {dtype} {c.Name}");
                    using (Tensor y = c.Tensor.Neg()) Ulps.AssertEqual(y, x.Select(v => Wrap(-v)).ToArray(), $"neg {dtype} {c.Name}");
                    using (Tensor y = c.Tensor.Square()) Ulps.AssertEqual(y, x.Select(v => Wrap(v * v)).ToArray(), $"square {dtype} {c.Name}");
                    using (Tensor y = c.Tensor.Sign()) Ulps.AssertEqual(y, x.Select(v => (double)Math.Sign(v)).ToArray(), $"sign {dtype} {c.Name}");
                    using (Tensor y = c.Tensor.Relu()) Ulps.AssertEqual(y, x.Select(v => Math.Max(v, 0)).ToArray(), $"relu {dtype} {c.Name}");
                    using (Tensor y = c.Tensor.Floor()) Ulps.AssertEqual(y, x, $"floor {dtype} {c.Name}");
                    using (Tensor y = c.Tensor.Clamp(3, 50)) Ulps.AssertEqual(y, x.Select(v => Math.Min(Math.Max(v, 3), 50)).ToArray(), $"clamp {dtype} {c.Name}");
                    using (Tensor y = c.Tensor.Exp())
                    {
                        Assert.That(y.DType, Is.EqualTo(DType.Float32), "exp of an integer tensor is float32");
                        Ulps.AssertClose(y, x.Select(Math.Exp).ToArray(), 2, $"exp {dtype} {c.Name}");
                    }
                }
            }
        }
    }

    [Test]
    public void ClampOfAnIntegerTensorWithAFractionalBoundGivesFloat32()
    {
        using Tensor x = Tensor.FromArray(new long[] { 1, 2, 3 });
        using Tensor y = x.Clamp(min: 2.5);
        Assert.That(y.DType, Is.EqualTo(DType.Float32));
        Assert.That(y.ToArray<float>(), Is.EqualTo(new[] { 2.5f, 2.5f, 3f }));
    }

    [Test]
    public void PredicatesGiveBoolAndSeeNaNAndInfinities()
    {
        using Tensor x = Tensor.FromArray(new[] { 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f });
        using (Tensor y = x.IsNan()) Assert.That(y.ToArray<bool>(), Is.EqualTo(new[] { false, true, false, false, false, false }));
        using (Tensor y = x.IsInf()) Assert.That(y.ToArray<bool>(), Is.EqualTo(new[] { false, false, true, true, false, false }));
        using (Tensor y = x.IsFinite()) Assert.That(y.ToArray<bool>(), Is.EqualTo(new[] { true, false, false, false, true, true }));
        using (Tensor y = x.LogicalNot()) Assert.That(y.ToArray<bool>(), Is.EqualTo(new[] { false, false, false, false, true, true }));
        using Tensor ints = Tensor.FromArray(new[] { 0, 5, -1 });
        using (Tensor y = ints.IsNan()) Assert.That(y.ToArray<bool>(), Is.EqualTo(new[] { false, false, false }));
        using (Tensor y = ints.LogicalNot()) Assert.That(y.ToArray<bool>(), Is.EqualTo(new[] { true, false, false }));
        using Tensor big = Tensor.Full(new long[] { 40000 }, double.NaN);
        using Tensor nan = big.IsNan();
        using (Tensor y = nan.All()) Assert.That(y.Item<bool>(), Is.True, "a multi-threaded predicate");
    }

    [Test]
    public void InPlaceOpsWriteThroughViewsAndReturnTheSameTensor()
    {
        using Tensor b = Inputs.Make(DType.Float32, new long[] { 6, 5 }, Inputs.Values(3, 30, -3, 3, DType.Float32));
        double[] before = Ulps.Values(b);
        using Tensor view = b.T;  // non-contiguous
        long version = b.Version;
        Tensor r = view.ReluInPlace();
        Assert.That(r, Is.SameAs(view));
        Assert.That(b.Version, Is.GreaterThan(version), "an in-place write bumps the storage version");
        Ulps.AssertEqual(b, before.Select(v => Math.Max(v, 0)).ToArray(), "relu_ through a transposed view");
        Assert.That(b.ExpInPlace(), Is.SameAs(b));
        Ulps.AssertClose(b, before.Select(v => Math.Exp(Math.Max(v, 0))).ToArray(), 2, "exp_");
        double[] exps = Ulps.Values(b);
        b.ClampInPlace(1.5, 2.0);
        Ulps.AssertEqual(b, exps.Select(v => Math.Min(Math.Max(v, 1.5), 2.0)).ToArray(), "clamp_");
    }

    [Test]
    public void AnInPlaceFloatResultIntoAnIntegerTensorIsRefused()
    {
        using Tensor x = Tensor.FromArray(new long[] { 1, 2 });
        var e = Assert.Throws<DTypeException>(() => x.ExpInPlace());
        Assert.That(e!.Message, Does.Contain("exp").And.Contain("float32").And.Contain("int64"));
    }

    [Test]
    public void BadArgumentsAreRefusedWithMessages()
    {
        using Tensor x = Tensor.FromArray(new[] { 1f, 2f });
        Assert.That(Assert.Throws<ArgumentException>(() => x.Gelu("exact"))!.Message, Does.Contain("\"none\" or \"tanh\""));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Clamp())!.Message, Does.Contain("at least one of min and max"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Softplus(beta: 0))!.Message, Does.Contain("beta"));
        using Tensor flags = Tensor.FromArray(new[] { true, false });
        Assert.That(Assert.Throws<DTypeException>(() => flags.Abs())!.Message, Does.Contain("abs").And.Contain("bool"));
        Assert.That(Assert.Throws<DTypeException>(() => flags.Neg())!.Message, Does.Contain("neg").And.Contain("bool"));
        x.Dispose();
        Assert.Throws<ObjectDisposedException>(() => x.Exp());
    }
}
