namespace Wick;

// Sorting is always stable (equal elements keep their order, ascending or descending) and puts NaN
// where PyTorch does: as the largest value.
public sealed partial class Tensor
{
    /// <summary>
    /// The elements sorted along a dimension and, for each, its index in the original (int64).
    /// Always stable; <paramref name="stable"/> is accepted for PyTorch compatibility.
    /// </summary>
    public (Tensor Values, Tensor Indices) Sort(int dim = -1, bool descending = false, bool stable = false)
    {
        _ = stable;
        var (values, indices) = Kernels.Sort(this, dim, descending);
        return (values!, indices);
    }

    /// <summary>The int64 indices that sort the elements along a dimension (stable).</summary>
    public Tensor Argsort(int dim = -1, bool descending = false, bool stable = false)
    {
        _ = stable;
        return Kernels.Sort(this, dim, descending, wantValues: false).Indices;
    }

    /// <summary>
    /// The k largest (or smallest) elements along a dimension and their int64 indices. The result is
    /// always sorted (largest first, or smallest first); ties keep index order.
    /// </summary>
    public (Tensor Values, Tensor Indices) TopK(long k, int dim = -1, bool largest = true, bool sorted = true)
    {
        _ = sorted;
        return Kernels.TopK(this, k, dim, largest);
    }

    /// <summary>
    /// The distinct values of the flattened tensor in ascending order, and on request the index of
    /// each element's value (shape of this tensor) and how often each value occurs. Each NaN is distinct.
    /// </summary>
    public (Tensor Values, Tensor? Inverse, Tensor? Counts) Unique(bool sorted = true, bool returnInverse = false, bool returnCounts = false)
    {
        _ = sorted;
        return Kernels.Unique(this, returnInverse, returnCounts);
    }
}
