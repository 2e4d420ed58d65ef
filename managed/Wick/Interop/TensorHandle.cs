using System;
using System.Runtime.InteropServices;
using Wick.Native;

namespace Wick.Interop;

/// <summary>Owns one reference to a native tensor; releasing it drops that reference.</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle(nint handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.wk_tensor_release(handle) == wk_status.WK_OK;
}

/// <summary>Owns a native random generator.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    public GeneratorHandle(nint handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.wk_generator_release(handle) == wk_status.WK_OK;
}
