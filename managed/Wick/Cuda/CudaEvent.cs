using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>
/// A marker in a CUDA stream: record it, then wait for it from the host (<see cref="Synchronize"/>)
/// or from another stream (<see cref="CudaStream.WaitEvent"/>), or time the work between two events.
/// </summary>
public sealed unsafe class CudaEvent : IDisposable
{
    private readonly CudaEventHandle _handle;

    /// <summary>A new event on a device; <paramref name="enableTiming"/> allows <see cref="ElapsedMilliseconds"/>.</summary>
    public CudaEvent(int device = 0, bool enableTiming = false)
    {
        nint e;
        Ensure.Ok(NativeMethods.wk_cuda_event_create(device, enableTiming ? 1 : 0, &e));
        _handle = new CudaEventHandle(e);
        Device = device;
    }

    /// <summary>The CUDA device ordinal this event belongs to.</summary>
    public int Device { get; }

    internal nint Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Records the event on a stream (the calling thread's current stream when none is given).</summary>
    public void Record(CudaStream? stream = null)
    {
        Ensure.Ok(NativeMethods.wk_cuda_event_record(Handle, stream?.Handle ?? 0));
        GC.KeepAlive(this);
        GC.KeepAlive(stream);
    }

    /// <summary>Waits until the work recorded before the event has finished.</summary>
    public void Synchronize()
    {
        Ensure.Ok(NativeMethods.wk_cuda_event_synchronize(Handle));
        GC.KeepAlive(this);
    }

    /// <summary>True when the work recorded before the event has finished; does not wait.</summary>
    public bool IsCompleted
    {
        get
        {
            int done;
            Ensure.Ok(NativeMethods.wk_cuda_event_query(Handle, &done));
            GC.KeepAlive(this);
            return done != 0;
        }
    }

    /// <summary>Milliseconds of GPU time from this event to <paramref name="end"/> (both recorded, completed, with timing).</summary>
    public float ElapsedMilliseconds(CudaEvent end)
    {
        ArgumentNullException.ThrowIfNull(end);
        float ms;
        Ensure.Ok(NativeMethods.wk_cuda_event_elapsed_ms(Handle, end.Handle, &ms));
        GC.KeepAlive(this);
        GC.KeepAlive(end);
        return ms;
    }

    /// <summary>Releases the event.</summary>
    public void Dispose() => _handle.Dispose();
}
