using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Onnx.Loading;
using Wick.Onnx.Proto;

namespace Wick.Onnx.Runtime;

/// <summary>
/// If: each branch is a subgraph validated and compiled like a graph, with the enclosing graphs' values it reads (its
/// free variables) passed in as extra inputs; a run evaluates the one-element bool condition and runs one branch.
/// Nesting is bounded by <see cref="OnnxLoadOptions.MaxGraphDepth"/>, checked before anything is compiled.
/// </summary>
internal static class ControlFlowOps
{
    /// <summary>The names a node's subgraphs read that none of them defines (nested subgraphs included), in first-read order.</summary>
    public static IEnumerable<string> FreeVariables(NodeProto node)
    {
        var free = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (AttributeProto a in node.Attribute)
        {
            foreach (GraphProto g in a.G is { } one ? a.Graphs.Prepend(one) : a.Graphs)
                foreach (string name in FreeVariables(g))
                    if (seen.Add(name)) free.Add(name);
        }
        return free;
    }

    private static IEnumerable<string> FreeVariables(GraphProto g)
    {
        var local = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorProto t in g.Initializer) local.Add(t.Name);
        foreach (ValueInfoProto v in g.Input) local.Add(v.Name);
        foreach (NodeProto n in g.Node) foreach (string o in n.Output) local.Add(o);
        var reads = new List<string>();
        foreach (NodeProto n in g.Node)
        {
            reads.AddRange(n.Input);
            reads.AddRange(FreeVariables(n));
        }
        reads.AddRange(g.Output.Select(v => v.Name));
        return reads.Where(r => r.Length > 0 && !local.Contains(r)).Distinct();
    }

    public static Kernel If(NodeContext c, string[] free, IReadOnlySet<string> outer)
    {
        c.Arity(1, 1, 1, int.MaxValue);
        GraphProto thenGraph = Branch(c, "then_branch"), elseGraph = Branch(c, "else_branch");
        var (thenRunner, thenFree) = Compile(c, thenGraph, "then_branch", outer);
        var (elseRunner, elseFree) = Compile(c, elseGraph, "else_branch", outer);
        int[] thenArgs = thenFree.Select(n => Array.IndexOf(free, n)).ToArray();
        int[] elseArgs = elseFree.Select(n => Array.IndexOf(free, n)).ToArray();
        return ins =>
        {
            Tensor cond = ins[0]!;
            if (cond.DType != DType.Bool) throw new DTypeException($"{c.Name}: the condition must be bool, got {cond.DType}");
            bool taken = Values.Scalar(cond, c, "cond") != 0;
            GraphRunner runner = taken ? thenRunner : elseRunner;
            Tensor[] args = (taken ? thenArgs : elseArgs).Select(i => ins[1 + i]!).ToArray();
            return runner.Run(args);
        };
    }

    private static GraphProto Branch(NodeContext c, string name) =>
        c.GraphAttribute(name) ?? throw c.Error($"attribute '{name}' is required");

    private static (GraphRunner Runner, string[] Free) Compile(NodeContext c, GraphProto g, string name, IReadOnlySet<string> outer)
    {
        if (g.Input.Count != 0) throw c.Error($"{name} has {g.Input.Count} inputs; an If branch takes none (it reads the enclosing graph's values by name)");
        if (g.Output.Count != c.OutputCount)
            throw c.Error($"{name} has {g.Output.Count} outputs; the If node has {c.OutputCount}");
        GraphDef def;
        try
        {
            def = ModelValidator.ValidateSubgraph(g, outer, c.Source);
        }
        catch (OnnxFormatException e)
        {
            // The branch's own message, under this node's name (without repeating the file's).
            string prefix = $"onnx: {c.Source.Name}: ";
            throw c.Error($"{name}: {(e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message)}");
        }
        var initializers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (TensorProto t in def.Initializers)
            initializers.Add(t.Name, c.Constant(t, $"{name}, initializer '{OnnxSource.Text(t.Name)}'"));
        string[] free = FreeVariables(g).ToArray();
        var runner = new GraphRunner(def, c.Opset, c.Source, initializers, c.External, c.Owned, c.MaxElements, free);
        return (runner, free);
    }
}
