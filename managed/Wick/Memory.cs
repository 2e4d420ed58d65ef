using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>Memory statistics of one device.</summary>
/// <param name="LiveTensors">Tensor handles not yet released (all devices).</param>
/// <param name="AllocatedBytes">Bytes in storages in use on the device.</param>
/// <param name="PeakBytes">Largest AllocatedBytes since start or the last <see cref="Memory.ResetPeak"/>.</param>
/// <param name="ReservedBytes">Allocated plus cached by the allocator.</param>
public readonly record struct MemoryStats(long LiveTensors, long AllocatedBytes, long PeakBytes, long ReservedBytes);

/// <summary>Memory statistics and cache control per device.</summary>
public static unsafe class Memory
{
    /// <summary>Current statistics of a device (the CPU when none is given).</summary>
    public static MemoryStats Stats(Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        wk_memory_stats s;
        Ensure.Ok(NativeMethods.wk_memory_stats_get((wk_device_type)d.Type, d.Index, &s));
        return new MemoryStats(s.live_tensors, s.allocated_bytes, s.peak_bytes, s.reserved_bytes);
    }

    /// <summary>Restarts peak tracking from the current allocation.</summary>
    public static void ResetPeak(Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        Ensure.Ok(NativeMethods.wk_memory_reset_peak((wk_device_type)d.Type, d.Index));
    }

    /// <summary>
    /// Caps the bytes a device's allocator hands out (null removes the cap): allocations past it fail as
    /// if the device were full, with a <see cref="WickOutOfMemoryException"/>. Useful to test
    /// out-of-memory handling, or to share a GPU with another process.
    /// </summary>
    public static void SetLimit(long? bytes, Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        Ensure.Ok(NativeMethods.wk_memory_set_limit((wk_device_type)d.Type, d.Index, bytes ?? 0));
    }

    /// <summary>Returns cached, unused memory blocks of a device to the system (on a GPU, after waiting for it).</summary>
    public static void EmptyCache(Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        Ensure.Ok(NativeMethods.wk_memory_empty_cache((wk_device_type)d.Type, d.Index));
    }
}
