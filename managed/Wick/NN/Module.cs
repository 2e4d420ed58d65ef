using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Wick.NN;

/// <summary>
/// The base of every layer and model (PyTorch's nn.Module). A module owns parameters (tensors that require
/// grad), buffers (state that is not trained, like BatchNorm's running statistics) and submodules, each
/// registered under a name in its constructor:
/// <code>
/// sealed class Net : Module&lt;Tensor, Tensor&gt;
/// {
///     private readonly Linear _fc1, _fc2;
///     public Net()
///     {
///         _fc1 = RegisterModule("fc1", new Linear(784, 128));
///         _fc2 = RegisterModule("fc2", new Linear(128, 10));
///     }
///     public override Tensor Forward(Tensor x) { using var h = _fc1.Forward(x).Relu(); return _fc2.Forward(h); }
/// }
/// </code>
/// Registration is explicit (no reflection), so it works the same from C# and F# and under NativeAOT.
/// The module owns what is registered: disposing it frees its parameters, buffers and submodules.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<KeyValuePair<string, Tensor?>> _parameters = new();
    private readonly List<KeyValuePair<string, Tensor?>> _buffers = new();
    private readonly HashSet<string> _nonPersistent = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, Module>> _modules = new();
    private bool _disposed;

    /// <summary>The name shown by <see cref="ToString"/> and <see cref="Summary"/> (the type's name by default).</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>True in training mode (the default), false in evaluation mode (see <see cref="Train"/>).</summary>
    public bool Training { get; private set; } = true;

    // ---- registration ----------------------------------------------------------------------

    private void CheckName(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (name.Length == 0 || name.Contains('.'))
            throw new ArgumentException($"{TypeName}: {what} name \"{name}\" must be non-empty and contain no '.'", nameof(name));
        if (_parameters.Any(kv => kv.Key == name) || _buffers.Any(kv => kv.Key == name) || _modules.Any(kv => kv.Key == name))
            throw new ArgumentException($"{TypeName}: the name \"{name}\" is already registered", nameof(name));
    }

    /// <summary>
    /// Registers a parameter and takes ownership of it: it is set to require grad (unless <paramref name="requiresGrad"/>
    /// is false), removed from the current <see cref="DisposeScope"/>, and freed when the module is disposed.
    /// Returns the tensor, so a constructor can write <c>_w = RegisterParameter("weight", Tensor.Empty(...))</c>.
    /// </summary>
    public Tensor RegisterParameter(string name, Tensor parameter, bool requiresGrad = true)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckName(name, "parameter");
        if (!parameter.IsLeaf)
            throw new ArgumentException($"{TypeName}: parameter \"{name}\" was computed from other tensors; register a leaf (use Detach() to cut it off)", nameof(parameter));
        if (requiresGrad && !parameter.DType.IsFloatingPoint())
            throw new DTypeException($"{TypeName}: parameter \"{name}\" is {parameter.DType}; parameters that require grad must be floating-point (or pass requiresGrad: false)");
        Adopt(parameter);
        parameter.RequiresGrad = requiresGrad;
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers an absent optional parameter (for example a bias the layer was built without): it appears nowhere.</summary>
    public void RegisterParameter(string name)
    {
        CheckName(name, "parameter");
        _parameters.Add(new(name, null));
    }

    /// <summary>
    /// Registers a buffer (state saved in the <see cref="StateDict"/> but not trained) and takes ownership of it.
    /// A non-persistent buffer moves with <see cref="ModuleExtensions.To{T}(T, Device)"/> but is not saved.
    /// </summary>
    public Tensor RegisterBuffer(string name, Tensor buffer, bool persistent = true)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckName(name, "buffer");
        Adopt(buffer);
        _buffers.Add(new(name, buffer));
        if (!persistent) _nonPersistent.Add(name);
        return buffer;
    }

    /// <summary>Registers a submodule (owned: disposed with this module). Returns it.</summary>
    public T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name, "submodule");
        if (ReferenceEquals(module, this) || module.NamedModules().Any(kv => ReferenceEquals(kv.Value, this)))
            throw new ArgumentException($"{TypeName}: registering \"{name}\" would make the module contain itself", nameof(module));
        _modules.Add(new(name, module));
        return module;
    }

    private static void Adopt(Tensor t)
    {
        // The module owns the tensor from now on: a scope that was collecting it must not free it.
        DisposeScope.Current?.Detach(t);
    }

    /// <summary>The parameter registered under <paramref name="name"/> on this module (not submodules), or null.</summary>
    public Tensor? GetParameter(string name) => _parameters.FirstOrDefault(kv => kv.Key == name).Value;

    /// <summary>The buffer registered under <paramref name="name"/> on this module, or null.</summary>
    public Tensor? GetBuffer(string name) => _buffers.FirstOrDefault(kv => kv.Key == name).Value;

    /// <summary>The submodule registered under <paramref name="name"/> on this module, or null.</summary>
    public Module? GetSubmodule(string name) => _modules.FirstOrDefault(kv => kv.Key == name).Value;

    // ---- traversal -------------------------------------------------------------------------

    /// <summary>
    /// Parameters with dotted names ("fc1.weight"), this module's first, then each submodule's in registration order;
    /// a tensor shared by several modules appears once.
    /// </summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters(string prefix = "", bool recurse = true) =>
        Named(prefix, recurse, m => m._parameters);

    /// <summary>The parameters (see <see cref="NamedParameters"/>).</summary>
    public IEnumerable<Tensor> Parameters(bool recurse = true) => NamedParameters("", recurse).Select(kv => kv.Value);

    /// <summary>Buffers with dotted names, in the same order as <see cref="NamedParameters"/>.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(string prefix = "", bool recurse = true) =>
        Named(prefix, recurse, m => m._buffers);

    /// <summary>The buffers.</summary>
    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers("", recurse).Select(kv => kv.Value);

    private IEnumerable<KeyValuePair<string, Tensor>> Named(string prefix, bool recurse, Func<Module, List<KeyValuePair<string, Tensor?>>> pick)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        IEnumerable<KeyValuePair<string, Module>> modules = recurse ? NamedModules(prefix) : new[] { new KeyValuePair<string, Module>(prefix, this) };
        foreach (var (path, m) in modules)
        {
            foreach (var (name, t) in pick(m))
            {
                if (t is null || !seen.Add(t)) continue;
                yield return new(path.Length == 0 ? name : path + "." + name, t);
            }
        }
    }

    /// <summary>The direct submodules with their names.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _modules.ToArray();

    /// <summary>The direct submodules.</summary>
    public IEnumerable<Module> Children() => _modules.Select(kv => kv.Value).ToArray();

    /// <summary>This module (named <paramref name="prefix"/>) and every module below it, depth first, each once.</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedModules(string prefix = "")
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var result = new List<KeyValuePair<string, Module>>();
        Collect(this, prefix, seen, result);
        return result;

        static void Collect(Module m, string path, HashSet<Module> seen, List<KeyValuePair<string, Module>> into)
        {
            if (!seen.Add(m)) return;
            into.Add(new(path, m));
            foreach (var (name, child) in m._modules) Collect(child, path.Length == 0 ? name : path + "." + name, seen, into);
        }
    }

    /// <summary>This module and every module below it.</summary>
    public IEnumerable<Module> Modules() => NamedModules().Select(kv => kv.Value);

    // ---- modes and bulk operations ----------------------------------------------------------

    /// <summary>Sets training mode (true) or evaluation mode (false) on this module and every submodule.</summary>
    public void Train(bool mode = true)
    {
        foreach (var m in Modules()) m.Training = mode;
    }

    /// <summary>Evaluation mode: dropout off, batch norm uses its running statistics. Same as Train(false).</summary>
    public void Eval() => Train(false);

    /// <summary>Clears the parameters' gradients: null by default (freed), or zeros.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
        {
            if (setToNone) p.Grad = null;
            else p.Grad?.Fill(0);
        }
    }

    /// <summary>Calls <paramref name="fn"/> on every submodule (depth first, children before parents) and then on this one.</summary>
    public void Apply(Action<Module> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        foreach (var (_, child) in _modules) child.Apply(fn);
        fn(this);
    }

    /// <summary>
    /// Moves and/or converts every parameter and buffer (and gradient) in place: the tensor objects stay the same,
    /// so references held elsewhere (fields, optimizers) remain valid. A dtype converts floating-point tensors only
    /// (integer buffers such as counters keep theirs), as in PyTorch.
    /// </summary>
    internal void MoveTo(Device? device, DType? dtype)
    {
        if (dtype is DType d && !d.IsFloatingPoint())
            throw new DTypeException($"{TypeName}.To: modules can only be converted to a floating-point dtype, not {d}");
        using (Autograd.NoGrad())
        {
            foreach (var m in Modules())
            {
                foreach (var (_, t) in m._parameters) if (t is not null) Convert(t, device, dtype);
                foreach (var (_, t) in m._buffers) if (t is not null) Convert(t, device, dtype);
            }
        }
    }

    private static void Convert(Tensor t, Device? device, DType? dtype)
    {
        DType target = dtype is DType d && t.DType.IsFloatingPoint() ? d : t.DType;
        Device where = device ?? t.Device;
        if (target == t.DType && where == t.Device) return;
        Tensor? grad = t.Grad;
        using (Tensor moved = t.To(target, where)) t.SetData(moved);
        if (grad is not null)
        {
            using Tensor g = grad.To(target, where);
            t.Grad = null;
            t.Grad = g;
        }
    }

    // ---- state ------------------------------------------------------------------------------

    /// <summary>
    /// The persistent state: parameters and persistent buffers under dotted names, in PyTorch's order (each module's
    /// parameters, then its buffers, then its submodules'). The tensors share memory with the module's (they see later
    /// updates); disposing the returned <see cref="NN.StateDict"/> does not free the module's tensors.
    /// </summary>
    public StateDict StateDict()
    {
        var result = new StateDict();
        using (Autograd.NoGrad())
        {
            foreach (var (path, m) in NamedModules())
            {
                string prefix = path.Length == 0 ? "" : path + ".";
                foreach (var (name, t) in m._parameters) if (t is not null) result.Add(prefix + name, Alias(t));
                foreach (var (name, t) in m._buffers)
                    if (t is not null && !m._nonPersistent.Contains(name)) result.Add(prefix + name, Alias(t));
            }
        }
        return result;
    }

    // A second reference to the same memory that carries no autograd history.
    private static Tensor Alias(Tensor t)
    {
        Tensor a = t.Detach();
        DisposeScope.Current?.Detach(a);
        return a;
    }

    /// <summary>
    /// Copies tensors from <paramref name="stateDict"/> into the parameters and buffers with the same names (converting
    /// dtype and device). With <paramref name="strict"/> (the default) the keys must match exactly; in any case the
    /// shapes must. Every problem (missing keys, unexpected keys, shape mismatches) is listed in one
    /// <see cref="ArgumentException"/>, and nothing is copied then. Returns the missing and unexpected keys.
    /// </summary>
    public LoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var targets = new List<KeyValuePair<string, Tensor>>();
        foreach (var (path, m) in NamedModules())
        {
            string prefix = path.Length == 0 ? "" : path + ".";
            foreach (var (name, t) in m._parameters) if (t is not null) targets.Add(new(prefix + name, t));
            foreach (var (name, t) in m._buffers)
                if (t is not null && !m._nonPersistent.Contains(name)) targets.Add(new(prefix + name, t));
        }
        var expected = new HashSet<string>(targets.Select(kv => kv.Key), StringComparer.Ordinal);
        var missing = targets.Where(kv => !stateDict.ContainsKey(kv.Key)).Select(kv => kv.Key).ToList();
        var unexpected = stateDict.Keys.Where(k => !expected.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var mismatched = new List<string>();
        foreach (var (key, t) in targets)
        {
            if (!stateDict.TryGetValue(key, out var src)) continue;
            if (src is null) { mismatched.Add($"\"{key}\": the value is null"); continue; }
            if (!src.Shape.AsSpan().SequenceEqual(t.Shape))
                mismatched.Add($"\"{key}\": the checkpoint has shape [{string.Join(", ", src.Shape)}], the model has [{string.Join(", ", t.Shape)}]");
        }
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var sb = new StringBuilder($"{TypeName}.LoadStateDict: the state dict does not fit the model.");
            if (strict && missing.Count > 0) sb.Append("\n  Missing keys: ").Append(string.Join(", ", missing.Select(k => $"\"{k}\"")));
            if (strict && unexpected.Count > 0) sb.Append("\n  Unexpected keys: ").Append(string.Join(", ", unexpected.Select(k => $"\"{k}\"")));
            if (mismatched.Count > 0) sb.Append("\n  Shape mismatches: ").Append(string.Join("; ", mismatched));
            throw new ArgumentException(sb.ToString(), nameof(stateDict));
        }
        using (Autograd.NoGrad())
        {
            foreach (var (key, t) in targets)
                if (stateDict.TryGetValue(key, out var src)) t.CopyFrom(src);
        }
        return new LoadResult(missing, unexpected);
    }

    // ---- display ----------------------------------------------------------------------------

    /// <summary>The arguments shown inside the parentheses of <see cref="ToString"/> (PyTorch's extra_repr).</summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>The module tree as PyTorch prints it: <c>Net(\n  (fc1): Linear(in_features=784, ...)\n)</c>.</summary>
    public override string ToString()
    {
        string extra = ExtraRepr();
        if (_modules.Count == 0) return $"{TypeName}({extra})";
        var sb = new StringBuilder(TypeName).Append('(');
        if (extra.Length > 0) sb.Append("\n  ").Append(extra.Replace("\n", "\n  "));
        foreach (var (name, child) in _modules)
            sb.Append("\n  (").Append(name).Append("): ").Append(child.ToString().Replace("\n", "\n  "));
        return sb.Append("\n)").ToString();
    }

    /// <summary>
    /// A table of every module with its own parameter count, then the totals (all, trainable, frozen) and the
    /// parameter and buffer memory.
    /// </summary>
    public string Summary()
    {
        var rows = new List<(string Name, string Type, long Count)>();
        foreach (var (path, m) in NamedModules())
        {
            long own = m._parameters.Where(kv => kv.Value is not null).Sum(kv => kv.Value!.NumberOfElements);
            rows.Add((path.Length == 0 ? "(root)" : path, m.TypeName, own));
        }
        var ps = Parameters().ToList();
        long total = ps.Sum(p => p.NumberOfElements);
        long trainable = ps.Where(p => p.RequiresGrad).Sum(p => p.NumberOfElements);
        long paramBytes = ps.Sum(p => p.NumberOfElements * p.DType.ElementSize());
        long bufferBytes = Buffers().Sum(b => b.NumberOfElements * b.DType.ElementSize());
        int w1 = Math.Max(6, rows.Max(r => r.Name.Length)), w2 = Math.Max(4, rows.Max(r => r.Type.Length));
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("Module".PadRight(w1)).Append("  ").Append("Type".PadRight(w2)).Append("  ").Append("Parameters".PadLeft(12)).Append('\n');
        sb.Append(new string('-', w1 + w2 + 16)).Append('\n');
        foreach (var (name, type, count) in rows)
            sb.Append(name.PadRight(w1)).Append("  ").Append(type.PadRight(w2)).Append("  ").Append(count.ToString("N0", inv).PadLeft(12)).Append('\n');
        sb.Append(new string('-', w1 + w2 + 16)).Append('\n');
        sb.Append("Total parameters: ").Append(total.ToString("N0", inv)).Append('\n');
        sb.Append("Trainable parameters: ").Append(trainable.ToString("N0", inv)).Append('\n');
        sb.Append("Non-trainable parameters: ").Append((total - trainable).ToString("N0", inv)).Append('\n');
        sb.Append("Parameter memory: ").Append(FormatBytes(paramBytes)).Append(", buffer memory: ").Append(FormatBytes(bufferBytes));
        return sb.ToString();
    }

    private static string FormatBytes(long b) => b switch
    {
        < 1024 => $"{b} B",
        < 1024 * 1024 => (b / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => (b / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
    };

    /// <summary>A message prefix naming this module as ToString shows it without children (for errors).</summary>
    protected string Describe() => $"{TypeName}({ExtraRepr()})";

    /// <summary>"[32, 100]".</summary>
    protected static string ShapeText(Tensor t) => "[" + string.Join(", ", t.Shape) + "]";

    // ---- lifetime ---------------------------------------------------------------------------

    /// <summary>Frees the module's parameters, buffers and submodules (and their gradients). A second call does nothing.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        foreach (var (_, t) in _parameters) t?.Dispose();
        foreach (var (_, t) in _buffers) t?.Dispose();
        foreach (var (_, m) in _modules) m.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees resources a derived module holds beyond its registered tensors and submodules.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>What <see cref="Module.LoadStateDict"/> did not match (both empty after a strict load).</summary>
/// <param name="MissingKeys">Keys of the module that the state dict did not have.</param>
/// <param name="UnexpectedKeys">Keys of the state dict that the module does not have.</param>
public sealed record LoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);

/// <summary>Module operations that return the module itself with its own type, for chaining.</summary>
public static class ModuleExtensions
{
    /// <summary>Moves the module's parameters and buffers to <paramref name="device"/> in place; returns the module.</summary>
    public static T To<T>(this T module, Device device) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        module.MoveTo(device, null);
        return module;
    }

    /// <summary>Converts the module's floating-point parameters and buffers to <paramref name="dtype"/> in place; returns the module.</summary>
    public static T To<T>(this T module, DType dtype) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        module.MoveTo(null, dtype);
        return module;
    }

    /// <summary>Moves and converts the module in place; returns the module.</summary>
    public static T To<T>(this T module, Device device, DType dtype) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        module.MoveTo(device, dtype);
        return module;
    }
}
