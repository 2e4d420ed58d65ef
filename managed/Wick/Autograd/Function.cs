using System;
using System.Collections.Generic;

namespace Wick;

/// <summary>
/// A differentiable operation written by you: override <see cref="Forward"/> (it runs without recording, on the
/// inputs themselves) and <see cref="Backward"/> (given d(loss)/d(each output), return d(loss)/d(each input)).
/// Keep what Backward needs with <see cref="SaveForBackward"/>; read it back from <see cref="SavedTensors"/>, which
/// checks that it was not modified in place meanwhile. Create one instance per call and run it with <see cref="Apply"/>.
/// <code>
/// sealed class Cube : Function
/// {
///     protected override Tensor[] Forward(Tensor[] x) { SaveForBackward(x[0]); return new[] { x[0] * x[0] * x[0] }; }
///     protected override Tensor?[] Backward(Tensor[] g) { var x = SavedTensors[0]; return new[] { g[0] * 3 * x * x }; }
/// }
/// var y = new Cube().Apply(x)[0];
/// </code>
/// Backward is written with ordinary tensor operations, so it is itself differentiable when the backward pass runs
/// with createGraph. Tensors it creates and does not return are freed when it finishes; Backward runs once per
/// backward pass unless the graph is retained.
/// </summary>
public abstract class Function
{
    private List<Tensor>? _toSave;
    private List<Tensor>? _nonDifferentiable;
    private SavedTensor[]? _saved;
    private bool[]? _needsInputGrad;
    private FunctionBackward? _node;
    private bool _applied;

    /// <summary>The name of the operation; its node is named Name + "Backward". Defaults to the class name.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>Computes the outputs from the inputs. Runs without recording (inside NoGrad).</summary>
    protected abstract Tensor[] Forward(Tensor[] inputs);

    /// <summary>
    /// Gradients of the inputs (one per input; null where there is none or <see cref="NeedsInputGrad"/> is false)
    /// from the gradients of the outputs (one per output; zeros for outputs that received none). A gradient may also
    /// have the broadcast shape of its input; it is then summed back.
    /// </summary>
    protected abstract Tensor?[] Backward(Tensor[] gradOutputs);

    /// <summary>Runs <see cref="Forward"/> and, when an input requires grad in grad mode, records this function in the graph.</summary>
    public Tensor[] Apply(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (_applied)
            throw new InvalidOperationException($"{Name}: a Function instance records one call; create a new instance for each call of Apply.");
        _applied = true;
        bool record = false;
        for (int i = 0; i < inputs.Length; ++i)
        {
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"{Name}: input {i} is null");
            record |= inputs[i]._requiresGrad;
        }
        record &= GradMode.IsEnabled;
        _needsInputGrad = new bool[inputs.Length];
        for (int i = 0; i < inputs.Length; ++i) _needsInputGrad[i] = record && inputs[i]._requiresGrad;

        Tensor[] outputs;
        using (GradMode.Scope(false)) outputs = Forward(inputs);
        if (outputs is null) throw new InvalidOperationException($"{Name}.Forward returned null; return an array of outputs.");
        for (int i = 0; i < outputs.Length; ++i)
            if (outputs[i] is null) throw new InvalidOperationException($"{Name}.Forward returned null for output {i}.");
        if (!record)
        {
            _toSave = null;
            return outputs;
        }

        var node = new FunctionBackward(this, inputs, outputs);
        _node = node;
        for (int i = 0; i < outputs.Length; ++i)
        {
            Tensor o = outputs[i];
            // An input returned as it is, or one tensor returned twice: give it a separate identity of its own.
            if (Array.IndexOf(inputs, o) >= 0 || Array.IndexOf(outputs, o, 0, i) >= 0) outputs[i] = o = o.Detach();
            if (o.DType.IsFloatingPoint() && _nonDifferentiable?.Contains(o) != true) Recording.Attach(o, node, i);
        }
        var saved = new SavedTensor[_toSave?.Count ?? 0];
        for (int k = 0; k < saved.Length; ++k) saved[k] = SavedTensor.Save(_toSave![k], k);
        _saved = saved;
        _toSave = null;
        return outputs;
    }

    /// <summary>Keeps tensors (inputs, outputs or others) for <see cref="Backward"/>; call it inside Forward.</summary>
    public void SaveForBackward(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (Tensor t in tensors) ArgumentNullException.ThrowIfNull(t, nameof(tensors));
        (_toSave ??= new List<Tensor>()).AddRange(tensors);
    }

    /// <summary>The tensors given to <see cref="SaveForBackward"/>, checked against in-place changes; read them in Backward.</summary>
    public IReadOnlyList<Tensor> SavedTensors
    {
        get
        {
            if (_saved is null || _node is null)
                throw new InvalidOperationException($"{Name}: SavedTensors can be read in Backward only (after Apply recorded the call).");
            var r = new Tensor[_saved.Length];
            for (int k = 0; k < r.Length; ++k) r[k] = _saved[k].Unpack(_node);
            return r;
        }
    }

    /// <summary>Whether input <paramref name="index"/> needs a gradient (it requires grad and recording was on).</summary>
    public bool NeedsInputGrad(int index) =>
        _needsInputGrad is { } n ? n[index] : throw new InvalidOperationException($"{Name}: NeedsInputGrad is known only once Apply runs.");

    /// <summary>Marks outputs that have no gradient (indices, masks); call it inside Forward.</summary>
    public void MarkNonDifferentiable(params Tensor[] outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        (_nonDifferentiable ??= new List<Tensor>()).AddRange(outputs);
    }

    internal Tensor?[] InvokeBackward(Tensor[] gradOutputs) => Backward(gradOutputs);

    internal void ReleaseSaved()
    {
        if (_saved is null) return;
        foreach (SavedTensor s in _saved) s.Release();
    }
}

