using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;

namespace Wick.Onnx.Export;

/// <summary>
/// Follows one forward pass: maps every tensor an op reports to the graph value that computes it, and translates the
/// op into ONNX nodes (<c>Translations.cs</c>). Tensors it meets that no op produced are the module's parameters and
/// buffers (initializers under their state-dict names) or constants made before the trace; a tensor created during the
/// trace by an op that reports nothing is refused with the op's name, never baked in as a constant.
/// </summary>
internal sealed partial class Tracer : OpTracer
{
    private readonly Dictionary<Tensor, Value> _values = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, ulong> _storage = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, long> _versions = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, StackTrace> _created = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, string> _names;
    private readonly GraphBuilder _g;
    private readonly List<(string Name, long Size)> _batchInputs = new();
    private int _constants;

    public Tracer(GraphBuilder g, Dictionary<Tensor, string> parameterNames)
    {
        _g = g;
        _names = parameterNames;
    }

    /// <summary>Declares a graph input holding <paramref name="t"/>, batch axis 0 when <paramref name="dynamicBatch"/>.</summary>
    public Value Input(Tensor t, string name, bool dynamicBatch)
    {
        var v = new Value(name, t.Shape, t.DType, dynamicBatch && t.Dim > 0 ? 0 : -1);
        _values[t] = v;
        if (v.Batch == 0) _batchInputs.Add((name, t.Shape[0]));
        _versions[t] = t.Version;
        return v;
    }

    public override void Created(Tensor t)
    {
        if (!_busy) _created[t] = new StackTrace(1, false);  // from the constructor (or the op it was inlined into)
    }

    // True while the tracer itself runs Wick ops (reading an initializer's bytes): those are not part of the forward.
    private bool _busy;

    public override void Op(string op, Tensor?[] inputs, Tensor?[] outputs, params object?[] args)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            Record(op, inputs, outputs, args);
        }
        finally
        {
            _busy = false;
        }
    }

    private void Record(string op, Tensor?[] inputs, Tensor?[] outputs, object?[] args)
    {
        var ins = new Value?[inputs.Length];
        // An in-place op reports the tensor it wrote among its outputs: that write is this op's, not an unseen one.
        for (int i = 0; i < inputs.Length; ++i) ins[i] = inputs[i] is { } t ? Resolve(t, op, Array.IndexOf(outputs, t) < 0) : null;
        Value?[] outs = Translate(op, ins, outputs, args);
        for (int i = 0; i < outputs.Length; ++i)
        {
            if (outputs[i] is not { } o) continue;
            Value v = outs[i] ?? throw new InvalidOperationException($"ONNX export: the translation of {op} gave no value for output {i}");
            bool rebinding = _values.ContainsKey(o) || _names.ContainsKey(o) || Array.IndexOf(inputs, o) >= 0;
            if (rebinding) CheckInPlace(op, o);
            _values[o] = v;
            _created.Remove(o);
            if (!o.IsDisposed)
            {
                _storage[o] = o.StorageId;
                _versions[o] = o.Version;
            }
        }
    }

    /// <summary>The value of a finished trace's output tensor.</summary>
    public Value Output(Tensor t)
    {
        _busy = true;
        try
        {
            return Resolve(t, "the forward's result");
        }
        finally
        {
            _busy = false;
        }
    }

    // An in-place write is only exact in the graph when nothing else sees the same memory: a view taken before would keep
    // the old value in the graph but see the new one in Wick (and a write through a view changes its base).
    private void CheckInPlace(string op, Tensor target)
    {
        if (_names.ContainsKey(target))
            throw new OnnxNotSupportedException($"ONNX export: {op} writes in place into the parameter or buffer \"{_names[target]}\"; an exported graph cannot change its weights. Use the out-of-place op.");
        ulong id = target.StorageId;
        foreach (var (t, sid) in _storage)
        {
            if (ReferenceEquals(t, target) || sid != id || t.IsDisposed) continue;
            throw new OnnxNotSupportedException($"ONNX export: {op} writes in place into a tensor that shares memory with another tensor of the traced forward (a view or a base of one); the graph would not see the change through the other. Use the out-of-place op (e.g. Add instead of AddInPlace).");
        }
    }

    private Value Resolve(Tensor t, string usedBy, bool checkVersion = true)
    {
        if (_values.TryGetValue(t, out var v))
        {
            if (v.Unusable is not null) throw new OnnxNotSupportedException($"ONNX export: {usedBy} uses {v.Unusable}");
            if (v.Emit is { } emit)
            {
                v.Emit = null;
                emit();
            }
            // The storage's version moves with every in-place write: one the trace did not see would be lost in the graph.
            if (checkVersion && _versions.TryGetValue(t, out long version) && !t.IsDisposed && t.Version != version)
                throw new OnnxNotSupportedException(
                    $"ONNX export: {usedBy} uses a tensor that an op the exporter cannot translate wrote in place (after it was made by a traced op); use out-of-place ops.");
            return v;
        }
        if (_created.TryGetValue(t, out var trace))
            throw new OnnxNotSupportedException(
                $"ONNX export: {Creator(trace)} is not supported: it made a tensor inside the traced forward (used by {usedBy}) without going through an op the exporter can translate to ONNX.");
        if (t.IsDisposed) throw new ObjectDisposedException(nameof(Tensor), $"ONNX export: {usedBy} uses a disposed tensor");
        string name;
        if (_names.TryGetValue(t, out var pname)) name = pname;
        else name = $"constant_{_constants++}";
        _g.Initializer(name, t);
        v = new Value(name, t.Shape, t.DType, -1);
        _values[t] = v;
        _storage[t] = t.StorageId;
        return v;
    }

    // The public Wick method that made the tensor: the innermost frame of a public method of a public Wick type.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only names the op in an error message; without metadata it says \"an operation\".")]
    private static string Creator(StackTrace trace)
    {
        Assembly wick = typeof(Tensor).Assembly;
        foreach (var frame in trace.GetFrames())
        {
            MethodBase? m = frame.GetMethod();
            if (m?.DeclaringType is not { } type || m.IsConstructor) continue;
            if (type.Assembly != wick || typeof(NN.Module).IsAssignableFrom(type))
                return $"an op called from {type.Name}.{m.Name}";  // the op itself was inlined into its caller
            if (m.IsPublic && type.IsVisible) return $"{type.Name}.{m.Name}";
        }
        return "an operation";
    }
}
