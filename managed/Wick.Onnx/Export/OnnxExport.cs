using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Wick.NN;
using Wick.Onnx.Export;
using Wick.Onnx.Proto;

namespace Wick.Onnx;

/// <summary>
/// Exports a module to ONNX (opset 17) by tracing its forward on example inputs, as PyTorch's <c>torch.onnx.export</c>:
/// the ops that run become the graph, the parameters and buffers its initializers (under their state-dict names).
/// The first dimension of every input and output is a dynamic "batch" dimension: the forward is traced a second time
/// with one more sample (or, failing that, with two and with three more) and the graphs must be identical, so a graph that would only hold for the traced batch size
/// is refused rather than written. An op that ONNX cannot express raises <see cref="OnnxNotSupportedException"/> naming it.
/// <code>
/// model.Eval();
/// OnnxExport.Export(model, Tensor.RandN(2, 3, 32, 32), "model.onnx");
/// </code>
/// </summary>
public static class OnnxExport
{
    /// <summary>The operator set the exporter writes.</summary>
    public const int Opset = 17;

    /// <summary>Exports a one-input module to a file.</summary>
    public static void Export(Module<Tensor, Tensor> module, Tensor example, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, ToBytes(module, example, options));
    }

    /// <summary>The ONNX bytes of a one-input module.</summary>
    public static byte[] ToBytes(Module<Tensor, Tensor> module, Tensor example, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(example);
        return ToBytes(module, xs => new[] { module.Call(xs[0]) }, new[] { example }, options);
    }

    /// <summary>
    /// The ONNX bytes of any forward computation: <paramref name="forward"/> maps the inputs to the outputs using
    /// <paramref name="module"/>'s parameters and buffers (which become initializers under their state-dict names).
    /// </summary>
    public static byte[] ToBytes(Module module, Func<Tensor[], Tensor[]> forward, Tensor[] examples, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new OnnxExportOptions();
        if (examples.Length == 0) throw new ArgumentException("OnnxExport: give at least one example input", nameof(examples));
        if (options.InputNames is { } given && given.Count != examples.Length)
            throw new ArgumentException($"OnnxExport: {given.Count} input names for {examples.Length} inputs", nameof(options));
        bool dynamic = options.DynamicBatch;
        if (dynamic)
            foreach (var (t, i) in examples.Select((t, i) => (t, i)))
                if (t.Dim == 0) throw new ArgumentException($"OnnxExport: example input {i} is 0-d, so it has no batch dimension; pass DynamicBatch = false", nameof(examples));

        bool wasTraining = module.Training;
        module.Eval();
        try
        {
            ModelProto model = Trace(module, forward, examples, options);
            if (dynamic)
            {
                // The same forward with one more sample must give the same graph: otherwise a size the trace saw (a
                // shape, a constant made from the batch) is baked in and the graph would be wrong for other batch sizes.
                // When that fails, two and three more samples (both, so that neither parity is left out) spare a model
                // whose other sizes merely include the batch size + 1 (a factory of that size would look batch-sized in
                // that trace only).
                string? difference = DifferenceWithMoreSamples(module, forward, examples, options, model, 1);
                if (difference is not null && DifferenceWithMoreSamples(module, forward, examples, options, model, 2) is null)
                    difference = DifferenceWithMoreSamples(module, forward, examples, options, model, 3);
                if (difference is not null) throw new OnnxNotSupportedException(difference);
            }
            return model.ToByteArray();
        }
        finally
        {
            module.Train(wasTraining);
        }
    }

    private static ModelProto Trace(Module module, Func<Tensor[], Tensor[]> forward, Tensor[] examples, OnnxExportOptions options)
    {
        var names = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, t) in module.NamedParameters()) names.TryAdd(t, name);
        foreach (var (name, t) in module.NamedBuffers()) names.TryAdd(t, name);
        var g = new GraphBuilder();
        var tracer = new Tracer(g, names);
        using var noGrad = Autograd.NoGrad();
        using var scope = DisposeScope.Begin();
        var inputs = new List<(string, Value)>();
        Tensor[] outputs;
        using (OpTracer.Begin(tracer))
        {
            for (int i = 0; i < examples.Length; ++i)
            {
                string name = options.InputNames?[i] ?? (examples.Length == 1 ? "input" : $"input_{i}");
                inputs.Add((name, tracer.Input(examples[i], name, options.DynamicBatch)));
            }
            outputs = forward(examples) ?? throw new InvalidOperationException("OnnxExport: the forward returned null");
        }
        if (options.OutputNames is { } on && on.Count != outputs.Length)
            throw new ArgumentException($"OnnxExport: {on.Count} output names for {outputs.Length} outputs", nameof(options));

        GraphProto graph = g.Graph;
        // Inputs were declared under their own names; rename them in the nodes only if a node used them.
        foreach (var (name, v) in inputs) graph.Input.Add(GraphBuilder.Info(name, v, options.DynamicBatch));
        for (int i = 0; i < outputs.Length; ++i)
        {
            Value v = tracer.Output(outputs[i]);
            string name = options.OutputNames?[i] ?? (outputs.Length == 1 ? "output" : $"output_{i}");
            g.Node("Identity", new[] { v.Name }, new[] { name });
            graph.Output.Add(GraphBuilder.Info(name, v, options.DynamicBatch));
        }
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Wick",
            ProducerVersion = typeof(Tensor).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    // The difference between the traced graph and the one traced with `extra` copies of each input's first sample
    // appended, or null when they are the same.
    private static string? DifferenceWithMoreSamples(Module module, Func<Tensor[], Tensor[]> forward, Tensor[] examples, OnnxExportOptions options,
        ModelProto model, int extra)
    {
        var bigger = examples.Select(t =>
        {
            using var first = t.Narrow(0, 0, 1);
            return Tensor.Cat(new[] { t }.Concat(Enumerable.Repeat(first, extra)).ToArray(), 0);
        }).ToArray();
        try
        {
            ModelProto other = Trace(module, forward, bigger, options);
            return model.Graph.Equals(other.Graph) ? null : Difference(model.Graph, other.Graph);
        }
        finally
        {
            foreach (var t in bigger) t.Dispose();
        }
    }

    private static string Difference(GraphProto a, GraphProto b)
    {
        int n = Math.Min(a.Node.Count, b.Node.Count);
        for (int i = 0; i < n; ++i)
            if (!a.Node[i].Equals(b.Node[i]))
                return $"ONNX export: the traced graph depends on the batch size (node {i}, {a.Node[i].OpType}, differs between batch sizes), so it would be wrong for other batch sizes. " +
                       "Typical causes: a shape computed from the input's size (use -1 in View/Reshape for the batch dimension) or a tensor created with the batch size inside forward.";
        for (int i = 0; i < Math.Min(a.Initializer.Count, b.Initializer.Count); ++i)
            if (!a.Initializer[i].Equals(b.Initializer[i]))
                return $"ONNX export: the traced graph depends on the batch size (the constant \"{a.Initializer[i].Name}\" of shape [{string.Join(", ", a.Initializer[i].Dims)}] differs between batch sizes). " +
                       "A tensor made from the input's size or values is baked in; compute it with tensor ops from the input instead.";
        return $"ONNX export: the traced graph depends on the batch size ({a.Node.Count} nodes with one batch size, {b.Node.Count} with another).";
    }
}

/// <summary>Options of <see cref="OnnxExport"/>.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>The graph's input names (default "input", or "input_0", "input_1", ...).</summary>
    public IReadOnlyList<string>? InputNames { get; init; }

    /// <summary>The graph's output names (default "output", or "output_0", ...).</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    /// <summary>Whether dimension 0 of the inputs and outputs is a dynamic "batch" dimension (default true).</summary>
    public bool DynamicBatch { get; init; } = true;
}
