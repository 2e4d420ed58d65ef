using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

public sealed partial class Tensor
{
    /// <summary>
    /// This tensor with another dtype and/or device (a new reference to the same tensor when nothing
    /// changes, unless copy is true). With <paramref name="nonBlocking"/>, a copy from pinned host memory
    /// (<see cref="PinMemory"/>) to a GPU is only queued on the current stream and the call returns at
    /// once: leave the source unchanged until the stream has reached the copy. Other transfers wait.
    /// </summary>
    public unsafe Tensor To(DType dtype, Device device, bool copy = false, bool nonBlocking = false)
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_to_ex(Handle, (wk_dtype)dtype, (wk_device_type)device.Type, device.Index, copy ? 1 : 0,
                                                nonBlocking ? 1 : 0, &r));
        GC.KeepAlive(this);
        var result = new Tensor(r);
        OpTracer.Current?.Op("To", new[] { this }, new[] { result }, dtype);
        if (!Recording.Wants(this)) return result;
        if (r == Handle) return SameVariable(result);  // nothing changed: the same tensor, as PyTorch returns self
        if (!dtype.IsFloatingPoint()) return result;     // integer results carry no gradient
        var node = new ToCopyBackward(DType, Device) { Next = new[] { GradientEdge() } };
        return Recording.Attach(result, node);
    }

    /// <summary>A new reference returned for this very tensor: it stands for the same autograd variable.</summary>
    private Tensor SameVariable(Tensor alias)
    {
        if (_requiresGrad && _gradFn is null) EnsureMeta();
        alias.CopyHistoryFrom(this);
        alias._viewBase = _viewBase;
        alias._viewRecorded = _viewRecorded;
        alias._viewBaseFn = _viewBaseFn;
        return alias;
    }

    /// <summary>This tensor converted to a dtype (float to integer truncates toward zero; to Float16/BFloat16 rounds to nearest even).</summary>
    public Tensor To(DType dtype) => To(dtype, Device);

    /// <summary>This tensor on another device.</summary>
    public Tensor To(Device device) => To(DType, device);

    /// <summary>This tensor on another device; see <see cref="To(DType, Device, bool, bool)"/> for <paramref name="nonBlocking"/>.</summary>
    public Tensor To(Device device, bool nonBlocking) => To(DType, device, copy: false, nonBlocking);

    /// <summary>A copy of this CPU tensor in pinned (page-locked) host memory, from which copies to a GPU can run asynchronously (this tensor when it already is pinned and contiguous). Needs the CUDA backend.</summary>
    public unsafe Tensor PinMemory()
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_pin_memory(Handle, &r));
        GC.KeepAlive(this);
        return new Tensor(r);
    }

    /// <summary>True when the tensor's memory is pinned host memory.</summary>
    public unsafe bool IsPinned
    {
        get
        {
            int pinned;
            Ensure.Ok(NativeMethods.wk_tensor_is_pinned(Handle, &pinned));
            GC.KeepAlive(this);
            return pinned != 0;
        }
    }

    /// <summary>This tensor in host memory.</summary>
    public Tensor Cpu() => To(DType, Device.Cpu);

    /// <summary>A contiguous tensor with the same values (a new reference to this one if already contiguous).</summary>
    public unsafe Tensor Contiguous()
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_contiguous(Handle, &r));
        GC.KeepAlive(this);
        var result = new Tensor(r);
        OpTracer.Current?.Op("Contiguous", new[] { this }, new[] { result });
        if (!Recording.Wants(this)) return result;
        if (r == Handle) return SameVariable(result);
        return Recording.Attach(result, new CloneBackward { Next = new[] { GradientEdge() } });
    }

    /// <summary>A copy with its own memory.</summary>
    public unsafe Tensor Clone()
    {
        nint r;
        Ensure.Ok(NativeMethods.wk_tensor_clone(Handle, &r));
        GC.KeepAlive(this);
        var result = new Tensor(r);
        OpTracer.Current?.Op("Clone", new[] { this }, new[] { result });
        return Recording.Wants(this) ? Recording.Attach(result, new CloneBackward { Next = new[] { GradientEdge() } }) : result;
    }

    /// <summary>
    /// Copies <paramref name="source"/> (broadcast and converted) into this tensor; returns this tensor.
    /// With <paramref name="nonBlocking"/>, a copy from pinned host memory to a GPU is only queued (see
    /// <see cref="To(DType, Device, bool, bool)"/>).
    /// </summary>
    public Tensor CopyFrom(Tensor source, bool nonBlocking = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Recording.WantsInPlace(this, source)) CopyBackward.Record(this, source, () => CopyRaw(source, nonBlocking));
        else CopyRaw(source, nonBlocking);
        return this;
    }

    private void CopyRaw(Tensor source, bool nonBlocking)
    {
        Ensure.Ok(NativeMethods.wk_tensor_copy_ex_(Handle, source.Handle, nonBlocking ? 1 : 0));
        GC.KeepAlive(this);
        GC.KeepAlive(source);
    }

    /// <summary>Sets every element to <paramref name="value"/>; returns this tensor.</summary>
    public unsafe Tensor Fill(double value)
    {
        wk_scalar s = Scalars.For(DType, value);
        bool record = Recording.WantsInPlace(this) && DType.IsFloatingPoint();
        Edge old = default;
        if (record)
        {
            InPlace.CheckWritable(this, "Fill");
            old = GradientEdge();
        }
        Ensure.Ok(NativeMethods.wk_tensor_fill_(Handle, &s));
        GC.KeepAlive(this);
        if (record) InPlace.RebaseOverwritten(this, "Fill", old);
        return this;
    }
}
