using System;
using System.Linq;

namespace Wick.Data;

/// <summary>
/// Samples that are rows of tensors sharing their first dimension: sample i is (t0[i], t1[i], ...)
/// (PyTorch's TensorDataset). Batches are gathered with one copy per tensor row, with no per-sample tensors.
/// The dataset keeps its own references to the tensors: dispose it (or them) when done.
/// </summary>
public sealed class TensorDataset : Dataset<Tensor[]>, IBatchedDataset<Tensor[]>, IDisposable
{
    private readonly Tensor[] _tensors;

    /// <summary>A dataset over <paramref name="tensors"/> (at least one; same size in dimension 0).</summary>
    public TensorDataset(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0) throw new ArgumentException("TensorDataset: give at least one tensor", nameof(tensors));
        for (int i = 0; i < tensors.Length; ++i)
        {
            ArgumentNullException.ThrowIfNull(tensors[i], nameof(tensors));
            if (tensors[i].Dim == 0)
                throw new ArgumentException($"TensorDataset: tensor {i} is 0-d; each tensor needs a first dimension to index samples", nameof(tensors));
        }
        long n = tensors[0].Size(0);
        for (int i = 1; i < tensors.Length; ++i)
        {
            if (tensors[i].Size(0) != n)
                throw new ArgumentException(
                    $"TensorDataset: size mismatch between tensors: tensor 0 has {n} rows (shape [{string.Join(", ", tensors[0].Shape)}]) but tensor {i} has " +
                    $"{tensors[i].Size(0)} (shape [{string.Join(", ", tensors[i].Shape)}])", nameof(tensors));
        }
        // Own references (views of the whole tensors), so the caller's DisposeScope cannot free them under us.
        _tensors = tensors.Select(t =>
        {
            Tensor v = t.Narrow(0, 0, n);
            DisposeScope.Current?.Detach(v);
            return v;
        }).ToArray();
    }

    /// <summary>The tensors, in order.</summary>
    public Tensor[] Tensors => (Tensor[])_tensors.Clone();

    /// <inheritdoc/>
    public override long Count => _tensors[0].Size(0);

    /// <summary>Views of row <paramref name="index"/> of each tensor (new objects the caller owns).</summary>
    public override Tensor[] GetItem(long index)
    {
        CheckIndex(index);
        return _tensors.Select(t => t.Select(0, index)).ToArray();
    }

    /// <summary>The rows at <paramref name="indices"/> of each tensor, as new tensors the caller owns.</summary>
    public Tensor[] GetBatch(ReadOnlySpan<long> indices)
    {
        var result = new Tensor[_tensors.Length];
        try
        {
            for (int i = 0; i < result.Length; ++i) result[i] = Rows.Gather(_tensors[i], indices, nameof(TensorDataset));
        }
        catch
        {
            foreach (var t in result) t?.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>Releases the dataset's references to its tensors.</summary>
    public void Dispose()
    {
        foreach (var t in _tensors) t.Dispose();
    }
}
