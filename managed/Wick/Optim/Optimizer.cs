using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Wick.Optim;

/// <summary>
/// The base of the optimizers: parameter groups with their own hyperparameters, per-parameter state,
/// <see cref="ZeroGrad"/>, and state save/load. <see cref="Step"/> updates every parameter that has a
/// gradient with one fused native call per tensor. Dispose an optimizer to free its state buffers.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<ParamGroup> _groups = new();
    private readonly Dictionary<Tensor, ParameterState> _state = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    /// <summary>Adopts the groups; each without options of its own gets a copy of <paramref name="defaults"/>.</summary>
    protected Optimizer(IEnumerable<ParamGroup> groups, OptimizerOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(defaults);
        defaults.Validate(Name);
        Defaults = defaults with { };
        foreach (var g in groups) AddParamGroup(g);
        if (_groups.Count == 0) throw new ArgumentException($"{Name}: got an empty list of parameter groups");
    }

    /// <summary>The optimizer's name in messages (its type name).</summary>
    protected virtual string Name => GetType().Name;

    /// <summary>The options new groups without options of their own start from.</summary>
    public OptimizerOptions Defaults { get; }

    /// <summary>The parameter groups, in the order they were added.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => _groups;

    /// <summary>
    /// Adds a group (for example layers unfrozen during fine-tuning). Every tensor must be a floating-point
    /// leaf that requires grad, and belong to no other group of this optimizer.
    /// </summary>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_groups.Contains(group)) throw new ArgumentException($"{Name}: this parameter group was already added");
        if (group.Parameters.Count == 0) throw new ArgumentException($"{Name}: got an empty parameter list");
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var g in _groups) foreach (var p in g.Parameters) seen.Add(p);
        for (int i = 0; i < group.Parameters.Count; ++i)
        {
            Tensor p = group.Parameters[i] ?? throw new ArgumentNullException(nameof(group), $"{Name}: parameter {i} of the group is null");
            string what = $"{Name}: parameter {i} of group {_groups.Count} (shape [{string.Join(", ", p.Shape)}], {p.DType})";
            if (!p.DType.IsFloatingPoint())
                throw new ArgumentException($"{what} is not a floating-point tensor, so it has no gradient to follow");
            if (!p.RequiresGrad)
                throw new ArgumentException($"{what} does not require grad, so it will never have a gradient; set RequiresGrad = true on it, " +
                                            "or leave frozen parameters out (for example Parameters().Where(p => p.RequiresGrad))");
            if (!p.IsLeaf)
                throw new ArgumentException($"{what} was computed from other tensors (it is not a leaf); optimize the tensors it was computed from");
            if (!seen.Add(p))
                throw new ArgumentException($"{what} appears more than once among the parameter groups; give each tensor to one group only");
        }
        group.Attach(Defaults, Name);
        _groups.Add(group);
    }

    /// <summary>
    /// Clears the gradients of every parameter: by default they become null (freed; PyTorch's
    /// set_to_none=True), else they are filled with zeros.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var g in _groups)
        {
            foreach (var p in g.Parameters)
            {
                if (setToNone) p.Grad = null;
                else p.Grad?.Fill(0);
            }
        }
    }

    /// <summary>Updates every parameter that has a gradient (parameters whose Grad is null are skipped).</summary>
    public abstract void Step();

    /// <summary>The state of a parameter, created empty on first use.</summary>
    protected ParameterState GetState(Tensor parameter)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_state.TryGetValue(parameter, out var s)) _state[parameter] = s = new ParameterState();
        return s;
    }

    /// <summary>The state of a parameter, or null before its first step.</summary>
    public ParameterState? State(Tensor parameter) => _state.TryGetValue(parameter, out var s) ? s : null;

    /// <summary>
    /// The optimizer's state as named tensors (copies, owned by the returned <see cref="NN.StateDict"/>: dispose it when done), in PyTorch's layout with flat keys:
    /// "state.{i}.step" (int64) and "state.{i}.{buffer}" per parameter, parameters numbered across groups
    /// in order; "param_groups.{g}.{hyperparameter}" (float64 scalars) and "param_groups.{g}.params"
    /// (int64 indices) per group. It can be saved with the same writers as a model's StateDict.
    /// </summary>
    public NN.StateDict StateDict()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = new NN.StateDict();
        try
        {
            int index = 0;
            for (int gi = 0; gi < _groups.Count; ++gi)
            {
                ParamGroup g = _groups[gi];
                var ids = new long[g.Parameters.Count];
                for (int k = 0; k < ids.Length; ++k, ++index)
                {
                    ids[k] = index;
                    if (!_state.TryGetValue(g.Parameters[k], out var s)) continue;
                    result.Add($"state.{index}.step", Tensor.Scalar(s.Step));
                    foreach (var (name, buffer) in s.Buffers) result.Add($"state.{index}.{name}", buffer.Clone());
                }
                foreach (var (name, value) in g.Options.GetHyperparameters())
                    result.Add($"param_groups.{gi}.{name}", Tensor.Scalar(value, DType.Float64));
                if (g.InitialLearningRate is double initial)
                    result.Add($"param_groups.{gi}.initial_lr", Tensor.Scalar(initial, DType.Float64));
                result.Add($"param_groups.{gi}.params", Tensor.FromArray(ids));
            }
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// Restores state saved by <see cref="StateDict"/> from an optimizer over parameters of the same shapes,
    /// grouped the same way. Buffers are copied (converted to each parameter's dtype and device); the
    /// caller keeps ownership of <paramref name="stateDict"/>. Every problem found (wrong group sizes,
    /// mis-shaped buffers, unknown keys) is listed in one <see cref="ArgumentException"/>, and nothing is
    /// changed then.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var problems = new List<string>();
        var parameters = _groups.SelectMany(g => g.Parameters).ToArray();
        var steps = new Dictionary<int, long>();
        var buffers = new List<(int Index, string Name, Tensor Value)>();
        var hyper = new List<(int Group, string Name, double Value)>();
        var used = new HashSet<string>(StringComparer.Ordinal);

        for (int gi = 0; gi < _groups.Count; ++gi)
        {
            string key = $"param_groups.{gi}.params";
            if (!stateDict.TryGetValue(key, out var ids)) { problems.Add($"missing key \"{key}\""); continue; }
            used.Add(key);
            if (ids.Dim != 1 || ids.NumberOfElements != _groups[gi].Parameters.Count)
                problems.Add($"group {gi} has {_groups[gi].Parameters.Count} parameters, but the saved group has {ids.NumberOfElements} (\"{key}\" has shape [{string.Join(", ", ids.Shape)}])");
        }
        if (stateDict.ContainsKey($"param_groups.{_groups.Count}.params"))
            problems.Add($"the saved state has more than {_groups.Count} parameter groups");

        foreach (var (key, value) in stateDict)
        {
            if (used.Contains(key)) continue;
            string[] parts = key.Split('.', 3);
            if (parts.Length == 3 && parts[0] == "state" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pi))
            {
                if (pi >= parameters.Length) { problems.Add($"\"{key}\" is for parameter {pi}, but the optimizer has {parameters.Length} parameters"); continue; }
                if (parts[2] == "step")
                {
                    if (value.NumberOfElements != 1) { problems.Add($"\"{key}\" should hold one number, not shape [{string.Join(", ", value.Shape)}]"); continue; }
                    steps[pi] = (long)Math.Round(ReadScalar(value.To(DType.Float64)));
                    continue;
                }
                Tensor p = parameters[pi];
                if (!value.Shape.SequenceEqual(p.Shape))
                {
                    problems.Add($"\"{key}\" has shape [{string.Join(", ", value.Shape)}], but parameter {pi} has shape [{string.Join(", ", p.Shape)}]");
                    continue;
                }
                buffers.Add((pi, parts[2], value));
                continue;
            }
            if (parts.Length == 3 && parts[0] == "param_groups" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int gi2) && gi2 < _groups.Count)
            {
                if (value.NumberOfElements != 1) { problems.Add($"\"{key}\" should hold one number, not shape [{string.Join(", ", value.Shape)}]"); continue; }
                string name = parts[2];
                if (name != "initial_lr" && !_groups[gi2].Options.GetHyperparameters().Any(kv => kv.Key == name))
                {
                    problems.Add($"unexpected key \"{key}\": {Name} has no hyperparameter \"{name}\"");
                    continue;
                }
                hyper.Add((gi2, name, ReadScalar(value.To(DType.Float64))));
                continue;
            }
            problems.Add($"unexpected key \"{key}\"");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"{Name}.LoadStateDict: the state does not fit this optimizer:\n  " + string.Join("\n  ", problems));

        foreach (var s in _state.Values) s.Clear();
        _state.Clear();
        foreach (var (gi, name, v) in hyper)
        {
            if (name == "initial_lr") _groups[gi].InitialLearningRate = v;
            else _groups[gi].Options.SetHyperparameter(name, v);
        }
        foreach (var (pi, step) in steps) GetState(parameters[pi]).Step = step;
        foreach (var (pi, name, value) in buffers)
        {
            Tensor p = parameters[pi];
            GetState(p)[name] = value.To(p.DType, p.Device, copy: true);
        }
    }

    private static double ReadScalar(Tensor t)
    {
        try { return t.Item<double>(); }
        finally { t.Dispose(); }
    }

    /// <summary>A summary like PyTorch's: the optimizer and each group's hyperparameters.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder().Append(Name).Append(" (");
        for (int gi = 0; gi < _groups.Count; ++gi)
        {
            sb.Append("\nParameter Group ").Append(gi);
            foreach (var (name, value) in _groups[gi].Options.GetHyperparameters())
                sb.Append("\n    ").Append(name).Append(": ").Append(value.ToString(CultureInfo.InvariantCulture));
        }
        return sb.Append("\n)").ToString();
    }

    /// <summary>Frees the state buffers. The parameters are not touched.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var s in _state.Values) s.Clear();
        _state.Clear();
        GC.SuppressFinalize(this);
    }
}
