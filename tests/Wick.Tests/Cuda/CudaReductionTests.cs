using System;
using System.Collections.Generic;
using Wick.Native;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>Every reduction on CUDA against the CPU result: all dims, one dim, several dims, inner and outer layouts, lanes long enough to be split across blocks, and non-contiguous inputs.</summary>
[Category("Cuda")]
public class CudaReductionTests
{
    private static readonly wk_reduce_op[] FloatOnly =
    {
        wk_reduce_op.WK_REDUCE_MEAN, wk_reduce_op.WK_REDUCE_VAR, wk_reduce_op.WK_REDUCE_STD, wk_reduce_op.WK_REDUCE_NORM,
        wk_reduce_op.WK_REDUCE_LOGSUMEXP,
    };

    public static IEnumerable<TestCaseData> Cases()
    {
        for (int id = 0; id < (int)wk_reduce_op.WK_REDUCE_OP_COUNT; id++)
        {
            var op = (wk_reduce_op)id;
            DType[] types = Array.IndexOf(FloatOnly, op) >= 0 ? FloatTypes : AllTypes;
            foreach (DType dt in types) yield return new TestCaseData((int)op, dt).SetName($"Reduce_{op}_{dt}_matches_cpu");
        }
    }

    private static bool IsArg(wk_reduce_op op) => op is wk_reduce_op.WK_REDUCE_ARGMAX or wk_reduce_op.WK_REDUCE_ARGMIN;

    private static double Param(wk_reduce_op op) => op switch
    {
        wk_reduce_op.WK_REDUCE_VAR or wk_reduce_op.WK_REDUCE_STD => 1,  // correction
        wk_reduce_op.WK_REDUCE_NORM => 2,
        _ => 0,
    };

    [TestCaseSource(nameof(Cases))]
    public void Reduce(int opId, DType dtype)
    {
        var op = (wk_reduce_op)opId;
        RequireCuda();
        using Tensor x = Input(op, dtype, new long[] { 6, 33, 65 }, 3);
        using Tensor xg = x.To(Gpu);
        int[][] dimSets = IsArg(op)
            ? new[] { Array.Empty<int>(), new[] { 0 }, new[] { 1 }, new[] { 2 } }
            : new[] { Array.Empty<int>(), new[] { 0 }, new[] { 1 }, new[] { -1 }, new[] { 0, 2 }, new[] { 1, 2 } };
        foreach (int[] dims in dimSets)
        {
            foreach (bool keepDim in new[] { false, true })
            {
                using Tensor want = Kernels.Reduce(x, op, dims, keepDim, Param(op));
                using Tensor got = Kernels.Reduce(xg, op, dims, keepDim, Param(op));
                AssertMatchesCpu(got, want, $"{op} {dtype} dims [{string.Join(",", dims)}] keepDim={keepDim}", Tolerance(op, dtype));
            }
        }
        using Tensor xt = x.Transpose(0, 2), xgt = xg.Transpose(0, 2);
        using Tensor wantT = Kernels.Reduce(xt, op, new[] { 1 }, false, Param(op));
        using Tensor gotT = Kernels.Reduce(xgt, op, new[] { 1 }, false, Param(op));
        AssertMatchesCpu(gotT, wantT, $"{op} {dtype} over dim 1 of a transposed input", Tolerance(op, dtype));
    }

    // Lanes long enough that the GPU splits them across blocks and combines partial results.
    [TestCaseSource(nameof(Cases))]
    public void Reduce_long_lanes(int opId, DType dtype)
    {
        var op = (wk_reduce_op)opId;
        RequireCuda();
        using Tensor x = Input(op, dtype, new long[] { 3, 70001 }, 4);
        using Tensor xg = x.To(Gpu);
        foreach (int[] dims in new[] { Array.Empty<int>(), new[] { 1 } })
        {
            using Tensor want = Kernels.Reduce(x, op, dims, false, Param(op));
            using Tensor got = Kernels.Reduce(xg, op, dims, false, Param(op));
            AssertMatchesCpu(got, want, $"{op} {dtype} inner lane of 70001, dims [{string.Join(",", dims)}]", Tolerance(op, dtype));
        }
        using Tensor xt = x.T.Contiguous();  // (70001, 3): reduce dim 0, the outer layout
        using Tensor xgt = xt.To(Gpu);
        using Tensor want0 = Kernels.Reduce(xt, op, new[] { 0 }, false, Param(op));
        using Tensor got0 = Kernels.Reduce(xgt, op, new[] { 0 }, false, Param(op));
        AssertMatchesCpu(got0, want0, $"{op} {dtype} outer lane of 70001", Tolerance(op, dtype));
    }

