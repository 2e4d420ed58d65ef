using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Onnx.Proto;
using AttributeType = Wick.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Wick.Onnx.Loading;

/// <summary>
/// The structural checks of a parsed model, before any tensor is decoded: IR version and operator sets, nesting depth
/// and node count (subgraphs included), unique non-empty names, attributes whose type matches their value, every value
/// read by a node defined by an input, an initializer or another node, no cycles, and graph outputs that exist.
/// </summary>
internal static class ModelValidator
{
    public const long MinIrVersion = 3;
    public const long MaxIrVersion = 13;
    public const long MaxOpset = 25;

    public static ModelDef Validate(ModelProto model, OnnxSource source, OnnxLoadOptions options)
    {
        if (!model.HasIrVersion) throw source.Error("the model has no ir_version");
        if (model.IrVersion < MinIrVersion || model.IrVersion > MaxIrVersion)
            throw source.Error($"ir_version {model.IrVersion} is not supported: Wick reads IR versions {MinIrVersion} to {MaxIrVersion}");
        var opsets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (OperatorSetIdProto o in model.OpsetImport)
        {
            string domain = o.Domain == "ai.onnx" ? "" : o.Domain;
            if (!opsets.TryAdd(domain, o.Version))
                throw source.Error($"opset_import names the domain '{OnnxSource.Text(o.Domain)}' twice");
            if (o.Version < 1) throw source.Error($"opset_import gives the domain '{OnnxSource.Text(o.Domain)}' the version {o.Version}; versions start at 1");
        }
        if (!opsets.TryGetValue("", out long opset)) throw source.Error("opset_import does not import the standard operator set (domain \"\" or \"ai.onnx\")");
        if (opset > MaxOpset) throw source.NotSupported($"the model uses opset {opset} of the standard operators; Wick implements opsets up to {MaxOpset}");
        if (model.Graph is null) throw source.Error("the model has no graph");

        int nodes = 0;
        CountAndLimit(model.Graph, 0, "the main graph", source, options, ref nodes);
        foreach (TrainingInfoProto info in model.TrainingInfo)
        {
            if (info.Initialization is { } g1) CountAndLimit(g1, 1, "training_info.initialization", source, options, ref nodes);
            if (info.Algorithm is { } g2) CountAndLimit(g2, 1, "training_info.algorithm", source, options, ref nodes);
        }
        foreach (FunctionProto f in model.Functions)
        {
            nodes = checked(nodes + f.Node.Count);
            if (nodes > options.MaxNodes) throw TooMany(source, options);
        }
        GraphDef graph = ValidateGraph(model.Graph, source);
        return new ModelDef(model.IrVersion, opsets, graph, model);
    }

    private static OnnxFormatException TooMany(OnnxSource source, OnnxLoadOptions options) =>
        source.Error($"the model has more than {options.MaxNodes} nodes (OnnxLoadOptions.MaxNodes)");

    /// <summary>Walks subgraphs to their depth limit, counting nodes; the walk stops at the limit, so it cannot recurse deeply.</summary>
    private static void CountAndLimit(GraphProto graph, int depth, string where, OnnxSource source, OnnxLoadOptions options, ref int nodes)
    {
        if (depth > options.MaxGraphDepth)
            throw source.Error($"subgraphs are nested deeper than the limit of {options.MaxGraphDepth} (OnnxLoadOptions.MaxGraphDepth), at {where}");
        nodes = checked(nodes + graph.Node.Count);
        if (nodes > options.MaxNodes) throw TooMany(source, options);
        for (int i = 0; i < graph.Node.Count; ++i)
        {
            NodeProto node = graph.Node[i];
            foreach (AttributeProto a in node.Attribute)
            {
                if (a.G is { } g) CountAndLimit(g, depth + 1, $"attribute '{OnnxSource.Text(a.Name)}' of {OnnxSource.Describe(node, i)}", source, options, ref nodes);
                foreach (GraphProto sub in a.Graphs)
                    CountAndLimit(sub, depth + 1, $"attribute '{OnnxSource.Text(a.Name)}' of {OnnxSource.Describe(node, i)}", source, options, ref nodes);
            }
        }
    }

    /// <summary>
    /// Validates a subgraph (a branch of If) like a graph, with the values of its enclosing graphs (<paramref name="outer"/>)
    /// counted as defined: a branch reads them by name.
    /// </summary>
    internal static GraphDef ValidateSubgraph(GraphProto graph, IReadOnlySet<string> outer, OnnxSource source) => ValidateGraph(graph, source, outer);

