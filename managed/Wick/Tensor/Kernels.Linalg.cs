using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

// Choke points for the matrix products beyond MatMul.
internal static unsafe partial class Kernels
{
    public static Tensor Bmm(Tensor a, Tensor b, Tensor? @out = null) => Recorded(LinalgBackward.Kind.Bmm, a, b, @out, &NativeMethods.wk_op_bmm);
    public static Tensor Outer(Tensor a, Tensor b, Tensor? @out = null) => Recorded(LinalgBackward.Kind.Outer, a, b, @out, &NativeMethods.wk_op_outer);
    public static Tensor Dot(Tensor a, Tensor b, Tensor? @out = null) => Recorded(LinalgBackward.Kind.Dot, a, b, @out, &NativeMethods.wk_op_dot);
    public static Tensor Mv(Tensor a, Tensor b, Tensor? @out = null) => Recorded(LinalgBackward.Kind.Mv, a, b, @out, &NativeMethods.wk_op_mv);

    // The recording front of the four products (see Kernels.cs).
    private static Tensor Recorded(LinalgBackward.Kind kind, Tensor a, Tensor b, Tensor? @out, delegate*<nint, nint, nint, nint*, wk_status> fn)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (@out is null && kind is LinalgBackward.Kind.Bmm or LinalgBackward.Kind.Mv && Autocast.Current is { } ac && ac.LowFor(a) is DType low
            && (a.DType != low || b.DType != low))
        {
            using AutocastArg ca = ac.Lower(a, low);
            using AutocastArg cb = ac.Lower(b, low);
            if (ca.Changed || cb.Changed) return Recorded(kind, ca.Value, cb.Value, null, fn);
        }
        Tensor r;
        if (!Recording.Wants(a, b, @out)) r = Product(a, b, @out, fn);
        else if (@out is not null) throw Recording.OutNotDifferentiable(kind.ToString());
        else r = LinalgBackward.Record(kind, a, b, null, 1, 1, Product(a, b, null, fn));
        OpTracer.Current?.Op(kind.ToString(), new[] { a, b }, new[] { r });
        return r;
    }

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
        if (@out is null && Autocast.Current is { } ac && ac.LowFor(mat1) is DType low && (input.DType != low || mat1.DType != low || mat2.DType != low))
        {
            using AutocastArg ci = ac.Lower(input, low);
            using AutocastArg c1 = ac.Lower(mat1, low);
            using AutocastArg c2 = ac.Lower(mat2, low);
            if (ci.Changed || c1.Changed || c2.Changed) return AddMM(ci.Value, c1.Value, c2.Value, beta, alpha);
        }
        Tensor r = !Recording.Wants(input, mat1, mat2, @out) ? AddMMRaw(input, mat1, mat2, beta, alpha, @out)
            : LinalgBackward.RecordAddMM(input, mat1, mat2, beta, alpha, @out);
        OpTracer.Current?.Op("AddMM", new[] { input, mat1, mat2 }, new[] { r }, beta, alpha);
        return r;
    }

    public static Tensor AddMMRaw(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha, Tensor? @out = null)
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
