using System;
using System.Threading.Tasks;

namespace Wick.Tests;

public class LifetimeTests
{
    [Test]
    public void UseAfterDisposeThrowsObjectDisposedException()
    {
        var t = Tensor.Zeros(2);
        t.Dispose();
        Assert.That(t.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => _ = t.Shape);
        Assert.Throws<ObjectDisposedException>(() => t.Add(1.0));
        using var other = Tensor.Zeros(2);
        Assert.Throws<ObjectDisposedException>(() => other.Add(t));
        Assert.That(t.ToString(), Is.EqualTo("tensor(<disposed>)"));
    }

    [Test]
    public void DisposingTwiceIsHarmless()
    {
        var t = Tensor.Zeros(2);
        t.Dispose();
        Assert.DoesNotThrow(() => t.Dispose());
    }

    [Test]
    public void AViewKeepsItsStorageAliveAfterTheBaseIsDisposed()
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3 });
        using var v = a[1..];
        a.Dispose();
        Assert.That(v.ToArray<float>(), Is.EqualTo(new float[] { 2, 3 }));
    }

    [Test]
    public void ADisposeScopeFreesWhatWasCreatedInsideExceptWhatMovesOut()
    {
        long before = Memory.Stats().LiveTensors;
        Tensor kept, dropped;
        using (var scope = DisposeScope.Begin())
        {
            dropped = Tensor.Ones(3) * 2.0;
            kept = scope.MoveOut(dropped + 1.0);
        }
        Assert.That(dropped.IsDisposed);
        Assert.That(kept.IsDisposed, Is.False);
        Assert.That(kept.ToArray<float>(), Is.EqualTo(new float[] { 3, 3, 3 }));
        kept.Dispose();
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(before));
    }

    [Test]
    public void ScopesNestAndMovingOutJoinsTheOuterScope()
    {
        Tensor inner;
        using (var outer = DisposeScope.Begin())
        {
            using (var scope = DisposeScope.Begin())
            {
                inner = scope.MoveOut(Tensor.Zeros(1));
            }
            Assert.That(inner.IsDisposed, Is.False);
            Assert.That(DisposeScope.Current, Is.SameAs(outer));
        }
        Assert.That(inner.IsDisposed, "the outer scope adopted it");
        Assert.That(DisposeScope.Current, Is.Null);
    }

    [Test]
    public async Task AScopeFlowsAcrossAwait()
    {
        Tensor made;
        using (DisposeScope.Begin())
        {
            await Task.Yield();
            made = Tensor.Zeros(1);
        }
        Assert.That(made.IsDisposed);
    }

    [Test]
    public void ATrainingStyleLoopKeepsLiveTensorsAndBytesFlat()
    {
        using var w = Tensor.RandN(64, 64);
        long tensors0 = 0, bytes0 = 0;
        for (int step = 0; step < 300; ++step)
        {
            using (DisposeScope.Begin())
            {
                var x = Tensor.RandN(32, 64);
                var loss = x.MatMul(w).Exp().Mean();
                _ = loss.Item<float>();
            }
            if (step == 10) (tensors0, bytes0) = (Memory.Stats().LiveTensors, Memory.Stats().AllocatedBytes);
        }
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(tensors0));
        Assert.That(Memory.Stats().AllocatedBytes, Is.EqualTo(bytes0));
    }

    [Test]
    public void MemoryStatisticsCountBytesAndPeak()
    {
        Memory.ResetPeak();
        long before = Memory.Stats().AllocatedBytes;
        using (var big = Tensor.Zeros(1 << 20))
        {
            Assert.That(Memory.Stats().AllocatedBytes - before, Is.GreaterThanOrEqualTo(4L << 20));
        }
        Assert.That(Memory.Stats().PeakBytes - before, Is.GreaterThanOrEqualTo(4L << 20));
        Assert.That(Memory.Stats().AllocatedBytes, Is.EqualTo(before));
    }

    [Test]
    public void ForgottenTensorsAreFreedByTheGarbageCollector()
    {
        long before = Memory.Stats().LiveTensors;
        MakeGarbage();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.That(Memory.Stats().LiveTensors, Is.LessThanOrEqualTo(before));
    }

    private static void MakeGarbage()
    {
        for (int i = 0; i < 100; ++i) _ = Tensor.Zeros(10);
    }
}
