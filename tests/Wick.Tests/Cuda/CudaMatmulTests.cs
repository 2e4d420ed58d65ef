using System;
using System.Collections.Generic;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>Matrix products through cuBLAS against the CPU: every float dtype, transposed operands, broadcast batches, vectors, TF32, addmm's alpha and beta.</summary>
[Category("Cuda")]
public class CudaMatmulTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (DType dt in FloatTypes) yield return new TestCaseData(dt).SetName($"MatMul_{dt}_matches_cpu");
    }

    [TestCaseSource(nameof(Cases))]
    public void MatMul(DType dtype)
    {
        RequireCuda();
        // (a shape, b shape, transpose a, transpose b)
        var shapes = new (long[] A, long[] B, bool TA, bool TB)[]
        {
            (new long[] { 33, 47 }, new long[] { 47, 21 }, false, false),
            (new long[] { 47, 33 }, new long[] { 47, 21 }, true, false),   // a column-major
            (new long[] { 33, 47 }, new long[] { 21, 47 }, false, true),   // b column-major
            (new long[] { 5, 33, 47 }, new long[] { 47, 21 }, false, false),  // batch broadcast of b
            (new long[] { 2, 1, 9, 8 }, new long[] { 3, 8, 4 }, false, false),  // broadcast batch dims
            (new long[] { 47 }, new long[] { 47, 21 }, false, false),      // vector @ matrix
            (new long[] { 33, 47 }, new long[] { 47 }, false, false),      // matrix @ vector
            (new long[] { 47 }, new long[] { 47 }, false, false),          // dot
            (new long[] { 4, 0 }, new long[] { 0, 3 }, false, false),      // empty inner dimension: zeros
        };
        int seed = 1;
        foreach ((long[] sa, long[] sb, bool ta, bool tb) in shapes)
        {
            using Tensor a0 = Values(seed++, sa, dtype, -1, 1), b0 = Values(seed++, sb, dtype, -1, 1);
            using Tensor a = ta ? a0.T : a0.Clone(), b = tb ? b0.T : b0.Clone();
            using Tensor ag0 = a0.To(Gpu), bg0 = b0.To(Gpu);
            using Tensor ag = ta ? ag0.T : ag0.Clone(), bg = tb ? bg0.T : bg0.Clone();
            using Tensor want = a.MatMul(b);
            using Tensor got = ag.MatMul(bg);
            AssertMatchesCpu(got, want, $"matmul {dtype} {Describe(a)} @ {Describe(b)}", dtype == DType.Float32 ? 1e-5 : null);
        }
    }

    [Test]
    public void Float32_with_tf32_allowed_stays_within_tf32_precision()
    {
        RequireCuda();
        bool before = Wick.Cuda.AllowTF32;
        try
        {
            Wick.Cuda.AllowTF32 = true;
            Assert.That(Wick.Cuda.AllowTF32, Is.True);
            using Tensor a = Values(3, new long[] { 64, 96 }, DType.Float32, -1, 1), b = Values(4, new long[] { 96, 80 }, DType.Float32, -1, 1);
            using Tensor ag = a.To(Gpu), bg = b.To(Gpu);
            using Tensor want = a.MatMul(b);
            using Tensor got = ag.MatMul(bg);
            // TF32 keeps 10 mantissa bits of each operand: about 3e-4 normalised error.
            AssertMatchesCpu(got, want, "matmul float32 with TF32", 2e-3);
        }
        finally
        {
            Wick.Cuda.AllowTF32 = before;
        }
    }

    [Test]
    public void Tf32_convolutions_are_on_by_default_switch_apart_from_products_and_stay_within_tf32_precision()
    {
        RequireCuda();
        Assert.That(CudaTf32Setup.DefaultConvolutionTF32, Is.True, "default, as torch.backends.cudnn.allow_tf32");
        bool products = Wick.Cuda.AllowTF32, convolutions = Wick.Cuda.AllowTF32Convolution;
        try
        {
            Wick.Cuda.AllowTF32 = false;
            Wick.Cuda.AllowTF32Convolution = true;
            Assert.That((Wick.Cuda.AllowTF32, Wick.Cuda.AllowTF32Convolution), Is.EqualTo((false, true)), "two separate switches");
            // 8 input channels x 3x3 taps: the convolution runs as matrix products (the path TF32 applies to).
            using Tensor x = Values(5, new long[] { 2, 8, 10, 10 }, DType.Float32, -1, 1), w = Values(6, new long[] { 6, 8, 3, 3 }, DType.Float32, -1, 1);
            using Tensor xg = x.To(Gpu), wg = w.To(Gpu);
            using Tensor want = Functional.Conv2d(x, w, padding: 1);
            using Tensor got = Functional.Conv2d(xg, wg, padding: 1);
            AssertMatchesCpu(got, want, "conv2d float32 with TF32", 2e-3);
        }
        finally
        {
            Wick.Cuda.AllowTF32 = products;
            Wick.Cuda.AllowTF32Convolution = convolutions;
        }
    }

    [Test]
    public void AddMM_in_place_reads_the_input_before_the_product_overwrites_it()
    {
        RequireCuda();
        using Tensor y = Values(5, new long[] { 6, 5 }, DType.Float64, -1, 1);
        using Tensor m1 = Values(6, new long[] { 6, 7 }, DType.Float64, -1, 1), m2 = Values(7, new long[] { 7, 5 }, DType.Float64, -1, 1);
        using Tensor yg = y.To(Gpu), m1g = m1.To(Gpu), m2g = m2.To(Gpu);
        y.AddMMInPlace(m1, m2, 2.0, -1.0);
        yg.AddMMInPlace(m1g, m2g, 2.0, -1.0);
        AssertMatchesCpu(yg, y, "addmm_ 2·y − m1·m2", null);
    }

    [Test]
    public void Integer_matmul_on_cuda_says_to_convert()
    {
        RequireCuda();
        using Tensor a = Tensor.Ones(new long[] { 2, 2 }, DType.Int64, Gpu);
        var e = Assert.Throws<DTypeException>(() => a.MatMul(a).Dispose());
        Assert.That(e!.Message, Does.Contain("int64").And.Contain("Float32"));
    }

    [TestCaseSource(nameof(Cases))]
    public void AddMM_with_alpha_and_beta_matches_cpu_in_place_and_into_a_transposed_self(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor m1 = Values(10, new long[] { 6, 5 }, dtype, -1, 1), m2 = Values(11, new long[] { 5, 7 }, dtype, -1, 1);
        Tensor self = Values(12, new long[] { 6, 7 }, dtype, -1, 1), bias = Values(13, new long[] { 7 }, dtype, -1, 1);
        double? tol = dtype == DType.Float32 ? 1e-5 : null;
        AssertMatchesCpu(self.To(Gpu).AddMM(m1.To(Gpu), m2.To(Gpu), 0.5, -2), self.AddMM(m1, m2, 0.5, -2), $"addmm {dtype}", tol);
        AssertMatchesCpu(bias.To(Gpu).AddMM(m1.To(Gpu), m2.To(Gpu)), bias.AddMM(m1, m2), $"addmm {dtype} with a broadcast bias", tol);
        // self (7, 6) transposed: the product's output is not contiguous.
        Tensor selfT = Values(14, new long[] { 7, 6 }, dtype, -1, 1);
        Tensor gpuT = selfT.To(Gpu);
        gpuT.T.AddMMInPlace(m1.To(Gpu), m2.To(Gpu), 2, 1);
        selfT.T.AddMMInPlace(m1, m2, 2, 1);
        AssertMatchesCpu(gpuT, selfT, $"addmm_ {dtype} into a transposed self", tol);
        Tensor empty1 = Values(15, new long[] { 6, 0 }, dtype), empty2 = Values(16, new long[] { 0, 7 }, dtype);
        AssertMatchesCpu(self.To(Gpu).AddMM(empty1.To(Gpu), empty2.To(Gpu), 3), self.AddMM(empty1, empty2, 3), $"addmm {dtype} with an empty inner dimension", tol);
    }

    private static string Describe(Tensor t) => "[" + string.Join(",", t.Shape) + (t.IsContiguous ? "]" : "]ᵀ");
}
