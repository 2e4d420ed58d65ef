using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Native;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>Every unary and binary op on CUDA against the CPU result, for every dtype the op accepts and for contiguous, transposed, sliced, broadcast, 0-d and empty inputs.</summary>
[Category("Cuda")]
public class CudaElementwiseTests
{
    private static readonly long[] Shape = { 37, 29 };  // not a multiple of any vector width

    private static readonly HashSet<wk_unary_op> Predicates = new()
    {
        wk_unary_op.WK_UNARY_ISNAN, wk_unary_op.WK_UNARY_ISINF, wk_unary_op.WK_UNARY_ISFINITE, wk_unary_op.WK_UNARY_LOGICAL_NOT,
    };

    private static readonly HashSet<wk_unary_op> SameType = new()
    {
        wk_unary_op.WK_UNARY_NEG, wk_unary_op.WK_UNARY_ABS, wk_unary_op.WK_UNARY_SIGN, wk_unary_op.WK_UNARY_SQUARE,
        wk_unary_op.WK_UNARY_RELU, wk_unary_op.WK_UNARY_FLOOR, wk_unary_op.WK_UNARY_CEIL, wk_unary_op.WK_UNARY_ROUND,
        wk_unary_op.WK_UNARY_TRUNC, wk_unary_op.WK_UNARY_CLAMP,
    };

    // Inputs inside each function's domain.
    private static (double Low, double High) Domain(wk_unary_op op) => op switch
    {
        wk_unary_op.WK_UNARY_LOG or wk_unary_op.WK_UNARY_LOG2 or wk_unary_op.WK_UNARY_LOG10 or wk_unary_op.WK_UNARY_SQRT
            or wk_unary_op.WK_UNARY_RSQRT or wk_unary_op.WK_UNARY_RECIPROCAL => (0.2, 5),
        wk_unary_op.WK_UNARY_LOG1P => (-0.9, 5),
        wk_unary_op.WK_UNARY_ASIN or wk_unary_op.WK_UNARY_ACOS => (-0.99, 0.99),
        wk_unary_op.WK_UNARY_TAN => (-1.4, 1.4),
        _ => (-3, 3),
    };

    private static (double P0, double P1) Params(wk_unary_op op) => op switch
    {
        wk_unary_op.WK_UNARY_CLAMP => (-1, 1.5),
        wk_unary_op.WK_UNARY_SOFTPLUS => (1, 20),
        wk_unary_op.WK_UNARY_ELU => (1, 0),
        wk_unary_op.WK_UNARY_LEAKY_RELU => (0.01, 0),
        _ => (0, 0),
    };

