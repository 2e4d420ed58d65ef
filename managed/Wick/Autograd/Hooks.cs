using System;

namespace Wick;

/// <summary>A hook on a tensor's gradient; <see cref="Slot"/> is the output index on its node (0 for leaves).</summary>
internal sealed class TensorHook
{
    public readonly Func<Tensor, Tensor?> Fn;
    public readonly int Slot;

    public TensorHook(Func<Tensor, Tensor?> fn, int slot)
    {
        Fn = fn;
        Slot = slot;
    }
}

/// <summary>Returned by <see cref="Tensor.RegisterHook"/>: <see cref="Remove"/> (or Dispose) unregisters the hook.</summary>
public sealed class RemovableHandle : IDisposable
{
    private Action? _remove;

    internal RemovableHandle(Action remove) => _remove = remove;

    /// <summary>Unregisters the hook; a second call does nothing.</summary>
    public void Remove() => System.Threading.Interlocked.Exchange(ref _remove, null)?.Invoke();

    /// <summary>Same as <see cref="Remove"/>.</summary>
    public void Dispose() => Remove();
}
