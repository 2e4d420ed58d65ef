using System;
using System.Linq;
using Wick.Tests.Support;

namespace Wick.Tests;

public class ConversionTests
{
    [Test]
    public void FloatToHalfRoundsToNearestEvenLikeSystemHalf()
    {
        // System.Half's conversion from float rounds to nearest even: an independent reference.
        var rng = new Random(7);
        float[] values = Enumerable.Range(0, 5000)
            .Select(i => (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-30, 20))))
            .Concat(new[] { 0f, -0f, 65504f, 65519.99f, 65520f, 1e-8f, 6e-8f, 1f + MathF.Pow(2, -11), float.PositiveInfinity, float.NegativeInfinity })
            .ToArray();
        using var f = Tensor.FromArray(values);
        using var h = f.To(DType.Float16);
        Half[] got = h.ToArray<Half>();
        for (int i = 0; i < values.Length; ++i)
            Assert.That(BitConverter.HalfToUInt16Bits(got[i]), Is.EqualTo(BitConverter.HalfToUInt16Bits((Half)values[i])), $"value {values[i]:R}");
    }

    [Test]
    public void FloatToBFloat16RoundsToNearestEvenAndKeepsNaN()
    {
        float[] values = { 1f, 1f + MathF.Pow(2, -8), 1f + 3 * MathF.Pow(2, -8), float.NaN, float.MaxValue, -0f };
        using var f = Tensor.FromArray(values);
        using var b = f.To(DType.BFloat16);
        using var back = b.To(DType.Float32);
        float[] got = back.ToArray<float>();
        Assert.That(got[0], Is.EqualTo(1f));
        Assert.That(got[1], Is.EqualTo(1f), "a tie rounds to the even neighbour");
        Assert.That(got[2], Is.EqualTo(1f + MathF.Pow(2, -6)), "a tie rounds to the even neighbour");
        Assert.That(float.IsNaN(got[3]));
        Assert.That(float.IsPositiveInfinity(got[4]), "float max rounds past the largest bfloat16");
        Assert.That(BitConverter.SingleToInt32Bits(got[5]), Is.EqualTo(BitConverter.SingleToInt32Bits(-0f)));
    }

    [Test]
    public void FloatToIntegerTruncatesTowardZeroAndSaturates()
    {
        using var f = Tensor.FromArray(new[] { 2.7, -2.7, 1e20, -1e20, double.NaN, 300, -1 });
        using var i = f.To(DType.Int32);
        Assert.That(i.ToArray<int>(), Is.EqualTo(new[] { 2, -2, int.MaxValue, int.MinValue, 0, 300, -1 }));
        using var u = f.To(DType.UInt8);
        Assert.That(u.ToArray<byte>(), Is.EqualTo(new byte[] { 2, 0, 255, 0, 0, 255, 0 }));
    }

    [Test]
    public void AnythingToBoolIsNonZero()
    {
        using var f = Tensor.FromArray(new[] { 0.0, -0.0, 0.5, double.NaN });
        using var b = f.To(DType.Bool);
        Assert.That(b.ToArray<bool>(), Is.EqualTo(new[] { false, false, true, true }));
    }

    [Test]
    public void EveryDTypeConvertsToEveryOther([Values] DType from, [Values] DType to)
    {
        using var src = Tensor.FromArray(new double[] { 0, 1, 2, 3, 100 }).To(from);
        using var dst = src.To(to);
        Assert.That(dst.DType, Is.EqualTo(to));
        double[] expected = from == DType.Bool || to == DType.Bool ? new double[] { 0, 1, 1, 1, 1 } : new double[] { 0, 1, 2, 3, 100 };
        Assert.That(Reference.Of(dst).Data, Is.EqualTo(expected));
    }

    [Test]
    public void ToTheSameDTypeIsTheSameStorageUnlessACopyIsAsked()
    {
        using var a = Tensor.Zeros(3);
        using var same = a.To(DType.Float32);
        using var copy = a.To(DType.Float32, Device.Cpu, copy: true);
        Assert.That(same.StorageId, Is.EqualTo(a.StorageId));
        Assert.That(copy.StorageId, Is.Not.EqualTo(a.StorageId));
    }

    [Test]
    public void CloneAndContiguousCopyNonContiguousViews()
    {
        using var m = Tensor.Arange(6).Reshape(2, 3);
        using var t = m.T;
        using var c = t.Contiguous();
        Assert.That(c.IsContiguous);
        Assert.That(c.ToArray<long>(), Is.EqualTo(new long[] { 0, 3, 1, 4, 2, 5 }));
        using var already = m.Contiguous();
        Assert.That(already.StorageId, Is.EqualTo(m.StorageId));
        using var clone = m.Clone();
        clone.Fill(0);
        Assert.That(m.ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void CopyFromBroadcastsConvertsAndBumpsTheVersion()
    {
        using var dst = Tensor.Zeros(new long[] { 2, 3 }, DType.Float64);
        using var src = Tensor.FromArray(new[] { 1, 2, 3 });
        long before = dst.Version;
        dst.CopyFrom(src);
        Assert.That(dst.ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3, 1, 2, 3 }));
        Assert.That(dst.Version, Is.GreaterThan(before));
        using var wrong = Tensor.Zeros(4);
        Assert.Throws<ShapeMismatchException>(() => dst.CopyFrom(wrong));
    }

    [Test]
    public void CudaWithoutTheBackendIsAClearDeviceError()
    {
        using var a = Tensor.Zeros(2);
        if (System.IO.File.Exists(System.IO.Path.Combine(AppContext.BaseDirectory, "libwick_cuda.so")))
            Assert.Ignore("the CUDA backend is installed beside libwick here; the CUDA tests cover it");
        var ex = Assert.Throws<DeviceException>(() => a.To(Device.Cuda(0)));
        Assert.That(ex!.Message, Does.Contain("cuda:0"));
    }
}
