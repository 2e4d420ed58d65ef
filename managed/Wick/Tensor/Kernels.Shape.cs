using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>
/// Choke points of the indexing, joining and sorting family. Autograd wraps these: the backward of
/// IndexSelect / Index is IndexAdd / IndexPut(accumulate), of Gather is Scatter(Add), of Pad is PadBackward.
/// </summary>
internal static unsafe partial class Kernels
{
    // Recording fronts (see Kernels.cs): each records its op for autograd when an operand requires grad;
    // the *Raw forms below are the native calls alone.

    public static Tensor Cat(ReadOnlySpan<Tensor> tensors, int dim, Tensor? @out = null)
    {
        if (@out is null && tensors.Length > 1 && Autocast.Current is { } ac)
        {
            Tensor[] args = tensors.ToArray();
            AutocastArg[]? casts = ac.Apply(AutocastPolicy.Promote, args);
            if (casts is not null)
            {
                try { return Cat(args, dim); }
                finally { foreach (var c in casts) c.Dispose(); }
            }
        }
        Tensor r = Recording.WantsAny(tensors, @out) ? ShapeRecording.Join(tensors, dim, @out, stack: false) : CatRaw(tensors, dim, @out);
        OpTracer.Current?.Op("Cat", tensors.ToArray(), new[] { r }, dim);
        return r;
    }

    public static Tensor Stack(ReadOnlySpan<Tensor> tensors, int dim, Tensor? @out = null)
    {
        if (@out is null && tensors.Length > 1 && Autocast.Current is { } ac)
        {
            Tensor[] args = tensors.ToArray();
            AutocastArg[]? casts = ac.Apply(AutocastPolicy.Promote, args);
            if (casts is not null)
            {
                try { return Stack(args, dim); }
                finally { foreach (var c in casts) c.Dispose(); }
            }
        }
        Tensor r = Recording.WantsAny(tensors, @out) ? ShapeRecording.Join(tensors, dim, @out, stack: true) : StackRaw(tensors, dim, @out);
        OpTracer.Current?.Op("Stack", tensors.ToArray(), new[] { r }, dim);
        return r;
    }

    public static Tensor[] Split(Tensor x, long[] sizes, int dim)
    {
        Tensor[] r = Recording.Wants(x) ? ShapeRecording.Split(x, sizes, dim) : SplitRaw(x, sizes, dim);
        OpTracer.Current?.Op("Split", new[] { x }, r, sizes, dim);
        return r;
    }

    public static Tensor IndexSelect(Tensor x, int dim, Tensor index)
    {
        Tensor r = Recording.Wants(x) ? ShapeRecording.Indexing(IndexingBackward.Kind.IndexSelect, x, dim, index, IndexSelectRaw(x, dim, index)) : IndexSelectRaw(x, dim, index);
        OpTracer.Current?.Op("IndexSelect", new[] { x, index }, new[] { r }, dim);
        return r;
    }

    public static Tensor Gather(Tensor x, int dim, Tensor index)
    {
        Tensor r = Recording.Wants(x) ? ShapeRecording.Indexing(IndexingBackward.Kind.Gather, x, dim, index, GatherRaw(x, dim, index)) : GatherRaw(x, dim, index);
        OpTracer.Current?.Op("Gather", new[] { x, index }, new[] { r }, dim);
        return r;
    }

    /// <summary>src null: the scalar <paramref name="value"/> is scattered. <paramref name="out"/> == x: in place.</summary>
    public static Tensor Scatter(Tensor x, int dim, Tensor index, Tensor? src, wk_scalar value, wk_scatter_mode mode, Tensor? @out = null) =>
        Recording.Wants(x, src, null, @out)
            ? ShapeRecording.Write(mode == wk_scatter_mode.WK_SCATTER_ADD ? IndexingBackward.Kind.ScatterAdd : IndexingBackward.Kind.Scatter,
                                   x, dim, index, src, 1, @out, o => ScatterRaw(x, dim, index, src, value, mode, o))
            : ScatterRaw(x, dim, index, src, value, mode, @out);

