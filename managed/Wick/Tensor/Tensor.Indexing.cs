using System;
using System.Collections.Generic;

namespace Wick;

// Indexing gives views (never copies): x[0], x[1..3], x[.., ^1], x[TensorIndex.Ellipsis, 0].
// Assigning copies into the view: x[0] = y broadcasts y into row 0.
public sealed partial class Tensor
{
    /// <summary>The view selected by the indices; assigning copies into it.</summary>
    // Named explicitly because Item<T>() (PyTorch's item()) takes the default name.
    [System.Runtime.CompilerServices.IndexerName("Indexer")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => Index(indices);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            using Tensor view = Index(indices);
            view.CopyFrom(value);
        }
    }

    /// <summary>The view selected by the indices (see the indexer).</summary>
    public Tensor Index(params TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int ndim = Dim;
        int named = 0, ellipses = 0;
        foreach (var ix in indices)
        {
            if (ix.Kind == TensorIndex.IndexKind.Ellipsis) ellipses++;
            else if (ix.Kind != TensorIndex.IndexKind.NewAxis) named++;
        }
        if (ellipses > 1) throw new ArgumentException("an index may contain at most one ellipsis");
        if (named > ndim)
            throw new ArgumentOutOfRangeException(nameof(indices), $"too many indices ({named}) for a tensor with {ndim} dimensions");

        // Each step produces a new view; intermediate views are disposed as soon as the next exists.
        Tensor current = this;
        var intermediates = new List<Tensor>();
        try
        {
            int dim = 0;
            foreach (var ix in indices)
            {
                Tensor next;
                switch (ix.Kind)
                {
                    case TensorIndex.IndexKind.Single:
                        next = current.Select(dim, ix.Start);
                        break;
                    case TensorIndex.IndexKind.Slice:
                        next = current.Slice(dim, ix.Start, ix.End ?? long.MaxValue, ix.Step);
                        dim++;
                        break;
                    case TensorIndex.IndexKind.NewAxis:
                        next = current.Unsqueeze(dim);
                        dim++;
                        break;
                    default:  // ellipsis: skip the dimensions no index names
                        dim += ndim - named;
                        continue;
                }
                if (!ReferenceEquals(current, this)) intermediates.Add(current);
                current = next;
            }
            // No index at all still returns a new view, so the caller can always dispose the result.
            return ReferenceEquals(current, this) ? Slice0(current) : current;
        }
        finally
        {
            foreach (var t in intermediates) t.Dispose();
        }
    }

    private static Tensor Slice0(Tensor t) => t.Dim == 0 ? t.Reshape(Array.Empty<long>()) : t.Slice(0, 0, long.MaxValue);
}
