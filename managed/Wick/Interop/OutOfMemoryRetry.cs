using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Wick.Native;

namespace Wick.Interop;

/// <summary>
/// The managed half of Wick's out-of-memory handling, in one place. When an allocation fails (on
/// any device), the native allocator first returns its cached blocks; then it calls this handler,
/// which runs one full garbage collection with finalizers so tensors that are unreachable but not
/// yet finalized give their memory back, and retries the allocation once. If that fails too, the
/// call fails with the allocator's statistics in the message, which <see cref="Ensure"/> turns
/// into a <see cref="WickOutOfMemoryException"/>.
/// </summary>
/// <remarks>
/// The retry happens at the allocation inside the native call rather than by calling the whole
/// operation again from here: an operation may already have done visible work (advanced a random
/// generator, written part of an output) before the allocation that failed.
/// </remarks>
internal static unsafe class OutOfMemoryRetry
{
    [ThreadStatic] private static bool _running;

    /// <summary>Installs the handler in a freshly loaded libwick (called once by <see cref="NativeLoader"/>).</summary>
    internal static void Install(IntPtr library)
    {
        var set = (delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<int, int, ulong, void>, wk_status>)
            NativeLibrary.GetExport(library, "wk_memory_set_out_of_memory_handler");
        set(&OnOutOfMemory);
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static void OnOutOfMemory(int deviceType, int deviceIndex, ulong bytes)
    {
        // Never let an exception escape into native code; never collect recursively.
        if (_running) return;
        _running = true;
        try
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        catch
        {
            // Nothing sensible to do: the native retry then fails and reports the statistics.
        }
        finally
        {
            _running = false;
        }
    }
}
