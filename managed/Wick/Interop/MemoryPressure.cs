using System;
using System.Threading;
using Wick.Native;

namespace Wick.Interop;

/// <summary>
/// Tells the garbage collector how many bytes live native tensors hold, so forgotten tensors do not
/// starve the process. The native core keeps a counter of live host bytes; reading it is one load,
/// so it is polled whenever a tensor is created and reported in steps of <see cref="Step"/>.
/// </summary>
internal static unsafe class MemoryPressure
{
    private const long Step = 1 << 20;
    private static readonly long* Counter = GetCounter();
    private static long _reported;

    private static long* GetCounter()
    {
        long* counter;
        Ensure.Ok(NativeMethods.wk_memory_host_counter(&counter));
        return counter;
    }

    public static void Update()
    {
        long now = Volatile.Read(ref *Counter);
        long reported = Volatile.Read(ref _reported);
        long delta = now - reported;
        if (delta < Step && delta > -Step) return;
        if (Interlocked.CompareExchange(ref _reported, now, reported) != reported) return;  // another thread reports
        if (delta > 0) GC.AddMemoryPressure(delta);
        else GC.RemoveMemoryPressure(-delta);
    }
}
