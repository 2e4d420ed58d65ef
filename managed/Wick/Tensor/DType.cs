using System;

namespace Wick;

/// <summary>Element types. The numbers are the native ABI ids and never change.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float (the default floating type).</summary>
    Float32 = 0,
    /// <summary>64-bit IEEE float.</summary>
    Float64 = 1,
    /// <summary>16-bit IEEE float (stored; CPU arithmetic runs in float32 and rounds back).</summary>
    Float16 = 2,
    /// <summary>bfloat16 (stored; CPU arithmetic runs in float32 and rounds back).</summary>
    BFloat16 = 3,
    /// <summary>64-bit signed integer (the default integer type).</summary>
    Int64 = 4,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 5,
    /// <summary>16-bit signed integer.</summary>
    Int16 = 6,
    /// <summary>8-bit signed integer.</summary>
    Int8 = 7,
    /// <summary>8-bit unsigned integer.</summary>
    UInt8 = 8,
    /// <summary>Boolean (one byte, 0 or 1).</summary>
    Bool = 9,
}

/// <summary>Facts about dtypes.</summary>
public static class DTypeInfo
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.Float16 or DType.BFloat16 or DType.Int16 => 2,
        DType.Int8 or DType.UInt8 or DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for Float16, BFloat16, Float32 and Float64.</summary>
    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16;

    /// <summary>The dtype that holds values of the .NET type <typeparamref name="T"/>.</summary>
    public static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(Half)) return DType.Float16;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(short)) return DType.Int16;
        if (typeof(T) == typeof(sbyte)) return DType.Int8;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        throw new DTypeException($"the .NET type {typeof(T).Name} has no Wick dtype; use float, double, Half, long, int, short, sbyte, byte or bool");
    }

    /// <summary>The dtype for a .NET element type, or null when there is none.</summary>
    internal static DType? FromType(Type t)
    {
        if (t == typeof(float)) return DType.Float32;
        if (t == typeof(double)) return DType.Float64;
        if (t == typeof(Half)) return DType.Float16;
        if (t == typeof(long)) return DType.Int64;
        if (t == typeof(int)) return DType.Int32;
        if (t == typeof(short)) return DType.Int16;
        if (t == typeof(sbyte)) return DType.Int8;
        if (t == typeof(byte)) return DType.UInt8;
        if (t == typeof(bool)) return DType.Bool;
        return null;
    }
}
