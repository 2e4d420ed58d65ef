using System;
using Wick.Native;

namespace Wick;

// Reductions take no dims (every dimension), one dim, or several; keepDim keeps reduced
// dimensions with size 1. Integer sums and products give int64.
public sealed partial class Tensor
{
    /// <summary>Sum of all elements (a 0-d tensor).</summary>
    public Tensor Sum(DType? dtype = null) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_SUM, default, false, 0, dtype);
    /// <summary>Sum over one dimension.</summary>
    public Tensor Sum(int dim, bool keepDim = false, DType? dtype = null) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_SUM, new[] { dim }, keepDim, 0, dtype);
    /// <summary>Sum over several dimensions.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false, DType? dtype = null) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_SUM, NonEmpty(dims), keepDim, 0, dtype);

    /// <summary>Mean of all elements (floating tensors).</summary>
    public Tensor Mean(DType? dtype = null) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MEAN, default, false, 0, dtype);
    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false, DType? dtype = null) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MEAN, new[] { dim }, keepDim, 0, dtype);
    /// <summary>Mean over several dimensions.</summary>
    public Tensor Mean(int[] dims, bool keepDim = false, DType? dtype = null) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MEAN, NonEmpty(dims), keepDim, 0, dtype);

    // An empty dims array would mean "every dimension" natively; callers who pass one by accident
    // (say, a computed list that came out empty) get an error instead of a silent full reduction.
    private static int[] NonEmpty(int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0) throw new ArgumentException("an empty list of dimensions; call the overload without dims to reduce every dimension", nameof(dims));
        return dims;
    }

    /// <summary>Matrix product with PyTorch's matmul rules (1-D dot, 2-D, batched with broadcasting).</summary>
    public Tensor MatMul(Tensor other) => Kernels.MatMul(this, other);
}
