using System;
using System.Collections.Generic;

namespace Wick.Data;

/// <summary>
/// A collection of samples addressed by index (PyTorch's map-style Dataset). Derive from it and implement
/// <see cref="Count"/> and <see cref="GetItem"/>.
/// </summary>
/// <typeparam name="T">The type of one sample, typically <c>Tensor[]</c> (input, label, ...).</typeparam>
public abstract class Dataset<T>
{
    /// <summary>The number of samples.</summary>
    public abstract long Count { get; }

    /// <summary>
    /// The sample at <paramref name="index"/> (0 &lt;= index &lt; Count). Tensors in it are new objects that the
    /// caller owns: a <see cref="DataLoader{T, TBatch}"/> disposes them once it has collated them into a batch.
    /// </summary>
    public abstract T GetItem(long index);

    /// <summary>Checks an index against <see cref="Count"/>, naming the dataset in the message.</summary>
    protected void CheckIndex(long index)
    {
        if ((ulong)index >= (ulong)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{GetType().Name}: index {index} is out of range for a dataset of {Count} samples");
    }
}

/// <summary>
/// A dataset that can build a whole batch at once (one gather per tensor instead of one copy per sample);
/// <see cref="DataLoader"/> uses it when the dataset implements it.
/// </summary>
public interface IBatchedDataset<TBatch>
{
    /// <summary>The samples at <paramref name="indices"/>, already collated; the caller owns the result.</summary>
    TBatch GetBatch(ReadOnlySpan<long> indices);
}

/// <summary>A view of some samples of another dataset, by index (PyTorch's Subset).</summary>
public sealed class Subset<T> : Dataset<T>
{
    private readonly Dataset<T> _source;
    private readonly long[] _indices;

    /// <summary>The samples of <paramref name="source"/> at <paramref name="indices"/>, in that order.</summary>
    public Subset(Dataset<T> source, IReadOnlyList<long> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        _source = source;
        _indices = new long[indices.Count];
        for (int i = 0; i < _indices.Length; ++i)
        {
            long k = indices[i];
            if ((ulong)k >= (ulong)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), k, $"Subset: index {k} is out of range for a dataset of {source.Count} samples");
            _indices[i] = k;
        }
    }

    /// <summary>The dataset the samples come from.</summary>
    public Dataset<T> Source => _source;

    /// <summary>The source indices, in order.</summary>
    public IReadOnlyList<long> Indices => _indices;

    /// <inheritdoc/>
    public override long Count => _indices.Length;

    /// <inheritdoc/>
    public override T GetItem(long index)
    {
        CheckIndex(index);
        return _source.GetItem(_indices[index]);
    }

    internal bool TryGetBatch<TBatch>(ReadOnlySpan<long> indices, out TBatch batch)
    {
        if (_source is IBatchedDataset<TBatch> b)
        {
            var mapped = new long[indices.Length];
            for (int i = 0; i < mapped.Length; ++i)
            {
                long k = indices[i];
                if ((ulong)k >= (ulong)_indices.Length)
                    throw new ArgumentOutOfRangeException(nameof(indices), k, $"Subset: index {k} is out of range for a dataset of {Count} samples");
                mapped[i] = _indices[k];
            }
            batch = b.GetBatch(mapped);
            return true;
        }
        batch = default!;
        return false;
    }
}

/// <summary>Helpers over datasets.</summary>
public static class Datasets
{
    /// <summary>
    /// Splits <paramref name="dataset"/> into non-overlapping random subsets of the given lengths (which must add
    /// up to its Count), the same way for the same <paramref name="seed"/> (PyTorch's random_split).
    /// </summary>
    public static Subset<T>[] RandomSplit<T>(Dataset<T> dataset, long[] lengths, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(lengths);
        long total = 0;
        foreach (long l in lengths)
        {
            if (l < 0) throw new ArgumentException($"RandomSplit: lengths must be >= 0, got {l}", nameof(lengths));
            total += l;
        }
        if (total != dataset.Count)
            throw new ArgumentException($"RandomSplit: the lengths add up to {total}, but the dataset has {dataset.Count} samples", nameof(lengths));
        long[] perm = Shuffle.Permutation(dataset.Count, new SplitMix64(seed));
        var result = new Subset<T>[lengths.Length];
        long start = 0;
        for (int i = 0; i < lengths.Length; ++i)
        {
            result[i] = new Subset<T>(dataset, new ArraySegment<long>(perm, checked((int)start), checked((int)lengths[i])));
            start += lengths[i];
        }
        return result;
    }
}
