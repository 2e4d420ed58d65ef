using System;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>The device API: availability without a GPU, device queries, the errors for missing CUDA.</summary>
[Category("Cuda")]
public class CudaDeviceTests
{
    [Test]
    public void Availability_queries_never_throw_and_agree()
    {
        bool available = Wick.Cuda.IsAvailable;
        int count = Wick.Cuda.DeviceCount;
        Assert.That(available, Is.EqualTo(count > 0));
        Assert.That(Wick.Cuda.UnavailableReason, available ? Is.Empty : Is.Not.Empty);
    }

    [Test]
    public void Without_cuda_a_cuda_tensor_request_names_the_package_or_the_driver()
    {
        if (Wick.Cuda.IsAvailable) Assert.Ignore("a CUDA device is present: this checks the message where none is");
        var e = Assert.Throws<DeviceException>(() => Tensor.Zeros(new long[] { 2 }, DType.Float32, Gpu).Dispose());
        Assert.That(e!.Message, Does.Contain("cuda:0"));
        Assert.That(e.Message, Does.Contain("Wick.Runtime.Cuda").Or.Contain("WICK_CUDA").Or.Contain("driver"));
        Assert.That(e.Message, Does.Contain(Wick.Cuda.UnavailableReason.Split(' ')[0]));
    }

    [Test]
    public void Without_cuda_pinned_memory_is_refused_with_a_device_error()
    {
        if (Wick.Cuda.IsAvailable) Assert.Ignore("a CUDA device is present");
        Assert.Throws<DeviceException>(() => Tensor.EmptyPinned(new long[] { 4 }).Dispose());
    }

    [Test]
    public void Device_properties_describe_a_real_device()
    {
        RequireCuda();
        CudaDeviceProperties p = Wick.Cuda.GetDeviceProperties(0);
        Assert.That(p.Name, Is.Not.Empty);
        Assert.That(p.Major, Is.GreaterThanOrEqualTo(5));
        Assert.That(p.MultiprocessorCount, Is.GreaterThan(0));
        Assert.That(p.TotalMemory, Is.GreaterThan(0));
        Assert.That(Wick.Cuda.GetDeviceCapability(0), Is.EqualTo((p.Major, p.Minor)));
        Assert.That(Wick.Cuda.GetDeviceName(0), Is.EqualTo(p.Name));
        (long free, long total) = Wick.Cuda.MemoryInfo(0);
        Assert.That(total, Is.EqualTo(p.TotalMemory));
        Assert.That(free, Is.InRange(0, total));
        TestContext.Out.WriteLine($"cuda:0 = {p}");
    }

    [Test]
    public void A_device_index_past_the_count_is_a_device_error()
    {
        RequireCuda();
        int n = Wick.Cuda.DeviceCount;
        var e = Assert.Throws<DeviceException>(() => Tensor.Zeros(new long[] { 2 }, DType.Float32, Device.Cuda(n)).Dispose());
        Assert.That(e!.Message, Does.Contain($"cuda:{n}"));
    }

    [Test]
    public void Mixing_devices_in_one_op_says_to_move_a_tensor()
    {
        RequireCuda();
        using Tensor a = Tensor.Ones(new long[] { 3 });
        using Tensor b = Tensor.Ones(new long[] { 3 }, DType.Float32, Gpu);
        var e = Assert.Throws<DeviceException>(() => (a + b).Dispose());
        Assert.That(e!.Message, Does.Contain("different devices").And.Contain("To("));
    }

    [Test]
    public void Item_and_ToArray_read_cuda_tensors()
    {
        RequireCuda();
        using Tensor x = Tensor.FromArray(new float[] { 1.5f, -2, 3 }).To(Gpu);
        using Tensor s = x.Sum();
        Assert.That(s.Item<float>(), Is.EqualTo(2.5f));
        Assert.That(x.ToArray<float>(), Is.EqualTo(new float[] { 1.5f, -2, 3 }));
        Assert.That(x.ToString(), Does.Contain("1.5"));
    }
}
