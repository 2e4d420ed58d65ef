using System;
using System.Runtime.InteropServices;
using Wick.Native;

namespace Wick.Interop;

/// <summary>Owns one reference to a native CUDA stream.</summary>
internal sealed class CudaStreamHandle : SafeHandle
{
    public CudaStreamHandle(nint handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.wk_cuda_stream_release(handle) == wk_status.WK_OK;
}

/// <summary>Owns a native CUDA event.</summary>
internal sealed class CudaEventHandle : SafeHandle
{
    public CudaEventHandle(nint handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.wk_cuda_event_release(handle) == wk_status.WK_OK;
}
