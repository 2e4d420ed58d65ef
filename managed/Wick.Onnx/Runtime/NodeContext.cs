using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Wick.Onnx.Loading;
using Wick.Onnx.Proto;
using AttributeType = Wick.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Wick.Onnx.Runtime;

/// <summary>
/// One node while it is compiled into a kernel: its attributes (typed access with defaults; a wrong type or an unknown
/// attribute is an error), its input and output counts, the operator set version, and messages that name the node.
/// </summary>
internal sealed class NodeContext
{
    private readonly Dictionary<string, AttributeProto> _attributes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public NodeContext(NodeProto node, int index, long opset, OnnxSource source)
    {
        Node = node;
        Index = index;
        Opset = opset;
        Source = source;
        foreach (AttributeProto a in node.Attribute) _attributes[a.Name] = a;
    }

    /// <summary>Reads external data for tensors held in attributes (Constant): null when the model has no folder.</summary>
    public ExternalData? External { get; init; }

    /// <summary>Tensors made while compiling (Constant values): the model owns and disposes them.</summary>
    public List<Tensor> Owned { get; init; } = new();

    /// <summary>The most elements a tensor sized by values in the model may have (<see cref="OnnxLoadOptions.MaxTensorElements"/>).</summary>
    public long MaxElements { get; init; } = long.MaxValue;

    /// <summary>Refuses a shape (given by the model's values) whose element count passes <see cref="MaxElements"/> or overflows.</summary>
    public void CheckElements(IEnumerable<long> shape, string what)
    {
        long n = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new ShapeMismatchException($"{Name}: {what} {List(shape)} has a negative size");
            n = d == 0 || n <= MaxElements / d ? n * d : long.MaxValue;
        }
        if (n > MaxElements)
            throw new InvalidOperationException($"{Name}: {what} {List(shape)} would have more than {MaxElements} elements (OnnxLoadOptions.MaxTensorElements)");
    }

    /// <summary>Decodes a tensor attribute (checked like an initializer) into a tensor the model owns.</summary>
    public Tensor Constant(TensorProto proto, string what)
    {
        Tensor t = TensorDecoder.Decode(proto, $"{Name}, {what}", Source, External);
        Owned.Add(t);
        return t;
    }

    public NodeProto Node { get; }
    public int Index { get; }
    public long Opset { get; }
    public OnnxSource Source { get; }
    public string OpType => Node.OpType;
    public string Name => OnnxSource.Describe(Node, Index);

    /// <summary>Inputs given (trailing omitted ones count: "" entries).</summary>
    public int InputCount => Node.Input.Count;
    public int OutputCount => Node.Output.Count;
    public bool HasInput(int i) => i < Node.Input.Count && Node.Input[i].Length > 0;
    public bool HasOutput(int i) => i < Node.Output.Count && Node.Output[i].Length > 0;

    public OnnxFormatException Error(string message) => Source.Error($"{Name}: {message}");
    public OnnxNotSupportedException NotSupported(string message) => Source.NotSupported($"{Name} (opset {Opset}): {message}");

    public void Arity(int minInputs, int maxInputs, int minOutputs = 1, int maxOutputs = 1)
    {
        int given = Node.Input.Count;
        while (given > 0 && Node.Input[given - 1].Length == 0) --given;
        if (given < minInputs || Node.Input.Count > maxInputs)
            throw Error($"has {Node.Input.Count} inputs; {OpType} takes {(minInputs == maxInputs ? $"{minInputs}" : $"{minInputs} to {maxInputs}")}");
        for (int i = 0; i < minInputs; ++i)
            if (Node.Input[i].Length == 0) throw Error($"input {i} of {OpType} is required but omitted");
        if (Node.Output.Count < minOutputs || Node.Output.Count > maxOutputs)
            throw Error($"has {Node.Output.Count} outputs; {OpType} gives {(minOutputs == maxOutputs ? $"{minOutputs}" : $"{minOutputs} to {maxOutputs}")}");
        for (int i = 0; i < minOutputs; ++i)
            if (Node.Output[i].Length == 0) throw Error($"output {i} of {OpType} is required but omitted");
    }

    private AttributeProto? Get(string name, AttributeType type)
    {
        _read.Add(name);
        if (!_attributes.TryGetValue(name, out AttributeProto? a)) return null;
        if (a.Type != type)
            throw Error($"attribute '{name}' is of type {a.Type.ToString().ToUpperInvariant()}; {OpType} expects {type.ToString().ToUpperInvariant()}");
        return a;
    }

    public bool Has(string name) => _attributes.ContainsKey(name);

    public long Int(string name, long fallback) => Get(name, AttributeType.Int)?.I ?? fallback;
    public long? IntOrNull(string name) => Get(name, AttributeType.Int) is { } a ? a.I : null;
    public long IntRequired(string name) => Get(name, AttributeType.Int)?.I ?? throw Error($"attribute '{name}' is required");
    public float Float(string name, float fallback) => Get(name, AttributeType.Float)?.F ?? fallback;
    public string String(string name, string fallback) => Get(name, AttributeType.String) is { } a ? a.S.ToStringUtf8() : fallback;
    public long[]? Ints(string name) => Get(name, AttributeType.Ints)?.Ints.ToArray();
    public float[]? Floats(string name) => Get(name, AttributeType.Floats)?.Floats.ToArray();
    public TensorProto? TensorAttribute(string name) => Get(name, AttributeType.Tensor)?.T;
    public GraphProto? GraphAttribute(string name) => Get(name, AttributeType.Graph)?.G;

    /// <summary>An axis attribute or input value normalised into [0, rank).</summary>
    public int Axis(long axis, int rank, string what = "axis")
    {
        int r = Math.Max(rank, 1);
        if (axis < -r || axis >= r)
            throw new ArgumentOutOfRangeException(what, axis, $"{Name}: {what} {axis} is out of range for a rank-{rank} input (valid: {-r} to {r - 1})");
        return (int)(axis < 0 ? axis + r : axis);
    }

    /// <summary>After compiling: an attribute the kernel never read is one Wick would silently ignore, so it is refused.</summary>
    public void RefuseUnread(IEnumerable<string>? ignorable = null)
    {
        var ok = ignorable is null ? null : new HashSet<string>(ignorable, StringComparer.Ordinal);
        foreach (string name in _attributes.Keys)
        {
            if (_read.Contains(name) || ok?.Contains(name) == true) continue;
            throw NotSupported($"attribute '{OnnxSource.Text(name)}' is not one Wick implements for {OpType}");
        }
    }

    public static string List(IEnumerable<long> v) => "[" + string.Join(", ", v) + "]";
}
