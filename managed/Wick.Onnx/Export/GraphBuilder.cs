using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Wick.IO;
using Wick.Onnx.Loading;
using Wick.Onnx.Proto;

namespace Wick.Onnx.Export;

/// <summary>
/// A value of the graph being built: its name, the shape and dtype it had in the traced run, and which axis (if any)
/// is the dynamic batch axis (-1: none, the value's shape does not depend on the batch size).
/// </summary>
internal sealed class Value
{
    public Value(string name, long[] shape, DType dtype, int batch)
    {
        Name = name;
        Shape = shape;
        DType = dtype;
        Batch = batch;
    }

    public string Name { get; }
    public long[] Shape { get; }
    public DType DType { get; }
    public int Batch { get; }
    public int Rank => Shape.Length;

    /// <summary>Writes the nodes computing this value, for an output computed only when something uses it; then null.</summary>
    public Action? Emit { get; set; }

    /// <summary>Why this value cannot be used in the exported graph (an op's output ONNX does not provide), or null.</summary>
    public string? Unusable { get; init; }
}

/// <summary>Accumulates nodes and initializers, and names values deterministically (two traces give byte-identical graphs).</summary>
internal sealed class GraphBuilder
{
    private readonly GraphProto _graph = new() { Name = "wick" };
    private readonly Dictionary<string, string> _constCache = new(StringComparer.Ordinal);
    private int _next;

    public GraphProto Graph => _graph;

    public string Fresh(string prefix) => $"{prefix}_{_next++}";

    /// <summary>Adds a node; returns its first output's name.</summary>
    public string Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = opType, Name = $"{opType}_{_graph.Node.Count}" };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        _graph.Node.Add(n);
        return outputs.Length > 0 ? outputs[0] : "";
    }

    /// <summary>Adds a single-output node with a fresh output name; returns it.</summary>
    public string Op(string opType, string[] inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, new[] { Fresh(opType.ToLowerInvariant()) }, attributes);

    public static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };

    public static AttributeProto Float(string name, double v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)v };

    public static AttributeProto Str(string name, string v) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };

    public static AttributeProto Ints(string name, IEnumerable<long> v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    /// <summary>An initializer holding a tensor's values (copied now), under <paramref name="name"/>.</summary>
    public unsafe void Initializer(string name, Tensor t)
    {
        using Tensor c = TensorBytes.ContiguousCpu(t);
        long length = TensorBytes.Length(c);
        var proto = new TensorProto { Name = name, DataType = OnnxDTypes.FromWick(c.DType) };
        proto.Dims.AddRange(c.Shape);
        proto.RawData = ByteString.CopyFrom(new ReadOnlySpan<byte>(TensorBytes.Pointer(c), checked((int)length)));
        GC.KeepAlive(c);
        _graph.Initializer.Add(proto);
    }

    /// <summary>An int64 vector constant (shapes, axes, pads), shared between the nodes that use the same values.</summary>
    public string Int64s(params long[] values) => Const(DType.Int64, new long[] { values.Length },
        values.SelectMany(BitConverter.GetBytes).ToArray(), "i64:" + string.Join(",", values));

    /// <summary>A float32 vector constant (Resize scales).</summary>
    public string Floats(params double[] values) => Const(DType.Float32, new long[] { values.Length },
        values.SelectMany(v => BitConverter.GetBytes((float)v)).ToArray(), "f32:" + string.Join(",", values.Select(v => v.ToString("R"))));

    /// <summary>An int64 scalar (0-d) constant.</summary>
    public string Int64Scalar(long value) => Const(DType.Int64, Array.Empty<long>(), BitConverter.GetBytes(value), "i64s:" + value);

    /// <summary>A 0-d constant of <paramref name="dtype"/> holding <paramref name="value"/> (rounded as a cast would).</summary>
    public string Scalar(double value, DType dtype) => Filled(value, dtype, Array.Empty<long>());

    /// <summary>A constant of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public string Filled(double value, DType dtype, long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        byte[] one = dtype switch
        {
            DType.Float32 => BitConverter.GetBytes((float)value),
            DType.Float64 => BitConverter.GetBytes(value),
            DType.Float16 => BitConverter.GetBytes((Half)value),
            DType.BFloat16 => BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits((float)value) >> 16)),
            DType.Int64 => BitConverter.GetBytes((long)value),
            DType.Int32 => BitConverter.GetBytes((int)value),
            DType.Int16 => BitConverter.GetBytes((short)value),
            DType.Int8 => new[] { (byte)(sbyte)value },
            DType.UInt8 => new[] { (byte)value },
            DType.Bool => new[] { (byte)(value != 0 ? 1 : 0) },
            _ => throw new OnnxNotSupportedException($"ONNX export: no constant of dtype {dtype}"),
        };
        var bytes = new byte[one.Length * n];
        for (long i = 0; i < n; ++i) one.CopyTo(bytes, i * one.Length);
        return Const(dtype, shape, bytes, $"{dtype}:{value:R}:{string.Join(",", shape)}");
    }

    private string Const(DType dtype, long[] shape, byte[] raw, string key)
    {
        if (_constCache.TryGetValue(key, out var name)) return name;
        name = Fresh("const");
        var proto = new TensorProto { Name = name, DataType = OnnxDTypes.FromWick(dtype), RawData = ByteString.CopyFrom(raw) };
        proto.Dims.AddRange(shape);
        _graph.Initializer.Add(proto);
        _constCache[key] = name;
        return name;
    }

    /// <summary>The graph input or output declaration of <paramref name="v"/>, its batch axis named "batch".</summary>
    public static ValueInfoProto Info(string name, Value v, bool dynamicBatch)
    {
        var shape = new TensorShapeProto();
        for (int i = 0; i < v.Rank; ++i)
            shape.Dim.Add(dynamicBatch && i == v.Batch
                ? new TensorShapeProto.Types.Dimension { DimParam = "batch" }
                : new TensorShapeProto.Types.Dimension { DimValue = v.Shape[i] });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxDTypes.FromWick(v.DType), Shape = shape } },
        };
    }
}