    public static IEnumerable<TestCaseData> UnaryCases()
    {
        for (int id = 0; id < (int)wk_unary_op.WK_UNARY_OP_COUNT; id++)
        {
            var op = (wk_unary_op)id;
            DType[] types = Predicates.Contains(op) ? AllTypes : SameType.Contains(op) ? NumericTypes : FloatTypes;
            foreach (DType dt in types) yield return new TestCaseData((int)op, dt).SetName($"Unary_{op}_{dt}_matches_cpu");
        }
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void Unary(int opId, DType dtype)
    {
        var op = (wk_unary_op)opId;
        RequireCuda();
        (double lo, double hi) = Domain(op);
        (double p0, double p1) = Params(op);
        using Tensor x = dtype == DType.Bool ? MakeBool(1) : Values(11 + (int)op, Shape, dtype, lo, hi);
        if (Predicates.Contains(op) && dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16)
        {
            using Tensor special = Tensor.FromArray(new double[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0 });
            using Tensor sp = special.To(dtype);
            using Tensor flat = x.Flatten();
            using Tensor head = flat.Slice(0, 0, 4);
            head.CopyFrom(sp);
        }
        using Tensor xg = x.To(Gpu);
        foreach ((string layout, Func<Tensor, Tensor> view) in Layouts())
        {
            using Tensor vc = view(x), vg = view(xg);
            using Tensor want = Kernels.Unary(vc, op, p0, p1);
            using Tensor got = Kernels.Unary(vg, op, p0, p1);
            AssertMatchesCpu(got, want, $"{op} {dtype} {layout}", UnaryTolerance(op, dtype));
        }
    }

    // The GPU's math library and the host's may differ by an ulp or two; in float32 that is ~1e-7.
    private static double? UnaryTolerance(wk_unary_op op, DType dtype) => dtype == DType.Float32 ? 1e-5 : null;

    [Test]
    public void Round_goes_to_even_on_cuda_as_on_cpu()
    {
        RequireCuda();
        using Tensor x = Tensor.FromArray(new float[] { 0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 3.5f });
        using Tensor xg = x.To(Gpu);
        using Tensor got = Kernels.Unary(xg, wk_unary_op.WK_UNARY_ROUND);
        Assert.That(AsDoubles(got), Is.EqualTo(new double[] { 0, 2, 2, -0.0, -2, 4 }));
    }

    public static IEnumerable<TestCaseData> BinaryCases()
    {
        for (int id = 0; id < (int)wk_binary_op.WK_BINARY_OP_COUNT; id++)
        {
            var op = (wk_binary_op)id;
            foreach (DType dt in BinaryTypes(op)) yield return new TestCaseData((int)op, dt).SetName($"Binary_{op}_{dt}_matches_cpu");
        }
    }

    private static IEnumerable<DType> BinaryTypes(wk_binary_op op) => op switch
    {
        wk_binary_op.WK_BINARY_SUB or wk_binary_op.WK_BINARY_FLOOR_DIV or wk_binary_op.WK_BINARY_REMAINDER or wk_binary_op.WK_BINARY_FMOD
            or wk_binary_op.WK_BINARY_POW => NumericTypes,
        wk_binary_op.WK_BINARY_DIV or wk_binary_op.WK_BINARY_ATAN2 => FloatTypes,
        wk_binary_op.WK_BINARY_BITWISE_AND or wk_binary_op.WK_BINARY_BITWISE_OR or wk_binary_op.WK_BINARY_BITWISE_XOR =>
            IntTypes.Append(DType.Bool),
        _ => AllTypes,
    };

    // Operands that keep every op defined and equal on both devices: no integer division by zero
    // (the GPU gives 0 where the CPU raises), no negative integer powers, positive float bases.
    private static (Tensor A, Tensor B) Operands(wk_binary_op op, DType dt, long[] shapeB, int seed)
    {
        if (dt == DType.Bool) return (MakeBool(seed, Shape), MakeBool(seed + 1, shapeB));
        bool isFloat = dt is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16;
        switch (op)
        {
            case wk_binary_op.WK_BINARY_POW:
                return isFloat ? (Values(seed, Shape, dt, 0.1, 3), Values(seed + 1, shapeB, dt, -2, 2))
                               : (Values(seed, Shape, dt, -3, 4), Values(seed + 1, shapeB, dt, 0, 4));
            case wk_binary_op.WK_BINARY_FLOOR_DIV or wk_binary_op.WK_BINARY_REMAINDER or wk_binary_op.WK_BINARY_FMOD
                or wk_binary_op.WK_BINARY_DIV:
                {
                    Tensor a = Values(seed, Shape, dt, dt == DType.UInt8 ? 0 : -20, 20);
                    using Tensor mag = Values(seed + 1, shapeB, dt, 1, 6);
                    using Tensor sign = Values(seed + 2, shapeB, dt, dt == DType.UInt8 ? 1 : -1, 1);
                    using Tensor sgn = Kernels.Unary(sign, wk_unary_op.WK_UNARY_SIGN);
                    using Tensor s1 = dt == DType.UInt8 ? Tensor.Ones(shapeB, dt) : sgn;
                    // sign of 0 is 0: map it to 1 so the divisor never is 0.
                    using Tensor zero = Kernels.BinaryScalar(s1, Interop.Scalars.Int(0), wk_binary_op.WK_BINARY_EQ);
                    using Tensor fix = zero.To(dt);
                    using Tensor s2 = s1 + fix;
                    return (a, mag * s2);
                }
            default:
                return (Values(seed, Shape, dt, dt == DType.UInt8 ? 0 : -5, 5), Values(seed + 1, shapeB, dt, dt == DType.UInt8 ? 0 : -5, 5));
        }
    }

    [TestCaseSource(nameof(BinaryCases))]
    public void Binary(int opId, DType dtype)
    {
        var op = (wk_binary_op)opId;
        RequireCuda();
        // Same shape, broadcast row, broadcast column, and a 0-d second operand.
        foreach (long[] shapeB in new[] { Shape, new long[] { 29 }, new long[] { 37, 1 }, Array.Empty<long>() })
        {
            (Tensor a, Tensor b) = Operands(op, dtype, shapeB, 5 + (int)op);
            using (a)
            using (b)
            using (Tensor ag = a.To(Gpu))
            using (Tensor bg = b.To(Gpu))
            {
                using Tensor want = Kernels.Binary(a, b, op);
                using Tensor got = Kernels.Binary(ag, bg, op);
                AssertMatchesCpu(got, want, $"{op} {dtype} with b of shape [{string.Join(",", shapeB)}]", BinaryTolerance(op, dtype));
                if (shapeB.Length == 2 && shapeB[1] == 29)
                {
                    using Tensor at = a.T, bt = b.T, agt = ag.T, bgt = bg.T;  // both transposed: strided kernel
                    using Tensor wantT = Kernels.Binary(at, bt, op);
                    using Tensor gotT = Kernels.Binary(agt, bgt, op);
                    AssertMatchesCpu(gotT, wantT, $"{op} {dtype} transposed", BinaryTolerance(op, dtype));
                }
            }
        }
    }

    private static double? BinaryTolerance(wk_binary_op op, DType dtype) =>
        dtype == DType.Float32 && op is wk_binary_op.WK_BINARY_POW or wk_binary_op.WK_BINARY_ATAN2 ? 1e-5 : null;

    public static IEnumerable<TestCaseData> BinaryScalarCases()
    {
        for (int id = 0; id < (int)wk_binary_op.WK_BINARY_OP_COUNT; id++)
        {
            var op = (wk_binary_op)id;
            foreach (DType dt in BinaryTypes(op)) yield return new TestCaseData((int)op, dt).SetName($"Binary_{op}_{dt}_with_a_scalar_matches_cpu");
        }
    }

    [TestCaseSource(nameof(BinaryScalarCases))]
    public void Binary_with_a_scalar(int opId, DType dtype)
    {
        var op = (wk_binary_op)opId;
        RequireCuda();
        (Tensor a, Tensor b) = Operands(op, dtype, Array.Empty<long>(), 3 + (int)op);
        using (a)
        using (b)
        using (Tensor ag = a.To(Gpu))
        {
            var scalar = dtype switch
            {
                DType.Bool => Interop.Scalars.Bool(b.Item<bool>()),
                DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16 => Interop.Scalars.Float(b.To(DType.Float64).Item<double>()),
                _ => Interop.Scalars.Int(b.To(DType.Int64).Item<long>()),
            };
            foreach (bool reverse in new[] { false, true })
            {
                if (reverse && op is wk_binary_op.WK_BINARY_FLOOR_DIV or wk_binary_op.WK_BINARY_REMAINDER or wk_binary_op.WK_BINARY_FMOD
                        or wk_binary_op.WK_BINARY_DIV or wk_binary_op.WK_BINARY_POW) continue;  // a as divisor/exponent could be 0/negative
                using Tensor want = Kernels.BinaryScalar(a, scalar, op, reverse);
                using Tensor got = Kernels.BinaryScalar(ag, scalar, op, reverse);
                AssertMatchesCpu(got, want, $"{op} {dtype} scalar reverse={reverse}", BinaryTolerance(op, dtype));
            }
        }
    }

    [Test]
    public void In_place_add_on_a_sliced_view_writes_only_the_view()
    {
        RequireCuda();
        using Tensor x = Values(1, new long[] { 8, 10 }, DType.Float32);
        using Tensor xg = x.To(Gpu);
        using (Tensor view = x.Slice(1, 1, 9, 2)) view.AddInPlace(1.0);
        using (Tensor viewg = xg.Slice(1, 1, 9, 2)) viewg.AddInPlace(1.0);
        AssertMatchesCpu(xg, x, "in-place add on a strided view");
    }

    [Test]
    public void Zero_dim_and_empty_tensors_work_on_cuda()
    {
        RequireCuda();
        using Tensor s = Tensor.Scalar(2.5).To(Gpu);
        using Tensor e = Kernels.Unary(s, wk_unary_op.WK_UNARY_EXP);
        Assert.That(e.Shape, Is.Empty);
        Assert.That(e.Item<float>(), Is.EqualTo(MathF.Exp(2.5f)).Within(1e-5));
        using Tensor empty = Tensor.Zeros(new long[] { 0, 3 }, DType.Float32, Gpu);
        using Tensor sum = empty + empty;
        Assert.That(sum.Shape, Is.EqualTo(new long[] { 0, 3 }));
        Assert.That(sum.Device, Is.EqualTo(Gpu));
    }

    [Test]
    public void Large_contiguous_add_uses_every_element()
    {
        RequireCuda();
        const long n = (1 << 20) + 3;  // many blocks and a ragged tail
        using Tensor a = Values(7, new[] { n }, DType.Float32);
        using Tensor b = Values(8, new[] { n }, DType.Float32);
        using Tensor ag = a.To(Gpu), bg = b.To(Gpu);
        using Tensor want = a + b;
        using Tensor got = ag + bg;
        AssertMatchesCpu(got, want, "add of 2^20 + 3 floats");
    }

    private static IEnumerable<(string, Func<Tensor, Tensor>)> Layouts()
    {
        yield return ("contiguous", t => t.Clone());
        yield return ("transposed", t => t.T);
        yield return ("sliced with step", t => t.Slice(1, 1, 28, 3));
        yield return ("0-d", t =>
        {
            using Tensor row = t.Select(0, 3);
            return row.Select(0, 5);
        });
    }

    private static Tensor MakeBool(int seed, long[]? shape = null)
    {
        using Tensor v = Values(seed, shape ?? Shape, DType.Float32, -1, 1);
        return Kernels.BinaryScalar(v, Interop.Scalars.Float(0), wk_binary_op.WK_BINARY_GT);
    }
}
