using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Onnx.Loading;
using Wick.Onnx.Proto;
using Wick.Onnx.Runtime;

namespace Wick.Onnx;

/// <summary>
/// An ONNX model loaded for Wick: <see cref="Run(Tensor[])"/> executes its graph with Wick operations in topological
/// order. Its initializers (weights) are tensors the module owns; disposing the module frees them.
/// </summary>
public sealed class OnnxModule : IDisposable
{
    private readonly GraphRunner _runner;
    private readonly List<Tensor> _owned;
    private readonly OnnxSource _source;
    private bool _disposed;

    private OnnxModule(ModelDef def, OnnxSource source, GraphRunner runner, List<Tensor> owned, IReadOnlyDictionary<string, Tensor> initializers)
    {
        _source = source;
        _runner = runner;
        _owned = owned;
        Initializers = initializers;
        IrVersion = def.IrVersion;
        Opset = def.DefaultOpset;
        ProducerName = def.Proto.ProducerName ?? "";
        Inputs = def.Graph.Inputs.Select(v => new OnnxValueInfo(v)).ToArray();
        Outputs = def.Graph.Outputs.Select(v => new OnnxValueInfo(v)).ToArray();
        NodeCount = def.Graph.Nodes.Count;
    }

    /// <summary>The runtime inputs (graph inputs that are not initializers), in order.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The outputs, in order.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>The model's initializers (weights and constants) by name; owned by the module.</summary>
    public IReadOnlyDictionary<string, Tensor> Initializers { get; }

    /// <summary>The IR version of the file.</summary>
    public long IrVersion { get; }

    /// <summary>The version of the standard operator set the model imports.</summary>
    public long Opset { get; }

    /// <summary>The producer named in the file ("pytorch", "Wick").</summary>
    public string ProducerName { get; }

    /// <summary>Nodes in the main graph.</summary>
    public int NodeCount { get; }

    internal static OnnxModule Build(ModelProto proto, OnnxSource source, OnnxLoadOptions options)
    {
        ModelDef def = ModelValidator.Validate(proto, source, options);
        var owned = new List<Tensor>();
        var initializers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var external = new ExternalData(source, options.MaxExternalDataBytes);
            foreach (TensorProto t in def.Graph.Initializers)
            {
                Tensor value = TensorDecoder.Decode(t, $"initializer '{OnnxSource.Text(t.Name)}'", source, external);
                owned.Add(value);
                initializers.Add(t.Name, value);
            }
            var runner = new GraphRunner(def.Graph, def.DefaultOpset, source, initializers, external, owned, options.MaxTensorElements);
            if (options.Device is { } device && device.Type != DeviceType.Cpu)
                throw new NotSupportedException("OnnxLoadOptions.Device: loading onto another device than the CPU is not implemented yet");
            return new OnnxModule(def, source, runner, owned, initializers);
        }
        catch
        {
            foreach (Tensor t in owned) t.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on its inputs (in the order of <see cref="Inputs"/>) and returns its outputs (the caller owns them).</summary>
    /// <exception cref="ArgumentException">The number of inputs is wrong.</exception>
    /// <exception cref="DTypeException">An input's dtype differs from the declared element type.</exception>
    /// <exception cref="ShapeMismatchException">An input's rank or a fixed dimension differs from the declared shape.</exception>
    /// <exception cref="OnnxExecutionException">A node failed; the message names it.</exception>
    public Tensor[] Run(params Tensor[] inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length != Inputs.Count)
            throw new ArgumentException($"onnx: {_source.Name}: the model takes {Inputs.Count} inputs ({string.Join(", ", Inputs.Select(i => i.Name))}), got {inputs.Length}", nameof(inputs));
        for (int i = 0; i < inputs.Length; ++i) Check(Inputs[i], inputs[i]);
        return _runner.Run(inputs);
    }

    /// <summary>Runs the model on named inputs and returns the outputs by name.</summary>
    public Dictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var ordered = new Tensor[Inputs.Count];
        for (int i = 0; i < ordered.Length; ++i)
            if (!inputs.TryGetValue(Inputs[i].Name, out ordered[i]!))
                throw new ArgumentException($"onnx: {_source.Name}: the input '{Inputs[i].Name}' is missing", nameof(inputs));
        foreach (string name in inputs.Keys)
            if (!Inputs.Any(v => v.Name == name))
                throw new ArgumentException($"onnx: {_source.Name}: the model has no input named '{name}' (its inputs: {string.Join(", ", Inputs.Select(v => v.Name))})", nameof(inputs));
        Tensor[] results = Run(ordered);
        var named = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < results.Length; ++i) named.Add(Outputs[i].Name, results[i]);
        return named;
    }

    private void Check(OnnxValueInfo info, Tensor x)
    {
        if (x is null) throw new ArgumentNullException(nameof(x), $"onnx: {_source.Name}: input '{info.Name}' is null");
        if (info.DType is DType d && x.DType != d)
            throw new DTypeException($"onnx: {_source.Name}: input '{info.Name}' is {x.DType}; the model declares {info.ElementType} ({d})");
        if (info.Shape is { } shape)
        {
            long[] s = x.Shape;
            if (s.Length != shape.Count)
                throw new ShapeMismatchException($"onnx: {_source.Name}: input '{info.Name}' has shape {NodeContext.List(s)}; the model declares {info}");
            for (int i = 0; i < s.Length; ++i)
                if (shape[i] is long want && want != s[i])
                    throw new ShapeMismatchException($"onnx: {_source.Name}: input '{info.Name}' has shape {NodeContext.List(s)}; the model declares {info} (dimension {i} must be {want})");
        }
    }

    /// <summary>Frees the model's tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (Tensor t in _owned) t.Dispose();
        _owned.Clear();
    }
}
