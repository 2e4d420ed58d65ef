using System;
using System.Collections.Generic;

namespace Wick;

// Indexing gives views (never copies): x[0], x[1..3], x[.., ^1], x[TensorIndex.Ellipsis, 0].
// Assigning copies into the view: x[0] = y broadcasts y into row 0.
// One index tensor may appear among them (advanced indexing, which copies): x[idx], x[.., idx],
// x[mask], and assignment x[mask] = v, x[idx] = v (v broadcasts to the selected shape).
public sealed partial class Tensor
{
    /// <summary>The view selected by the indices (a copy with an index tensor); assigning copies into it.</summary>
    // Named explicitly because Item<T>() (PyTorch's item()) takes the default name.
    [System.Runtime.CompilerServices.IndexerName("Indexer")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => Index(indices);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            IndexPutInPlace(indices, value);
        }
    }

    /// <summary>The view selected by the indices, or with an index tensor among them a copy (see the indexer).</summary>
    public Tensor Index(params TensorIndex[] indices)
    {
        var (view, advancedDim, advanced) = BasicIndex(indices);
        if (advanced is null) return view;
        try
        {
            return Kernels.Index(view, advancedDim, advanced);
        }
        finally
        {
            view.Dispose();
        }
    }

    /// <summary>
    /// In place: the elements the indices select are set to <paramref name="values"/> (broadcast to
    /// the selected shape), or incremented by them when <paramref name="accumulate"/> is true
    /// (duplicate integer indices then add up; otherwise the last one wins). Returns this tensor.
    /// </summary>
    public Tensor IndexPutInPlace(TensorIndex[] indices, Tensor values, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (view, advancedDim, advanced) = BasicIndex(indices);
        using (view)
        {
            if (advanced is not null) Kernels.IndexPut(view, advancedDim, advanced, values, accumulate);
            else if (accumulate) view.AddInPlace(values);
            else view.CopyFrom(values);
        }
        return this;
    }

    /// <summary>
    /// Applies every index but an index tensor (which stands for the dimensions it covers); returns
    /// the resulting view (always a new object), and where the index tensor applies in that view.
    /// </summary>
    private (Tensor View, int AdvancedDim, Tensor? Advanced) BasicIndex(TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int ndim = Dim;
        int named = 0, ellipses = 0;
        Tensor? advanced = null;
        foreach (var ix in indices)
        {
            switch (ix.Kind)
            {
                case TensorIndex.IndexKind.Ellipsis: ellipses++; break;
                case TensorIndex.IndexKind.NewAxis: break;
                case TensorIndex.IndexKind.Tensor:
                    if (advanced is not null)
                        throw new NotSupportedException("indexing with more than one index tensor is not supported; index one dimension at a time, e.g. x[i][.., j]");
                    advanced = ix.Tensor!;
                    named += CoveredDims(advanced);
                    break;
                default: named++; break;
            }
        }
        if (ellipses > 1) throw new ArgumentException("an index may contain at most one ellipsis");
        if (named > ndim)
            throw new ArgumentOutOfRangeException(nameof(indices), $"too many indices ({named}) for a tensor with {ndim} dimensions");

        // Each step produces a new view; intermediate views are disposed as soon as the next exists.
        Tensor current = this;
        int advancedDim = 0;
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
                    case TensorIndex.IndexKind.Tensor:
                        advancedDim = dim;
                        dim += CoveredDims(ix.Tensor!);
                        continue;
                    default:  // ellipsis: skip the dimensions no index names
                        dim += ndim - named;
                        continue;
                }
                if (!ReferenceEquals(current, this)) intermediates.Add(current);
                current = next;
            }
            // No view taken at all still returns a new object, so the caller can always dispose it.
            return (ReferenceEquals(current, this) ? Slice0(current) : current, advancedDim, advanced);
        }
        finally
        {
            foreach (var t in intermediates) t.Dispose();
        }
    }

    // A bool mask stands for as many dimensions as it has; an integer index tensor for one.
    private static int CoveredDims(Tensor index) => index.DType == DType.Bool ? index.Dim : 1;

    private static Tensor Slice0(Tensor t) => t.Dim == 0 ? t.Reshape(Array.Empty<long>()) : t.Slice(0, 0, long.MaxValue);
}
