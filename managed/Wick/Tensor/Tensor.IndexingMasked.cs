using System;
using Wick.Interop;

namespace Wick;

// Masks are bool tensors that broadcast with this tensor (out of place) or to its shape (in place).
public sealed partial class Tensor
{
    /// <summary>A copy with <paramref name="value"/> where the bool mask is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) => Kernels.MaskedFill(this, mask, Scalars.For(DType, value), null);

    /// <summary>A copy with the value of a 0-d tensor where the bool mask is true.</summary>
    public Tensor MaskedFill(Tensor mask, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Kernels.MaskedFill(this, mask, default, value);
    }

    /// <summary>In place: <paramref name="value"/> where the bool mask is true; returns this tensor.</summary>
    public Tensor MaskedFillInPlace(Tensor mask, double value) => Kernels.MaskedFill(this, mask, Scalars.For(DType, value), null, this);

    /// <summary>In place: the value of a 0-d tensor where the bool mask is true; returns this tensor.</summary>
    public Tensor MaskedFillInPlace(Tensor mask, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Kernels.MaskedFill(this, mask, default, value, this);
    }

    /// <summary>The 1-D tensor of the elements where the bool mask is true, in row-major order.</summary>
    public Tensor MaskedSelect(Tensor mask) => Kernels.MaskedSelect(this, mask);

    /// <summary>A copy with the next element of <paramref name="source"/> (row-major) at each position where the mask is true.</summary>
    public Tensor MaskedScatter(Tensor mask, Tensor source) => Kernels.MaskedScatter(this, mask, source);

    /// <summary>In place: the next element of <paramref name="source"/> at each position where the mask is true; returns this tensor.</summary>
    public Tensor MaskedScatterInPlace(Tensor mask, Tensor source) => Kernels.MaskedScatter(this, mask, source, this);

    /// <summary>The (n, Dim) int64 coordinates of the nonzero elements, row-major (NaN counts as nonzero).</summary>
    public Tensor Nonzero() => Kernels.Nonzero(this);
}
