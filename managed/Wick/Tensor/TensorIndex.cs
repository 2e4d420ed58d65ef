using System;

namespace Wick;

/// <summary>
/// One entry of an indexing expression: a single position (removes the dimension), a slice
/// (start, end, step, Python rules for negatives), an ellipsis (the dimensions not named), a
/// new axis of size 1, or an index tensor (advanced indexing: int64/int32 positions, or a bool
/// mask over as many dimensions as it has). C# ints, longs, <see cref="Index"/>, <see cref="Range"/>
/// and tensors convert implicitly: <c>x[0, 1..3, ^1]</c>, <c>x[idx]</c>, <c>x[x.Gt(0)]</c>.
/// </summary>
public readonly struct TensorIndex
{
    internal enum IndexKind { Single, Slice, Ellipsis, NewAxis, Tensor }

    internal IndexKind Kind { get; }
    internal long Start { get; }
    internal long? End { get; }
    internal long Step { get; }
    internal Tensor? Tensor { get; }

    private TensorIndex(IndexKind kind, long start, long? end, long step, Tensor? tensor = null)
    {
        Kind = kind;
        Start = start;
        End = end;
        Step = step;
        Tensor = tensor;
    }

    /// <summary>
    /// Advanced indexing: an int64/int32 tensor of positions along one dimension (negative counts
    /// from the end; the result has the index's shape there), or a bool mask over as many dimensions
    /// as it has (replaced by one dimension of the selected positions). Reading copies.
    /// </summary>
    public static TensorIndex Indices(Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return new(IndexKind.Tensor, 0, null, 1, index);
    }

    /// <summary>One position; negative counts from the end.</summary>
    public static TensorIndex Single(long index) => new(IndexKind.Single, index, null, 1);

    /// <summary>Positions start, start + step, ... below end (null end: to the end).</summary>
    public static TensorIndex Slice(long? start = null, long? end = null, long step = 1)
    {
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), step, "slice step must be positive");
        return new(IndexKind.Slice, start ?? 0, end, step);
    }

    /// <summary>Stands for every dimension not otherwise indexed.</summary>
    public static TensorIndex Ellipsis { get; } = new(IndexKind.Ellipsis, 0, null, 1);

    /// <summary>Inserts a dimension of size 1.</summary>
    public static TensorIndex NewAxis { get; } = new(IndexKind.NewAxis, 0, null, 1);

    /// <summary>Every position of a dimension.</summary>
    public static TensorIndex All { get; } = Slice();

#pragma warning disable CS1591
    public static implicit operator TensorIndex(int index) => Single(index);
    public static implicit operator TensorIndex(long index) => Single(index);
    public static implicit operator TensorIndex(Index index) => Single(index.IsFromEnd ? -index.Value : index.Value);
    public static implicit operator TensorIndex(Range range)
    {
        long start = range.Start.IsFromEnd ? -range.Start.Value : range.Start.Value;
        long? end = range.End.IsFromEnd ? (range.End.Value == 0 ? null : -range.End.Value) : range.End.Value;
        return Slice(start, end);
    }
    public static implicit operator TensorIndex(Tensor index) => Indices(index);
#pragma warning restore CS1591
}
