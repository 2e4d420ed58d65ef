using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace Wick.NN;

/// <summary>
/// Named tensors in a fixed order (PyTorch's state_dict OrderedDict): what <see cref="Module.StateDict"/> and
/// <see cref="Optim.Optimizer.StateDict"/> return and what their LoadStateDict methods take. It can be saved with
/// any writer that takes an <see cref="IReadOnlyDictionary{TKey, TValue}"/> of tensors (safetensors, for one).
/// Disposing it disposes the tensors it holds (they are its own references: a module's parameters stay alive).
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly List<KeyValuePair<string, Tensor>> _items = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>An empty state dict.</summary>
    public StateDict()
    {
    }

    /// <summary>Adds an entry; the state dict takes ownership of <paramref name="tensor"/>.</summary>
    public void Add(string key, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tensor);
        if (_index.ContainsKey(key)) throw new ArgumentException($"StateDict: the key \"{key}\" is already present", nameof(key));
        _index[key] = _items.Count;
        _items.Add(new(key, tensor));
    }

    /// <inheritdoc/>
    public Tensor this[string key] => _index.TryGetValue(key, out int i) ? _items[i].Value : throw new KeyNotFoundException($"StateDict: no key \"{key}\"");

    /// <summary>The keys in order.</summary>
    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var kv in _items) yield return kv.Key;
        }
    }

    /// <summary>The tensors in key order.</summary>
    public IEnumerable<Tensor> Values
    {
        get
        {
            foreach (var kv in _items) yield return kv.Value;
        }
    }

    /// <inheritdoc/>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value)
    {
        if (_index.TryGetValue(key, out int i))
        {
            value = _items[i].Value;
            return true;
        }
        value = null;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every tensor held.</summary>
    public void Dispose()
    {
        foreach (var kv in _items) kv.Value.Dispose();
    }
}
