using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Tests;

/// <summary>Binary elementwise ops against a float64 reference: every layout, broadcasting, scalars, integers, errors.</summary>
[TestFixtureSource(typeof(KernelFixture), nameof(KernelFixture.Paths))]
public class BinaryTests : KernelFixture
{
    public BinaryTests(CpuIsa isa, int threads) : base(isa, threads) { }

    public sealed record Op(string Name, Func<Tensor, Tensor, Tensor> Apply, Func<double, double, double> Expected, double Lo, double Hi, double Ulps)
    {
        public override string ToString() => Name;
    }

    private static double FloorDiv(double a, double b) => Math.Floor(a / b);
    // Python's %: the sign of the divisor.
    private static double Remainder(double a, double b)
    {
        double r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }
    private static double NanMax(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);
    private static double NanMin(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b);

    private static readonly Op[] FloatOps =
    {
        new("add", (a, b) => a + b, (a, b) => a + b, -100, 100, 0.5),
        new("sub", (a, b) => a - b, (a, b) => a - b, -100, 100, 0.5),
        new("mul", (a, b) => a * b, (a, b) => a * b, -100, 100, 0.5),
        new("div", (a, b) => a / b, (a, b) => a / b, -100, 100, 0.5),
        new("pow", (a, b) => a.Pow(b), Math.Pow, 0.1, 4, 1),
        new("atan2", (a, b) => a.Atan2(b), Math.Atan2, -5, 5, 1.5),
        new("maximum", (a, b) => a.Maximum(b), NanMax, -10, 10, 0),
        new("minimum", (a, b) => a.Minimum(b), NanMin, -10, 10, 0),
        new("floor_divide", (a, b) => a.FloorDivide(b), FloorDiv, 1, 50, 0),
        new("remainder", (a, b) => a.Remainder(b), Remainder, -50, 50, 0.5),
        new("fmod", (a, b) => a.Fmod(b), (a, b) => a % b, -50, 50, 0),
    };

    public static IEnumerable<TestCaseData> FloatOpCases() => FloatOps.Select(o => new TestCaseData(o).SetArgDisplayNames(o.Name));

    private static void Check(Op op, Tensor a, Tensor b, string what)
    {
        long[] shape = BroadcastShape(a.Shape, b.Shape);
        double[] x = Broadcast(a, shape), y = Broadcast(b, shape);
        using Tensor r = op.Apply(a, b);
        Assert.That(r.Shape, Is.EqualTo(shape), $"{op.Name} {what}: shape");
        Ulps.AssertClose(r, x.Zip(y, op.Expected).ToArray(), r.DType == DType.Float32 ? op.Ulps : 1, $"{op.Name} {what}");
    }

