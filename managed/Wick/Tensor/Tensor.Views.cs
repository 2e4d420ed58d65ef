using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

// Views share this tensor's memory: writing through one is visible through the other.
public sealed partial class Tensor
{
    private unsafe Tensor WithSizes(delegate*<nint, long*, int, nint*, wk_status> op, long[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        nint r;
        fixed (long* p = sizes) Ensure.Ok(op(Handle, p, sizes.Length, &r));
        GC.KeepAlive(this);
        return new Tensor(r);
    }

    private static unsafe wk_status ViewNative(nint t, long* s, int n, nint* r) => NativeMethods.wk_tensor_view(t, s, n, r);
    private static unsafe wk_status ReshapeNative(nint t, long* s, int n, nint* r) => NativeMethods.wk_tensor_reshape(t, s, n, r);
    private static unsafe wk_status ExpandNative(nint t, long* s, int n, nint* r) => NativeMethods.wk_tensor_expand(t, s, n, r);

    /// <summary>A view with new sizes (one may be -1); fails when the strides do not allow it (see <see cref="Reshape"/>).</summary>
    public unsafe Tensor View(params long[] shape) =>
        Traced("View", ViewRecording.Record(this, WithSizes(&ViewNative, shape), Recording.Wants(this) ? new ReshapeBackward("ViewBackward", ShapeRef) : null));

    /// <summary>A tensor with new sizes (one may be -1): a view when possible, else a copy.</summary>
    public unsafe Tensor Reshape(params long[] shape) =>
        Traced("Reshape", ViewRecording.RecordMaybeView(this, WithSizes(&ReshapeNative, shape), Recording.Wants(this) ? new ReshapeBackward("ReshapeBackward", ShapeRef) : null));

    /// <summary>A view broadcasting size-1 dimensions to the given sizes (-1 keeps a size).</summary>
    public unsafe Tensor Expand(params long[] shape) =>
        Traced("Expand", ViewRecording.Record(this, WithSizes(&ExpandNative, shape), Recording.Wants(this) ? new ExpandBackward(ShapeRef) : null));

    // Reports a view op to the exporter's tracer, if one runs (see OpTracer); the result's shape says all it needs.
    private Tensor Traced(string op, Tensor result, params object?[] args)
    {
        OpTracer.Current?.Op(op, new[] { this }, new[] { result }, args);
        return result;
    }

    /// <summary>A view with this tensor expanded to <paramref name="other"/>'s shape.</summary>
    public Tensor ExpandAs(Tensor other) => Expand(other.Shape);

    /// <summary>A view with two dimensions swapped.</summary>
    public unsafe Tensor Transpose(int dim0, int dim1)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_transpose(Handle, dim0, dim1, &r));
        GC.KeepAlive(this);
        return Traced("Transpose", ViewRecording.Record(this, new Tensor(r), Recording.Wants(this) ? new TransposeBackward(dim0, dim1) : null), dim0, dim1);
    }

    /// <summary>The transpose of a matrix (dimensions reversed for any rank, as PyTorch's .T).</summary>
    public Tensor T
    {
        get
        {
            int n = Dim;
            var dims = new int[n];
            for (int i = 0; i < n; ++i) dims[i] = n - 1 - i;
            return Permute(dims);
        }
    }

    /// <summary>A view with the dimensions reordered.</summary>
    public unsafe Tensor Permute(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        nint r;
        fixed (int* p = dims) Ensure.Ok(NativeMethods.wk_tensor_permute(Handle, p, dims.Length, &r));
        GC.KeepAlive(this);
        return Traced("Permute", ViewRecording.Record(this, new Tensor(r), Recording.Wants(this) ? new PermuteBackward(dims) : null), (int[])dims.Clone());
    }

    /// <summary>Elements start, start + step, ... below end along a dimension (Python slice rules for negatives).</summary>
    public unsafe Tensor Slice(int dim, long start, long end, long step = 1)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_slice(Handle, dim, start, end, step, &r));
        GC.KeepAlive(this);
        return Traced("Slice", ViewRecording.Record(this, new Tensor(r), Recording.Wants(this) ? new SliceBackward(ShapeRef, dim, start, end, step) : null), dim, start, end, step);
    }

    /// <summary>length elements from start along a dimension.</summary>
    public Tensor Narrow(int dim, long start, long length)
    {
        long size = Size(dim);
        if (start < 0) start += size;
        if (start < 0 || length < 0 || start + length > size)
            throw new ArgumentOutOfRangeException(nameof(length), $"Narrow: start {start} and length {length} do not fit dimension {dim} of size {size}");
        return Slice(dim, start, start + length);
    }

    /// <summary>The sub-tensor at one index of a dimension (that dimension removed).</summary>
    public unsafe Tensor Select(int dim, long index)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_select(Handle, dim, index, &r));
        GC.KeepAlive(this);
        return Traced("Select", ViewRecording.Record(this, new Tensor(r), Recording.Wants(this) ? new SelectBackward(ShapeRef, dim, index) : null), dim, index);
    }

    /// <summary>Removes every dimension of size 1.</summary>
    public unsafe Tensor Squeeze()
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_squeeze(Handle, 0, 1, &r));
        GC.KeepAlive(this);
        return Traced("Squeeze", ViewRecording.Record(this, new Tensor(r), Recording.Wants(this) ? new ReshapeBackward("SqueezeBackward", ShapeRef) : null));
    }

    /// <summary>Removes a dimension if its size is 1.</summary>
    public unsafe Tensor Squeeze(int dim)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_squeeze(Handle, dim, 0, &r));
        GC.KeepAlive(this);
        return Traced("Squeeze", ViewRecording.Record(this, new Tensor(r), Recording.Wants(this) ? new ReshapeBackward("SqueezeBackward", ShapeRef) : null));
    }

    /// <summary>Inserts a dimension of size 1.</summary>
    public unsafe Tensor Unsqueeze(int dim)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_unsqueeze(Handle, dim, &r));
        GC.KeepAlive(this);
        return Traced("Unsqueeze", ViewRecording.Record(this, new Tensor(r), Recording.Wants(this) ? new ReshapeBackward("UnsqueezeBackward", ShapeRef) : null));
    }

    /// <summary>Merges dimensions startDim..endDim into one (a view when possible).</summary>
    public unsafe Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_flatten(Handle, startDim, endDim, &r));
        GC.KeepAlive(this);
        return Traced("Flatten", ViewRecording.RecordMaybeView(this, new Tensor(r), Recording.Wants(this) ? new ReshapeBackward("FlattenBackward", ShapeRef) : null));
    }

    /// <summary>A view with explicit sizes, strides (elements) and storage offset; checked to stay inside the storage.</summary>
    public unsafe Tensor AsStrided(long[] shape, long[] strides, long storageOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(strides);
        if (shape.Length != strides.Length) throw new ArgumentException($"AsStrided: {shape.Length} sizes but {strides.Length} strides");
        nint r;
        fixed (long* s = shape)
        fixed (long* st = strides)
            Ensure.Ok(NativeMethods.wk_tensor_as_strided(Handle, s, st, shape.Length, storageOffset, &r));
        GC.KeepAlive(this);
        return ViewRecording.Record(this, new Tensor(r), Recording.Wants(this) ? new AsStridedBackward() : null);
    }
}