    /// <summary>alpha null means 1.</summary>
    public static Tensor IndexAdd(Tensor x, int dim, Tensor index, Tensor source, wk_scalar? alpha, Tensor? @out = null) =>
        Recording.Wants(x, source, null, @out)
            ? ShapeRecording.Write(IndexingBackward.Kind.IndexAdd, x, dim, index, source, ShapeRecording.ValueOf(alpha, 1),
                                   @out, o => IndexAddRaw(x, dim, index, source, alpha, o))
            : IndexAddRaw(x, dim, index, source, alpha, @out);

    public static Tensor IndexCopy(Tensor x, int dim, Tensor index, Tensor source, Tensor? @out = null) =>
        Recording.Wants(x, source, null, @out)
            ? ShapeRecording.Write(IndexingBackward.Kind.IndexCopy, x, dim, index, source, 1, @out, o => IndexCopyRaw(x, dim, index, source, o))
            : IndexCopyRaw(x, dim, index, source, @out);

    /// <summary>The value is the scalar, or the 0-d <paramref name="valueTensor"/> when it is given.</summary>
    public static Tensor IndexFill(Tensor x, int dim, Tensor index, wk_scalar value, Tensor? valueTensor, Tensor? @out = null) =>
        Recording.Wants(x, valueTensor, null, @out)
            ? ShapeRecording.Write(IndexingBackward.Kind.IndexFill, x, dim, index, valueTensor, 1, @out, o => IndexFillRaw(x, dim, index, value, valueTensor, o))
            : IndexFillRaw(x, dim, index, value, valueTensor, @out);

    /// <summary>The value is the scalar, or the 0-d <paramref name="valueTensor"/> when it is given.</summary>
    public static Tensor MaskedFill(Tensor x, Tensor mask, wk_scalar value, Tensor? valueTensor, Tensor? @out = null)
    {
        Tensor r = Recording.Wants(x, valueTensor, null, @out)
            ? ShapeRecording.Write(IndexingBackward.Kind.MaskedFill, x, 0, mask, valueTensor, 1, @out, o => MaskedFillRaw(x, mask, value, valueTensor, o))
            : MaskedFillRaw(x, mask, value, valueTensor, @out);
        OpTracer.Current?.Op("MaskedFill", new[] { x, mask, valueTensor }, new[] { r }, value);
        return r;
    }

    public static Tensor MaskedSelect(Tensor x, Tensor mask) =>
        Recording.Wants(x) ? ShapeRecording.Indexing(IndexingBackward.Kind.MaskedSelect, x, 0, mask, MaskedSelectRaw(x, mask)) : MaskedSelectRaw(x, mask);

    public static Tensor MaskedScatter(Tensor x, Tensor mask, Tensor source, Tensor? @out = null) =>
        Recording.Wants(x, source, null, @out)
            ? ShapeRecording.Write(IndexingBackward.Kind.MaskedScatter, x, 0, mask, source, 1, @out, o => MaskedScatterRaw(x, mask, source, o))
            : MaskedScatterRaw(x, mask, source, @out);

    /// <summary>Advanced indexing by one int64/int32 or bool index tensor at <paramref name="dim"/>.</summary>
    public static Tensor Index(Tensor x, int dim, Tensor index) =>
        Recording.Wants(x) ? ShapeRecording.Indexing(IndexingBackward.Kind.Index, x, dim, index, IndexRaw(x, dim, index)) : IndexRaw(x, dim, index);

    /// <summary>In place: x[..., index, ...] = values (or += when accumulating).</summary>
    public static void IndexPut(Tensor x, int dim, Tensor index, Tensor values, bool accumulate)
    {
        if (Recording.WantsInPlace(x, values))
            ShapeRecording.Write(accumulate ? IndexingBackward.Kind.IndexPutAccumulate : IndexingBackward.Kind.IndexPut, x, dim, index, values, 1, x,
                                 o => { IndexPutRaw(o!, dim, index, values, accumulate); return o!; });
        else IndexPutRaw(x, dim, index, values, accumulate);
    }

    public static Tensor Flip(Tensor x, int[] dims) =>
        Recording.Wants(x) ? ShapeRecording.Rearranged(RearrangeBackward.Kind.Flip, x, dims, Array.Empty<long>(), FlipRaw(x, dims)) : FlipRaw(x, dims);

