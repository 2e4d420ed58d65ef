using System;
using System.Runtime.InteropServices;
using Wick.Interop;
using Wick.Native;

namespace Wick;

public sealed partial class Tensor
{
    /// <summary>
    /// A tensor with the shape and element type of a rectangular .NET array of any rank
    /// (float[], double[,], long[,,], ...). Jagged arrays (float[][]) are refused: use a rectangular array.
    /// </summary>
    public static unsafe Tensor FromArray(Array array, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(array);
        Type element = array.GetType().GetElementType()!;
        if (element.IsArray)
            throw new ArgumentException(
                $"FromArray: jagged arrays ({array.GetType().Name}) are not supported because their rows may differ in length; " +
                "use a rectangular array such as float[,] or FromArray(data, shape)", nameof(array));
        DType dtype = DTypeInfo.FromType(element)
            ?? throw new DTypeException($"FromArray: element type {element.Name} has no Wick dtype; use float, double, Half, long, int, short, sbyte, byte or bool");
        var shape = new long[array.Rank];
        for (int i = 0; i < shape.Length; ++i) shape[i] = array.GetLength(i);
        // Rectangular arrays are stored row-major and contiguous, whatever their rank.
        ref byte first = ref MemoryMarshal.GetArrayDataReference(array);
        nuint nbytes = (nuint)array.LongLength * (nuint)dtype.ElementSize();
        fixed (byte* p = &first) return FromPointer(p, nbytes, shape, dtype, device ?? Device.Cpu);
    }

    /// <summary>A tensor of the given shape (1-D when no shape is given) holding a copy of <paramref name="data"/>, row-major.</summary>
    public static unsafe Tensor FromArray<T>(T[] data, params long[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan<T>(data, shape.Length == 0 ? new long[] { data.Length } : shape);
    }

    /// <summary>A CPU tensor of the given shape holding a copy of <paramref name="data"/> (row-major).</summary>
    public static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, long[] shape, Device? device = null) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        DType dtype = DTypeInfo.Of<T>();
        fixed (T* p = data) return FromPointer(p, (nuint)data.Length * (nuint)sizeof(T), shape, dtype, device ?? Device.Cpu);
    }

    private static unsafe Tensor FromPointer(void* data, nuint nbytes, long[] shape, DType dtype, Device device)
    {
        nint h;
        fixed (long* s = shape)
            Ensure.Ok(NativeMethods.wk_tensor_from_data(data, nbytes, s, shape.Length, (wk_dtype)dtype, (wk_device_type)device.Type, device.Index, &h));
        return new Tensor(h);
    }

    /// <summary>The value of a one-element tensor, converted to <typeparamref name="T"/>.</summary>
    public unsafe T Item<T>() where T : unmanaged
    {
        wk_scalar s;
        Ensure.Ok(NativeMethods.wk_tensor_item(Handle, &s));
        GC.KeepAlive(this);
        bool isFloat = s.kind == (int)wk_scalar_kind.WK_SCALAR_FLOAT;
        if (typeof(T) == typeof(float)) return (T)(object)(float)(isFloat ? s.f : s.i);
        if (typeof(T) == typeof(double)) return (T)(object)(isFloat ? s.f : s.i);
        if (typeof(T) == typeof(Half)) return (T)(object)(Half)(isFloat ? s.f : s.i);
        if (typeof(T) == typeof(bool)) return (T)(object)(isFloat ? s.f != 0 : s.i != 0);
        long whole = isFloat ? checked((long)s.f) : s.i;
        if (typeof(T) == typeof(long)) return (T)(object)whole;
        if (typeof(T) == typeof(int)) return (T)(object)checked((int)whole);
        if (typeof(T) == typeof(short)) return (T)(object)checked((short)whole);
        if (typeof(T) == typeof(sbyte)) return (T)(object)checked((sbyte)whole);
        if (typeof(T) == typeof(byte)) return (T)(object)checked((byte)whole);
        throw new DTypeException($"Item: {typeof(T).Name} is not a Wick element type");
    }

    /// <summary>A copy of the elements in row-major order. <typeparamref name="T"/> must match <see cref="DType"/>.</summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        CheckElementType<T>("ToArray");
        var result = new T[checked((int)NumberOfElements)];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the elements in row-major order into <paramref name="destination"/>, whose length must equal the element count.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>("CopyTo");
        fixed (T* p = destination)
            Ensure.Ok(NativeMethods.wk_tensor_copy_to_host(Handle, p, (nuint)destination.Length * (nuint)sizeof(T)));
        GC.KeepAlive(this);
    }

    private void CheckElementType<T>(string op) where T : unmanaged
    {
        DType want = DTypeInfo.Of<T>();
        if (want != DType)
            throw new DTypeException($"{op}<{typeof(T).Name}>: the tensor holds {DType}; read it as its own type or convert it first with To(DType.{want})");
    }
}
