using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>
/// An n-dimensional array on a device: a view (sizes, strides, offset, dtype) of native memory
/// shared with other views. Dispose it (or use a <see cref="DisposeScope"/>) to free the memory
/// deterministically; a forgotten tensor is freed by the garbage collector, which is told how much
/// native memory tensors hold.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private TensorHandle _handle;  // replaced only by SetData (Module.To)
    private int _ndim = -1;
    private int _dtype = -1;
    private long[]? _shape;

    /// <summary>Takes ownership of a native reference (one that the caller must release).</summary>
    internal Tensor(nint handle)
    {
        _handle = new TensorHandle(handle);
        MemoryPressure.Update();
        DisposeScope.Current?.Register(this);
        OpTracer.Current?.Created(this);
    }

    /// <summary>
    /// A second managed owner of <paramref name="source"/>'s native tensor (its own reference, taken
    /// with wk_tensor_retain), outside every <see cref="DisposeScope"/>: autograd keeps saved tensors
    /// and gradients alive this way, whatever the user does with their own Tensor objects.
    /// </summary>
    private Tensor(Tensor source)
    {
        nint h = source.Handle;
        Ensure.Ok(NativeMethods.wk_tensor_retain(h));
        GC.KeepAlive(source);
        _handle = new TensorHandle(h);
        _ndim = source._ndim;
        _dtype = source._dtype;
        _shape = source._shape;
    }

    /// <summary>A new owner of the same native tensor, not tracked by any scope and without autograd history.</summary>
    internal Tensor NewReference() => new(this);

    /// <summary>The native handle; throws <see cref="ObjectDisposedException"/> after Dispose.</summary>
    internal nint Handle
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            TensorHandle h = _handle;
            if (h.IsClosed) ThrowDisposed();
            return h.DangerousGetHandle();
        }
    }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>
    /// Frees this tensor's reference to its memory (and the gradient it owns, see <see cref="Grad"/>).
    /// A second call does nothing.
    /// </summary>
    public void Dispose()
    {
        if (_meta is { } meta && ReferenceEquals(meta.Owner, this)) meta.ReleaseGrad();
        _handle.Dispose();
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() =>
        throw new ObjectDisposedException(nameof(Tensor), "The tensor was disposed and can no longer be used.");

    /// <summary>Number of dimensions.</summary>
    public unsafe int Dim
    {
        get
        {
            if (_ndim < 0)
            {
                int n;
                Ensure.Ok(NativeMethods.wk_tensor_ndim(Handle, &n));
                GC.KeepAlive(this);
                _ndim = n;
            }
            return _ndim;
        }
    }

    /// <summary>Element type.</summary>
    public unsafe DType DType
    {
        get
        {
            if (_dtype < 0)
            {
                wk_dtype d;
                Ensure.Ok(NativeMethods.wk_tensor_dtype(Handle, &d));
                GC.KeepAlive(this);
                _dtype = (int)d;
            }
            return (DType)_dtype;
        }
    }

    /// <summary>The sizes of the dimensions (a copy: changing it does not change the tensor).</summary>
    public long[] Shape => (long[])ShapeRef.Clone();

    /// <summary>The cached sizes, shared: callers must not modify the array (a tensor's shape never changes).</summary>
    internal unsafe long[] ShapeRef
    {
        get
        {
            if (_shape is { } cached) return cached;
            var sizes = new long[Dim];
            fixed (long* p = sizes) Ensure.Ok(NativeMethods.wk_tensor_sizes(Handle, p, sizes.Length));
            GC.KeepAlive(this);
            return _shape = sizes;
        }
    }

    /// <summary>The size of one dimension (negative counts from the end).</summary>
    public long Size(int dim) => ShapeRef[NormalizeDim(dim, Dim)];

    /// <summary>Strides in elements.</summary>
    public unsafe long[] Strides
    {
        get
        {
            var strides = new long[Dim];
            fixed (long* p = strides) Ensure.Ok(NativeMethods.wk_tensor_strides(Handle, p, strides.Length));
            GC.KeepAlive(this);
            return strides;
        }
    }

    /// <summary>Offset of the first element in its storage, in elements.</summary>
    public unsafe long StorageOffset
    {
        get
        {
            long v;
            Ensure.Ok(NativeMethods.wk_tensor_offset(Handle, &v));
            GC.KeepAlive(this);
            return v;
        }
    }

    /// <summary>Total number of elements.</summary>
    public unsafe long NumberOfElements
    {
        get
        {
            long n;
            Ensure.Ok(NativeMethods.wk_tensor_numel(Handle, &n));
            GC.KeepAlive(this);
            return n;
        }
    }

    /// <summary>The device holding the tensor's memory.</summary>
    public unsafe Device Device
    {
        get
        {
            wk_device_type t;
            int i;
            Ensure.Ok(NativeMethods.wk_tensor_device(Handle, &t, &i));
            GC.KeepAlive(this);
            return new Device((DeviceType)t, i);
        }
    }

    /// <summary>True when the elements are laid out row-major without gaps.</summary>
    public unsafe bool IsContiguous
    {
        get
        {
            int c;
            Ensure.Ok(NativeMethods.wk_tensor_is_contiguous(Handle, &c));
            GC.KeepAlive(this);
            return c != 0;
        }
    }

    /// <summary>The storage's version counter, bumped by every in-place write through any view of it.</summary>
    public unsafe long Version
    {
        get
        {
            long v;
            Ensure.Ok(NativeMethods.wk_tensor_version(Handle, &v));
            GC.KeepAlive(this);
            return v;
        }
    }

    /// <summary>An id shared by every view of the same storage.</summary>
    public unsafe ulong StorageId
    {
        get
        {
            ulong v;
            Ensure.Ok(NativeMethods.wk_tensor_storage_id(Handle, &v));
            GC.KeepAlive(this);
            return v;
        }
    }

    /// <summary>Wraps a negative dimension and checks its range (0-d tensors accept 0 and -1).</summary>
    internal static int NormalizeDim(int dim, int ndim)
    {
        int n = Math.Max(ndim, 1);
        if (dim < -n || dim >= n)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"dimension {dim} is out of range for a tensor with {ndim} dimensions (expected {-n} to {n - 1})");
        return dim < 0 ? dim + n : dim;
    }
}
