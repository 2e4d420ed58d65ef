using System;

namespace Wick.Tests;

/// <summary>The caching host allocator: big blocks are reused, statistics separate allocated from reserved.</summary>
public class HostAllocatorTests
{
    private const long Big = 16L << 20;  // elements: 64 MiB of float32

    // The statistics are process-wide: let the finalizer free what earlier tests left to the GC first, so it does
    // not free it in the middle of a measurement.
    [SetUp]
    public void LetEarlierGarbageGo()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Test]
    public void AFreedBigBlockIsCachedAndReusedAndEmptyCacheReleasesIt()
    {
        Memory.EmptyCache();
        MemoryStats start = Memory.Stats();
        using (Tensor t = Tensor.Empty(new[] { Big })) Assert.That(Memory.Stats().AllocatedBytes - start.AllocatedBytes, Is.EqualTo(Big * 4));
        MemoryStats afterFree = Memory.Stats();
        Assert.That(afterFree.AllocatedBytes, Is.EqualTo(start.AllocatedBytes), "allocated returns to where it was");
        Assert.That(afterFree.ReservedBytes - start.ReservedBytes, Is.GreaterThanOrEqualTo(Big * 4), "the block stays reserved in the cache");

        for (int i = 0; i < 5; i++)
        {
            using Tensor t = Tensor.Empty(new[] { Big });
            Assert.That(Memory.Stats().ReservedBytes, Is.EqualTo(afterFree.ReservedBytes), $"iteration {i} reuses the cached block");
        }

        Memory.EmptyCache();
        Assert.That(Memory.Stats().ReservedBytes, Is.LessThan(afterFree.ReservedBytes - Big * 4 + 1), "EmptyCache frees the cached block");
    }

    [Test]
    public void ReservedIsNeverBelowAllocatedAndPeakTracksTheHighWaterMark()
    {
        Memory.ResetPeak();
        MemoryStats start = Memory.Stats();
        using (Tensor a = Tensor.Zeros(1 << 20))
        using (Tensor b = Tensor.Zeros(3))
        {
            MemoryStats s = Memory.Stats();
            Assert.That(s.ReservedBytes, Is.GreaterThanOrEqualTo(s.AllocatedBytes));
            Assert.That(s.AllocatedBytes - start.AllocatedBytes, Is.EqualTo((4L << 20) + 12));
        }
        Assert.That(Memory.Stats().PeakBytes - start.AllocatedBytes, Is.GreaterThanOrEqualTo((4L << 20) + 12));
    }

    [Test]
    public void BigResultsAreWrittenCorrectlyIntoReusedBlocks()
    {
        using Tensor a = Tensor.Full(new[] { Big / 4 }, 1.5);
        using Tensor b = Tensor.Full(new[] { Big / 4 }, 2.0);
        for (int i = 0; i < 3; i++)
        {
            using Tensor c = a + b;
            using Tensor s = c.Sum();
            Assert.That(s.Item<float>(), Is.EqualTo(3.5f * (Big / 4)));
        }
    }
}
