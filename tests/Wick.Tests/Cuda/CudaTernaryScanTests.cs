using System;
using System.Collections.Generic;
using System.Linq;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>
/// The last entries of the elementwise and reduce tables on CUDA against the CPU: ternary ops (where, lerp, addcmul,
/// addcdiv, clamp with tensor bounds) with broadcasting and transposed operands, max / min with indices along a
/// dimension (first extreme wins, NaN wins), and cumulative sums and products.
/// </summary>
[Category("Cuda")]
public class CudaTernaryScanTests
{
    private static void Same(string what, Func<Func<Tensor, Tensor>, Tensor> op, double? tolerance = null) =>
        AssertMatchesCpu(op(t => t.To(Gpu)), op(t => t), what, tolerance);

    public static IEnumerable<DType> Types() => new[] { DType.Float32, DType.Float64, DType.Float16, DType.Int64, DType.Int32 };

    [TestCaseSource(nameof(Types))]
    public void Ternary_ops_match_cpu_with_broadcasting_and_transposed_operands(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        bool floating = dtype is DType.Float32 or DType.Float64 or DType.Float16;
        Tensor a = Values(1, new long[] { 4, 5 }, dtype), b = Values(2, new long[] { 5 }, dtype), c = Values(3, new long[] { 5, 4 }, dtype, 1, 3);
        using Tensor v = Values(4, new long[] { 4, 1 }, DType.Float64, 0, 1);
        Tensor cond = v.Lt(0.5);
        Same($"Where {dtype}", on => Tensor.Where(on(cond), on(a), on(b)));
        Same($"Addcmul {dtype}", on => on(a).Addcmul(on(b), on(c).Transpose(0, 1), 2));
        Same($"Clamp {dtype} with tensor bounds", on => on(a).Clamp(on(b), on(c).Transpose(0, 1)));
        Same($"Clamp {dtype} with a lower bound only", on => on(a).Clamp(on(b), null));
        if (!floating) return;
        Same($"Addcdiv {dtype}", on => on(a).Addcdiv(on(b), on(c).Transpose(0, 1), 0.5));
        Same($"Lerp {dtype} with a scalar weight", on => on(a).Lerp(on(b), 0.75));
        Tensor w = Values(5, new long[] { 4, 5 }, dtype, 0, 1);
        Same($"Lerp {dtype} with a tensor weight", on => on(a).Lerp(on(b), on(w)));
    }

    [TestCaseSource(nameof(Types))]
    public void Max_and_min_with_indices_match_cpu_along_every_dimension(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        // Integer-valued entries in a small range: ties, where the first index must win.
        Tensor x = Values(6, new long[] { 3, 4, 5 }, dtype, -3, 3).Round();
        foreach (int dim in new[] { 0, 1, 2 })
        {
            foreach (bool max in new[] { true, false })
            {
                string what = $"{(max ? "Max" : "Min")} {dtype} dim {dim}";
                ValuesIndices want = max ? x.Max(dim) : x.Min(dim);
                using Tensor xg = x.To(Gpu);
                ValuesIndices got = max ? xg.Max(dim) : xg.Min(dim);
                AssertMatchesCpu(got.Values, want.Values, what + " values");
                AssertMatchesCpu(got.Indices, want.Indices, what + " indices");
                ValuesIndices gotT = max ? xg.Transpose(0, 2).Max(dim, keepDim: true) : xg.Transpose(0, 2).Min(dim, keepDim: true);
                ValuesIndices wantT = max ? x.Transpose(0, 2).Max(dim, keepDim: true) : x.Transpose(0, 2).Min(dim, keepDim: true);
                AssertMatchesCpu(gotT.Indices, wantT.Indices, what + " of a transposed input, keepdim, indices");
            }
        }
    }

    [Test]
    public void Max_with_indices_returns_the_first_nan()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Tensor.FromArray(new[] { 1f, float.NaN, 5f, float.NaN, 2f, 3f }).Reshape(2, 3);
        var (values, indices) = x.To(Gpu).Max(1);
        var (wantValues, wantIndices) = x.Max(1);
        AssertMatchesCpu(values, wantValues, "max values with NaN");
        AssertMatchesCpu(indices, wantIndices, "max indices with NaN");
    }

    [TestCaseSource(nameof(Types))]
    public void Cumsum_and_cumprod_match_cpu_along_every_dimension(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Values(7, new long[] { 3, 4, 5 }, dtype, -1.5, 1.5);
        foreach (int dim in new[] { 0, 1, 2 })
        {
            Same($"CumSum {dtype} dim {dim}", on => on(x).CumSum(dim), dtype == DType.Float16 ? 4e-3 : null);
            Same($"CumProd {dtype} dim {dim}", on => on(x).CumProd(dim), dtype == DType.Float16 ? 4e-3 : null);
            Same($"CumSum {dtype} dim {dim} of a transposed input", on => on(x).Transpose(0, 2).CumSum(dim), dtype == DType.Float16 ? 4e-3 : null);
        }
    }
}
