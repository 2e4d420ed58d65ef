using System;

namespace Wick;

/// <summary>
/// A tensor a backward rule needs, held through its own native reference (so disposing the user's Tensor object
/// does not invalidate it), with the storage version seen at save time: a later in-place write is detected
/// when the backward pass reads it. Released right after the node runs unless the graph is retained.
/// </summary>
internal sealed class SavedTensor
{
    private Tensor? _value;
    private readonly long _version;
    private readonly int _index;

    private SavedTensor(Tensor value, int index)
    {
        _value = value.AliasWithHistory();
        _version = value.Version;
        _index = index;
    }

    /// <summary>Saves <paramref name="t"/>; <paramref name="index"/> numbers it in error messages.</summary>
    public static SavedTensor Save(Tensor t, int index = 0) => new(t, index);

    /// <summary>Saves <paramref name="t"/> when <paramref name="needed"/>, else null.</summary>
    public static SavedTensor? SaveIf(bool needed, Tensor t, int index = 0) => needed ? new(t, index) : null;

    /// <summary>The saved tensor, after checking it was neither freed nor modified in place.</summary>
    public Tensor Unpack(Node owner)
    {
        Tensor? v = _value;
        if (v is null)
            throw new InvalidOperationException(
                $"Trying to backward through the graph a second time (or to read saved tensors after they were freed): " +
                $"the tensors saved by {owner.Name} were freed by the previous Backward() or Autograd.Grad() call. " +
                "Pass retainGraph: true to the first call if you need to backward through the graph a second time " +
                "or to read saved tensors after calling Backward.");
        long now = v.Version;
        if (now != _version)
            throw new InvalidOperationException(
                $"One of the tensors needed for gradient computation has been modified by an in-place operation: " +
                $"the {v.DType} [{string.Join(", ", v.ShapeRef)}] tensor saved by {owner.Name} (saved tensor {_index} of the forward op {owner.ForwardName}) " +
                $"is at version {now}; expected version {_version} instead. Hint: the operation that failed to compute its gradient " +
                $"is {owner.ForwardName}; find the in-place operation (…InPlace, CopyFrom, Fill, indexer assignment) that changed its input " +
                "or output afterwards and use its out-of-place form, or Clone() the tensor before modifying it. " +
                "Autograd.DetectAnomaly() records where each forward op ran.");
        return v;
    }

    /// <summary>True once released.</summary>
    public bool IsReleased => _value is null;

    public void Release()
    {
        Tensor? v = _value;
        _value = null;
        v?.Dispose();
    }
}
