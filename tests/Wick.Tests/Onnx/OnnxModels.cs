using System;
using System.Linq;
using Google.Protobuf;
using Wick.Onnx.Proto;
using DataType = Wick.Onnx.Proto.TensorProto.Types.DataType;

namespace Wick.Tests.Onnx;

/// <summary>Builders for small ONNX models in tests (through the same generated protobuf classes the loader uses).</summary>
internal static class OnnxModels
{
    public static ValueInfoProto Value(string name, DataType type, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims) shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    public static TensorProto Floats(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        return t;
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, string? name = null, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = name ?? "" };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        return n;
    }

    public static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
    public static AttributeProto Graph(string name, GraphProto g) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = g };

    public static ModelProto Model(GraphProto graph, long opset = 17, long irVersion = 8)
    {
        var m = new ModelProto { IrVersion = irVersion, ProducerName = "wick-tests", Graph = graph };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return m;
    }

    /// <summary>y = x + w with x: FLOAT [2] an input and w an initializer [2] holding (1, 2).</summary>
    public static ModelProto AddModel(TensorProto? w = null)
    {
        var g = new GraphProto { Name = "add" };
        g.Input.Add(Value("x", DataType.Float, 2));
        g.Output.Add(Value("y", DataType.Float, 2));
        g.Initializer.Add(w ?? Floats("w", new[] { 1f, 2f }, 2));
        g.Node.Add(Node("Add", new[] { "x", "w" }, new[] { "y" }, "add"));
        return Model(g);
    }

    public static byte[] Bytes(this IMessage m) => m.ToByteArray();
}
