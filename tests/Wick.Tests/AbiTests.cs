using System;
using Wick.Interop;
using Wick.Native;

namespace Wick.Tests;

/// <summary>Bad values crossing the C ABI directly (what a binding bug or a foreign caller could send).</summary>
public unsafe class AbiTests
{
    [Test]
    public void TheLibrarySpeaksThisAssemblysAbiVersion()
    {
        int v;
        Assert.That(NativeMethods.wk_abi_version(&v), Is.EqualTo(wk_status.WK_OK));
        Assert.That(v, Is.EqualTo(NativeMethods.WK_ABI_VERSION));
    }

    [Test]
    public void AnUnknownDTypeIdIsAnErrorNotACrash()
    {
        long size = 2;
        nint t;
        var status = NativeMethods.wk_tensor_empty(&size, 1, (wk_dtype)42, wk_device_type.WK_DEVICE_CPU, 0, &t);
        Assert.That(status, Is.EqualTo(wk_status.WK_ERR_INVALID_ARGUMENT));
        Assert.That(LastError(), Does.Contain("unknown dtype id 42"));
        var ex = Assert.Throws<ArgumentException>(() => Ensure.Ok(status));
        Assert.That(ex!.Message, Does.Contain("unknown dtype id 42"));
    }

    [Test]
    public void UnknownOpAndDeviceIdsAreErrors()
    {
        using var a = Tensor.Zeros(2);
        nint r;
        Assert.That(NativeMethods.wk_op_unary((wk_unary_op)999, a.Handle, 0, 0, 0, &r), Is.EqualTo(wk_status.WK_ERR_INVALID_ARGUMENT));
        long size = 2;
        Assert.That(NativeMethods.wk_tensor_empty(&size, 1, wk_dtype.WK_DTYPE_F32, (wk_device_type)7, 0, &r), Is.EqualTo(wk_status.WK_ERR_INVALID_ARGUMENT));
        Assert.That(NativeMethods.wk_tensor_empty(&size, 1, wk_dtype.WK_DTYPE_F32, wk_device_type.WK_DEVICE_CPU, 3, &r), Is.EqualTo(wk_status.WK_ERR_INVALID_ARGUMENT));
    }

    [Test]
    public void ANullHandleIsAnErrorNotACrash()
    {
        nint r;
        Assert.That(NativeMethods.wk_tensor_release(0), Is.EqualTo(wk_status.WK_ERR_NULL_HANDLE));
        Assert.That(NativeMethods.wk_op_binary(wk_binary_op.WK_BINARY_ADD, 0, 0, 0, &r), Is.EqualTo(wk_status.WK_ERR_NULL_HANDLE));
        Assert.That(LastError(), Does.Contain("null tensor handle"));
        int n;
        Assert.That(NativeMethods.wk_tensor_ndim(0, &n), Is.EqualTo(wk_status.WK_ERR_NULL_HANDLE));
    }

    [Test]
    public void NullOutputPointersAreErrors()
    {
        using var a = Tensor.Zeros(2);
        Assert.That(NativeMethods.wk_op_unary(wk_unary_op.WK_UNARY_NEG, a.Handle, 0, 0, 0, null), Is.EqualTo(wk_status.WK_ERR_INVALID_ARGUMENT));
        Assert.That(NativeMethods.wk_tensor_ndim(a.Handle, null), Is.EqualTo(wk_status.WK_ERR_INVALID_ARGUMENT));
    }

    [Test]
    public void TooSmallSizeBuffersAreRefused()
    {
        using var a = Tensor.Zeros(2, 3);
        long size;
        Assert.That(NativeMethods.wk_tensor_sizes(a.Handle, &size, 1), Is.EqualTo(wk_status.WK_ERR_INVALID_ARGUMENT));
    }

    private static string LastError()
    {
        byte* m;
        NativeMethods.wk_last_error(&m);
        return new string((sbyte*)m);
    }
}
