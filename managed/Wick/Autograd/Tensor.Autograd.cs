using System;
using System.Threading;

namespace Wick;

// Autograd state carried by every tensor. The non-recording path reads only _requiresGrad.
public sealed partial class Tensor
{
    internal bool _requiresGrad;
    internal Node? _gradFn;
    internal int _outputNr;
    internal AutogradMeta? _meta;
    /// <summary>For a view: the tensor at the root of its view chain (whose memory it shares).</summary>
    internal Tensor? _viewBase;
    /// <summary>For a view recorded by autograd: its base's GradFn when the view was taken.</summary>
    internal Node? _viewBaseFn;
    internal bool _viewRecorded;

    /// <summary>
    /// Whether operations on this tensor are recorded so that gradients with respect to it can be computed.
    /// Set it on leaves (parameters, inputs); results of recorded operations require grad by themselves.
    /// Only floating-point tensors can require grad.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (value == _requiresGrad) return;
            if (_gradFn is not null)
                throw new InvalidOperationException(
                    $"RequiresGrad: only leaf tensors can change this flag, and this tensor was computed by {_gradFn.Name}. " +
                    "To use its value without gradients, call Detach().");
            if (value && !DType.IsFloatingPoint())
                throw new DTypeException(
                    $"RequiresGrad: only tensors of a floating-point dtype can require gradients, but this tensor is {DType}; " +
                    "convert it first, e.g. To(DType.Float32).");
            _requiresGrad = value;
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (PyTorch's requires_grad_()).</summary>
    public Tensor SetRequiresGrad(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>
    /// The gradient accumulated by <see cref="Backward"/> (leaves), or retained (<see cref="RetainGrad"/>); null when none.
    /// The tensor owns its gradient: later backward passes add into the same Grad object, assigning a new value
    /// (null to reset it, PyTorch's zero_grad(set_to_none=True)) frees the previous one, and so does disposing this
    /// tensor. Gradients belong to no <see cref="DisposeScope"/>; Clone() one to keep it past those events.
    /// </summary>
    public Tensor? Grad
    {
        get => _meta?.Grad is { IsDisposed: false } g ? g : null;
        set
        {
            if (value is null)
            {
                _meta?.SetGrad(null);
                return;
            }
            if (!Broadcast.SameShape(value.ShapeRef, ShapeRef))
                throw new ShapeMismatchException($"Grad: the assigned gradient has shape [{string.Join(", ", value.ShapeRef)}] but the tensor has shape [{string.Join(", ", ShapeRef)}]");
            if (value.DType != DType)
                throw new DTypeException($"Grad: the assigned gradient is {value.DType} but the tensor is {DType}; convert it with To(DType.{DType})");
            EnsureMeta().SetGrad(value.AliasWithHistory());
        }
    }

    /// <summary>The node that computed this tensor (named like "MulBackward"), or null for a leaf.</summary>
    public Node? GradFn => _gradFn;

    /// <summary>True unless this tensor was computed by a recorded operation (tensors that do not require grad are leaves).</summary>
    public bool IsLeaf => _gradFn is null;

    /// <summary>True when this non-leaf tensor keeps its gradient in <see cref="Grad"/> (see <see cref="RetainGrad"/>).</summary>
    public bool RetainsGrad => _gradFn is not null && _meta is { RetainsGrad: true };

    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires grad and adds it into their
    /// <see cref="Grad"/>. <paramref name="gradient"/> is d(loss)/d(this): it may be omitted for a one-element tensor
    /// (it is then 1). The graph's saved tensors are freed unless <paramref name="retainGraph"/>;
    /// <paramref name="createGraph"/> records the backward pass itself, for higher-order gradients (it implies retainGraph).
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false)
    {
        var (roots, grads) = Autograd.Roots("Backward", new[] { this }, new[] { gradient });
        Engine.Run(roots, grads, retainGraph || createGraph, createGraph, captures: null);
    }

    /// <summary>
    /// A tensor sharing this one's memory that is cut off from the graph (it does not require grad). In-place
    /// changes through either are seen by both, and by the version checks of saved tensors.
    /// </summary>
    public Tensor Detach()
    {
        var t = new Tensor(this);
        DisposeScope.Current?.Register(t);
        OpTracer.Current?.Op("Detach", new[] { this }, new[] { t });
        return t;
    }

    /// <summary>Cuts this tensor off from the graph in place (it becomes a leaf that does not require grad); returns it.</summary>
    public Tensor DetachInPlace()
    {
        if (_viewRecorded && _requiresGrad)
            throw new NotSupportedException("DetachInPlace: a view of a tensor that requires grad cannot be detached in place; use Detach(), which returns a new tensor.");
        _gradFn = null;
        _outputNr = 0;
        _requiresGrad = false;
        return this;
    }

    /// <summary>
    /// Registers a hook called with this tensor's gradient each time it is computed. It may return a new gradient that
    /// replaces it, or null to keep it. It must not dispose its argument. Tensors it creates follow the caller's
    /// <see cref="DisposeScope"/>. Dispose (or Remove) the returned handle to unregister it.
    /// </summary>
    public RemovableHandle RegisterHook(Func<Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!_requiresGrad)
            throw new InvalidOperationException("RegisterHook: cannot register a hook on a tensor that does not require grad; set RequiresGrad = true first.");
        if (_gradFn is { } fn)
        {
            var h = new TensorHook(hook, _outputNr);
            fn.AddHook(h);
            return new RemovableHandle(() => fn.RemoveHook(h));
        }
        AutogradMeta meta = EnsureMeta();
        var leafHook = new TensorHook(hook, 0);
        lock (meta) (meta.Hooks ??= new()).Add(leafHook);
        return new RemovableHandle(() => { lock (meta) meta.Hooks?.Remove(leafHook); });
    }

