using System;

namespace Wick;

/// <summary>
/// The values and indices (int64) of a max or min along a dimension, as PyTorch's
/// <c>torch.max(x, dim)</c>. Deconstructs: <c>var (values, indices) = x.Max(1);</c>. Disposing
/// it disposes both tensors.
/// </summary>
/// <param name="Values">The extreme values.</param>
/// <param name="Indices">Where they are along the dimension (the first occurrence; a NaN counts as the extreme).</param>
public readonly record struct ValuesIndices(Tensor Values, Tensor Indices) : IDisposable
{
    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Values?.Dispose();
        Indices?.Dispose();
    }
}
