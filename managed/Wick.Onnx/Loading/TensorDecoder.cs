using System;
using System.IO;
using System.Runtime.InteropServices;
using Google.Protobuf.Collections;
using Wick.IO;
using Wick.Onnx.Proto;
using DataType = Wick.Onnx.Proto.TensorProto.Types.DataType;
using DataLocation = Wick.Onnx.Proto.TensorProto.Types.DataLocation;

namespace Wick.Onnx.Loading;

/// <summary>
/// TensorProto → Tensor with every check done before the allocation: a known element type Wick can hold, dims that
/// are non-negative, at most 16 of them, with an element count and byte size that do not overflow, and data in
/// exactly one place (raw_data, the typed field of its element type, or external data) whose size is exactly what
/// the dims need. So a tensor is never bigger than the bytes that back it. Typed values are range-checked (an
/// INT8 stored in int32_data must fit in 8 bits; booleans are 0 or 1).
/// </summary>
internal static unsafe class TensorDecoder
{
    public const int MaxRank = 16;

    /// <summary>The checked dtype, shape and byte size of a tensor (nothing allocated).</summary>
    public static (DType DType, long[] Shape, long Count, long Bytes) Describe(TensorProto t, string what, OnnxSource source)
    {
        if (!t.HasDataType) throw source.Error($"{what} has no data_type");
        DType dtype = OnnxDTypes.ToWick(t.DataType, out string? problem) ?? throw source.Error($"{what} has {problem}");
        if (t.Dims.Count > MaxRank) throw source.Error($"{what} has {t.Dims.Count} dims; Wick supports at most {MaxRank}");
        var shape = new long[t.Dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; ++i)
        {
            long d = t.Dims[i];
            if (d < 0) throw source.Error($"{what} has the negative dimension {d} at position {i}");
            shape[i] = d;
            try { count = checked(count * d); }
            catch (OverflowException) { throw source.Error($"{what} has dims [{string.Join(", ", t.Dims)}], whose element count overflows a 64-bit integer"); }
        }
        long bytes;
        try { bytes = checked(count * dtype.ElementSize()); }
        catch (OverflowException) { throw source.Error($"{what} has dims [{string.Join(", ", t.Dims)}], whose byte size overflows a 64-bit integer"); }
        return (dtype, shape, count, bytes);
    }

    /// <summary>Decodes a tensor onto the CPU. <paramref name="external"/> reads external data (null: refused).</summary>
    public static Tensor Decode(TensorProto t, string what, OnnxSource source, ExternalData? external)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX tensor data is little-endian and this machine is not");
        if (t.Segment is not null) throw source.NotSupported($"{what} is a segment of a larger tensor (TensorProto.segment), which Wick does not read");
        (DType dtype, long[] shape, long count, long bytes) = Describe(t, what, source);

        string? typed = TypedFieldsInUse(t, out long typedCount);
        bool isExternal = t.HasDataLocation && t.DataLocation == DataLocation.External;
        if (t.HasDataLocation && t.DataLocation != DataLocation.External && t.DataLocation != DataLocation.Default)
            throw source.Error($"{what} has the unknown data_location {(int)t.DataLocation}");
        if (!isExternal && t.ExternalData.Count > 0)
            throw source.Error($"{what} has external_data entries but its data_location is not EXTERNAL");
        int places = (t.HasRawData ? 1 : 0) + (typed is null ? 0 : 1) + (isExternal ? 1 : 0);
        if (places > 1)
            throw source.Error($"{what} has its data in more than one place ({Places(t.HasRawData, typed, isExternal)}); a tensor keeps it in exactly one");

        // Every size is checked against the bytes really there before the tensor is allocated.
        (Microsoft.Win32.SafeHandles.SafeFileHandle? Handle, long Offset) file = default;
        if (t.HasRawData)
        {
            if (t.RawData.Length != bytes)
                throw source.Error($"{what}: raw_data holds {t.RawData.Length} bytes, but dims [{string.Join(", ", t.Dims)}] of {OnnxDTypes.Name(t.DataType)} need {bytes}");
        }
        else if (isExternal)
        {
            if (external is null)
                throw source.Error($"{what} is stored in an external file, which is not allowed here (a tensor file has no folder to read it from)");
            file = external.Locate(t, what, bytes);
        }
        else if (typed is not null)
        {
            CheckTyped(t, dtype, count, typed, typedCount, what, source);
        }
        else if (count != 0)
        {
            throw source.Error($"{what} has {count} elements but no data (no raw_data, typed data or external data)");
        }

