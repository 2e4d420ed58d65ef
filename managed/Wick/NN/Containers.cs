using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Wick.NN;

/// <summary>
/// Modules applied one after the other (PyTorch's nn.Sequential), named "0", "1", ... unless names are given.
/// Intermediate results are freed as soon as the next module has used them (autograd keeps what it needs).
/// <code>var mlp = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));</code>
/// </summary>
public sealed class Sequential : Module<Tensor, Tensor>, IReadOnlyList<Module<Tensor, Tensor>>
{
    private readonly List<Module<Tensor, Tensor>> _layers = new();

    /// <summary>The modules in order, named by position.</summary>
    public Sequential(params Module<Tensor, Tensor>[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) Append(m);
    }

    /// <summary>The modules in order, with names.</summary>
    public Sequential(params (string Name, Module<Tensor, Tensor> Module)[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (name, m) in modules) Append(name, m);
    }

    /// <summary>Adds a module at the end, named by its position; returns this container.</summary>
    public Sequential Append(Module<Tensor, Tensor> module) => Append(_layers.Count.ToString(CultureInfo.InvariantCulture), module);

    /// <summary>Adds a named module at the end; returns this container.</summary>
    public Sequential Append(string name, Module<Tensor, Tensor> module)
    {
        _layers.Add(RegisterModule(name, module));
        return this;
    }

    /// <summary>The module at <paramref name="index"/>.</summary>
    public Module<Tensor, Tensor> this[int index] => _layers[index];

    /// <summary>The number of modules.</summary>
    public int Count => _layers.Count;

    /// <inheritdoc/>
    public IEnumerator<Module<Tensor, Tensor>> GetEnumerator() => _layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Applies each module (through <see cref="Module{TIn, TOut}.Call"/>, so hooks run) to the previous one's output.</summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach (var layer in _layers)
        {
            Tensor y = layer.Call(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y)) x.Dispose();
            x = y;
        }
        return x;
    }
}

/// <summary>
/// A list of submodules (PyTorch's nn.ModuleList): registered (so their parameters are found, moved and saved)
/// but not called in any fixed way. Names are the positions.
/// </summary>
public class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    private readonly List<T> _items = new();

    /// <summary>A list of the given modules.</summary>
    public ModuleList(params T[] modules) : this((IEnumerable<T>)modules)
    {
    }

    /// <summary>A list of the given modules.</summary>
    public ModuleList(IEnumerable<T> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) Add(m);
    }

    /// <summary>Adds a module at the end.</summary>
    public void Add(T module) => _items.Add(RegisterModule(_items.Count.ToString(CultureInfo.InvariantCulture), module));

    /// <summary>The module at <paramref name="index"/>.</summary>
    public T this[int index] => _items[index];

    /// <inheritdoc/>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string TypeName => "ModuleList";
}

/// <summary>A list of modules of any kind (see <see cref="ModuleList{T}"/>).</summary>
public sealed class ModuleList : ModuleList<Module>
{
    /// <summary>A list of the given modules.</summary>
    public ModuleList(params Module[] modules) : base(modules)
    {
    }
}

/// <summary>
/// Submodules by name, in insertion order (PyTorch's nn.ModuleDict): registered under their keys.
/// </summary>
public class ModuleDict<T> : Module, IReadOnlyDictionary<string, T> where T : Module
{
    private readonly List<KeyValuePair<string, T>> _items = new();

    /// <summary>An empty dictionary.</summary>
    public ModuleDict()
    {
    }

    /// <summary>A dictionary of the given modules, in order.</summary>
    public ModuleDict(IEnumerable<KeyValuePair<string, T>> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (k, m) in modules) Add(k, m);
    }

    /// <summary>Adds a module under <paramref name="key"/> (which must be new).</summary>
    public void Add(string key, T module) => _items.Add(new(key, RegisterModule(key, module)));

    /// <inheritdoc/>
    public T this[string key] => TryGetValue(key, out var m) ? m : throw new KeyNotFoundException($"ModuleDict: no module named \"{key}\"");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _items.Select(kv => kv.Key);

    /// <inheritdoc/>
    public IEnumerable<T> Values => _items.Select(kv => kv.Value);

    /// <inheritdoc/>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _items.Any(kv => kv.Key == key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value)
    {
        foreach (var (k, m) in _items)
        {
            if (k == key)
            {
                value = m;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string TypeName => "ModuleDict";
}

/// <summary>A dictionary of modules of any kind (see <see cref="ModuleDict{T}"/>).</summary>
public sealed class ModuleDict : ModuleDict<Module>
{
    /// <summary>An empty dictionary.</summary>
    public ModuleDict()
    {
    }
}