    private static GraphDef ValidateGraph(GraphProto graph, OnnxSource source, IReadOnlySet<string>? outer = null)
    {
        // Every value has one definition: an initializer, a graph input, or one node output.
        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (TensorProto t in graph.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name)) throw source.Error("an initializer has no name");
            if (!initializers.TryAdd(t.Name, t)) throw source.Error($"two initializers are named '{OnnxSource.Text(t.Name)}'");
        }
        if (graph.SparseInitializer.Count > 0)
            throw source.NotSupported($"the graph has {graph.SparseInitializer.Count} sparse initializers, which Wick does not read");
        var defined = new HashSet<string>(initializers.Keys, StringComparer.Ordinal);
        if (outer is not null) defined.UnionWith(outer);
        var inputs = new List<ValueInfoProto>();
        var inputNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (ValueInfoProto v in graph.Input)
        {
            if (string.IsNullOrEmpty(v.Name)) throw source.Error("a graph input has no name");
            if (!inputNames.Add(v.Name)) throw source.Error($"two graph inputs are named '{OnnxSource.Text(v.Name)}'");
            // An input that is also an initializer is a constant with a default value (IR >= 4): Wick keeps the initializer.
            if (initializers.ContainsKey(v.Name)) continue;
            defined.Add(v.Name);
            inputs.Add(v);
        }

        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Node.Count; ++i)
        {
            NodeProto node = graph.Node[i];
            if (string.IsNullOrEmpty(node.OpType)) throw source.Error($"{OnnxSource.Describe(node, i)} has no op_type");
            CheckAttributes(node, i, source);
            foreach (string output in node.Output)
            {
                if (output.Length == 0) continue; // an omitted optional output
                if (defined.Contains(output))
                    throw source.Error($"{OnnxSource.Describe(node, i)} writes '{OnnxSource.Text(output)}', which {(producer.TryGetValue(output, out int other) ? OnnxSource.Describe(graph.Node[other], other) : "a graph input or initializer")} already defines; every value has one definition");
                defined.Add(output);
                producer.Add(output, i);
            }
        }

        // Kahn's algorithm over node dependencies, taking nodes in file order when several are ready, so a file that
        // is already sorted keeps its order. A node input nobody defines, or a cycle, is an error.
        int n = graph.Node.Count;
        var waiting = new int[n];
        var readers = new List<int>?[n];
        for (int i = 0; i < n; ++i)
        {
            NodeProto node = graph.Node[i];
            var seen = new HashSet<int>();
            foreach (string input in node.Input)
            {
                if (input.Length == 0) continue; // an omitted optional input
                if (producer.TryGetValue(input, out int p))
                {
                    if (p == i) throw source.Error($"{OnnxSource.Describe(node, i)} reads its own output '{OnnxSource.Text(input)}' (a cycle)");
                    if (seen.Add(p)) { waiting[i]++; (readers[p] ??= new List<int>()).Add(i); }
                }
                else if (!defined.Contains(input))
                {
                    throw source.Error($"{OnnxSource.Describe(node, i)} reads '{OnnxSource.Text(input)}', which no graph input, initializer or node defines");
                }
            }
        }
        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < n; ++i) if (waiting[i] == 0) ready.Enqueue(i, i);
        var order = new List<int>(n);
        while (ready.TryDequeue(out int i, out _))
        {
            order.Add(i);
            if (readers[i] is { } rs)
                foreach (int r in rs)
                    if (--waiting[r] == 0) ready.Enqueue(r, r);
        }
        if (order.Count != n)
        {
            int stuck = Enumerable.Range(0, n).First(i => waiting[i] > 0);
            throw source.Error($"the graph has a cycle: {OnnxSource.Describe(graph.Node[stuck], stuck)} depends, through other nodes, on its own output");
        }

        var outputs = new List<ValueInfoProto>();
        var outputNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (ValueInfoProto v in graph.Output)
        {
            if (string.IsNullOrEmpty(v.Name)) throw source.Error("a graph output has no name");
            if (!outputNames.Add(v.Name)) throw source.Error($"two graph outputs are named '{OnnxSource.Text(v.Name)}'");
            if (!defined.Contains(v.Name)) throw source.Error($"the graph output '{OnnxSource.Text(v.Name)}' is not defined by any input, initializer or node");
            outputs.Add(v);
        }
        if (outputs.Count == 0) throw source.Error("the graph has no outputs");

        return new GraphDef(inputs, outputs, graph.Initializer.ToArray(), order.Select(i => graph.Node[i]).ToArray(), order);
    }

    private static void CheckAttributes(NodeProto node, int index, OnnxSource source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (AttributeProto a in node.Attribute)
        {
            string where = $"{OnnxSource.Describe(node, index)}, attribute '{OnnxSource.Text(a.Name)}'";
            if (string.IsNullOrEmpty(a.Name)) throw source.Error($"{OnnxSource.Describe(node, index)} has an attribute without a name");
            if (!names.Add(a.Name)) throw source.Error($"{OnnxSource.Describe(node, index)} has two attributes named '{OnnxSource.Text(a.Name)}'");
            if (!string.IsNullOrEmpty(a.RefAttrName))
                throw source.Error($"{where} refers to the function attribute '{OnnxSource.Text(a.RefAttrName)}', which only a function body may do");
            bool hasValue = a.Type switch
            {
                AttributeType.Float => a.HasF,
                AttributeType.Int => a.HasI,
                AttributeType.String => a.HasS,
                AttributeType.Tensor => a.T is not null,
                AttributeType.Graph => a.G is not null,
                AttributeType.SparseTensor => a.SparseTensor is not null,
                AttributeType.TypeProto => a.Tp is not null,
                AttributeType.Floats or AttributeType.Ints or AttributeType.Strings or AttributeType.Tensors or AttributeType.Graphs
                    or AttributeType.SparseTensors or AttributeType.TypeProtos => true,
                AttributeType.Undefined => throw source.Error($"{where} has no type (AttributeProto.type is UNDEFINED)"),
                _ => throw source.Error($"{where} has the unknown type {(int)a.Type}"),
            };
            if (!hasValue) throw source.Error($"{where} is of type {a.Type.ToString().ToUpperInvariant()} but holds no such value");
        }
    }
}
