using System;

namespace Wick;

/// <summary>
/// One entry of an indexing expression: a single position (removes the dimension), a slice
/// (start, end, step, Python rules for negatives), an ellipsis (the dimensions not named), or a
/// new axis of size 1. C# ints, longs, <see cref="Index"/> and <see cref="Range"/> convert implicitly:
/// <c>x[0, 1..3, ^1]</c>.
/// </summary>
public readonly struct TensorIndex
{
    internal enum IndexKind { Single, Slice, Ellipsis, NewAxis }

    internal IndexKind Kind { get; }
    internal long Start { get; }
    internal long? End { get; }
    internal long Step { get; }

    private TensorIndex(IndexKind kind, long start, long? end, long step)
    {
        Kind = kind;
        Start = start;
        End = end;
        Step = step;
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
#pragma warning restore CS1591
}
