using System;
using System.Linq;

namespace Wick.Tests;

/// <summary>where, lerp, addcmul, addcdiv and clamp with tensor bounds against float64 references.</summary>
[TestFixtureSource(typeof(KernelFixture), nameof(KernelFixture.Paths))]
public class TernaryTests : KernelFixture
{
    public TernaryTests(CpuIsa isa, int threads) : base(isa, threads) { }

    private static (Tensor B, Tensor C, double[] Bv, double[] Cv) Partners(Tensor like, DType dtype, double lo, double hi)
    {
        int n = (int)like.NumberOfElements;
        Tensor b = Inputs.Make(dtype, like.Shape, Inputs.Values(11, n, lo, hi, dtype));
        Tensor c = Inputs.Make(dtype, like.Shape, Inputs.Values(12, n, lo, hi, dtype));
        return (b, c, Ulps.Values(b), Ulps.Values(c));
    }

    [Test]
    public void WhereSelectsElementwiseInEveryLayout()
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64, DType.Int64, DType.UInt8, DType.Bool })
        {
            foreach (Inputs.Case c in Inputs.Layouts(DType.Bool, 0, 1))
            {
                using (c)
                {
                    double[] cond = Ulps.Values(c.Tensor);
                    var (b, d, bv, dv) = Partners(c.Tensor, dtype, 0, 100);
                    using (b)
                    using (d)
                    using (Tensor r = Tensor.Where(c.Tensor, b, d))
                    {
                        Assert.That(r.DType, Is.EqualTo(dtype));
                        Ulps.AssertEqual(r, cond.Select((k, i) => k != 0 ? bv[i] : dv[i]).ToArray(), $"where {dtype} {c.Name}");
                    }
                }
            }
        }
    }

    [Test]
    public void WhereBroadcastsAndTakesScalarsWithoutWideningTheTensor()
    {
        using Tensor cond = Tensor.FromArray(new[] { true, false, true });
        using Tensor x = Tensor.FromArray(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        using (Tensor r = Tensor.Where(cond, x, -1.5))
        {
            Assert.That(r.DType, Is.EqualTo(DType.Float32));
            Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { 1f, -1.5f, 3f, 4f, -1.5f, 6f }));
        }
        using Tensor ints = Tensor.FromArray(new long[] { 1, 2, 3 });
        using (Tensor r = Tensor.Where(cond, ints, 2.5)) Assert.That(r.DType, Is.EqualTo(DType.Float32), "a fractional scalar makes integers float32");
        using (Tensor r = Tensor.Where(cond, ints, 7)) Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, 7, 3 }));
        using (Tensor r = ints.Where(cond, ints.Neg())) Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 1, -2, 3 }));
        using Tensor x64 = x.To(DType.Float64);
        using (Tensor r = Tensor.Where(cond, x, x64)) Assert.That(r.DType, Is.EqualTo(DType.Float64), "tensor branches promote together");
    }

    [Test]
    public void LerpAddcmulAddcdivMatchTheReference()
    {
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
        {
            foreach (Inputs.Case c in Inputs.Layouts(dtype, -10, 10))
            {
                using (c)
                {
                    double[] a = Ulps.Values(c.Tensor);
                    var (b, w, bv, wv) = Partners(c.Tensor, dtype, 0.5, 2);
                    using (b)
                    using (w)
                    {
                        double tol = dtype == DType.Float32 ? 2 : 2;
                        double Lerp(double s, double e, double t) => Math.Abs(t) < 0.5 ? s + t * (e - s) : e - (e - s) * (1 - t);
                        using (Tensor r = c.Tensor.Lerp(b, 0.3)) Ulps.AssertClose(r, a.Select((v, i) => Lerp(v, bv[i], 0.3)).ToArray(), tol, $"lerp scalar {c.Name}", 1e-6);
                        using (Tensor r = c.Tensor.Lerp(b, w)) Ulps.AssertClose(r, a.Select((v, i) => Lerp(v, bv[i], wv[i])).ToArray(), tol, $"lerp tensor {c.Name}", 1e-5);
                        using (Tensor r = c.Tensor.Addcmul(b, w, 0.5)) Ulps.AssertClose(r, a.Select((v, i) => v + 0.5 * bv[i] * wv[i]).ToArray(), tol, $"addcmul {c.Name}", 1e-5);
                        using (Tensor r = c.Tensor.Addcdiv(b, w, -2)) Ulps.AssertClose(r, a.Select((v, i) => v - 2 * bv[i] / wv[i]).ToArray(), tol, $"addcdiv {c.Name}", 1e-5);
                    }
                }
            }
        }
    }

    [Test]
    public void LerpEndsAreExact()
    {
        using Tensor s = Tensor.FromArray(new[] { 1f, -3.3f, 1e30f });
        using Tensor e = Tensor.FromArray(new[] { 7.1f, 2f, -1e30f });
        using (Tensor r = s.Lerp(e, 0.0)) Assert.That(r.ToArray<float>(), Is.EqualTo(s.ToArray<float>()));
        using (Tensor r = s.Lerp(e, 1.0)) Assert.That(r.ToArray<float>(), Is.EqualTo(e.ToArray<float>()));
    }

    [Test]
    public void AddcmulOnIntegersAndInPlaceUpdates()
    {
        using Tensor a = Tensor.FromArray(new long[] { 1, 2 });
        using Tensor b = Tensor.FromArray(new long[] { 2, 3 });
        using (Tensor r = a.Addcmul(b, b, 2)) Assert.That(r.ToArray<long>(), Is.EqualTo(new long[] { 9, 20 }));
        Assert.That(Assert.Throws<DTypeException>(() => a.Addcmul(b, b, 0.5))!.Message, Does.Contain("addcmul").And.Contain("whole number"));
        Assert.That(Assert.Throws<DTypeException>(() => a.Addcdiv(b, b))!.Message, Does.Contain("addcdiv").And.Contain("integer division"));
        Assert.That(Assert.Throws<DTypeException>(() => a.Lerp(b, 0.5))!.Message, Does.Contain("lerp").And.Contain("floating"));

        using Tensor p = Tensor.FromArray(new[] { 1f, 2f });
        using Tensor g = Tensor.FromArray(new[] { 0.5f, 4f });
        Assert.That(p.AddcmulInPlace(g, g, -1), Is.SameAs(p));
        Assert.That(p.ToArray<float>(), Is.EqualTo(new[] { 0.75f, -14f }));
        p.AddcdivInPlace(g, g, 2);
        Assert.That(p.ToArray<float>(), Is.EqualTo(new[] { 2.75f, -12f }));
        p.LerpInPlace(g, 0.5);
        Assert.That(p.ToArray<float>(), Is.EqualTo(new[] { 1.625f, -4f }));
    }

    [Test]
    public void ClampWithTensorBoundsPropagatesNaNAndAcceptsOneBound()
    {
        using Tensor x = Tensor.FromArray(new[] { -5f, 0f, 5f, float.NaN, 1f });
        using Tensor lo = Tensor.FromArray(new[] { -1f, 1f, -1f, 0f, float.NaN });
        using Tensor hi = Tensor.FromArray(new[] { 2f });
        using (Tensor r = x.Clamp(lo, hi)) Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { -1f, 1f, 2f, float.NaN, float.NaN }));
        using (Tensor r = x.Clamp(null, hi)) Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { -5f, 0f, 2f, float.NaN, 1f }));
        using (Tensor r = x.Clamp(lo, null)) Assert.That(r.ToArray<float>(), Is.EqualTo(new[] { -1f, 1f, 5f, float.NaN, float.NaN }));
        Assert.Throws<ArgumentException>(() => x.Clamp((Tensor?)null, null));
        foreach (Inputs.Case c in Inputs.Layouts(DType.Int32, -100, 100))
        {
            using (c)
            {
                double[] v = Ulps.Values(c.Tensor);
                var (b, d, bv, dv) = Partners(c.Tensor, DType.Int32, -50, 50);
                using (b)
                using (d)
                using (Tensor r = c.Tensor.Clamp(b, d))
                    Ulps.AssertEqual(r, v.Select((t, i) => Math.Min(Math.Max(t, bv[i]), dv[i])).ToArray(), $"clamp int {c.Name}");
            }
        }
    }

    [Test]
    public void WhereRefusesANonBoolConditionAndMismatchedShapes()
    {
        using Tensor x = Tensor.Zeros(3);
        Assert.That(Assert.Throws<DTypeException>(() => Tensor.Where(x, x, x))!.Message, Does.Contain("where").And.Contain("bool"));
        using Tensor cond = Tensor.FromArray(new[] { true, false });
        Assert.That(Assert.Throws<ShapeMismatchException>(() => Tensor.Where(cond, x, x))!.Message, Does.Contain("where").And.Contain("[2]").And.Contain("[3]"));
    }
}
