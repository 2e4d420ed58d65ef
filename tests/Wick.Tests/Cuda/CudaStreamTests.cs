using System;
using System.Threading.Tasks;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>Streams and events: the current stream per thread, scopes, ordering across streams, timing.</summary>
[Category("Cuda")]
public class CudaStreamTests
{
    [Test]
    public void Use_makes_a_stream_current_and_restores_the_previous_one()
    {
        RequireCuda();
        using var stream = new CudaStream();
        using (CudaStream before = Wick.Cuda.CurrentStream())
        using (CudaStream def = Wick.Cuda.DefaultStream())
            Assert.That(before.Handle, Is.EqualTo(def.Handle));
        using (stream.Use())
        {
            using CudaStream now = Wick.Cuda.CurrentStream();
            Assert.That(now.Handle, Is.EqualTo(stream.Handle));
            using Tensor a = Values(1, new long[] { 300, 7 }, DType.Float32);
            using Tensor ag = a.To(Gpu);
            using Tensor s = (ag * 2.0).Sum(1);
            stream.Synchronize();
            Assert.That(stream.IsCompleted, Is.True);
            using Tensor want = (a * 2.0).Sum(1);
            AssertMatchesCpu(s, want, "work queued on a user stream", 1e-5);
        }
        using (CudaStream after = Wick.Cuda.CurrentStream())
        using (CudaStream def = Wick.Cuda.DefaultStream())
            Assert.That(after.Handle, Is.EqualTo(def.Handle));
    }

    [Test]
    public void The_current_stream_belongs_to_the_thread()
    {
        RequireCuda();
        using var stream = new CudaStream();
        using (stream.Use())
        {
            nint other = Task.Run(() =>
            {
                using CudaStream c = Wick.Cuda.CurrentStream();
                return c.Handle;
            }).Result;
            using CudaStream def = Wick.Cuda.DefaultStream();
            Assert.That(other, Is.EqualTo(def.Handle));
        }
    }

    [Test]
    public void A_stream_waiting_on_an_event_sees_the_work_before_it()
    {
        RequireCuda();
        using var producer = new CudaStream();
        using var consumer = new CudaStream();
        using Tensor x = Tensor.Zeros(new long[] { 1 << 18 }, DType.Float32, Gpu);
        Wick.Cuda.Synchronize();
        using (producer.Use()) x.AddInPlace(3.0);
        using CudaEvent ready = producer.RecordEvent();
        consumer.WaitEvent(ready);
        Tensor sum;
        using (consumer.Use()) sum = x.Sum();
        consumer.Synchronize();
        using (sum) Assert.That(sum.Item<float>(), Is.EqualTo(3f * (1 << 18)));
    }

    [Test]
    public void Timing_events_measure_elapsed_gpu_time()
    {
        RequireCuda();
        using var start = new CudaEvent(enableTiming: true);
        using var end = new CudaEvent(enableTiming: true);
        using Tensor x = Tensor.Ones(new long[] { 1 << 20 }, DType.Float32, Gpu);
        start.Record();
        for (int i = 0; i < 5; i++) x.MulInPlace(1.0);
        end.Record();
        end.Synchronize();
        Assert.That(end.IsCompleted, Is.True);
        Assert.That(start.ElapsedMilliseconds(end), Is.GreaterThanOrEqualTo(0f));
        using var untimed = new CudaEvent();
        untimed.Record();
        untimed.Synchronize();
        Assert.Throws<ArgumentException>(() => start.ElapsedMilliseconds(untimed));
    }

    [Test]
    public void A_disposed_stream_cannot_be_used()
    {
        RequireCuda();
        var s = new CudaStream();
        s.Dispose();
        Assert.Throws<ObjectDisposedException>(() => s.Synchronize());
        Assert.Throws<ObjectDisposedException>(() => s.Use());
    }
}
