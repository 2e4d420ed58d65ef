using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>
/// The choke points through which every public op reaches the native core: one per op family.
/// Each checks the status, keeps its operands alive across the call and wraps the result.
/// </summary>
internal static unsafe partial class Kernels
{
    public static Tensor Unary(Tensor x, wk_unary_op op, double p0 = 0, double p1 = 0, Tensor? @out = null)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_op_unary(op, x.Handle, p0, p1, @out?.Handle ?? 0, &r));
        GC.KeepAlive(x);
        return Wrap(r, @out);
    }

    public static Tensor Binary(Tensor a, Tensor b, wk_binary_op op, Tensor? @out = null)
    {
        ArgumentNullException.ThrowIfNull(b);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_binary(op, a.Handle, b.Handle, @out?.Handle ?? 0, &r));
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return Wrap(r, @out);
    }

    public static Tensor BinaryScalar(Tensor a, wk_scalar s, wk_binary_op op, bool reverse = false, Tensor? @out = null)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_op_binary_scalar(op, a.Handle, &s, reverse ? 1 : 0, @out?.Handle ?? 0, &r));
        GC.KeepAlive(a);
        return Wrap(r, @out);
    }

    public static Tensor Reduce(Tensor x, wk_reduce_op op, ReadOnlySpan<int> dims, bool keepDim, double param = 0, DType? dtype = null)
    {
        nint r;
        fixed (int* d = dims)
            Ensure.Ok(NativeMethods.wk_op_reduce(op, x.Handle, d, dims.Length, keepDim ? 1 : 0, param, dtype is null ? -1 : (int)dtype, 0, &r));
        GC.KeepAlive(x);
        return new Tensor(r);
    }

    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_matmul(a.Handle, b.Handle, 0, &r));
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return new Tensor(r);
    }

    /// <summary>
    /// A result written into an existing tensor comes back as a new native reference to it: drop that
    /// reference and hand back the caller's object, so in-place ops return the same Tensor instance.
    /// </summary>
    private static Tensor Wrap(nint result, Tensor? @out)
    {
        if (@out is null) return new Tensor(result);
        NativeMethods.wk_tensor_release(result);
        return @out;
    }
}
