using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

public sealed partial class Tensor
{
    /// <summary>A tensor with uninitialised contents.</summary>
    public static unsafe Tensor Empty(long[] shape, DType dtype = DType.Float32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Device d = device ?? Device.Cpu;
        nint h;
        fixed (long* p = shape) Ensure.Ok(NativeMethods.wk_tensor_empty(p, shape.Length, (wk_dtype)dtype, (wk_device_type)d.Type, d.Index, &h));
        return new Tensor(h);
    }

    /// <summary>A CPU tensor in pinned (page-locked) host memory, uninitialised: copies from it to a GPU can run asynchronously. Needs the CUDA backend.</summary>
    public static unsafe Tensor EmptyPinned(long[] shape, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(shape);
        nint h;
        fixed (long* p = shape) Ensure.Ok(NativeMethods.wk_tensor_empty_pinned(p, shape.Length, (wk_dtype)dtype, &h));
        return new Tensor(h);
    }

    /// <summary>A float32 CPU tensor with uninitialised contents.</summary>
    public static Tensor Empty(params long[] shape) => Empty(shape, DType.Float32);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(long[] shape, double value, DType dtype = DType.Float32, Device? device = null) =>
        FullScalar(shape, Scalars.For(dtype, value), dtype, device);

    private static unsafe Tensor FullScalar(long[] shape, wk_scalar value, DType dtype, Device? device)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Device d = device ?? Device.Cpu;
        nint h;
        fixed (long* p = shape)
            Ensure.Ok(NativeMethods.wk_tensor_full(p, shape.Length, (wk_dtype)dtype, (wk_device_type)d.Type, d.Index, &value, &h));
        var t = new Tensor(h);
        OpTracer.Current?.Op("Full", Array.Empty<Tensor?>(), new[] { t }, (long[])shape.Clone(), value, dtype);
        return t;
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(long[] shape, DType dtype = DType.Float32, Device? device = null) =>
        FullScalar(shape, Scalars.Int(0), dtype, device);

    /// <summary>A float32 CPU tensor of zeros.</summary>
    public static Tensor Zeros(params long[] shape) => Zeros(shape, DType.Float32);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(long[] shape, DType dtype = DType.Float32, Device? device = null) =>
        FullScalar(shape, Scalars.Int(1), dtype, device);

    /// <summary>A float32 CPU tensor of ones.</summary>
    public static Tensor Ones(params long[] shape) => Ones(shape, DType.Float32);

    /// <summary>Zeros with this tensor's shape, dtype and device.</summary>
    public Tensor ZerosLike() => Zeros(Shape, DType, Device);

    /// <summary>Ones with this tensor's shape, dtype and device.</summary>
    public Tensor OnesLike() => Ones(Shape, DType, Device);

    /// <summary>A 0-d tensor holding one value.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) =>
        Full(Array.Empty<long>(), value, dtype, device);

    /// <summary>A 0-d int64 tensor holding one value.</summary>
    public static Tensor Scalar(long value, Device? device = null) =>
        FullScalar(Array.Empty<long>(), Scalars.Int(value), DType.Int64, device);

    /// <summary>Values start, start + step, ... below end (int64 when all three are whole numbers and no dtype is given).</summary>
    public static unsafe Tensor Arange(double start, double end, double step = 1, DType? dtype = null, Device? device = null)
    {
        DType dt = dtype ?? (IsWhole(start) && IsWhole(end) && IsWhole(step) ? DType.Int64 : DType.Float32);
        Device d = device ?? Device.Cpu;
        nint h;
        Ensure.Ok(NativeMethods.wk_tensor_arange(start, end, step, (wk_dtype)dt, (wk_device_type)d.Type, d.Index, &h));
        return new Tensor(h);
    }

    /// <summary>Values 0, 1, ..., end - 1 as int64.</summary>
    public static Tensor Arange(long end, Device? device = null) => Arange(0, end, 1, DType.Int64, device);

    private static bool IsWhole(double v) => Math.Floor(v) == v && Math.Abs(v) < 9e15;

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static unsafe Tensor Linspace(double start, double end, long steps, DType dtype = DType.Float32, Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        nint h;
        Ensure.Ok(NativeMethods.wk_tensor_linspace(start, end, steps, (wk_dtype)dtype, (wk_device_type)d.Type, d.Index, &h));
        return new Tensor(h);
    }

    /// <summary>An identity matrix (rows × cols, cols defaulting to rows).</summary>
    public static unsafe Tensor Eye(long rows, long? cols = null, DType dtype = DType.Float32, Device? device = null)
    {
        Device d = device ?? Device.Cpu;
        nint h;
        Ensure.Ok(NativeMethods.wk_tensor_eye(rows, cols ?? rows, (wk_dtype)dtype, (wk_device_type)d.Type, d.Index, &h));
        return new Tensor(h);
    }
}
