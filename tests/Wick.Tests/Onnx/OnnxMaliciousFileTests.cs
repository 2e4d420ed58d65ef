using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Wick.Onnx;
using Wick.Onnx.Proto;
using static Wick.Tests.Onnx.OnnxModels;
using DataType = Wick.Onnx.Proto.TensorProto.Types.DataType;
using DataLocation = Wick.Onnx.Proto.TensorProto.Types.DataLocation;

namespace Wick.Tests.Onnx;

/// <summary>
/// Hand-made hostile ONNX files: each must be refused with an OnnxFormatException whose message names the specific
/// problem, from a file (in a folder of its own, with whatever external files the case plants) and, where the case
/// does not depend on the folder, from memory; no tensor may be left behind.
/// </summary>
public class OnnxMaliciousFileTests
{
    /// <summary>A case: builds the model bytes (planting files in the given folder if it needs some).</summary>
    public sealed record Hostile(Func<string, byte[]> Build, string Message, OnnxLoadOptions? Options = null, bool FromMemoryToo = true);

    private static TensorProto External(string location, long dims = 2, params (string Key, string Value)[] extra)
    {
        var t = new TensorProto { Name = "w", DataType = (int)DataType.Float, DataLocation = DataLocation.External };
        t.Dims.Add(dims);
        if (location.Length > 0) t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        foreach (var (k, v) in extra) t.ExternalData.Add(new StringStringEntryProto { Key = k, Value = v });
        return t;
    }

    private static byte[] WithInitializer(TensorProto w) => AddModel(w).Bytes();

    private static TensorProto Tensor(DataType type, long[] dims, Action<TensorProto>? fill = null)
    {
        var t = new TensorProto { Name = "w", DataType = (int)type };
        t.Dims.AddRange(dims);
        fill?.Invoke(t);
        return t;
    }

    private static byte[] Graph(Action<GraphProto> edit, long opset = 17)
    {
        ModelProto m = AddModel();
        edit(m.Graph);
        m.OpsetImport[0].Version = opset;
        return m.Bytes();
    }

    private static GraphProto Leaf()
    {
        var g = new GraphProto { Name = "leaf" };
        g.Output.Add(Value("y", DataType.Float, 2));
        g.Node.Add(Node("Identity", new[] { "x" }, new[] { "y" }));
        return g;
    }

    /// <summary>If nodes nested <paramref name="depth"/> deep through their then_branch.</summary>
    private static GraphProto NestedIf(int depth)
    {
        var g = new GraphProto { Name = "leaf" };
        g.Output.Add(Value("y", DataType.Float, 2));
        g.Node.Add(Node("Identity", new[] { "x" }, new[] { "y" }));
        for (int i = 0; i < depth; ++i)
        {
            var outer = new GraphProto { Name = $"level{i}" };
            outer.Output.Add(Value("y", DataType.Float, 2));
            // The else branch is a leaf, so the file grows linearly with the depth (two nested copies per level would double it).
            outer.Node.Add(Node("If", new[] { "c" }, new[] { "y" }, $"if{i}", OnnxModels.Graph("then_branch", g), OnnxModels.Graph("else_branch", Leaf())));
            g = outer;
        }
        return g;
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, Func<string, byte[]> build, string message, OnnxLoadOptions? options = null, bool memory = true) =>
            new TestCaseData(new Hostile(build, message, options, memory)).SetName(name);
        byte[] valid = AddModel().Bytes();

