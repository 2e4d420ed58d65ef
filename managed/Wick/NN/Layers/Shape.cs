using System;
using System.Linq;

namespace Wick.NN;

/// <summary>Returns its input unchanged (PyTorch's nn.Identity): a placeholder in a <see cref="Sequential"/>.</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    /// <summary>The input itself (not a copy).</summary>
    public override Tensor Forward(Tensor input) => input;
}

/// <summary>Flattens dimensions startDim..endDim into one (PyTorch's nn.Flatten; by default all but the batch dimension).</summary>
public sealed class Flatten : Module<Tensor, Tensor>
{
    /// <summary>Flattens dimensions <paramref name="startDim"/> to <paramref name="endDim"/> (inclusive; negative counts from the end).</summary>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>First dimension flattened.</summary>
    public int StartDim { get; }

    /// <summary>Last dimension flattened.</summary>
    public int EndDim { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}

/// <summary>Splits dimension <c>dim</c> into the given sizes (PyTorch's nn.Unflatten).</summary>
public sealed class Unflatten : Module<Tensor, Tensor>
{
    private readonly long[] _sizes;

    /// <summary>Splits <paramref name="dim"/> into <paramref name="unflattenedSize"/> (one size may be -1).</summary>
    public Unflatten(int dim, params long[] unflattenedSize)
    {
        ArgumentNullException.ThrowIfNull(unflattenedSize);
        if (unflattenedSize.Length == 0) throw new ArgumentException("Unflatten: give at least one size", nameof(unflattenedSize));
        Dim = dim;
        _sizes = (long[])unflattenedSize.Clone();
    }

    /// <summary>The dimension that is split.</summary>
    public int Dim { get; }

    /// <summary>The sizes it is split into.</summary>
    public long[] UnflattenedSize => (long[])_sizes.Clone();

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long[] shape = input.Shape;
        int d = Tensor.NormalizeDim(Dim, shape.Length);
        long known = _sizes.Where(s => s != -1).Aggregate(1L, (a, b) => a * b);
        int unknown = _sizes.Count(s => s == -1);
        if (unknown > 1 || (unknown == 0 ? known != shape[d] : known == 0 || shape[d] % known != 0))
            throw new ShapeMismatchException(
                $"{Describe()}: dimension {Dim} of the input (shape {ShapeText(input)}) has size {shape[d]}, which cannot be split into [{string.Join(", ", _sizes)}]");
        var target = shape.Take(d).Concat(_sizes).Concat(shape.Skip(d + 1)).ToArray();
        return input.Reshape(target);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}, unflattened_size=({string.Join(", ", _sizes)}{(_sizes.Length == 1 ? "," : "")})";
}

/// <summary>Numbers written as Python writes them, so module summaries read like PyTorch's (1e-05, 0.1, 2.0).</summary>
internal static class Py
{
    public static string Num(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        if (v == Math.Floor(v) && Math.Abs(v) < 1e16) return v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return v.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e");
    }
}
