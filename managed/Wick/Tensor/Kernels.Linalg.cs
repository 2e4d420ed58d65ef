using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

// Choke points for the matrix products beyond MatMul.
internal static unsafe partial class Kernels
{
    public static Tensor Bmm(Tensor a, Tensor b, Tensor? @out = null) => Product(a, b, @out, &NativeMethods.wk_op_bmm);
    public static Tensor Outer(Tensor a, Tensor b, Tensor? @out = null) => Product(a, b, @out, &NativeMethods.wk_op_outer);
    public static Tensor Dot(Tensor a, Tensor b, Tensor? @out = null) => Product(a, b, @out, &NativeMethods.wk_op_dot);
    public static Tensor Mv(Tensor a, Tensor b, Tensor? @out = null) => Product(a, b, @out, &NativeMethods.wk_op_mv);

    // bmm, outer, dot and mv share one C signature: two tensors, an optional out, a result.
    private static Tensor Product(Tensor a, Tensor b, Tensor? @out, delegate*<nint, nint, nint, nint*, wk_status> fn)
    {
        ArgumentNullException.ThrowIfNull(b);
        nint r;
        Ensure.Ok(fn(a.Handle, b.Handle, @out?.Handle ?? 0, &r));
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        GC.KeepAlive(@out);
        return Wrap(r, @out);
    }

    public static Tensor AddMM(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha, Tensor? @out = null)
    {
        ArgumentNullException.ThrowIfNull(mat1);
        ArgumentNullException.ThrowIfNull(mat2);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_addmm(input.Handle, mat1.Handle, mat2.Handle, beta, alpha, @out?.Handle ?? 0, &r));
        GC.KeepAlive(input);
        GC.KeepAlive(mat1);
        GC.KeepAlive(mat2);
        GC.KeepAlive(@out);
        return Wrap(r, @out);
    }
}
