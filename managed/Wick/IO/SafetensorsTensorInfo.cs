using System;
using System.Collections.Generic;

namespace Wick.IO;

/// <summary>One tensor's entry in a safetensors header: its dtype, shape and byte range in the data section.</summary>
public sealed class SafetensorsTensorInfo
{
    internal SafetensorsTensorInfo(string name, DType dtype, long[] shape, long begin, long end)
    {
        Name = name;
        DType = dtype;
        ShapeArray = shape;
        Shape = Array.AsReadOnly(shape);
        Begin = begin;
        End = end;
    }

    /// <summary>The tensor's name (the state-dict key).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The sizes of the dimensions (empty for a 0-d tensor).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>First byte of the tensor, counted from the start of the data section.</summary>
    public long Begin { get; }

    /// <summary>One past the last byte of the tensor, counted from the start of the data section.</summary>
    public long End { get; }

    /// <summary>The number of bytes (End - Begin).</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape as the array tensors are created from (never handed out).</summary>
    internal long[] ShapeArray { get; }
}
