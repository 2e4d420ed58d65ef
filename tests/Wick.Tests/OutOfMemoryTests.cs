using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Wick.Tests;

/// <summary>Out-of-memory handling on the host (the same path as on a GPU): a limit, the typed exception with statistics, and the garbage-collector retry.</summary>
[NonParallelizable]
public class OutOfMemoryTests
{
    [Test]
    public void Past_the_host_limit_an_allocation_throws_out_of_memory_with_the_statistics()
    {
        CollectGarbage();
        long live = Memory.Stats().AllocatedBytes;
        Memory.SetLimit(live + (8L << 20));
        var held = new List<Tensor>();
        try
        {
            var e = Assert.Throws<WickOutOfMemoryException>(() =>
            {
                for (int i = 0; i < 100; i++) held.Add(Tensor.Empty(new long[] { 1 << 20 }, DType.Float32));  // 4 MiB each
            });
            Assert.That(held.Count, Is.EqualTo(2));
            Assert.That(e!.Message, Does.Contain("Memory.SetLimit").And.Contain("live tensors hold"));
        }
        finally
        {
            foreach (Tensor t in held) t.Dispose();
            Memory.SetLimit(null);
        }
    }

    [Test]
    public void Out_of_memory_collects_unreachable_tensors_and_retries()
    {
        CollectGarbage();
        long live = Memory.Stats().AllocatedBytes;
        Memory.SetLimit(live + (12L << 20));
        try
        {
            Leak(2);  // 8 MiB only finalizers can free
            using Tensor t = Tensor.Empty(new long[] { 2 << 20 }, DType.Float32);  // 8 MiB: fits only after a collection
            Assert.That(t.NumberOfElements, Is.EqualTo(2 << 20));
        }
        finally
        {
            Memory.SetLimit(null);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Leak(int count)
    {
        for (int i = 0; i < count; i++) Tensor.Empty(new long[] { 1 << 20 }, DType.Float32);
    }

    // Finalizes tensors other tests left to the collector, so the statistics below are stable.
    private static void CollectGarbage()
    {
        System.GC.Collect();
        System.GC.WaitForPendingFinalizers();
        System.GC.Collect();
    }
}
