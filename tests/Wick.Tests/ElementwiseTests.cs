using System;
using System.Linq;
using Wick.Tests.Support;

namespace Wick.Tests;

public class ElementwiseTests
{
    private static readonly (string Name, Func<Tensor, Tensor, Tensor> Op, Func<double, double, double> Ref)[] Arithmetic =
    {
        ("add", (a, b) => a + b, (x, y) => x + y),
        ("sub", (a, b) => a - b, (x, y) => x - y),
        ("mul", (a, b) => a * b, (x, y) => x * y),
        ("div", (a, b) => a / b, (x, y) => x / y),
    };

    private static readonly long[][][] ShapePairs =
    {
        new[] { new long[] { 3, 4 }, new long[] { 3, 4 } },
        new[] { new long[] { 3, 4 }, new long[] { 4 } },
        new[] { new long[] { 3, 1 }, new long[] { 1, 4 } },
        new[] { new long[] { 2, 1, 4 }, new long[] { 3, 1 } },
        new[] { new long[] { }, new long[] { 2, 3 } },
        new[] { new long[] { 0, 3 }, new long[] { 3 } },
    };

    [Test]
    public void ArithmeticBroadcastsLikeTheReference([Range(0, 3)] int op, [Range(0, 5)] int pair)
    {
        var (name, f, r) = Arithmetic[op];
        long[] sa = ShapePairs[pair][0], sb = ShapePairs[pair][1];
        double[] da = Check.Values((int)sa.Aggregate(1L, (x, y) => x * y), 1);
        double[] db = Check.Values((int)sb.Aggregate(1L, (x, y) => x * y), 2).Select(v => v + 3).ToArray();
        using var a = Check.Tensor(da, sa, DType.Float64);
        using var b = Check.Tensor(db, sb, DType.Float64);
        using var c = f(a, b);
        Check.Close(c, Reference.Zip(new Reference(da, sa), new Reference(db, sb), r), 1e-12, 1e-12);
    }

    [Test]
    public void NonContiguousOperandsGiveTheSameResultAsContiguousOnes()
    {
        double[] d = Check.Values(24, 3);
        using var a = Check.Tensor(d, new long[] { 4, 6 }, DType.Float64);
        using var t = a.T;                                   // (6, 4), strides (1, 6)
        using var stepped = a.Slice(1, 0, 6, 2);             // (4, 3), stride 2
        using var sum = t + t;
        using var expected = t.Contiguous() * 2.0;
        Check.Close(sum, Reference.Of(expected), 0, 0);
        using var prod = stepped * stepped;
        Check.Close(prod, Reference.Of(stepped).Map(x => x * x), 1e-15, 0);
    }

    [Test]
    public void MismatchedShapesNameTheOpAndBothShapes()
    {
        using var a = Tensor.Zeros(2, 3);
        using var b = Tensor.Zeros(4);
        var ex = Assert.Throws<ShapeMismatchException>(() => _ = a + b);
        Assert.That(ex!.Message, Does.Contain("add").And.Contain("[2, 3]").And.Contain("[4]"));
    }