    /// <summary>An empty <paramref name="dims"/> rolls the flattened tensor by the single shift.</summary>
    public static Tensor Roll(Tensor x, long[] shifts, int[] dims) =>
        Recording.Wants(x) ? ShapeRecording.Rearranged(RearrangeBackward.Kind.Roll, x, dims, shifts, RollRaw(x, shifts, dims)) : RollRaw(x, shifts, dims);

    public static Tensor Repeat(Tensor x, long[] repeats) =>
        Recording.Wants(x) ? ShapeRecording.Rearranged(RearrangeBackward.Kind.Repeat, x, Array.Empty<int>(), repeats, RepeatRaw(x, repeats)) : RepeatRaw(x, repeats);

    public static Tensor Triangle(Tensor x, long diagonal, bool upper, Tensor? @out = null) =>
        Recording.Wants(x, @out) ? ShapeRecording.Triangle(x, diagonal, upper, @out) : TriangleRaw(x, diagonal, upper, @out);

    /// <summary>value null: no value (required for the non-constant modes; constant then pads with 0).</summary>
    public static Tensor Pad(Tensor x, long[] pad, PaddingMode mode, wk_scalar? value)
    {
        Tensor r = Recording.Wants(x) ? ShapeRecording.Pad(x, pad, mode, PadRaw(x, pad, mode, value)) : PadRaw(x, pad, mode, value);
        OpTracer.Current?.Op("Pad", new[] { x }, new[] { r }, pad, mode, value);
        return r;
    }

    /// <summary>Stable sort; values are not materialised for the caller when <paramref name="wantValues"/> is false.</summary>
    public static (Tensor? Values, Tensor Indices) Sort(Tensor x, int dim, bool descending, bool wantValues = true)
    {
        var r = SortRaw(x, dim, descending, wantValues);
        if (r.Values is { } v && Recording.Wants(x)) ShapeRecording.Indexing(IndexingBackward.Kind.Sort, x, dim, r.Indices, v);
        return r;
    }

    public static (Tensor Values, Tensor Indices) TopK(Tensor x, long k, int dim, bool largest)
    {
        var r = TopKRaw(x, k, dim, largest);
        if (Recording.Wants(x)) ShapeRecording.Indexing(IndexingBackward.Kind.TopK, x, dim, r.Indices, r.Values);
        return r;
    }

    public static Tensor CatRaw(ReadOnlySpan<Tensor> tensors, int dim, Tensor? @out = null) =>
        JoinList(tensors, dim, @out, stack: false);

    public static Tensor StackRaw(ReadOnlySpan<Tensor> tensors, int dim, Tensor? @out = null) =>
        JoinList(tensors, dim, @out, stack: true);

    private static Tensor JoinList(ReadOnlySpan<Tensor> tensors, int dim, Tensor? @out, bool stack)
    {
        var handles = new nint[tensors.Length];
        for (int i = 0; i < tensors.Length; ++i)
        {
            if (tensors[i] is null) throw new ArgumentNullException(nameof(tensors), $"{(stack ? "Stack" : "Cat")}: tensor {i} is null");
            handles[i] = tensors[i].Handle;
        }
        nint r;
        fixed (nint* h = handles)
            Ensure.Ok(stack
                ? NativeMethods.wk_op_stack(h, handles.Length, dim, @out?.Handle ?? 0, &r)
                : NativeMethods.wk_op_cat(h, handles.Length, dim, @out?.Handle ?? 0, &r));
        foreach (var t in tensors) GC.KeepAlive(t);
        return Wrap(r, @out);
    }

    public static Tensor[] SplitRaw(Tensor x, long[] sizes, int dim)
    {
        var handles = new nint[sizes.Length];
        fixed (long* s = sizes)
        fixed (nint* h = handles)
            Ensure.Ok(NativeMethods.wk_op_split(x.Handle, s, sizes.Length, dim, h));
        GC.KeepAlive(x);
        var parts = new Tensor[handles.Length];
        for (int i = 0; i < parts.Length; ++i) parts[i] = new Tensor(handles[i]);
        return parts;
    }