        // The protobuf layer.
        yield return Case("Empty file", _ => Array.Empty<byte>(), "the model is empty (0 bytes)");
        yield return Case("Truncated file", _ => valid[..(valid.Length / 2)], "not a valid ONNX model (protobuf)");
        yield return Case("Random bytes", _ => Enumerable.Range(0, 64).Select(i => (byte)(i * 37 + 11)).ToArray(), "not a valid ONNX model (protobuf)");
        yield return Case("Length prefix of 2 GB with 3 bytes behind it", _ => new byte[] { 0x3A, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 2, 3 }, "not a valid ONNX model (protobuf)");
        yield return Case("Model larger than the configured limit", _ => valid, $"the model is {valid.Length} bytes, over the 64-byte limit",
            new OnnxLoadOptions { MaxModelBytes = 64 });
        yield return Case("Messages nested past the parser's recursion limit", _ =>
        {
            var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } };
            for (int i = 0; i < 200; ++i) type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = type } };
            ModelProto m = AddModel();
            m.Graph.ValueInfo.Add(new ValueInfoProto { Name = "deep", Type = type });
            return m.Bytes();
        }, "too many levels of nesting");

        // The model and the graph.
        yield return Case("No ir_version", _ => { ModelProto m = AddModel(); m.ClearIrVersion(); return m.Bytes(); }, "the model has no ir_version");
        yield return Case("IR version from the future", _ => { ModelProto m = AddModel(); m.IrVersion = 99; return m.Bytes(); }, "ir_version 99 is not supported");
        yield return Case("No standard operator set", _ => { ModelProto m = AddModel(); m.OpsetImport[0].Domain = "com.example"; return m.Bytes(); },
            "does not import the standard operator set");
        yield return Case("No graph", _ => { ModelProto m = AddModel(); m.Graph = null; return m.Bytes(); }, "the model has no graph");
        yield return Case("Subgraphs nested 20 deep", _ => Model(NestedIf(20)).Bytes(), "subgraphs are nested deeper than the limit of 8");
        yield return Case("More nodes than the limit", _ => Graph(g =>
        {
            for (int i = 0; i < 20; ++i) g.Node.Add(Node("Identity", new[] { "y" }, new[] { $"copy{i}" }));
        }), "the model has more than 10 nodes", new OnnxLoadOptions { MaxNodes = 10 });
        yield return Case("Cycle between two nodes", _ => Graph(g =>
        {
            g.Node.Clear();
            g.Node.Add(Node("Add", new[] { "x", "b" }, new[] { "a" }, "first"));
            g.Node.Add(Node("Add", new[] { "a", "w" }, new[] { "b" }, "second"));
            g.Node.Add(Node("Identity", new[] { "b" }, new[] { "y" }, "out"));
        }), "the graph has a cycle");
        yield return Case("Node that reads its own output", _ => Graph(g =>
        {
            g.Node.Clear();
            g.Node.Add(Node("Add", new[] { "x", "y" }, new[] { "y" }, "loop"));
        }), "node 'loop' (Add) reads its own output 'y'");
        yield return Case("Node input that nothing defines", _ => Graph(g => g.Node[0].Input[1] = "ghost"),
            "node 'add' (Add) reads 'ghost', which no graph input, initializer or node defines");
        yield return Case("Two nodes writing the same value", _ => Graph(g => g.Node.Add(Node("Identity", new[] { "x" }, new[] { "y" }, "again"))),
            "node 'again' (Identity) writes 'y', which node 'add' (Add) already defines");
        yield return Case("Graph output that nothing defines", _ => Graph(g => g.Output[0].Name = "nowhere"),
            "the graph output 'nowhere' is not defined");
        yield return Case("Two initializers with one name", _ => Graph(g => g.Initializer.Add(Floats("w", new[] { 3f, 4f }, 2))),
            "two initializers are named 'w'");
        yield return Case("Attribute whose type and value disagree", _ => Graph(g =>
            g.Node[0].Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Int })),
            "attribute 'alpha' is of type INT but holds no such value");

        yield return Case("Opset imported twice", _ => { ModelProto m = AddModel(); m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 }); return m.Bytes(); },
            "opset_import names the domain '' twice");
        yield return Case("Opset version 0", _ => { ModelProto m = AddModel(); m.OpsetImport[0].Version = 0; return m.Bytes(); },
            "versions start at 1");
        yield return Case("Two graph inputs with one name", _ => Graph(g => g.Input.Add(Value("x", DataType.Float, 2))),
            "two graph inputs are named 'x'");
        yield return Case("Node without an op_type", _ => Graph(g => g.Node[0].OpType = ""), "has no op_type");
        yield return Case("Graph without outputs", _ => Graph(g => g.Output.Clear()), "the graph has no outputs");
        yield return Case("Attribute of an unknown type", _ => Graph(g =>
            g.Node[0].Attribute.Add(new AttributeProto { Name = "alpha", Type = (AttributeProto.Types.AttributeType)77, I = 1 })),
            "has the unknown type 77");
        yield return Case("Constant node whose tensor claims huge dims", _ => Graph(g =>
        {
            g.Initializer.Clear();
            var value = Tensor(DataType.Float, new long[] { 1_000_000_000, 1000 }, t => t.RawData = ByteString.CopyFrom(new byte[8]));
            g.Node.Insert(0, Node("Constant", Array.Empty<string>(), new[] { "w" }, "const", new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value }));
        }), "raw_data holds 8 bytes, but dims [1000000000, 1000] of FLOAT need 4000000000000");

        // Tensors.
        yield return Case("Unknown element type", _ => WithInitializer(Tensor((DataType)99, new long[] { 2 }, t => t.RawData = ByteString.CopyFrom(new byte[8]))),
            "initializer 'w' has the unknown element type 99");
        yield return Case("Element type Wick cannot hold", _ => WithInitializer(Tensor(DataType.Uint16, new long[] { 2 }, t => t.RawData = ByteString.CopyFrom(new byte[4]))),
            "initializer 'w' has the element type UINT16, which Wick cannot hold");
        yield return Case("Negative dimension", _ => WithInitializer(Tensor(DataType.Float, new long[] { -2 }, t => t.RawData = ByteString.CopyFrom(new byte[8]))),
            "initializer 'w' has the negative dimension -2 at position 0");
        yield return Case("Huge declared size over 8 bytes of data", _ => WithInitializer(Tensor(DataType.Float, new long[] { 1_000_000, 1_000_000 }, t => t.RawData = ByteString.CopyFrom(new byte[8]))),
            "raw_data holds 8 bytes, but dims [1000000, 1000000] of FLOAT need 4000000000000");
        yield return Case("Dims whose element count overflows", _ => WithInitializer(Tensor(DataType.Float, new long[] { 1L << 32, 1L << 32, 4 }, t => t.RawData = ByteString.CopyFrom(new byte[8]))),
            "whose element count overflows a 64-bit integer");
        yield return Case("Dims whose byte size overflows", _ => WithInitializer(Tensor(DataType.Float, new long[] { 1L << 31, 1L << 31 }, t => t.RawData = ByteString.CopyFrom(new byte[8]))),
            "whose byte size overflows a 64-bit integer");
        yield return Case("Seventeen dimensions", _ => WithInitializer(Tensor(DataType.Float, Enumerable.Repeat(1L, 17).ToArray(), t => t.RawData = ByteString.CopyFrom(new byte[4]))),
            "has 17 dims; Wick supports at most 16");
        yield return Case("Raw data shorter than the dims", _ => WithInitializer(Tensor(DataType.Float, new long[] { 2 }, t => t.RawData = ByteString.CopyFrom(new byte[4]))),
            "raw_data holds 4 bytes, but dims [2] of FLOAT need 8");
        yield return Case("Data in raw_data and float_data", _ => WithInitializer(Tensor(DataType.Float, new long[] { 2 }, t =>
        {
            t.RawData = ByteString.CopyFrom(new byte[8]);
            t.FloatData.Add(new[] { 1f, 2f });
        })), "has its data in more than one place (raw_data, float_data)");
        yield return Case("Typed values of the wrong field", _ => WithInitializer(Tensor(DataType.Float, new long[] { 2 }, t => t.Int64Data.Add(new[] { 1L, 2L }))),
            "is FLOAT but its values are in int64_data; that type's values belong in float_data");
        yield return Case("Typed value count that disagrees with the dims", _ => WithInitializer(Tensor(DataType.Float, new long[] { 2 }, t => t.FloatData.Add(new[] { 1f, 2f, 3f }))),
            "float_data holds 3 values, but dims [2] need 2");
        yield return Case("INT8 value outside 8 bits", _ => WithInitializer(Tensor(DataType.Int8, new long[] { 2 }, t => t.Int32Data.Add(new[] { 1, 300 }))),
            "is INT8 but int32_data[1] is 300, outside [-128, 127]");
        yield return Case("Boolean byte other than 0 or 1", _ => WithInitializer(Tensor(DataType.Bool, new long[] { 2 }, t => t.RawData = ByteString.CopyFrom(new byte[] { 1, 7 }))),
            "is BOOL but element 1 is the byte 7");
        yield return Case("Elements and no data at all", _ => WithInitializer(Tensor(DataType.Float, new long[] { 2 })),
            "initializer 'w' has 2 elements but no data");

        // External data.
        yield return Case("External data at an absolute path", _ => WithInitializer(External("/etc/passwd")),
            "external data location '/etc/passwd' is an absolute path", memory: false);
        yield return Case("External data through '..'", _ => WithInitializer(External("weights/../../secret.bin")),
            "external data location 'weights/../../secret.bin' contains '..'", memory: false);
        yield return Case("External data through a symbolic link", dir =>
        {
            string outside = Directory.CreateTempSubdirectory("wick-outside-").FullName;
            File.WriteAllBytes(Path.Combine(outside, "w.bin"), new byte[8]);
            Directory.CreateSymbolicLink(Path.Combine(dir, "weights"), outside);
            return WithInitializer(External("weights/w.bin"));
        }, "external data location 'weights/w.bin' goes through the symbolic link 'weights'", memory: false);
        yield return Case("External data file that is a symbolic link", dir =>
        {
            File.CreateSymbolicLink(Path.Combine(dir, "w.bin"), "/etc/hostname");
            return WithInitializer(External("w.bin"));
        }, "external data location 'w.bin' goes through the symbolic link 'w.bin'", memory: false);
        yield return Case("External data file that does not exist", _ => WithInitializer(External("missing.bin")),
            "the external data file 'missing.bin' does not exist", memory: false);
        yield return Case("External data offset past the end of its file", dir =>
        {
            File.WriteAllBytes(Path.Combine(dir, "w.bin"), new byte[8]);
            return WithInitializer(External("w.bin", 2, ("offset", "100")));
        }, "external data offset 100 is past the end of 'w.bin' (8 bytes)", memory: false);
        yield return Case("External data length that disagrees with the dims", dir =>
        {
            File.WriteAllBytes(Path.Combine(dir, "w.bin"), new byte[64]);
            return WithInitializer(External("w.bin", 2, ("length", "64")));
        }, "external data length 64 does not match the 8 bytes its dims and element type need", memory: false);
        yield return Case("External data huge dims over a small file", dir =>
        {
            File.WriteAllBytes(Path.Combine(dir, "w.bin"), new byte[8]);
            return WithInitializer(External("w.bin", 1L << 40));
        }, "is 8 bytes, but its dims and element type need 4398046511104", memory: false);
        yield return Case("External data without a location", _ => WithInitializer(External("")),
            "is stored externally but its external_data has no \"location\"", memory: false);
        yield return Case("External data with an unknown key", dir =>
        {
            File.WriteAllBytes(Path.Combine(dir, "w.bin"), new byte[8]);
            return WithInitializer(External("w.bin", 2, ("mode", "mmap")));
        }, "has the unknown external_data key \"mode\"", memory: false);
        yield return Case("External data offset that is not a number", dir =>
        {
            File.WriteAllBytes(Path.Combine(dir, "w.bin"), new byte[8]);
            return WithInitializer(External("w.bin", 2, ("offset", "-8")));
        }, "external_data \"offset\" is \"-8\", not an integer", memory: false);
        yield return Case("External data location that is a folder", dir =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "w.bin"));
            return WithInitializer(External("w.bin"));
        }, "external data location 'w.bin' is a folder, not a file", memory: false);
        yield return Case("External data location with a NUL character", _ => WithInitializer(External("w.bin\0.txt")),
            "contains a NUL character", memory: false);
        yield return Case("External data at a Windows drive path", _ => WithInitializer(External("C:\\Windows\\w.bin")),
            "is an absolute path", memory: false);
        yield return Case("External data with two locations", dir =>
        {
            File.WriteAllBytes(Path.Combine(dir, "w.bin"), new byte[8]);
            return WithInitializer(External("w.bin", 2, ("location", "other.bin")));
        }, "has two external_data entries with the key \"location\"", memory: false);
        yield return Case("External data in a model read from memory", dir => WithInitializer(External("w.bin")),
            "the model was read from memory", memory: true);
    }

    [TestCaseSource(nameof(Cases))]
    public void IsRefusedWithASpecificMessage(Hostile c)
    {
        string dir = Directory.CreateTempSubdirectory("wick-onnx-malicious-").FullName;
        try
        {
            byte[] bytes = c.Build(dir);
            string path = Path.Combine(dir, "model.onnx");
            File.WriteAllBytes(path, bytes);
            long liveBefore = Memory.Stats().LiveTensors;
            if (!c.Message.Contains("read from memory"))
            {
                var fromFile = Assert.Throws<OnnxFormatException>(() => Wick.Onnx.Onnx.Load(path, c.Options));
                Assert.That(fromFile!.Message, Does.StartWith($"onnx: {path}: ").And.Contain(c.Message));
            }
            if (c.FromMemoryToo)
            {
                var fromMemory = Assert.Throws<OnnxFormatException>(() => Wick.Onnx.Onnx.Load(bytes, c.Options));
                Assert.That(fromMemory!.Message, Does.StartWith("onnx: <bytes>: ").And.Contain(c.Message));
            }
            // At most as many as before: another test's undisposed tensor may be finalized meanwhile, but a leak adds some.
            Assert.That(Memory.Stats().LiveTensors, Is.LessThanOrEqualTo(liveBefore), "tensors made before the error are freed");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void TheCaseListCoversAtLeastThirtyDistinctAttacks()
    {
        Assert.That(Cases().Count(), Is.GreaterThanOrEqualTo(30));
    }

    /// <summary>Every prefix of a valid model with an initializer, and every single-byte corruption of it, either loads and
    /// runs or is refused with an OnnxFormatException / OnnxNotSupportedException: never another exception.</summary>
    [Test]
    public void EveryTruncationAndByteFlipOfAValidModelIsRefusedCleanly()
    {
        byte[] valid = AddModel().Bytes();
        long liveBefore = Memory.Stats().LiveTensors;
        var variants = new List<byte[]>();
        for (int n = 0; n < valid.Length; ++n) variants.Add(valid[..n]);
        for (int i = 0; i < valid.Length; ++i)
            foreach (byte b in new byte[] { 0x00, 0xFF, (byte)(valid[i] ^ 0x01), (byte)(valid[i] ^ 0x80) })
            {
                byte[] v = (byte[])valid.Clone();
                v[i] = b;
                variants.Add(v);
            }
        int refused = 0;
        foreach (byte[] v in variants)
        {
            try
            {
                using OnnxModule m = Wick.Onnx.Onnx.Load(v);
                using Tensor x = Wick.Tensor.Zeros(2);
                try
                {
                    foreach (Tensor y in m.Run(x)) y.Dispose();
                }
                catch (Exception e) when (e is ArgumentException or OnnxExecutionException) { }
            }
            catch (Exception e) when (e is OnnxFormatException or OnnxNotSupportedException)
            {
                ++refused;
            }
        }
        Assert.That(refused, Is.GreaterThan(valid.Length), "at least every strict prefix is refused");
        Assert.That(Memory.Stats().LiveTensors, Is.LessThanOrEqualTo(liveBefore), "no tensor is left behind");
    }

    [Test]
    public void ExternalDataInsideTheModelsFolderLoads()
    {
        string dir = Directory.CreateTempSubdirectory("wick-onnx-external-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "weights"));
            File.WriteAllBytes(Path.Combine(dir, "weights", "w.bin"), new byte[4].Concat(BitConverter.GetBytes(5f)).Concat(BitConverter.GetBytes(7f)).ToArray());
            string path = Path.Combine(dir, "model.onnx");
            File.WriteAllBytes(path, WithInitializer(External("weights/w.bin", 2, ("offset", "4"), ("length", "8"))));
            using OnnxModule model = Wick.Onnx.Onnx.Load(path);
            using Tensor x = Wick.Tensor.FromArray(new float[] { 1, 1 });
            Tensor[] y = model.Run(x);
            Assert.That(y[0].ToArray<float>(), Is.EqualTo(new[] { 6f, 8f }));
            y[0].Dispose();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
