using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>
/// The choke points through which every public op reaches the native core: one per op family.
/// Each checks the status, keeps its operands alive across the call and wraps the result.
/// Each records the op for autograd when an operand requires grad (one test on the common path);
/// the *Raw forms are the native calls alone, for the recording code.
/// </summary>
internal static unsafe partial class Kernels
{
    public static Tensor Unary(Tensor x, wk_unary_op op, double p0 = 0, double p1 = 0, Tensor? @out = null)
    {
        if (Autocast.Current is { } ac && @out is null && AmpFloat32(op) && ac.LowFor(x) is not null && x.DType is DType.Float16 or DType.BFloat16)
        {
            using AutocastArg c = AutocastState.Float32(x);
            return Unary(c.Value, op, p0, p1);
        }
        Tensor r = Recording.Wants(x, @out) ? UnaryBackward.Record(x, op, p0, p1, @out) : UnaryRaw(x, op, p0, p1, @out);
        OpTracer.Current?.Op("Unary", new[] { x }, new[] { r }, op, p0, p1);
        return r;
    }

    public static Tensor Binary(Tensor a, Tensor b, wk_binary_op op, Tensor? @out = null)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (op == wk_binary_op.WK_BINARY_POW && @out is null && Autocast.Current is { } ac && ac.LowFor(a) is not null
            && (a.DType is DType.Float16 or DType.BFloat16 || b.DType is DType.Float16 or DType.BFloat16))
        {
            using AutocastArg ca = AutocastState.Float32(a);
            using AutocastArg cb = AutocastState.Float32(b);
            return Binary(ca.Value, cb.Value, op);
        }
        Tensor r = Recording.Wants(a, b, @out) ? BinaryBackward.Record(a, b, op, @out) : BinaryRaw(a, b, op, @out);
        OpTracer.Current?.Op("Binary", new[] { a, b }, new[] { r }, op);
        return r;
    }

    public static Tensor BinaryScalar(Tensor a, wk_scalar s, wk_binary_op op, bool reverse = false, Tensor? @out = null)
    {
        Tensor r = Recording.Wants(a, @out) ? BinaryScalarBackward.Record(a, s, op, reverse, @out) : BinaryScalarRaw(a, s, op, reverse, @out);
        OpTracer.Current?.Op("BinaryScalar", new[] { a }, new[] { r }, op, s, reverse);
        return r;
    }

    public static Tensor Reduce(Tensor x, wk_reduce_op op, ReadOnlySpan<int> dims, bool keepDim, double param = 0, DType? dtype = null)
    {
        if (dtype is null && AmpFloat32(op) && Autocast.Current is { } ac && ac.LowFor(x) is not null && x.DType is DType.Float16 or DType.BFloat16)
        {
            using AutocastArg c = AutocastState.Float32(x);
            return Reduce(c.Value, op, dims, keepDim, param);
        }
        Tensor r = Recording.Wants(x) ? ReduceBackward.Record(x, op, dims, keepDim, param, dtype) : ReduceRaw(x, op, dims, keepDim, param, dtype);
        OpTracer.Current?.Op("Reduce", new[] { x }, new[] { r }, op, dims.ToArray(), keepDim, param);
        return r;
    }

    public static Tensor MatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (Autocast.Current is { } ac && ac.LowFor(a) is DType low && (a.DType != low || b.DType != low))
        {
            using AutocastArg ca = ac.Lower(a, low);
            using AutocastArg cb = ac.Lower(b, low);
            if (ca.Changed || cb.Changed) return MatMul(ca.Value, cb.Value);
        }
        Tensor r = Recording.Wants(a, b, null) ? MatMulBackward.Record(a, b) : MatMulRaw(a, b);
        OpTracer.Current?.Op("MatMul", new[] { a, b }, new[] { r });
        return r;
    }

    /// <summary>Ops of three operands; <paramref name="b"/> or <paramref name="c"/> may be null where the op allows it.</summary>
    public static Tensor Ternary(wk_ternary_op op, Tensor a, Tensor? b, Tensor? c, wk_scalar? s = null, Tensor? @out = null)
    {
        Tensor r = Recording.Wants(a, b, c, @out) ? TernaryBackward.Record(op, a, b, c, s, @out) : TernaryRaw(op, a, b, c, s, @out);
        OpTracer.Current?.Op("Ternary", new[] { a, b, c }, new[] { r }, op, s);
        return r;
    }

    /// <summary>Max or min along one dim, with the index of the first extreme.</summary>
    public static ValuesIndices ReduceIndices(Tensor x, wk_reduce_op op, int dim, bool keepDim)
    {
        ValuesIndices r = Recording.Wants(x) ? ReduceIndicesBackward.Record(x, op, dim, keepDim) : ReduceIndicesRaw(x, op, dim, keepDim);
        OpTracer.Current?.Op("ReduceIndices", new[] { x }, new[] { r.Values, r.Indices }, op, dim, keepDim);
        return r;
    }

    /// <summary>Cumulative sum or product along one dim.</summary>
    public static Tensor Scan(Tensor x, wk_scan_op op, int dim, DType? dtype = null)
    {
        if (dtype is null && Autocast.Current is { } ac && ac.LowFor(x) is not null && x.DType is DType.Float16 or DType.BFloat16)
        {
            using AutocastArg c = AutocastState.Float32(x);
            return Scan(c.Value, op, dim);
        }
        Tensor r = Recording.Wants(x) ? ScanBackward.Record(x, op, dim, dtype) : ScanRaw(x, op, dim, dtype);
        OpTracer.Current?.Op("Scan", new[] { x }, new[] { r }, op, dim);
        return r;
    }

    // The unary ops autocast runs in float32 (PyTorch's fp32 list: exp/log-like functions and those that overflow easily).
    private static bool AmpFloat32(wk_unary_op op) => op is wk_unary_op.WK_UNARY_EXP or wk_unary_op.WK_UNARY_EXPM1 or wk_unary_op.WK_UNARY_EXP2
        or wk_unary_op.WK_UNARY_LOG or wk_unary_op.WK_UNARY_LOG1P or wk_unary_op.WK_UNARY_LOG2 or wk_unary_op.WK_UNARY_LOG10
        or wk_unary_op.WK_UNARY_RSQRT or wk_unary_op.WK_UNARY_RECIPROCAL or wk_unary_op.WK_UNARY_TAN or wk_unary_op.WK_UNARY_ASIN
        or wk_unary_op.WK_UNARY_ACOS or wk_unary_op.WK_UNARY_SINH or wk_unary_op.WK_UNARY_COSH or wk_unary_op.WK_UNARY_SOFTPLUS;

    // The reductions autocast runs in float32: sums, products and statistics (max, min, all, any keep their dtype).
    private static bool AmpFloat32(wk_reduce_op op) => op is wk_reduce_op.WK_REDUCE_SUM or wk_reduce_op.WK_REDUCE_MEAN or wk_reduce_op.WK_REDUCE_PROD
        or wk_reduce_op.WK_REDUCE_VAR or wk_reduce_op.WK_REDUCE_STD or wk_reduce_op.WK_REDUCE_NORM or wk_reduce_op.WK_REDUCE_LOGSUMEXP;

    public static Tensor UnaryRaw(Tensor x, wk_unary_op op, double p0 = 0, double p1 = 0, Tensor? @out = null)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_op_unary(op, x.Handle, p0, p1, @out?.Handle ?? 0, &r));
        GC.KeepAlive(x);
        return Wrap(r, @out);
    }

    public static Tensor BinaryRaw(Tensor a, Tensor b, wk_binary_op op, Tensor? @out = null)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_op_binary(op, a.Handle, b.Handle, @out?.Handle ?? 0, &r));
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return Wrap(r, @out);
    }

    public static Tensor BinaryScalarRaw(Tensor a, wk_scalar s, wk_binary_op op, bool reverse = false, Tensor? @out = null)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_op_binary_scalar(op, a.Handle, &s, reverse ? 1 : 0, @out?.Handle ?? 0, &r));
        GC.KeepAlive(a);
        return Wrap(r, @out);
    }

    /// <summary>Ops of three operands; <paramref name="b"/> or <paramref name="c"/> may be null where the op allows it.</summary>
    public static Tensor TernaryRaw(wk_ternary_op op, Tensor a, Tensor? b, Tensor? c, wk_scalar? s = null, Tensor? @out = null)
    {
        nint r;
        wk_scalar sv = s.GetValueOrDefault();
        Ensure.Ok(NativeMethods.wk_op_ternary(op, a.Handle, b?.Handle ?? 0, c?.Handle ?? 0, s is null ? null : &sv, @out?.Handle ?? 0, &r));
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        GC.KeepAlive(c);
        return Wrap(r, @out);
    }

    public static Tensor ReduceRaw(Tensor x, wk_reduce_op op, ReadOnlySpan<int> dims, bool keepDim, double param = 0, DType? dtype = null)
    {
        nint r;
        fixed (int* d = dims)
            Ensure.Ok(NativeMethods.wk_op_reduce(op, x.Handle, d, dims.Length, keepDim ? 1 : 0, param, dtype is null ? -1 : (int)dtype, 0, &r));
        GC.KeepAlive(x);
        return new Tensor(r);
    }

    /// <summary>Max or min along one dim, with the index of the first extreme.</summary>
    public static ValuesIndices ReduceIndicesRaw(Tensor x, wk_reduce_op op, int dim, bool keepDim)
    {
        nint v, i;
        Ensure.Ok(NativeMethods.wk_op_reduce_indices(op, x.Handle, dim, keepDim ? 1 : 0, &v, &i));
        GC.KeepAlive(x);
        return new ValuesIndices(new Tensor(v), new Tensor(i));
    }

    /// <summary>Cumulative sum or product along one dim.</summary>
    public static Tensor ScanRaw(Tensor x, wk_scan_op op, int dim, DType? dtype = null)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_op_scan(op, x.Handle, dim, dtype is null ? -1 : (int)dtype, 0, &r));
        GC.KeepAlive(x);
        return new Tensor(r);
    }

    public static Tensor MatMulRaw(Tensor a, Tensor b)
    {
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
