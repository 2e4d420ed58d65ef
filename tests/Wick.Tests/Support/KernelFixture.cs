using System.Collections.Generic;

namespace Wick.Tests;

/// <summary>
/// A fixture whose every test runs once per kernel path: each instruction set (scalar, AVX2,
/// AVX-512) with 1 and 2 threads. A path this CPU lacks is reported as ignored, not silently
/// replaced by another one.
/// </summary>
public abstract class KernelFixture
{
    /// <summary>(instruction set, thread count) pairs; feeds [TestFixtureSource].</summary>
    public static IEnumerable<TestFixtureData> Paths()
    {
        foreach (CpuIsa isa in new[] { CpuIsa.Scalar, CpuIsa.Avx2, CpuIsa.Avx512 })
            foreach (int threads in new[] { 1, 2 })
                yield return new TestFixtureData(isa, threads).SetArgDisplayNames(isa.ToString(), $"{threads}T");
    }

    private readonly CpuIsa _isa;
    private readonly int _threads;
    private CpuIsa _savedIsa;
    private int _savedThreads;

    protected KernelFixture(CpuIsa isa, int threads)
    {
        _isa = isa;
        _threads = threads;
    }

    /// <summary>The instruction set this fixture instance tests.</summary>
    protected CpuIsa Isa => _isa;

    [SetUp]
    public void SelectPath()
    {
        _savedIsa = CpuDispatch.Active;
        _savedThreads = Threads.Count;
        CpuDispatch.Active = _isa;
        if (CpuDispatch.Active != _isa)
        {
            string note = CpuDispatch.Note;
            CpuDispatch.Active = _savedIsa;
            Assert.Ignore($"this CPU lacks {_isa}: {note}");
        }
        Threads.Count = _threads;
    }

    [TearDown]
    public void RestorePath()
    {
        CpuDispatch.Active = _savedIsa;
        Threads.Count = _savedThreads;
    }
}
