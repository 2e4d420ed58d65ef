using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Onnx.Loading;
using Wick.Onnx.Proto;

namespace Wick.Onnx.Runtime;

/// <summary>
/// Runs a validated graph: values live in numbered slots, nodes run in topological order through their compiled
/// kernels, and each intermediate tensor is disposed right after its last reader ran, so memory stays at the graph's
/// live set. Constants (initializers, Constant nodes) are owned by the model and never disposed here.
/// </summary>
internal sealed class GraphRunner
{
    private sealed record Step(Kernel Kernel, int[] In, int[] Out, int[] Free, string Name);

    private readonly OnnxSource _source;
    private readonly int _slotCount;
    private readonly int[] _inputSlots;
    private readonly int[] _outputSlots;
    private readonly (int Slot, Tensor Value)[] _constants;
    private readonly Step[] _steps;

    // outer: for a subgraph, the values it reads from its enclosing graphs, passed to Run after the graph's own inputs,
    // in this order.
    public GraphRunner(GraphDef graph, long opset, OnnxSource source, IReadOnlyDictionary<string, Tensor> constants, ExternalData? external, List<Tensor> owned,
        long maxElements, IReadOnlyList<string>? outer = null)
    {
        _source = source;
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        int SlotOf(string name)
        {
            if (!slots.TryGetValue(name, out int s)) slots.Add(name, s = slots.Count);
            return s;
        }
        _constants = constants.Select(kv => (SlotOf(kv.Key), kv.Value)).ToArray();
        _inputSlots = graph.Inputs.Select(v => SlotOf(v.Name)).Concat((outer ?? Array.Empty<string>()).Select(SlotOf)).ToArray();
        // The values defined so far (constants, inputs, earlier nodes' outputs): what a subgraph may read.
        var available = new HashSet<string>(slots.Keys, StringComparer.Ordinal);
        var steps = new List<(Kernel, int[], int[], string)>(graph.Nodes.Count);
        for (int i = 0; i < graph.Nodes.Count; ++i)
        {
            NodeProto node = graph.Nodes[i];
            var ctx = new NodeContext(node, graph.NodeNumbers[i], opset, source) { External = external, Owned = owned, MaxElements = maxElements };
            Kernel kernel;
            IEnumerable<string> reads = node.Input;
            if (ctx.OpType == "If" && (node.Domain ?? "") is "" or "ai.onnx")
            {
                // A branch reads values of this graph by name: they become extra inputs of the node, so they stay alive
                // until it ran, and each must be defined before it.
                string[] captured = ControlFlowOps.FreeVariables(node).ToArray();
                foreach (string name in captured)
                    if (!available.Contains(name))
                        throw ctx.Error($"a branch reads '{OnnxSource.Text(name)}', which no graph input, initializer or earlier node defines");
                kernel = ControlFlowOps.If(ctx, captured, available);
                ctx.RefuseUnread();
                reads = node.Input.Concat(captured);
            }
            else kernel = OpRegistry.Compile(ctx);
            int[] ins = reads.Select(n => n.Length == 0 ? -1 : SlotOf(n)).ToArray();
            int[] outs = node.Output.Select(n => n.Length == 0 ? -1 : SlotOf(n)).ToArray();
            foreach (string o in node.Output) if (o.Length > 0) available.Add(o);
            steps.Add((kernel, ins, outs, ctx.Name));
        }
        _outputSlots = graph.Outputs.Select(v => SlotOf(v.Name)).ToArray();
        _slotCount = slots.Count;

        // A value is freed after the last step that reads it, unless it is a graph output or a constant.
        var keep = new HashSet<int>(_outputSlots);
        foreach (var (slot, _) in _constants) keep.Add(slot);
        foreach (int s in _inputSlots) keep.Add(s);
        var last = new Dictionary<int, int>();
        for (int i = 0; i < steps.Count; ++i)
        {
            foreach (int s in steps[i].Item2) if (s >= 0) last[s] = i;
            foreach (int s in steps[i].Item3) if (s >= 0 && !last.ContainsKey(s)) last[s] = i; // never read: free at once
        }
        var free = new List<int>[steps.Count];
        foreach (var (slot, step) in last)
            if (!keep.Contains(slot)) (free[step] ??= new List<int>()).Add(slot);
        _steps = steps.Select((s, i) => new Step(s.Item1, s.Item2, s.Item3, free[i]?.ToArray() ?? Array.Empty<int>(), s.Item4)).ToArray();
    }

    public int InputCount => _inputSlots.Length;

    /// <summary>Runs the graph on its runtime inputs (in graph order) and returns new tensors for its outputs.</summary>
    public Tensor[] Run(Tensor[] inputs)
    {
        var values = new Tensor?[_slotCount];
        var owned = new bool[_slotCount];
        foreach (var (slot, value) in _constants) values[slot] = value;
        for (int i = 0; i < _inputSlots.Length; ++i) values[_inputSlots[i]] = inputs[i];
        try
        {
            foreach (Step step in _steps)
            {
                var args = new Tensor?[step.In.Length];
                for (int i = 0; i < args.Length; ++i) args[i] = step.In[i] < 0 ? null : values[step.In[i]];
                Tensor?[] results;
                try
                {
                    results = step.Kernel(args);
                }
                catch (Exception e) when (e is not (OnnxFormatException or OnnxNotSupportedException or OutOfMemoryException or OnnxExecutionException))
                {
                    throw new OnnxExecutionException($"onnx: {_source.Name}: {step.Name} failed: {e.Message}", e);
                }
                for (int o = 0; o < step.Out.Length; ++o)
                {
                    Tensor? r = o < results.Length ? results[o] : null;
                    int slot = step.Out[o];
                    if (slot < 0)
                    {
                        if (r is not null && !IsAlias(r, args)) r.Dispose();
                        continue;
                    }
                    if (r is null) throw new OnnxExecutionException($"onnx: {_source.Name}: {step.Name} did not produce its output {o}", new InvalidOperationException());
                    // A kernel that hands back one of its inputs gets a separate view, so each slot owns its object.
                    if (IsAlias(r, args)) r = Alias(r);
                    values[slot] = r;
                    owned[slot] = true;
                }
                foreach (int s in step.Free)
                {
                    if (owned[s]) values[s]?.Dispose();
                    values[s] = null;
                    owned[s] = false;
                }
            }
            var outputs = new Tensor[_outputSlots.Length];
            for (int i = 0; i < outputs.Length; ++i)
            {
                int s = _outputSlots[i];
                Tensor v = values[s]!;
                // The caller owns what it gets: a constant or an input passed straight through comes back as a view.
                if (!owned[s] || Array.IndexOf(outputs, v, 0, i) >= 0) v = Alias(v);
                else owned[s] = false;
                outputs[i] = v;
            }
            return outputs;
        }
        finally
        {
            for (int s = 0; s < values.Length; ++s)
                if (owned[s]) values[s]?.Dispose();
        }
    }

    private static bool IsAlias(Tensor r, Tensor?[] args)
    {
        foreach (Tensor? a in args) if (ReferenceEquals(a, r)) return true;
        return false;
    }

    /// <summary>A new Tensor object on the same memory (autograd sees a view, so gradients flow through it).</summary>
    internal static Tensor Alias(Tensor t) => t.Expand(t.Shape);
}
