using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>
/// A counter-based random generator (Philox 4x32-10): a seed plus an offset. The same seed gives the
/// same numbers on every device and thread count.
/// </summary>
public sealed unsafe class Generator : IDisposable
{
    private readonly GeneratorHandle? _owned;
    private readonly nint _borrowed;

    /// <summary>A new generator with the given seed.</summary>
    public Generator(ulong seed)
    {
        nint h;
        Ensure.Ok(NativeMethods.wk_generator_create(seed, &h));
        _owned = new GeneratorHandle(h);
    }

    private Generator(nint borrowed) => _borrowed = borrowed;

    /// <summary>The process-wide generator used when no generator is given.</summary>
    public static Generator Default { get; } = CreateDefault();

    private static Generator CreateDefault()
    {
        nint h;
        Ensure.Ok(NativeMethods.wk_generator_default(&h));
        return new Generator(h);
    }

    internal nint Handle
    {
        get
        {
            if (_owned is null) return _borrowed;
            ObjectDisposedException.ThrowIf(_owned.IsClosed, this);
            return _owned.DangerousGetHandle();
        }
    }

    /// <summary>The seed; setting it restarts the sequence (offset 0).</summary>
    public ulong Seed
    {
        get
        {
            ulong seed, offset;
            Ensure.Ok(NativeMethods.wk_generator_get_state(Handle, &seed, &offset));
            GC.KeepAlive(this);
            return seed;
        }
        set => SetState(value, 0);
    }

    /// <summary>How many counters earlier fills consumed.</summary>
    public ulong Offset
    {
        get
        {
            ulong seed, offset;
            Ensure.Ok(NativeMethods.wk_generator_get_state(Handle, &seed, &offset));
            GC.KeepAlive(this);
            return offset;
        }
    }

    /// <summary>Restores a state read from <see cref="Seed"/> and <see cref="Offset"/>.</summary>
    public void SetState(ulong seed, ulong offset)
    {
        Ensure.Ok(NativeMethods.wk_generator_set_state(Handle, seed, offset));
        GC.KeepAlive(this);
    }

    /// <summary>Releases a generator created with a seed (the default one is never released).</summary>
    public void Dispose() => _owned?.Dispose();
}