    /// <summary>
    /// Makes this non-leaf tensor keep its gradient in <see cref="Grad"/> during backward passes (leaves always do).
    /// </summary>
    public void RetainGrad()
    {
        if (!_requiresGrad)
            throw new InvalidOperationException("RetainGrad: cannot retain the gradient of a tensor that does not require grad.");
        if (_gradFn is not { } fn) return;
        AutogradMeta meta = EnsureMeta();
        lock (fn)
        {
            if (meta.RetainsGrad) return;
            meta.RetainsGrad = true;
            (fn.RetainedGrads ??= new()).Add((_outputNr, meta));
        }
    }

    internal AutogradMeta EnsureMeta()
    {
        AutogradMeta? m = _meta;
        if (m is not null) return m;
        Interlocked.CompareExchange(ref _meta, new AutogradMeta(this), null);
        return _meta!;
    }

    /// <summary>Where this tensor's gradient goes: its GradFn (and output index), its leaf accumulator, or nowhere.</summary>
    internal Edge GradientEdge()
    {
        if (_gradFn is { } fn)
        {
            if (_viewRecorded && !ReferenceEquals(_viewBase!._gradFn, _viewBaseFn))
                throw new NotSupportedException(
                    $"This view was taken before its base tensor was modified in place ({_viewBase!._gradFn?.Name ?? "none"}), so its recorded history " +
                    "is out of date. Take the view again after the in-place operation, or use out-of-place operations.");
            return new Edge(fn, _outputNr);
        }
        if (_requiresGrad) return new Edge(EnsureMeta().GetAccumulator(), 0);
        return default;
    }

    /// <summary>A second reference to the same native tensor that stands for the same autograd variable (history, leaf state).</summary>
    internal Tensor AliasWithHistory()
    {
        if (_requiresGrad && _gradFn is null) EnsureMeta();
        var t = new Tensor(this);
        t.CopyHistoryFrom(this);
        return t;
    }

    internal void CopyHistoryFrom(Tensor source)
    {
        _requiresGrad = source._requiresGrad;
        _gradFn = source._gradFn;
        _outputNr = source._outputNr;
        _meta = source._meta;
    }
}
