using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>The caching allocator's statistics, EmptyCache, out-of-memory handling and pinned memory on CUDA.</summary>
[Category("Cuda")]
[NonParallelizable]
public class CudaMemoryTests
{
    [Test]
    public void Allocation_statistics_follow_tensors_and_the_cache_keeps_freed_blocks()
    {
        RequireCuda();
        Wick.Cuda.Synchronize();
        MemoryStats before = Memory.Stats(Gpu);
        Memory.ResetPeak(Gpu);
        long allocatedWith;
        using (Tensor t = Tensor.Empty(new long[] { 1 << 20 }, DType.Float32, Gpu))  // 4 MiB: a large block
        {
            MemoryStats with = Memory.Stats(Gpu);
            allocatedWith = with.AllocatedBytes;
            Assert.That(with.AllocatedBytes - before.AllocatedBytes, Is.EqualTo(4L << 20));
            Assert.That(with.ReservedBytes, Is.GreaterThanOrEqualTo(with.AllocatedBytes));
            Assert.That(with.PeakBytes, Is.GreaterThanOrEqualTo(with.AllocatedBytes));
        }
        MemoryStats after = Memory.Stats(Gpu);
        Assert.That(after.AllocatedBytes, Is.EqualTo(before.AllocatedBytes));
        Assert.That(after.PeakBytes, Is.EqualTo(allocatedWith));
        Assert.That(after.ReservedBytes, Is.GreaterThanOrEqualTo(4L << 20), "the freed block stays cached");
    }

    [Test]
    public void Small_requests_are_rounded_to_512_bytes()
    {
        RequireCuda();
        long before = Memory.Stats(Gpu).AllocatedBytes;
        using Tensor t = Tensor.Empty(new long[] { 3 }, DType.Float32, Gpu);
        Assert.That(Memory.Stats(Gpu).AllocatedBytes - before, Is.EqualTo(512));
    }

    [Test]
    public void A_freed_block_is_reused_by_the_next_request_of_its_size()
    {
        RequireCuda();
        using (Tensor a = Tensor.Empty(new long[] { 3 << 20 }, DType.Float32, Gpu)) { }
        long reserved = Memory.Stats(Gpu).ReservedBytes;
        using Tensor b = Tensor.Empty(new long[] { 3 << 20 }, DType.Float32, Gpu);
        Assert.That(Memory.Stats(Gpu).ReservedBytes, Is.EqualTo(reserved));
    }

    [Test]
    public void EmptyCache_returns_unused_segments_to_the_driver()
    {
        RequireCuda();
        using (Tensor a = Tensor.Empty(new long[] { 8 << 20 }, DType.Float32, Gpu)) { }
        Assert.That(Memory.Stats(Gpu).ReservedBytes, Is.GreaterThanOrEqualTo(32L << 20));
        Memory.EmptyCache(Gpu);
        MemoryStats s = Memory.Stats(Gpu);
        Assert.That(s.ReservedBytes, Is.LessThan(32L << 20));
        Assert.That(s.ReservedBytes, Is.GreaterThanOrEqualTo(s.AllocatedBytes));
    }

    [Test]
    public void Past_the_limit_an_allocation_throws_out_of_memory_with_the_statistics()
    {
        RequireCuda();
        CollectGarbage();
        Memory.EmptyCache(Gpu);
        long baseline = Memory.Stats(Gpu).ReservedBytes;
        Memory.SetLimit(baseline + (64L << 20), Gpu);
        var held = new List<Tensor>();
        try
        {
            var e = Assert.Throws<WickOutOfMemoryException>(() =>
            {
                for (int i = 0; i < 100; i++) held.Add(Tensor.Empty(new long[] { 4 << 20 }, DType.Float32, Gpu));  // 16 MiB each
            });
            Assert.That(held.Count, Is.InRange(2, 4));
            Assert.That(e!.Message, Does.Contain("cuda:0").And.Contain("allocated").And.Contain("reserved").And.Contain("Memory.SetLimit"));
        }
        finally
        {
            foreach (Tensor t in held) t.Dispose();
            Memory.SetLimit(null, Gpu);
        }
        using Tensor ok = Tensor.Empty(new long[] { 4 << 20 }, DType.Float32, Gpu);  // the limit is gone
    }

    [Test]
    public void Out_of_memory_runs_the_garbage_collector_and_retries_before_failing()
    {
        RequireCuda();
        CollectGarbage();
        Memory.EmptyCache(Gpu);
        long baseline = Memory.Stats(Gpu).ReservedBytes;
        Memory.SetLimit(baseline + (48L << 20), Gpu);
        try
        {
            LeakGpuTensors(2);  // 32 MiB that only the finalizers can free
            using Tensor t = Tensor.Empty(new long[] { 6 << 20 }, DType.Float32, Gpu);  // 24 MiB: fits only after a collection
            Assert.That(t.Device, Is.EqualTo(Gpu));
        }
        finally
        {
            Memory.SetLimit(null, Gpu);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LeakGpuTensors(int count)
    {
        for (int i = 0; i < count; i++) Tensor.Empty(new long[] { 4 << 20 }, DType.Float32, Gpu);
    }

    [Test]
    public void Pinned_tensors_copy_to_the_gpu_asynchronously_and_correctly()
    {
        RequireCuda();
        using Tensor pinned = Tensor.EmptyPinned(new long[] { 1 << 16 }, DType.Float32);
        Assert.That(pinned.IsPinned, Is.True);
        Assert.That(pinned.Device, Is.EqualTo(Device.Cpu));
        using (Tensor src = Values(3, new long[] { 1 << 16 }, DType.Float32)) pinned.CopyFrom(src);
        using Tensor g = pinned.To(Gpu, nonBlocking: true);
        using var done = new CudaEvent();
        done.Record();
        done.Synchronize();
        AssertMatchesCpu(g, pinned, "non-blocking copy from pinned memory", 0);

        using Tensor plain = Tensor.Ones(new long[] { 5 });
        Assert.That(plain.IsPinned, Is.False);
        using Tensor p2 = plain.PinMemory();
        Assert.That(p2.IsPinned, Is.True);
        Assert.That(p2.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 1, 1, 1 }));
        using Tensor gp = Tensor.Zeros(new long[] { 5 }, DType.Float32, Gpu);
        gp.CopyFrom(p2, nonBlocking: true);
        Assert.That(gp.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 1, 1, 1 }));
    }

    // Finalizes tensors other tests left to the collector, so the statistics below are stable.
    private static void CollectGarbage()
    {
        System.GC.Collect();
        System.GC.WaitForPendingFinalizers();
        System.GC.Collect();
    }
}
