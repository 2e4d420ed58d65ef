using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Native;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>Transfers, dtype conversions, strided and broadcast copies, fills and factories on CUDA against the CPU.</summary>
[Category("Cuda")]
public class CudaCopyTests
{
    public static IEnumerable<TestCaseData> Pairs() =>
        from s in AllTypes from d in AllTypes select new TestCaseData(s, d).SetName($"Convert_{s}_to_{d}_matches_cpu");

    [TestCaseSource(nameof(Pairs))]
    public void Convert(DType source, DType target)
    {
        RequireCuda();
        using Tensor x = Special(source);
        using Tensor xg = x.To(Gpu);
        using Tensor want = x.To(target);
        using Tensor got = xg.To(target);
        AssertMatchesCpu(got, want, $"{source} -> {target}", 0);
        using Tensor xt = x.T, xgt = xg.T;  // strided source
        using Tensor wantT = xt.To(target);
        using Tensor gotT = xgt.To(target);
        AssertMatchesCpu(gotT, wantT, $"{source} -> {target} transposed", 0);
    }

    [TestCaseSource(typeof(CudaTestSupport), nameof(AllTypes))]
    public void Round_trip_to_the_gpu_and_back_keeps_every_bit(DType dtype)
    {
        RequireCuda();
        using Tensor x = Special(dtype);
        using Tensor g = x.To(Gpu);
        using Tensor back = g.Cpu();
        Assert.That(back.Device, Is.EqualTo(Device.Cpu));
        using Tensor eq = Kernels.Binary(back, x, wk_binary_op.WK_BINARY_EQ);
        using Tensor nan = Kernels.Unary(x, wk_unary_op.WK_UNARY_ISNAN);
        using Tensor ok = Kernels.Binary(eq, nan, wk_binary_op.WK_BINARY_LOGICAL_OR);
        Assert.That(ok.ToArray<bool>().All(b => b), Is.True);
    }

    [Test]
    public void Strided_and_broadcast_copies_into_views_match_cpu()
    {
        RequireCuda();
        using Tensor dst = Tensor.Zeros(new long[] { 9, 12 }, DType.Float32);
        using Tensor dstg = dst.To(Gpu);
        using Tensor row = Values(2, new long[] { 6 }, DType.Float64);
        using Tensor rowg = row.To(Gpu);
        using (Tensor v = dst.Slice(1, 0, 12, 2)) v.CopyFrom(row);     // broadcast over rows, converted
        using (Tensor v = dstg.Slice(1, 0, 12, 2)) v.CopyFrom(rowg);
        using (Tensor v = dst.Slice(0, 1, 9, 3)) v.Fill(-2.5);
        using (Tensor v = dstg.Slice(0, 1, 9, 3)) v.Fill(-2.5);
        AssertMatchesCpu(dstg, dst, "copy and fill into strided views", 0);
    }

    [Test]
    public void Overlapping_copy_within_one_tensor_reads_the_old_values()
    {
        RequireCuda();
        using Tensor x = Tensor.Arange(0, 20, 1, DType.Float32);
        using Tensor xg = x.To(Gpu);
        foreach (Tensor t in new[] { x, xg })
        {
            using Tensor dst = t.Slice(0, 1, 20);
            using Tensor src = t.Slice(0, 0, 19);
            dst.CopyFrom(src);
        }
        AssertMatchesCpu(xg, x, "x[1:] = x[:-1]", 0);
        Assert.That(AsDoubles(xg).Take(4), Is.EqualTo(new double[] { 0, 0, 1, 2 }));
    }

    [TestCaseSource(typeof(CudaTestSupport), nameof(AllTypes))]
    public void Factories_on_cuda_match_cpu(DType dtype)
    {
        RequireCuda();
        var shape = new long[] { 5, 7 };
        double value = dtype == DType.Bool ? 1 : dtype == DType.UInt8 ? 200 : -3;
        using (Tensor want = Tensor.Full(shape, value, dtype))
        using (Tensor got = Tensor.Full(shape, value, dtype, Gpu))
            AssertMatchesCpu(got, want, $"Full {dtype}", 0);
        if (dtype == DType.Bool) return;
        using (Tensor want = Tensor.Arange(-3, 40, 3, dtype))
        using (Tensor got = Tensor.Arange(-3, 40, 3, dtype, Gpu))
            AssertMatchesCpu(got, want, $"Arange {dtype}", 0);
        using (Tensor want = Tensor.Eye(4, 6, dtype))
        using (Tensor got = Tensor.Eye(4, 6, dtype, Gpu))
            AssertMatchesCpu(got, want, $"Eye {dtype}", 0);
        using (Tensor want = Tensor.Linspace(-1, 2, 11, dtype))
        using (Tensor got = Tensor.Linspace(-1, 2, 11, dtype, Gpu))
            AssertMatchesCpu(got, want, $"Linspace {dtype}", 0);
    }

    [Test]
    public void Fill_with_a_repeated_byte_and_with_a_pattern_both_write_every_element()
    {
        RequireCuda();
        using Tensor a = Tensor.Full(new long[] { 1001 }, 0, DType.Float32, Gpu);   // memset path
        using Tensor b = Tensor.Full(new long[] { 1001 }, 1.25, DType.Float32, Gpu);  // kernel path
        Assert.That(AsDoubles(a).All(v => v == 0), Is.True);
        Assert.That(AsDoubles(b).All(v => v == 1.25), Is.True);
    }

    // Values that exercise conversions: fractions, negatives, out-of-range for narrow types, NaN and
    // infinities for floats, shaped (7, 5) so the transpose is strided.
    private static Tensor Special(DType dtype)
    {
        var data = new double[35];
        var random = new Random(17);
        for (int i = 0; i < data.Length; i++) data[i] = (random.NextDouble() - 0.5) * 600;
        bool isFloat = dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16;
        if (isFloat)
        {
            data[0] = double.NaN;
            data[1] = double.PositiveInfinity;
            data[2] = double.NegativeInfinity;
            data[3] = -0.0;
            data[4] = 1e6;
            data[5] = 70000;  // past float16's range
        }
        else
        {
            for (int i = 0; i < data.Length; i++) data[i] = Math.Round(data[i]);
        }
        using Tensor d = Tensor.FromArray(data, 7, 5);
        if (isFloat || dtype == DType.Bool || dtype == DType.Int64 || dtype == DType.Int32 || dtype == DType.Int16) return d.To(dtype);
        using Tensor wrapped = d.To(DType.Int64);  // narrow integers: keep the values in range
        using Tensor m = Kernels.BinaryScalar(wrapped, Interop.Scalars.Int(dtype == DType.UInt8 ? 256 : 128), wk_binary_op.WK_BINARY_REMAINDER);
        return m.To(dtype);
    }
}