    public static Tensor IndexSelectRaw(Tensor x, int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_index_select(x.Handle, dim, index.Handle, 0, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(index);
        return new Tensor(r);
    }

    public static Tensor GatherRaw(Tensor x, int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_gather(x.Handle, dim, index.Handle, 0, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(index);
        return new Tensor(r);
    }

    /// <summary>src null: the scalar <paramref name="value"/> is scattered. <paramref name="out"/> == x: in place.</summary>
    public static Tensor ScatterRaw(Tensor x, int dim, Tensor index, Tensor? src, wk_scalar value, wk_scatter_mode mode, Tensor? @out = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_scatter(x.Handle, dim, index.Handle, src?.Handle ?? 0, src is null ? &value : null, mode, @out?.Handle ?? 0, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(index);
        GC.KeepAlive(src);
        return Wrap(r, @out);
    }

    /// <summary>alpha null means 1.</summary>
    public static Tensor IndexAddRaw(Tensor x, int dim, Tensor index, Tensor source, wk_scalar? alpha, Tensor? @out = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        wk_scalar a = alpha.GetValueOrDefault();
        nint r;
        Ensure.Ok(NativeMethods.wk_op_index_add(x.Handle, dim, index.Handle, source.Handle, alpha is null ? null : &a, @out?.Handle ?? 0, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(index);
        GC.KeepAlive(source);
        return Wrap(r, @out);
    }

    public static Tensor IndexCopyRaw(Tensor x, int dim, Tensor index, Tensor source, Tensor? @out = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_index_copy(x.Handle, dim, index.Handle, source.Handle, @out?.Handle ?? 0, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(index);
        GC.KeepAlive(source);
        return Wrap(r, @out);
    }

    /// <summary>The value is the scalar, or the 0-d <paramref name="valueTensor"/> when it is given.</summary>
    public static Tensor IndexFillRaw(Tensor x, int dim, Tensor index, wk_scalar value, Tensor? valueTensor, Tensor? @out = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_index_fill(x.Handle, dim, index.Handle, valueTensor is null ? &value : null, valueTensor?.Handle ?? 0, @out?.Handle ?? 0, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(index);
        GC.KeepAlive(valueTensor);
        return Wrap(r, @out);
    }

    /// <summary>The value is the scalar, or the 0-d <paramref name="valueTensor"/> when it is given.</summary>
    public static Tensor MaskedFillRaw(Tensor x, Tensor mask, wk_scalar value, Tensor? valueTensor, Tensor? @out = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_masked_fill(x.Handle, mask.Handle, valueTensor is null ? &value : null, valueTensor?.Handle ?? 0, @out?.Handle ?? 0, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(mask);
        GC.KeepAlive(valueTensor);
        return Wrap(r, @out);
    }

    public static Tensor MaskedSelectRaw(Tensor x, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_masked_select(x.Handle, mask.Handle, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(mask);
        return new Tensor(r);
    }

    public static Tensor MaskedScatterRaw(Tensor x, Tensor mask, Tensor source, Tensor? @out = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(source);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_masked_scatter(x.Handle, mask.Handle, source.Handle, @out?.Handle ?? 0, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(mask);
        GC.KeepAlive(source);
        return Wrap(r, @out);
    }

    public static Tensor Nonzero(Tensor x)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_op_nonzero(x.Handle, &r));
        GC.KeepAlive(x);
        return new Tensor(r);
    }

    public static Tensor OneHot(Tensor index, long numClasses)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_op_one_hot(index.Handle, numClasses, &r));
        GC.KeepAlive(index);
        return new Tensor(r);
    }

    /// <summary>Advanced indexing by one int64/int32 or bool index tensor at <paramref name="dim"/>.</summary>
    public static Tensor IndexRaw(Tensor x, int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_index(x.Handle, dim, index.Handle, &r));
        GC.KeepAlive(x);
        GC.KeepAlive(index);
        return new Tensor(r);
    }

    /// <summary>In place: x[..., index, ...] = values (or += when accumulating).</summary>
    public static void IndexPutRaw(Tensor x, int dim, Tensor index, Tensor values, bool accumulate)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(values);
        Ensure.Ok(NativeMethods.wk_op_index_put_(x.Handle, dim, index.Handle, values.Handle, accumulate ? 1 : 0));
        GC.KeepAlive(x);
        GC.KeepAlive(index);
        GC.KeepAlive(values);
    }

    public static Tensor FlipRaw(Tensor x, int[] dims)
    {
        nint r;
        fixed (int* d = dims) Ensure.Ok(NativeMethods.wk_op_flip(x.Handle, d, dims.Length, &r));
        GC.KeepAlive(x);
        return new Tensor(r);
    }

    /// <summary>An empty <paramref name="dims"/> rolls the flattened tensor by the single shift.</summary>
    public static Tensor RollRaw(Tensor x, long[] shifts, int[] dims)
    {
        nint r;
        fixed (long* s = shifts)
        fixed (int* d = dims)
            Ensure.Ok(NativeMethods.wk_op_roll(x.Handle, s, shifts.Length, d, dims.Length, &r));
        GC.KeepAlive(x);
        return new Tensor(r);
    }

    public static Tensor RepeatRaw(Tensor x, long[] repeats)
    {
        nint r;
        fixed (long* p = repeats) Ensure.Ok(NativeMethods.wk_op_repeat(x.Handle, p, repeats.Length, &r));
        GC.KeepAlive(x);
        return new Tensor(r);
    }

    public static Tensor TriangleRaw(Tensor x, long diagonal, bool upper, Tensor? @out = null)
    {
        nint r;
        Ensure.Ok(upper
            ? NativeMethods.wk_op_triu(x.Handle, diagonal, @out?.Handle ?? 0, &r)
            : NativeMethods.wk_op_tril(x.Handle, diagonal, @out?.Handle ?? 0, &r));
        GC.KeepAlive(x);
        return Wrap(r, @out);
    }

    /// <summary>value null: no value (required for the non-constant modes; constant then pads with 0).</summary>
    public static Tensor PadRaw(Tensor x, long[] pad, PaddingMode mode, wk_scalar? value)
    {
        wk_scalar v = value.GetValueOrDefault();
        nint r;
        fixed (long* p = pad)
            Ensure.Ok(NativeMethods.wk_op_pad(x.Handle, p, pad.Length, (wk_pad_mode)mode, value is null ? null : &v, &r));
        GC.KeepAlive(x);
        return new Tensor(r);
    }

    /// <summary>The gradient of <see cref="Pad"/> with respect to its input of shape <paramref name="inputShape"/>.</summary>
    public static Tensor PadBackward(Tensor grad, long[] inputShape, long[] pad, PaddingMode mode)
    {
        nint r;
        fixed (long* s = inputShape)
        fixed (long* p = pad)
            Ensure.Ok(NativeMethods.wk_op_pad_backward(grad.Handle, s, inputShape.Length, p, pad.Length, (wk_pad_mode)mode, &r));
        GC.KeepAlive(grad);
        return new Tensor(r);
    }

    /// <summary>Stable sort; values are not materialised for the caller when <paramref name="wantValues"/> is false.</summary>
    public static (Tensor? Values, Tensor Indices) SortRaw(Tensor x, int dim, bool descending, bool wantValues = true)
    {
        nint v = 0, i;
        Ensure.Ok(NativeMethods.wk_op_sort(x.Handle, dim, descending ? 1 : 0, wantValues ? &v : null, &i));
        GC.KeepAlive(x);
        return (wantValues ? new Tensor(v) : null, new Tensor(i));
    }

    public static (Tensor Values, Tensor Indices) TopKRaw(Tensor x, long k, int dim, bool largest)
    {
        nint v, i;
        Ensure.Ok(NativeMethods.wk_op_topk(x.Handle, k, dim, largest ? 1 : 0, &v, &i));
        GC.KeepAlive(x);
        return (new Tensor(v), new Tensor(i));
    }

    public static (Tensor Values, Tensor? Inverse, Tensor? Counts) Unique(Tensor x, bool inverse, bool counts)
    {
        nint v, inv = 0, c = 0;
        Ensure.Ok(NativeMethods.wk_op_unique(x.Handle, &v, inverse ? &inv : null, counts ? &c : null));
        GC.KeepAlive(x);
        return (new Tensor(v), inverse ? new Tensor(inv) : null, counts ? new Tensor(c) : null);
    }
}
