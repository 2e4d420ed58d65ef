using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Interop;

namespace Wick;

// Joining, splitting and rearranging copies: Cat, Stack, Split, Chunk, Flip, Roll, Repeat, Tile,
// Tril, Triu, Pad. Split and Chunk return views; the others return new tensors.
public sealed partial class Tensor
{
    /// <summary>
    /// Joins tensors along an existing dimension (sizes must match in every other dimension); the
    /// result has the promoted dtype. 1-D empty tensors are skipped, as in PyTorch.
    /// </summary>
    public static Tensor Cat(Tensor[] tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return Kernels.Cat(tensors, dim);
    }

    /// <summary>Joins tensors along an existing dimension (see <see cref="Cat(Tensor[], int)"/>).</summary>
    public static Tensor Cat(IEnumerable<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return Kernels.Cat(tensors.ToArray(), dim);
    }

    /// <summary>Joins same-shape tensors along a new dimension <paramref name="dim"/> (0 to ndim).</summary>
    public static Tensor Stack(Tensor[] tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return Kernels.Stack(tensors, dim);
    }

    /// <summary>Joins same-shape tensors along a new dimension (see <see cref="Stack(Tensor[], int)"/>).</summary>
    public static Tensor Stack(IEnumerable<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return Kernels.Stack(tensors.ToArray(), dim);
    }

    /// <summary>
    /// Views of consecutive pieces of <paramref name="splitSize"/> elements along a dimension (the
    /// last may be smaller). A size of 0 is allowed only for an empty dimension.
    /// </summary>
    public Tensor[] Split(long splitSize, int dim = 0)
    {
        if (splitSize < 0)
            throw new ArgumentOutOfRangeException(nameof(splitSize), splitSize, $"Split: the split size must be non-negative, got {splitSize}");
        if (Dim == 0) return Kernels.Split(this, new[] { splitSize }, dim);  // the native op explains why not
        long n = Size(dim);
        if (splitSize == 0 && n != 0)
            throw new ArgumentOutOfRangeException(nameof(splitSize), splitSize, $"Split: the split size can only be 0 if the dimension is empty, but dimension {dim} has size {n}");
        long pieces = splitSize == 0 ? 1 : Math.Max((n + splitSize - 1) / splitSize, 1);
        var sizes = new long[pieces];
        for (long i = 0; i < pieces; ++i) sizes[i] = Math.Min(splitSize, n - i * splitSize);
        return Kernels.Split(this, sizes, dim);
    }

    /// <summary>Views of consecutive pieces with the given sizes along a dimension; they must sum to its size.</summary>
    public Tensor[] Split(long[] splitSizes, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(splitSizes);
        return Kernels.Split(this, splitSizes, dim);
    }

    /// <summary>
    /// At most <paramref name="chunks"/> views of equal size (the last may be smaller) along a
    /// dimension, as PyTorch's chunk: pieces of ceil(size / chunks) elements.
    /// </summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0)
            throw new ArgumentOutOfRangeException(nameof(chunks), chunks, $"Chunk: the number of chunks must be positive, got {chunks}");
        if (Dim == 0) return Kernels.Split(this, new long[] { 1 }, dim);
        long n = Size(dim);
        long splitSize = (n + chunks - 1) / chunks;
        if (splitSize == 0) return Kernels.Split(this, new long[chunks], dim);  // an empty dimension: chunks empty views
        return Split(splitSize, dim);
    }

    /// <summary>A copy with the order of elements reversed along the given dimensions.</summary>
    public Tensor Flip(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return Kernels.Flip(this, dims);
    }

    /// <summary>A copy of the flattened tensor shifted by <paramref name="shift"/> (wrapping around), in the original shape.</summary>
    public Tensor Roll(long shift) => Kernels.Roll(this, new[] { shift }, Array.Empty<int>());

    /// <summary>A copy shifted by <paramref name="shift"/> along a dimension, wrapping around.</summary>
    public Tensor Roll(long shift, int dim) => Kernels.Roll(this, new[] { shift }, new[] { dim });

    /// <summary>A copy shifted by shifts[i] along dims[i], wrapping around.</summary>
    public Tensor Roll(long[] shifts, int[] dims)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentNullException.ThrowIfNull(dims);
        return Kernels.Roll(this, shifts, dims);
    }

    /// <summary>
    /// This tensor tiled repeats[i] times along dimension i (a copy). There must be at least as many
    /// repeats as dimensions; extra leading repeats add dimensions.
    /// </summary>
    public Tensor Repeat(params long[] repeats)
    {
        ArgumentNullException.ThrowIfNull(repeats);
        return Kernels.Repeat(this, repeats);
    }

    /// <summary>Like <see cref="Repeat"/>, but fewer repetitions than dimensions are padded with leading 1s.</summary>
    public Tensor Tile(params long[] reps)
    {
        ArgumentNullException.ThrowIfNull(reps);
        int n = Dim;
        if (reps.Length >= n) return Kernels.Repeat(this, reps);
        var full = new long[n];
        for (int i = 0; i < n; ++i) full[i] = i < n - reps.Length ? 1 : reps[i - (n - reps.Length)];
        return Kernels.Repeat(this, full);
    }

    /// <summary>The lower triangle of the last two dimensions (column - row &lt;= diagonal kept, the rest zero).</summary>
    public Tensor Tril(long diagonal = 0) => Kernels.Triangle(this, diagonal, upper: false);

    /// <summary>The upper triangle of the last two dimensions (column - row &gt;= diagonal kept, the rest zero).</summary>
    public Tensor Triu(long diagonal = 0) => Kernels.Triangle(this, diagonal, upper: true);

    /// <summary>Zeroes everything above the diagonal in place; returns this tensor.</summary>
    public Tensor TrilInPlace(long diagonal = 0) => Kernels.Triangle(this, diagonal, upper: false, @out: this);

    /// <summary>Zeroes everything below the diagonal in place; returns this tensor.</summary>
    public Tensor TriuInPlace(long diagonal = 0) => Kernels.Triangle(this, diagonal, upper: true, @out: this);

    /// <summary>
    /// PyTorch's <c>F.pad</c>: <paramref name="pad"/> holds (before, after) pairs for the last
    /// dimension first, then the one before it, and so on. Constant padding uses
    /// <paramref name="value"/> and crops where negative; the other modes take no value.
    /// </summary>
    public Tensor Pad(long[] pad, PaddingMode mode = PaddingMode.Constant, double value = 0)
    {
        ArgumentNullException.ThrowIfNull(pad);
        // Only constant padding takes a value; a nonzero one with another mode is refused natively.
        bool pass = mode == PaddingMode.Constant || value != 0;
        return Kernels.Pad(this, pad, mode, pass ? Scalars.For(DType, value) : null);
    }
}
