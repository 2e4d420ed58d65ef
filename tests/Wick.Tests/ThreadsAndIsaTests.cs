using System;

namespace Wick.Tests;

/// <summary>The thread-count and instruction-set controls.</summary>
public class ThreadsAndIsaTests
{
    [Test]
    public void ThreadCountCanBeReadAndChanged()
    {
        int saved = Threads.Count;
        try
        {
            Assert.That(saved, Is.InRange(1, 1024));
            Threads.Count = 3;
            Assert.That(Threads.Count, Is.EqualTo(3));
            using Tensor x = Tensor.Ones(100000);
            using Tensor s = x.Sum();
            Assert.That(s.Item<float>(), Is.EqualTo(100000f), "kernels run with the new pool");
            Threads.Count = 1;
            Assert.That(Threads.Count, Is.EqualTo(1));
        }
        finally
        {
            Threads.Count = saved;
        }
    }

    [TestCase(0)]
    [TestCase(-2)]
    [TestCase(5000)]
    public void AThreadCountOutsideOneTo1024IsRefused(int n)
    {
        var e = Assert.Throws<ArgumentException>(() => Threads.Count = n);
        Assert.That(e!.Message, Does.Contain("1 to 1024").And.Contain(n.ToString()));
    }

    [Test]
    public void TheBestInstructionSetIsActiveByDefaultAndEveryLowerOneCanBeSelected()
    {
        CpuIsa saved = CpuDispatch.Active;
        try
        {
            CpuIsa best = CpuDispatch.Best;
            foreach (CpuIsa isa in Enum.GetValues<CpuIsa>())
            {
                CpuDispatch.Active = isa;
                if (isa <= best)
                {
                    Assert.That(CpuDispatch.Active, Is.EqualTo(isa));
                    Assert.That(CpuDispatch.Note, Is.Empty);
                }
                else
                {
                    Assert.That(CpuDispatch.Active, Is.EqualTo(best), "an instruction set the CPU lacks falls back to the best one");
                    Assert.That(CpuDispatch.Note, Does.Contain(isa.ToString().ToLowerInvariant()).And.Contain("supports at most"));
                }
                using Tensor x = Tensor.FromArray(new[] { 0f, 1f });
                using Tensor y = x.Exp();
                Assert.That(y.ToArray<float>()[1], Is.EqualTo(MathF.E).Within(1e-6f));
            }
        }
        finally
        {
            CpuDispatch.Active = saved;
        }
    }

    [Test]
    public void AnUnknownInstructionSetIdIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => CpuDispatch.Active = (CpuIsa)7);
        Assert.That(e!.Message, Does.Contain("unknown instruction set id 7"));
    }
}
