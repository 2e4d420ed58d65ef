using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Optim;

/// <summary>
/// A set of parameters an optimizer updates with one set of hyperparameters (PyTorch's param_groups
/// entry). Give options to override the optimizer's defaults for this group, or
/// just a learning rate to change only that.
/// <code>
/// var opt = new SGD(new[] {
///     new ParamGroup(model.Backbone.Parameters(), lr: 1e-3),
///     new ParamGroup(model.Head.Parameters()) }, new SGDOptions { LearningRate = 1e-2, Momentum = 0.9 });
/// </code>
/// </summary>
public sealed class ParamGroup
{
    private OptimizerOptions? _options;
    private readonly double? _lr;

    /// <summary>A group of parameters, with its own options (a copy is kept) or the optimizer's defaults.</summary>
    /// <param name="parameters">The tensors to update (each must require grad).</param>
    /// <param name="options">Hyperparameters for this group; null takes the optimizer's defaults.</param>
    /// <param name="lr">A learning rate that overrides the one in the options or defaults.</param>
    public ParamGroup(IEnumerable<Tensor> parameters, OptimizerOptions? options = null, double? lr = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        _options = options is null ? null : options with { };
        _lr = lr;
    }

    /// <summary>The tensors this group updates.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>This group's hyperparameters (its own copy; changing them affects this group only).</summary>
    public OptimizerOptions Options => _options ?? throw new InvalidOperationException("ParamGroup: the group is not attached to an optimizer yet, so it has no options");

    /// <summary>The learning rate of this group (what LR schedulers change).</summary>
    public double LearningRate
    {
        get => Options.LearningRate;
        set => Options.LearningRate = value;
    }

    /// <summary>The learning rate the first LR scheduler found (PyTorch's initial_lr); null before.</summary>
    public double? InitialLearningRate { get; set; }

    /// <summary>Fills in the options from the optimizer's defaults; done once, when the optimizer adopts the group.</summary>
    internal void Attach(OptimizerOptions defaults, string optimizer)
    {
        OptimizerOptions o = _options ?? (defaults with { });
        if (o.GetType() != defaults.GetType())
            throw new ArgumentException($"{optimizer}: a parameter group has {o.GetType().Name}, but this optimizer takes {defaults.GetType().Name}");
        if (_lr is double lr) o.LearningRate = lr;
        o.Validate(optimizer);
        _options = o;
    }
}

/// <summary>
/// An optimizer's state for one parameter: the number of steps taken and named buffers
/// (momentum_buffer, exp_avg, ...). The optimizer owns the buffers: they belong to no
/// <see cref="DisposeScope"/> and are freed by <see cref="Optimizer.Dispose"/>.
/// </summary>
public sealed class ParameterState
{
    private readonly SortedDictionary<string, Tensor> _buffers = new(StringComparer.Ordinal);

    /// <summary>Steps taken for this parameter.</summary>
    public long Step { get; set; }

    /// <summary>The buffers by name, in name order.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> Buffers => _buffers;

    /// <summary>A buffer, or null when the optimizer has not created it yet.</summary>
    public Tensor? this[string name]
    {
        get => _buffers.TryGetValue(name, out var t) ? t : null;
        set
        {
            if (_buffers.Remove(name, out var old) && !ReferenceEquals(old, value)) old.Dispose();
            if (value is null) return;
            DisposeScope.Current?.Detach(value);
            _buffers[name] = value;
        }
    }

    /// <summary>The buffer <paramref name="name"/>, created as zeros like <paramref name="param"/> (or filled with <paramref name="value"/>) when missing.</summary>
    public Tensor GetOrZeros(string name, Tensor param, double value = 0)
    {
        if (_buffers.TryGetValue(name, out var t)) return t;
        t = value == 0 ? Tensor.Zeros(param.Shape, param.DType, param.Device) : Tensor.Full(param.Shape, value, param.DType, param.Device);
        this[name] = t;
        return t;
    }

    internal void Clear()
    {
        foreach (var t in _buffers.Values) t.Dispose();
        _buffers.Clear();
        Step = 0;
    }
}
