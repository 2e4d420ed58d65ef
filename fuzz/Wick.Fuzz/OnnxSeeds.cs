using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Wick.Onnx.Proto;
using DataType = Wick.Onnx.Proto.TensorProto.Types.DataType;

namespace Wick.Fuzz;

/// <summary>Small valid models as fuzzing seeds (the Cake target adds the ONNX node-test models to them).</summary>
internal static class OnnxSeeds
{
    private static ValueInfoProto Value(string name, DataType type, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static TensorProto Floats(string name, long[] dims, int count)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(Enumerable.Range(0, count).SelectMany(i => BitConverter.GetBytes(i * 0.25f - 1)).ToArray());
        return t;
    }

    private static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = op.ToLowerInvariant() };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attributes);
        return n;
    }

    private static void Save(string dir, string name, GraphProto g)
    {
        var m = new ModelProto { IrVersion = 8, ProducerName = "wick-fuzz", Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        File.WriteAllBytes(Path.Combine(dir, name), m.ToByteArray());
    }

    public static void Write(string dir)
    {
        // x: [2, 3] → Gemm with an initializer weight and bias, Relu, ReduceSum.
        var mlp = new GraphProto { Name = "mlp" };
        mlp.Input.Add(Value("x", DataType.Float, 2, 3));
        mlp.Output.Add(Value("y", DataType.Float, 2));
        mlp.Initializer.Add(Floats("w", new long[] { 4, 3 }, 12));
        mlp.Initializer.Add(Floats("b", new long[] { 4 }, 4));
        mlp.Node.Add(Node("Gemm", new[] { "x", "w", "b" }, "h", new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
        mlp.Node.Add(Node("Neg", new[] { "h" }, "r"));
        mlp.Node.Add(Node("ReduceSum", new[] { "r" }, "y", new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 0 }));
        Save(dir, "mlp.onnx", mlp);

        // Reshape through a Constant shape, Transpose, MatMul.
        var shapes = new GraphProto { Name = "shapes" };
        shapes.Input.Add(Value("x", DataType.Float, 6));
        shapes.Output.Add(Value("y", DataType.Float, 3, 3));
        var shape = new TensorProto { Name = "s", DataType = (int)DataType.Int64 };
        shape.Dims.Add(2);
        shape.Int64Data.Add(new long[] { 2, 3 });
        shapes.Node.Add(Node("Constant", Array.Empty<string>(), "shape", new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = shape }));
        shapes.Node.Add(Node("Reshape", new[] { "x", "shape" }, "m"));
        shapes.Node.Add(Node("Transpose", new[] { "m" }, "t"));
        shapes.Node.Add(Node("MatMul", new[] { "t", "m" }, "y"));
        Save(dir, "shapes.onnx", shapes);

        // An initializer in the external file weights.bin (the fuzz folder has one of 256 bytes).
        var ext = new GraphProto { Name = "external" };
        ext.Input.Add(Value("x", DataType.Float, 4));
        ext.Output.Add(Value("y", DataType.Float, 4));
        var w = new TensorProto { Name = "w", DataType = (int)DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        w.Dims.Add(4);
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        w.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "16" });
        w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "16" });
        ext.Initializer.Add(w);
        ext.Node.Add(Node("Mul", new[] { "x", "w" }, "y"));
        Save(dir, "external.onnx", ext);
    }
}