    [Test]
    public void IntegerTensorsFollowPyTorchTypePromotion()
    {
        using var i = Tensor.FromArray(new[] { 1, 2, 3 });               // int32
        using var l = Tensor.FromArray(new long[] { 1, 2, 3 });          // int64
        using (var r = i + 1) Assert.That(r.DType, Is.EqualTo(DType.Int32), "an integer scalar keeps the dtype");
        using (var r = i * 0.5) Assert.That(r.DType, Is.EqualTo(DType.Float32), "a float scalar lifts to the default float");
        using (var r = i + l) Assert.That(r.DType, Is.EqualTo(DType.Int64), "the wider integer wins");
        using (var r = i / i)
        {
            Assert.That(r.DType, Is.EqualTo(DType.Float32), "true division");
            Assert.That(r.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 1 }));
        }
        using var f64 = Tensor.Scalar(2.0, DType.Float64);
        using var f32 = Tensor.FromArray(new float[] { 1, 2 });
        using (var r = f32 * f64) Assert.That(r.DType, Is.EqualTo(DType.Float32), "a 0-d tensor of the same category does not widen");
        using (var r = i * f64) Assert.That(r.DType, Is.EqualTo(DType.Float64), "a 0-d tensor of a higher category decides");
    }

    [Test]
    public void ScalarsWorkOnEitherSide()
    {
        using var a = Tensor.FromArray(new float[] { 1, 2, 4 });
        using (var r = 1f - a) Assert.That(r.ToArray<float>(), Is.EqualTo(new float[] { 0, -1, -3 }));
        using (var r = 8 / a) Assert.That(r.ToArray<float>(), Is.EqualTo(new float[] { 8, 4, 2 }));
        using (var r = 2.0 * a) Assert.That(r.ToArray<float>(), Is.EqualTo(new float[] { 2, 4, 8 }));
        using (var r = -a) Assert.That(r.ToArray<float>(), Is.EqualTo(new float[] { -1, -2, -4 }));
    }

    [Test]
    public void ExpAndLogMatchTheReference()
    {
        double[] d = Check.Values(100, 4, 10);
        using var x = Check.Tensor(d, new long[] { 10, 10 });
        using var e = x.Exp();
        Check.Close(e, new Reference(d, 10, 10).Map(Math.Exp), 1e-6, 0);
        using var p = e.Log();
        Check.Close(p, new Reference(d, 10, 10), 0, 1e-5);
        using var special = Tensor.FromArray(new[] { 0.0, -1.0, double.PositiveInfinity });
        using var l = special.Log();
        Assert.That(l.ToArray<double>(), Is.EqualTo(new[] { double.NegativeInfinity, double.NaN, double.PositiveInfinity }));
    }

    [Test]
    public void InPlaceOpsWriteIntoTheSameTensorAndBumpItsVersion()
    {
        using var a = Tensor.FromArray(new float[] { 1, 2, 3 });
        using var b = Tensor.FromArray(new float[] { 10, 20, 30 });
        long v = a.Version;
        Tensor same = a.AddInPlace(b).MulInPlace(2.0);
        Assert.That(same, Is.SameAs(a));
        Assert.That(a.ToArray<float>(), Is.EqualTo(new float[] { 22, 44, 66 }));
        Assert.That(a.Version, Is.EqualTo(v + 2));
    }

    [Test]
    public void InPlaceOpsRefuseAResultTheTensorCannotHold()
    {
        using var i = Tensor.FromArray(new long[] { 1, 2 });
        var ex = Assert.Throws<DTypeException>(() => i.MulInPlace(0.5));
        Assert.That(ex!.Message, Does.Contain("float32").And.Contain("int64"));
        using var small = Tensor.Zeros(3);
        using var big = Tensor.Zeros(2, 3);
        Assert.Throws<ShapeMismatchException>(() => small.AddInPlace(big));
    }

    [Test]
    public void BoolTensorsRefuseArithmeticThatMakesNoSense()
    {
        using var b = Tensor.FromArray(new[] { true, false });
        var ex = Assert.Throws<DTypeException>(() => _ = b - b);
        Assert.That(ex!.Message, Does.Contain("sub").And.Contain("bool"));
        Assert.Throws<DTypeException>(() => b.Neg());
        using var sum = b + b;
        Assert.That(sum.ToArray<bool>(), Is.EqualTo(new[] { true, false }), "bool + bool is logical or, as in PyTorch");
    }

    [Test]
    public void HalfPrecisionComputesInFloatAndRoundsBack()
    {
        using var a = Tensor.FromArray(new float[] { 1, 2048 }).To(DType.Float16);
        using var r = a + 1.0;
        Assert.That(r.DType, Is.EqualTo(DType.Float16));
        Assert.That(r.ToArray<Half>(), Is.EqualTo(new[] { (Half)2, (Half)2048 }), "2049 is not a float16: it rounds to even");
    }

    [Test]
    public void ComparisonsGiveBoolTensors()
    {
        using var a = Tensor.FromArray(new[] { 1.0, 2.0, double.NaN });
        using var b = Tensor.FromArray(new[] { 2.0, 2.0, double.NaN });
        using (var r = a.Lt(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { true, false, false }));
        using (var r = a.Le(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { true, true, false }));
        using (var r = a.Eq(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { false, true, false }), "NaN equals nothing");
        using (var r = a.Ne(b)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { true, false, true }));
        using (var r = a.Gt(1.5)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { false, true, false }));
        using (var r = a.Ge(2)) Assert.That(r.ToArray<bool>(), Is.EqualTo(new[] { false, true, false }));
        using (var r = a.Lt(b)) Assert.That(r.DType, Is.EqualTo(DType.Bool));
    }

    [Test]
    public void IntegerOverflowWrapsAroundWithoutUndefinedBehaviour()
    {
        using var a = Tensor.FromArray(new[] { int.MaxValue, int.MinValue });
        using var r = a + 1;
        Assert.That(r.ToArray<int>(), Is.EqualTo(new[] { int.MinValue, int.MinValue + 1 }));
        using var n = a.Neg();
        Assert.That(n.ToArray<int>(), Is.EqualTo(new[] { -int.MaxValue, int.MinValue }));
    }
}
