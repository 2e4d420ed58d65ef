using System;
using Wick.Native;

namespace Wick;

// Reductions take no dims (every dimension), one dim, or several; keepDim keeps reduced
// dimensions with size 1. Integer sums and products give int64. Results are the same bits for every
// thread count. NaN propagates through sums, extremes and norms, as in PyTorch.
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

    /// <summary>Product of all elements (integers give int64).</summary>
    public Tensor Prod(DType? dtype = null) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_PROD, default, false, 0, dtype);
    /// <summary>Product over one dimension.</summary>
    public Tensor Prod(int dim, bool keepDim = false, DType? dtype = null) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_PROD, new[] { dim }, keepDim, 0, dtype);

    /// <summary>The largest element (NaN if any is NaN); refuses an empty tensor.</summary>
    public Tensor Max() => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MAX, default, false);
    /// <summary>The largest elements along a dimension and their indices (first occurrence; NaN counts as largest).</summary>
    public ValuesIndices Max(int dim, bool keepDim = false) => Kernels.ReduceIndices(this, wk_reduce_op.WK_REDUCE_MAX, dim, keepDim);
    /// <summary>The smallest element (NaN if any is NaN); refuses an empty tensor.</summary>
    public Tensor Min() => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MIN, default, false);
    /// <summary>The smallest elements along a dimension and their indices (first occurrence; NaN counts as smallest).</summary>
    public ValuesIndices Min(int dim, bool keepDim = false) => Kernels.ReduceIndices(this, wk_reduce_op.WK_REDUCE_MIN, dim, keepDim);

    /// <summary>The largest element over all dimensions (values only).</summary>
    public Tensor Amax() => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MAX, default, false);
    /// <summary>The largest elements over one dimension (values only).</summary>
    public Tensor Amax(int dim, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MAX, new[] { dim }, keepDim);
    /// <summary>The largest elements over several dimensions (values only).</summary>
    public Tensor Amax(int[] dims, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MAX, NonEmpty(dims), keepDim);
    /// <summary>The smallest element over all dimensions (values only).</summary>
    public Tensor Amin() => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MIN, default, false);
    /// <summary>The smallest elements over one dimension (values only).</summary>
    public Tensor Amin(int dim, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MIN, new[] { dim }, keepDim);
    /// <summary>The smallest elements over several dimensions (values only).</summary>
    public Tensor Amin(int[] dims, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_MIN, NonEmpty(dims), keepDim);

    /// <summary>Index of the largest element of the flattened tensor (int64, first occurrence).</summary>
    public Tensor ArgMax() => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_ARGMAX, default, false);
    /// <summary>Indices of the largest elements along a dimension.</summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_ARGMAX, new[] { dim }, keepDim);
    /// <summary>Index of the smallest element of the flattened tensor (int64, first occurrence).</summary>
    public Tensor ArgMin() => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_ARGMIN, default, false);
    /// <summary>Indices of the smallest elements along a dimension.</summary>
    public Tensor ArgMin(int dim, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_ARGMIN, new[] { dim }, keepDim);

    /// <summary>Variance of all elements: sum (x - mean)^2 / (n - correction); 1 is Bessel's correction.</summary>
    public Tensor Var(double correction = 1) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_VAR, default, false, correction);
    /// <summary>Variance over one dimension.</summary>
    public Tensor Var(int dim, bool keepDim = false, double correction = 1) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_VAR, new[] { dim }, keepDim, correction);
    /// <summary>Variance over several dimensions.</summary>
    public Tensor Var(int[] dims, bool keepDim = false, double correction = 1) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_VAR, NonEmpty(dims), keepDim, correction);
    /// <summary>Standard deviation of all elements (the square root of <see cref="Var(double)"/>).</summary>
    public Tensor Std(double correction = 1) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_STD, default, false, correction);
    /// <summary>Standard deviation over one dimension.</summary>
    public Tensor Std(int dim, bool keepDim = false, double correction = 1) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_STD, new[] { dim }, keepDim, correction);
    /// <summary>Standard deviation over several dimensions.</summary>
    public Tensor Std(int[] dims, bool keepDim = false, double correction = 1) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_STD, NonEmpty(dims), keepDim, correction);

    /// <summary>
    /// The p-norm of all elements: (sum |x|^p)^(1/p); p = 0 counts nonzeros, p = +inf gives max |x|,
    /// p = -inf min |x| (floating tensors).
    /// </summary>
    public Tensor Norm(double p = 2) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_NORM, default, false, p);
    /// <summary>The p-norm over one dimension.</summary>
    public Tensor Norm(double p, int dim, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_NORM, new[] { dim }, keepDim, p);
    /// <summary>The p-norm over several dimensions.</summary>
    public Tensor Norm(double p, int[] dims, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_NORM, NonEmpty(dims), keepDim, p);

    /// <summary>log(sum(exp(x))) over one dimension, computed stably (floating tensors).</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_LOGSUMEXP, new[] { dim }, keepDim);
    /// <summary>log(sum(exp(x))) over several dimensions, computed stably.</summary>
    public Tensor LogSumExp(int[] dims, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_LOGSUMEXP, NonEmpty(dims), keepDim);

    /// <summary>True when every element is nonzero (a bool 0-d tensor; true for an empty tensor).</summary>
    public Tensor All() => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_ALL, default, false);
    /// <summary>Whether every element along a dimension is nonzero.</summary>
    public Tensor All(int dim, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_ALL, new[] { dim }, keepDim);
    /// <summary>True when some element is nonzero (false for an empty tensor).</summary>
    public Tensor Any() => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_ANY, default, false);
    /// <summary>Whether some element along a dimension is nonzero.</summary>
    public Tensor Any(int dim, bool keepDim = false) => Kernels.Reduce(this, wk_reduce_op.WK_REDUCE_ANY, new[] { dim }, keepDim);

    /// <summary>Cumulative sum along a dimension (integers and bools give int64 unless a dtype is given).</summary>
    public Tensor CumSum(int dim, DType? dtype = null) => Kernels.Scan(this, wk_scan_op.WK_SCAN_CUMSUM, dim, dtype);
    /// <summary>Cumulative product along a dimension (integers and bools give int64 unless a dtype is given).</summary>
    public Tensor CumProd(int dim, DType? dtype = null) => Kernels.Scan(this, wk_scan_op.WK_SCAN_CUMPROD, dim, dtype);

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
