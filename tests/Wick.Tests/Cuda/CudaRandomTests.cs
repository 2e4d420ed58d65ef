using System;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>The same Philox seed gives the same numbers on the GPU as on the CPU.</summary>
[Category("Cuda")]
public class CudaRandomTests
{
    [TestCaseSource(typeof(CudaTestSupport), nameof(FloatTypes))]
    public void Uniform_fills_are_bit_identical_to_the_cpu(DType dtype)
    {
        RequireCuda();
        using var gc = new Generator(1234);
        using var gg = new Generator(1234);
        using Tensor c = Tensor.Rand(new long[] { 1000, 3 }, dtype, null, gc);
        using Tensor g = Tensor.Rand(new long[] { 1000, 3 }, dtype, Gpu, gg);
        AssertMatchesCpu(g, c, $"uniform {dtype}", 0);
        Assert.That(gg.Offset, Is.EqualTo(gc.Offset), "both generators advanced by the same count");
    }

    [Test]
    public void Integer_and_bernoulli_fills_are_identical_to_the_cpu()
    {
        RequireCuda();
        using var gc = new Generator(99);
        using var gg = new Generator(99);
        using (Tensor c = Tensor.RandInt(-5, 1000, new long[] { 4097 }, DType.Int64, null, gc))
        using (Tensor g = Tensor.RandInt(-5, 1000, new long[] { 4097 }, DType.Int64, Gpu, gg))
            AssertMatchesCpu(g, c, "randint", 0);
        using (Tensor c = Tensor.Bernoulli(0.3, new long[] { 4097 }, DType.Float32, null, gc))
        using (Tensor g = Tensor.Bernoulli(0.3, new long[] { 4097 }, DType.Float32, Gpu, gg))
            AssertMatchesCpu(g, c, "bernoulli", 0);
    }

    [TestCaseSource(typeof(CudaTestSupport), nameof(FloatTypes))]
    public void Normal_fills_match_the_cpu_to_the_last_bits(DType dtype)
    {
        RequireCuda();
        using var gc = new Generator(7);
        using var gg = new Generator(7);
        using Tensor c = Tensor.RandN(new long[] { 5000 }, dtype, null, gc);
        using Tensor g = Tensor.RandN(new long[] { 5000 }, dtype, Gpu, gg);
        // The device's log and cos may differ from the host's in the last bit of a double.
        AssertMatchesCpu(g, c, $"normal {dtype}", dtype == DType.Float64 ? 1e-14 : 1e-7);
    }

    [Test]
    public void A_non_contiguous_fill_on_the_gpu_matches_the_cpu()
    {
        RequireCuda();
        using var gc = new Generator(5);
        using var gg = new Generator(5);
        using Tensor c = Tensor.Zeros(new long[] { 20, 30 }, DType.Float32);
        using Tensor g = Tensor.Zeros(new long[] { 20, 30 }, DType.Float32, Gpu);
        using (Tensor v = c.T) v.UniformInPlace(-2, 2, gc);
        using (Tensor v = g.T) v.UniformInPlace(-2, 2, gg);
        AssertMatchesCpu(g, c, "uniform into a transposed view", 0);
    }
}
