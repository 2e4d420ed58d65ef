using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>
/// A queue of GPU work. Operations on a CUDA device are queued on the calling thread's current
/// stream and run in order; work on different streams may overlap. <c>using (stream.Use())</c> makes
/// a stream current for the thread until the scope ends. The default stream is current otherwise.
/// </summary>
/// <remarks>
/// Memory is reused per stream: before disposing a tensor that work on another stream still reads,
/// make that stream wait (<see cref="WaitEvent"/>) or synchronize it, as in PyTorch. Disposing a
/// stream waits for its queued work.
/// </remarks>
public sealed unsafe class CudaStream : IDisposable
{
    private readonly CudaStreamHandle _handle;

    /// <summary>A new stream on a device; it does not synchronize with the default stream.</summary>
    public CudaStream(int device = 0)
    {
        nint s;
        Ensure.Ok(NativeMethods.wk_cuda_stream_create(device, &s));
        _handle = new CudaStreamHandle(s);
        Device = device;
    }

    internal CudaStream(CudaStreamHandle handle, int device)
    {
        _handle = handle;
        Device = device;
    }

    /// <summary>The CUDA device ordinal this stream belongs to.</summary>
    public int Device { get; }

    internal nint Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    /// <summary>Waits until all work queued on the stream has finished.</summary>
    public void Synchronize()
    {
        Ensure.Ok(NativeMethods.wk_cuda_stream_synchronize(Handle));
        GC.KeepAlive(this);
    }

    /// <summary>True when all work queued on the stream has finished; does not wait.</summary>
    public bool IsCompleted
    {
        get
        {
            int done;
            Ensure.Ok(NativeMethods.wk_cuda_stream_query(Handle, &done));
            GC.KeepAlive(this);
            return done != 0;
        }
    }

    /// <summary>Makes work queued on this stream from now on wait until <paramref name="cudaEvent"/> has completed.</summary>
    public void WaitEvent(CudaEvent cudaEvent)
    {
        ArgumentNullException.ThrowIfNull(cudaEvent);
        Ensure.Ok(NativeMethods.wk_cuda_stream_wait_event(Handle, cudaEvent.Handle));
        GC.KeepAlive(this);
        GC.KeepAlive(cudaEvent);
    }

    /// <summary>Makes work queued on this stream from now on wait for the work queued on <paramref name="other"/> so far.</summary>
    public void WaitStream(CudaStream other)
    {
        ArgumentNullException.ThrowIfNull(other);
        using var e = other.RecordEvent();
        WaitEvent(e);
    }

    /// <summary>Records a new event on this stream (with timing when asked).</summary>
    public CudaEvent RecordEvent(bool enableTiming = false)
    {
        var e = new CudaEvent(Device, enableTiming);
        e.Record(this);
        return e;
    }

    /// <summary>
    /// Makes this stream current for the calling thread until the returned scope is disposed, which
    /// restores the stream that was current before: <c>using (stream.Use()) { ... }</c>.
    /// </summary>
    public StreamScope Use()
    {
        nint previous;
        Ensure.Ok(NativeMethods.wk_cuda_stream_current(Device, &previous));
        var saved = new CudaStreamHandle(previous);
        wk_status status = NativeMethods.wk_cuda_stream_set_current(Device, Handle);
        if (status != wk_status.WK_OK)
        {
            saved.Dispose();
            Ensure.Ok(status);
        }
        GC.KeepAlive(this);
        return new StreamScope(Device, saved);
    }

    /// <summary>Releases the stream after waiting for its queued work.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>Restores the previously current stream when disposed (see <see cref="Use"/>).</summary>
    public sealed class StreamScope : IDisposable
    {
        private readonly int _device;
        private CudaStreamHandle? _previous;

        internal StreamScope(int device, CudaStreamHandle previous)
        {
            _device = device;
            _previous = previous;
        }

        /// <summary>Makes the stream that was current before <see cref="Use"/> current again.</summary>
        public void Dispose()
        {
            CudaStreamHandle? previous = _previous;
            if (previous is null) return;
            _previous = null;
            try
            {
                Ensure.Ok(NativeMethods.wk_cuda_stream_set_current(_device, previous.DangerousGetHandle()));
            }
            finally
            {
                previous.Dispose();
            }
        }
    }
}