        Tensor result = Tensor.Empty(shape, dtype);
        try
        {
            if (t.HasRawData) FromRaw(t, result, bytes);
            else if (isExternal) FromExternal(file.Handle, file.Offset, result, bytes, what, source);
            else if (typed is not null) FromTyped(t, result, dtype, what, source);
            if (dtype == DType.Bool) CheckBooleans(result, bytes, what, source);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static string Places(bool raw, string? typed, bool external) =>
        string.Join(", ", Array.FindAll(new[] { raw ? "raw_data" : null, typed, external ? "external data" : null }, s => s is not null));

    /// <summary>The one typed field holding values (null if none), and how many it holds; two typed fields in use is an error.</summary>
    private static string? TypedFieldsInUse(TensorProto t, out long count)
    {
        string? name = null;
        count = 0;
        void Use(string field, int n, ref string? name, ref long count)
        {
            if (n == 0) return;
            name = name is null ? field : name + ", " + field;
            count = n;
        }
        Use("float_data", t.FloatData.Count, ref name, ref count);
        Use("int32_data", t.Int32Data.Count, ref name, ref count);
        Use("string_data", t.StringData.Count, ref name, ref count);
        Use("int64_data", t.Int64Data.Count, ref name, ref count);
        Use("double_data", t.DoubleData.Count, ref name, ref count);
        Use("uint64_data", t.Uint64Data.Count, ref name, ref count);
        return name;
    }

    private static void FromRaw(TensorProto t, Tensor result, long bytes)
    {
        if (bytes > 0) t.RawData.Span.CopyTo(new Span<byte>(TensorBytes.Pointer(result), (int)bytes));
        GC.KeepAlive(result);
    }

    private static void FromExternal(Microsoft.Win32.SafeHandles.SafeFileHandle? handle, long offset, Tensor result, long bytes, string what, OnnxSource source)
    {
        if (handle is null) return;
        byte* p = TensorBytes.Pointer(result);
        for (long done = 0; done < bytes;)
        {
            int chunk = (int)Math.Min(TensorBytes.ChunkBytes, bytes - done);
            int n = RandomAccess.Read(handle, new Span<byte>(p + done, chunk), offset + done);
            if (n <= 0) throw source.Error($"{what}: the external data file ended after {done} of {bytes} bytes");
            done += n;
        }
        GC.KeepAlive(result);
    }

    private static string TypedField(DType dtype) => dtype switch
    {
        DType.Float32 => "float_data",
        DType.Float64 => "double_data",
        DType.Int64 => "int64_data",
        _ => "int32_data",
    };

    private static void CheckTyped(TensorProto t, DType dtype, long count, string field, long typedCount, string what, OnnxSource source)
    {
        string expected = TypedField(dtype);
        if (field != expected)
            throw source.Error($"{what} is {OnnxDTypes.Name(t.DataType)} but its values are in {field}; that type's values belong in {expected}");
        if (typedCount != count)
            throw source.Error($"{what}: {field} holds {typedCount} values, but dims [{string.Join(", ", t.Dims)}] need {count}");
        if (dtype is DType.Float32 or DType.Float64 or DType.Int64 or DType.Int32) return;
        // Narrow types travel in int32_data, one value per element: INT16/INT8/UINT8/BOOL as numbers,
        // FLOAT16/BFLOAT16 as their 16-bit patterns. Each must fit.
        (long lo, long hi) = Range(dtype);
        for (int i = 0; i < t.Int32Data.Count; ++i)
        {
            int v = t.Int32Data[i];
            if (v < lo || v > hi)
                throw source.Error($"{what} is {OnnxDTypes.Name(t.DataType)} but int32_data[{i}] is {v}, outside [{lo}, {hi}]");
        }
    }

    private static (long, long) Range(DType dtype) => dtype switch
    {
        DType.Int16 => (short.MinValue, short.MaxValue),
        DType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DType.UInt8 => (0, 255),
        DType.Bool => (0, 1),
        _ => (0, ushort.MaxValue),
    };

    private static void FromTyped(TensorProto t, Tensor result, DType dtype, string what, OnnxSource source)
    {
        byte* p = TensorBytes.Pointer(result);
        switch (dtype)
        {
            case DType.Float32: CopyAll(t.FloatData, (float*)p); break;
            case DType.Float64: CopyAll(t.DoubleData, (double*)p); break;
            case DType.Int64: CopyAll(t.Int64Data, (long*)p); break;
            case DType.Int32: CopyAll(t.Int32Data, (int*)p); break;
            default:
                int size = dtype.ElementSize();
                for (int i = 0; i < t.Int32Data.Count; ++i)
                {
                    int v = t.Int32Data[i];
                    if (size == 1) p[i] = (byte)v;
                    else ((ushort*)p)[i] = (ushort)v;
                }
                break;
        }
        GC.KeepAlive(result);
    }

    private static void CopyAll<T>(RepeatedField<T> values, T* into) where T : unmanaged
    {
        int i = 0;
        foreach (T v in values) into[i++] = v;
    }

    private static void CheckBooleans(Tensor t, long bytes, string what, OnnxSource source)
    {
        byte* p = TensorBytes.Pointer(t);
        for (long i = 0; i < bytes; ++i)
        {
            if (p[i] > 1)
            {
                GC.KeepAlive(t);
                throw source.Error($"{what} is BOOL but element {i} is the byte {p[i]}; booleans must be 0 or 1");
            }
        }
        GC.KeepAlive(t);
    }

    /// <summary>A TensorProto holding a tensor's values in raw_data (the form exporters write).</summary>
    public static TensorProto Encode(Tensor tensor, string name)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX tensor data is little-endian and this machine is not");
        using Tensor c = TensorBytes.ContiguousCpu(tensor);
        long bytes = TensorBytes.Length(c);
        if (bytes > int.MaxValue - 1024)
            throw new ArgumentException($"ONNX export: tensor '{name}' is {bytes} bytes, more than one protobuf message can hold (2 GiB)");
        var proto = new TensorProto { Name = name, DataType = OnnxDTypes.FromWick(c.DType) };
        proto.Dims.AddRange(c.Shape);
        proto.RawData = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(new ReadOnlySpan<byte>(TensorBytes.Pointer(c), (int)bytes).ToArray());
        GC.KeepAlive(c);
        return proto;
    }
}