    [Test]
    public void Norm_with_p_one_infinity_and_three_matches_cpu()
    {
        RequireCuda();
        using Tensor x = Values(9, new long[] { 17, 40 }, DType.Float32);
        using Tensor xg = x.To(Gpu);
        foreach (double p in new[] { 1.0, double.PositiveInfinity, 3.0 })
        {
            using Tensor want = Kernels.Reduce(x, wk_reduce_op.WK_REDUCE_NORM, new[] { 1 }, false, p);
            using Tensor got = Kernels.Reduce(xg, wk_reduce_op.WK_REDUCE_NORM, new[] { 1 }, false, p);
            AssertMatchesCpu(got, want, $"norm p={p}", 1e-5);
        }
    }

    [Test]
    public void Argmax_takes_the_first_maximum_and_nan_wins()
    {
        RequireCuda();
        using Tensor x = Tensor.FromArray(new float[,] { { 1, 5, 5, 2 }, { 3, float.NaN, 7, float.NaN } });
        using Tensor xg = x.To(Gpu);
        using Tensor got = Kernels.Reduce(xg, wk_reduce_op.WK_REDUCE_ARGMAX, new[] { 1 }, false);
        Assert.That(got.Cpu().ToArray<long>(), Is.EqualTo(new long[] { 1, 1 }));
    }

    [Test]
    public void Empty_reductions_give_the_identity_on_cuda_as_on_cpu()
    {
        RequireCuda();
        using Tensor x = Tensor.Zeros(new long[] { 4, 0 }, DType.Float32);
        using Tensor xg = x.To(Gpu);
        foreach (wk_reduce_op op in new[] { wk_reduce_op.WK_REDUCE_SUM, wk_reduce_op.WK_REDUCE_PROD, wk_reduce_op.WK_REDUCE_MEAN,
                                             wk_reduce_op.WK_REDUCE_ALL, wk_reduce_op.WK_REDUCE_ANY, wk_reduce_op.WK_REDUCE_LOGSUMEXP })
        {
            using Tensor want = Kernels.Reduce(x, op, new[] { 1 }, false);
            using Tensor got = Kernels.Reduce(xg, op, new[] { 1 }, false);
            AssertMatchesCpu(got, want, $"{op} over an empty dimension");
        }
    }

    private static Tensor Input(wk_reduce_op op, DType dtype, long[] shape, int seed)
    {
        if (dtype == DType.Bool)
        {
            // Mostly true, so that all() is not trivially false.
            using Tensor v = Values(seed, shape, DType.Float32, -0.05, 1);
            return Kernels.BinaryScalar(v, Interop.Scalars.Float(0), wk_binary_op.WK_BINARY_GT);
        }
        if (op == wk_reduce_op.WK_REDUCE_PROD)  // values near 1 keep products finite
            return Values(seed, shape, dtype, dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16 ? 0.999 : 1,
                          dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16 ? 1.001 : 2);
        bool isFloat = dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16;
        if (isFloat && op is wk_reduce_op.WK_REDUCE_SUM or wk_reduce_op.WK_REDUCE_MEAN)
        {
            // Positive values: the GPU sums in float32 in another order than the CPU's float64, and
            // cancellation would turn that into large relative errors. float16 sums must stay finite.
            return dtype == DType.Float16 ? Values(seed, shape, dtype, 0.01, 1) : Values(seed, shape, dtype, 0.5, 50);
        }
        if (op is wk_reduce_op.WK_REDUCE_ALL or wk_reduce_op.WK_REDUCE_ANY)
            return Values(seed, shape, dtype, dtype == DType.UInt8 ? 0 : -0.02, 50);
        return Values(seed, shape, dtype, dtype == DType.UInt8 ? 0 : -50, 50);
    }

    // Sums of thousands of values accumulate rounding in a different order than the CPU.
    private static double? Tolerance(wk_reduce_op op, DType dtype) => dtype switch
    {
        DType.Float32 => 1e-5,
        DType.Float64 => 1e-11,
        _ => null,
    };
}
