using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

// Reading and writing through index tensors (int64; int32 also for IndexSelect and IndexAdd, as in
// PyTorch). Every index is checked: one out of range throws ArgumentOutOfRangeException naming the
// op, the index, the dimension and its size, and an in-place op then leaves the tensor unchanged.
// Duplicate indices: Scatter and IndexCopy keep the last in index order (deterministic, unlike
// PyTorch where the winner is unspecified); ScatterAdd and IndexAdd accumulate.
public sealed partial class Tensor
{
    /// <summary>The slices <c>index[i]</c> of a dimension, in order: that dimension gets index's length.</summary>
    public Tensor IndexSelect(int dim, Tensor index) => Kernels.IndexSelect(this, dim, index);

    /// <summary>
    /// Picks one element per index entry along a dimension: <c>out[i][j] = this[index[i][j]][j]</c>
    /// for dim 0. index has this tensor's number of dimensions; the result has index's shape.
    /// </summary>
    public Tensor Gather(int dim, Tensor index) => Kernels.Gather(this, dim, index);

    /// <summary>A copy with <c>copy[index[i][j]][j] = src[i][j]</c> (dim 0); duplicates: the last in index order wins.</summary>
    public Tensor Scatter(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        return Kernels.Scatter(this, dim, index, src, default, wk_scatter_mode.WK_SCATTER_ASSIGN);
    }

    /// <summary>A copy with <paramref name="value"/> written at the positions the index names along a dimension.</summary>
    public Tensor Scatter(int dim, Tensor index, double value) =>
        Kernels.Scatter(this, dim, index, null, Scalars.For(DType, value), wk_scatter_mode.WK_SCATTER_ASSIGN);

    /// <summary>In place: <c>this[index[i][j]][j] = src[i][j]</c> (dim 0); returns this tensor.</summary>
    public Tensor ScatterInPlace(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        return Kernels.Scatter(this, dim, index, src, default, wk_scatter_mode.WK_SCATTER_ASSIGN, this);
    }

    /// <summary>In place: <paramref name="value"/> written at the positions the index names; returns this tensor.</summary>
    public Tensor ScatterInPlace(int dim, Tensor index, double value) =>
        Kernels.Scatter(this, dim, index, null, Scalars.For(DType, value), wk_scatter_mode.WK_SCATTER_ASSIGN, this);

    /// <summary>A copy with <c>copy[index[i][j]][j] += src[i][j]</c> (dim 0); duplicates accumulate.</summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        return Kernels.Scatter(this, dim, index, src, default, wk_scatter_mode.WK_SCATTER_ADD);
    }

    /// <summary>In place: <c>this[index[i][j]][j] += src[i][j]</c> (dim 0); returns this tensor.</summary>
    public Tensor ScatterAddInPlace(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        return Kernels.Scatter(this, dim, index, src, default, wk_scatter_mode.WK_SCATTER_ADD, this);
    }

    /// <summary>
    /// A copy with <c>alpha * source.Select(dim, i)</c> added to slice <c>index[i]</c> of a dimension;
    /// source has this shape with that dimension of index's length. Duplicates accumulate.
    /// </summary>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source, double alpha = 1) =>
        Kernels.IndexAdd(this, dim, index, source, Alpha(alpha));

    /// <summary>In place: <c>alpha * source.Select(dim, i)</c> added to slice <c>index[i]</c>; returns this tensor.</summary>
    public Tensor IndexAddInPlace(int dim, Tensor index, Tensor source, double alpha = 1) =>
        Kernels.IndexAdd(this, dim, index, source, Alpha(alpha), this);

    private wk_scalar? Alpha(double alpha) => alpha == 1 ? null : Scalars.For(DType, alpha);

    /// <summary>A copy with slice <c>index[i]</c> of a dimension replaced by <c>source.Select(dim, i)</c>; duplicates: the last wins.</summary>
    public Tensor IndexCopy(int dim, Tensor index, Tensor source) => Kernels.IndexCopy(this, dim, index, source);

    /// <summary>In place: slice <c>index[i]</c> replaced by <c>source.Select(dim, i)</c>; returns this tensor.</summary>
    public Tensor IndexCopyInPlace(int dim, Tensor index, Tensor source) => Kernels.IndexCopy(this, dim, index, source, this);

    /// <summary>A copy with the slices the index names along a dimension set to <paramref name="value"/>.</summary>
    public Tensor IndexFill(int dim, Tensor index, double value) =>
        Kernels.IndexFill(this, dim, index, Scalars.For(DType, value), null);

    /// <summary>A copy with the slices the index names set to a 0-d tensor's value.</summary>
    public Tensor IndexFill(int dim, Tensor index, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Kernels.IndexFill(this, dim, index, default, value);
    }

    /// <summary>In place: the slices the index names set to <paramref name="value"/>; returns this tensor.</summary>
    public Tensor IndexFillInPlace(int dim, Tensor index, double value) =>
        Kernels.IndexFill(this, dim, index, Scalars.For(DType, value), null, this);

    /// <summary>In place: the slices the index names set to a 0-d tensor's value; returns this tensor.</summary>
    public Tensor IndexFillInPlace(int dim, Tensor index, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Kernels.IndexFill(this, dim, index, default, value, this);
    }

    /// <summary>
    /// One-hot encoding of an int64 tensor of class indices: shape (..., numClasses), int64.
    /// numClasses -1 uses the largest index + 1.
    /// </summary>
    public Tensor OneHot(long numClasses = -1) => Kernels.OneHot(this, numClasses);
}