    [TestCaseSource(nameof(FloatOpCases))]
    public void FloatOpMatchesTheReferenceInEveryLayoutBothWays(Op op)
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            foreach (Inputs.Case c in Inputs.Layouts(dtype, op.Lo, op.Hi))
            {
                using (c)
                {
                    using Tensor other = Inputs.Make(dtype, c.Tensor.Shape, Inputs.Values(77, (int)c.Tensor.NumberOfElements, op.Lo, op.Hi, dtype));
                    Check(op, c.Tensor, other, $"{dtype} {c.Name} (op) contiguous");
                    Check(op, other, c.Tensor, $"{dtype} contiguous (op) {c.Name}");
                }
            }
        }
    }

    [TestCaseSource(nameof(FloatOpCases))]
    public void FloatOpBroadcasts(Op op)
    {
        (long[] A, long[] B)[] pairs =
        {
            (new long[] { 4, 1, 5 }, new long[] { 3, 1 }),
            (new long[] { 300, 70 }, new long[] { 70 }),
            (new long[] { 300, 1 }, new long[] { 1, 71 }),
            (new long[] { 2, 3 }, Array.Empty<long>()),
            (Array.Empty<long>(), new long[] { 1003 }),
            (new long[] { 0, 3 }, new long[] { 3 }),
        };
        int seed = 5;
        foreach ((long[] sa, long[] sb) in pairs)
        {
            using Tensor a = Inputs.Make(DType.Float32, sa, Inputs.Values(seed++, (int)sa.Aggregate(1L, (p, q) => p * q), op.Lo, op.Hi, DType.Float32));
            using Tensor b = Inputs.Make(DType.Float32, sb, Inputs.Values(seed++, (int)sb.Aggregate(1L, (p, q) => p * q), op.Lo, op.Hi, DType.Float32));
            Check(op, a, b, $"[{string.Join(", ", sa)}] with [{string.Join(", ", sb)}]");
            Check(op, b, a, $"[{string.Join(", ", sb)}] with [{string.Join(", ", sa)}]");
        }
    }

    [Test]
    public void ScalarOperandsOnEitherSide()
    {
        foreach (Inputs.Case c in Inputs.Layouts(DType.Float32, 0.5, 4))
        {
            using (c)
            {
                double[] x = Ulps.Values(c.Tensor);
                void Expect(Tensor r, Func<double, double> f, double ulps, string what)
                {
                    using (r) Ulps.AssertClose(r, x.Select(f).ToArray(), ulps, $"{what} {c.Name}");
                }
                Expect(c.Tensor + 2.5, v => v + 2.5, 0.5, "x + 2.5");
                Expect(3 - c.Tensor, v => 3 - v, 0.5, "3 - x");
                Expect(1.5 / c.Tensor, v => (double)1.5f / v, 0.5, "1.5 / x");
                Expect(c.Tensor.Remainder(0.75), v => v - 0.75 * Math.Floor(v / 0.75), 0, "x % 0.75");
                Expect(c.Tensor.RPow(2), v => Math.Pow(2, v), 1, "2 ** x");
                foreach (double p in new[] { 2.0, 3.0, 0.5, -0.5, 1.0, -1.0, -2.0, 1.7 })
                    Expect(c.Tensor.Pow(p), v => Math.Pow(v, p), 1.5, $"x ** {p}");
            }
        }
    }

    [Test]
    public void ComparisonsAndLogicalOpsGiveBool()
    {
        using Tensor a = Tensor.FromArray(new[] { 1f, float.NaN, 3f, 0f, -2f });
        using Tensor b = Tensor.FromArray(new[] { 1f, float.NaN, 2f, 5f, 0f });
        using (Tensor r = a.Eq(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { true, false, false, false, false }));
        using (Tensor r = a.Ne(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { false, true, true, true, true }));
        using (Tensor r = a.Lt(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { false, false, false, true, true }));
        using (Tensor r = a.Ge(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { true, false, true, false, false }));
        using (Tensor r = a.LogicalAnd(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { true, true, true, false, false }));
        using (Tensor r = a.LogicalOr(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { true, true, true, true, true }));
        using (Tensor r = a.LogicalXor(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { false, false, false, true, true }));
        using (Tensor r = a.Maximum(b)) Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { 1f, float.NaN, 3f, 5f, 0f }));
    }

    [Test]
    public void IntegerArithmeticIsPythonStyleAndWraps()
    {
        foreach (DType dtype in new[] { DType.Int64, DType.Int32, DType.Int8, DType.UInt8 })
        {
            double lo = dtype == DType.UInt8 ? 0 : -100;
            foreach (Inputs.Case c in Inputs.Layouts(dtype, lo, 100))
            {
                using (c)
                {
                    double[] x = Ulps.Values(c.Tensor);
                    double ylo = dtype == DType.UInt8 ? 1 : -9;
                    using Tensor d = Inputs.Make(dtype, c.Tensor.Shape, Inputs.Values(9, x.Length, ylo, 9, dtype).Select(v => v == 0 ? 3 : v).ToArray());
                    double[] y = Ulps.Values(d);
                    double Wrap(double v) => dtype switch { DType.Int8 => (sbyte)(long)v, DType.UInt8 => (byte)(long)v, DType.Int32 => (int)(long)v, _ => v };
                    void Expect(Tensor r, Func<double, double, double> f, string what)
                    {
                        using (r)
                        {
                            Assert.That(r.DType, Is.EqualTo(dtype), $"{what}: dtype");
                            Ulps.AssertEqual(r, x.Zip(y, f).ToArray(), $"{what} {dtype} {c.Name}");
                        }
                    }
                    Expect(c.Tensor + d, (p, q) => Wrap(p + q), "add");
                    Expect(c.Tensor - d, (p, q) => Wrap(p - q), "sub");
                    Expect(c.Tensor * d, (p, q) => Wrap(p * q), "mul");
                    Expect(c.Tensor.FloorDivide(d), (p, q) => Wrap(Math.Floor(p / q)), "floor_divide");
                    Expect(c.Tensor.Remainder(d), Remainder, "remainder");
                    Expect(c.Tensor.Fmod(d), (p, q) => p % q, "fmod");
                    Expect(c.Tensor.Maximum(d), Math.Max, "maximum");
                    Expect(c.Tensor.Minimum(d), Math.Min, "minimum");
                    Expect(c.Tensor.BitwiseAnd(d), (p, q) => Wrap((long)p & (long)q), "bitwise_and");
                    Expect(c.Tensor.BitwiseXor(d), (p, q) => Wrap((long)p ^ (long)q), "bitwise_xor");
                    using (Tensor r = c.Tensor / d)
                    {
                        Assert.That(r.DType, Is.EqualTo(DType.Float32), "true division of integers is float32");
                        Ulps.AssertClose(r, x.Zip(y, (p, q) => p / q).ToArray(), 0.5, $"div {dtype} {c.Name}");
                    }
                }
            }
        }
    }

    [Test]
    public void IntegerPowStaysIntegral()
    {
        using Tensor x = Tensor.FromArray(new long[] { -3, -1, 0, 2, 5 });
        using (Tensor r = x.Pow(3)) Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { -27, -1, 0, 8, 125 }));
        using Tensor e = Tensor.FromArray(new long[] { 0, 1, 2, 3, 4 });
        using (Tensor r = x.Pow(e)) Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, -1, 0, 8, 625 }));
        using (Tensor r = x.Pow(0.5)) Assert.That(r.DType, Is.EqualTo(DType.Float32), "a float exponent makes the result float");
    }

    [Test]
    public void IntegerDivisionByZeroIsAnError()
    {
        using Tensor x = Tensor.Full(new long[] { 50000 }, 7, DType.Int32);
        using Tensor y = Tensor.Ones(new long[] { 50000 }, DType.Int32);
        using Tensor zero = Tensor.Scalar(0L);
        y[45000] = zero;
        Assert.That(Assert.Throws<ArgumentException>(() => x.FloorDivide(y))!.Message, Does.Contain("floor_divide").And.Contain("division by zero"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.Remainder(y))!.Message, Does.Contain("remainder").And.Contain("division by zero"));
        Assert.That(Assert.Throws<ArgumentException>(() => x.FloorDivide(0L))!.Message, Does.Contain("division by zero"));
        using Tensor neg = Tensor.FromArray(new long[] { 2, -1 });
        Assert.That(Assert.Throws<ArgumentException>(() => neg.Pow(neg))!.Message, Does.Contain("negative integer powers"));
        using Tensor f = Tensor.FromArray(new[] { 1f, -1f, 0f });
        using Tensor z = Tensor.Zeros(3);
        using Tensor q = f / z;
        Assert.That(q.ToArray<float>(), Is.EqualTo(new[] { float.PositiveInfinity, float.NegativeInfinity, float.NaN }), "float division by zero is IEEE");
    }

    [Test]
    public void MismatchedShapesAndDtypesAreRefused()
    {
        using Tensor a = Tensor.Zeros(2, 3);
        using Tensor b = Tensor.Zeros(4);
        var e = Assert.Throws<ShapeMismatchException>(() => a.Maximum(b));
        Assert.That(e!.Message, Does.Contain("maximum").And.Contain("[2, 3]").And.Contain("[4]"));
        Assert.That(Assert.Throws<DTypeException>(() => a.BitwiseAnd(a))!.Message, Does.Contain("bitwise_and").And.Contain("float32"));
        using Tensor flags = Tensor.FromArray(new[] { true });
        Assert.That(Assert.Throws<DTypeException>(() => flags.Sub(flags))!.Message, Does.Contain("sub").And.Contain("bool"));
    }

    [Test]
    public void InPlaceBinaryOpsWriteIntoTheLeftOperand()
    {
        using Tensor a = Tensor.FromArray(new[] { 1f, -2f, 3f });
        using Tensor b = Tensor.FromArray(new[] { 2f, 2f, 2f });
        Assert.That(a.MulInPlace(b), Is.SameAs(a));
        Assert.That(a.ToArray<float>(), Is.EqualTo(new[] { 2f, -4f, 6f }));
        a.PowInPlace(2);
        Assert.That(a.ToArray<float>(), Is.EqualTo(new[] { 4f, 16f, 36f }));
        a.RemainderInPlace(5);
        Assert.That(a.ToArray<float>(), Is.EqualTo(new[] { 4f, 1f, 1f }));
        a.MaximumInPlace(b);
        Assert.That(a.ToArray<float>(), Is.EqualTo(new[] { 4f, 2f, 2f }));
        using Tensor small = Tensor.Zeros(2);
        Assert.Throws<ShapeMismatchException>(() => small.AddInPlace(a), "the result shape must fit the left operand");
    }

    // Row-major values of t broadcast to shape.
    private static double[] Broadcast(Tensor t, long[] shape)
    {
        using Tensor e = t.Expand(shape);
        return Ulps.Values(e);
    }

    private static long[] BroadcastShape(long[] a, long[] b)
    {
        int n = Math.Max(a.Length, b.Length);
        var r = new long[n];
        for (int i = 0; i < n; i++)
        {
            long x = i - (n - a.Length) >= 0 ? a[i - (n - a.Length)] : 1;
            long y = i - (n - b.Length) >= 0 ? b[i - (n - b.Length)] : 1;
            r[i] = x == 1 ? y : x;
        }
        return r;
    }
}