/// <summary>The node of a user-defined <see cref="Function"/>: checks and adapts what its Backward returns.</summary>
internal sealed class FunctionBackward : Node
{
    private readonly Function _fn;
    private readonly long[][] _inShapes, _outShapes;
    private readonly DType[] _inDTypes, _outDTypes;
    private readonly Device[] _outDevices;

    public FunctionBackward(Function fn, Tensor[] inputs, Tensor[] outputs)
    {
        _fn = fn;
        int n = inputs.Length, m = outputs.Length;
        _inShapes = new long[n][];
        _inDTypes = new DType[n];
        var next = new Edge[n];
        for (int i = 0; i < n; ++i)
        {
            _inShapes[i] = inputs[i].ShapeRef;
            _inDTypes[i] = inputs[i].DType;
            next[i] = inputs[i].GradientEdge();
        }
        Next = next;
        _outShapes = new long[m][];
        _outDTypes = new DType[m];
        _outDevices = new Device[m];
        for (int i = 0; i < m; ++i)
        {
            _outShapes[i] = outputs[i].ShapeRef;
            _outDTypes[i] = outputs[i].DType;
            _outDevices[i] = outputs[i].Device;
        }
    }

    public override string Name => _fn.Name + "Backward";

    internal override int OutputCount => _outShapes.Length;

    internal override bool MayReturnForeignTensors => true;

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        var g = new Tensor[grads.Length];
        for (int i = 0; i < g.Length; ++i)
            g[i] = grads[i] ?? Tensor.Zeros(_outShapes[i], _outDTypes[i], _outDevices[i]);
        Tensor?[] r = _fn.InvokeBackward(g)
            ?? throw new InvalidOperationException($"{Name}: Backward returned null; return one gradient per input (null entries where there is none).");
        if (r.Length != Next.Length)
            throw new InvalidOperationException($"{Name}: Backward returned {r.Length} gradients, but Forward took {Next.Length} inputs; return one per input (null where there is none).");
        var result = new Tensor?[r.Length];
        for (int i = 0; i < r.Length; ++i)
        {
            if (r[i] is not { } gi || !NeedsGrad(i)) continue;
            long[] want = _inShapes[i];
            if (!Broadcast.SameShape(gi.ShapeRef, want))
            {
                if (!ExpandsTo(want, gi.ShapeRef))
                    throw new ShapeMismatchException(
                        $"{Name} returned an invalid gradient at index {i}: got shape [{string.Join(", ", gi.ShapeRef)}] " +
                        $"but expected shape compatible with [{string.Join(", ", want)}] (the shape of input {i}).");
                gi = Broadcast.SumToShape(gi, want);
            }
            if (gi.DType != _inDTypes[i])
            {
                if (!gi.DType.IsFloatingPoint())
                    throw new DTypeException($"{Name} returned a {gi.DType} gradient at index {i}; gradients are floating-point ({_inDTypes[i]} for input {i}).");
                gi = gi.To(_inDTypes[i]);
            }
            result[i] = gi;
        }
        return result;
    }

    internal override void ReleaseSaved() => _fn.ReleaseSaved();

    /// <summary>True when a tensor of <paramref name="shape"/> broadcasts to <paramref name="target"/>.</summary>
    private static bool ExpandsTo(long[] shape, long[] target)
    {
        if (shape.Length > target.Length) return false;
        int lead = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; ++i)
            if (shape[i] != 1 && shape[i] != target[lead + i]) return false;
        return true;
    }
}
