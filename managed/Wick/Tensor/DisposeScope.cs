using System;
using System.Collections.Generic;
using System.Threading;

namespace Wick;

/// <summary>
/// Frees, when disposed, every tensor created inside it (on this logical flow, across await)
/// except those moved out. Scopes nest; the innermost one collects.
/// <code>
/// using (var scope = DisposeScope.Begin())
/// {
///     var loss = model.Forward(x).Sub(y).Square().Mean();
///     return scope.MoveOut(loss);   // survives the scope
/// }
/// </code>
/// </summary>
public sealed class DisposeScope : IDisposable
{
    private static readonly AsyncLocal<DisposeScope?> CurrentScope = new();
    private readonly DisposeScope? _outer;
    private List<Tensor>? _tensors = new();
    private bool _disposed;

    private DisposeScope(DisposeScope? outer) => _outer = outer;

    /// <summary>The innermost active scope of this logical flow, or null.</summary>
    public static DisposeScope? Current => CurrentScope.Value;

    /// <summary>Starts a scope that becomes <see cref="Current"/> until disposed.</summary>
    public static DisposeScope Begin()
    {
        var scope = new DisposeScope(CurrentScope.Value);
        CurrentScope.Value = scope;
        return scope;
    }

    /// <summary>Number of tensors the scope will free.</summary>
    public int Count => _tensors?.Count ?? 0;

    internal void Register(Tensor t)
    {
        lock (this)
        {
            if (_disposed) return;
            _tensors!.Add(t);
        }
    }

    /// <summary>Keeps <paramref name="tensor"/> alive past this scope (it joins the outer scope, if any).</summary>
    public Tensor MoveOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        bool removed;
        lock (this)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            removed = _tensors!.Remove(tensor);
        }
        if (removed) _outer?.Register(tensor);
        return tensor;
    }

    /// <summary>Keeps every given tensor alive past this scope.</summary>
    public void MoveOut(params Tensor[] tensors)
    {
        foreach (var t in tensors) MoveOut(t);
    }

    /// <summary>Stops tracking <paramref name="tensor"/> in any scope: the caller owns it.</summary>
    public Tensor Detach(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        lock (this) _tensors?.Remove(tensor);
        return tensor;
    }

    /// <summary>The scope that was current when this one began.</summary>
    internal DisposeScope? Outer => _outer;

    /// <summary>Makes <paramref name="scope"/> current and returns the previous current scope.</summary>
    internal static DisposeScope? Swap(DisposeScope? scope)
    {
        DisposeScope? previous = CurrentScope.Value;
        if (!ReferenceEquals(previous, scope)) CurrentScope.Value = scope;
        return previous;
    }

    /// <summary>Stops tracking <paramref name="tensor"/>; false when this scope does not track it. Searches from the newest.</summary>
    internal bool TryRemove(Tensor tensor)
    {
        lock (this)
        {
            List<Tensor>? list = _tensors;
            if (list is null) return false;
            for (int i = list.Count - 1; i >= 0; --i)
            {
                if (ReferenceEquals(list[i], tensor))
                {
                    list.RemoveAt(i);
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Frees every tensor tracked so far and keeps the scope open (autograd's engine, after each node).</summary>
    internal void DisposeTracked()
    {
        lock (this)
        {
            List<Tensor>? list = _tensors;
            if (list is null) return;
            for (int i = 0; i < list.Count; ++i) list[i].Dispose();  // Dispose never registers anything
            list.Clear();
        }
    }

    /// <summary>Frees the tensors and makes the outer scope current again.</summary>
    public void Dispose()
    {
        List<Tensor> tensors;
        lock (this)
        {
            if (_disposed) return;
            _disposed = true;
            tensors = _tensors!;
            _tensors = null;
        }
        if (CurrentScope.Value == this) CurrentScope.Value = _outer;
        foreach (var t in tensors) t.Dispose();
    }
}
