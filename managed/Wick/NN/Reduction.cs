namespace Wick;

/// <summary>How a loss reduces its per-element values (PyTorch's <c>reduction=</c>).</summary>
public enum Reduction
{
    /// <summary>No reduction: one loss per element.</summary>
    None = 0,
    /// <summary>The (weighted) mean: the sum divided by the summed weights of the counted elements.</summary>
    Mean = 1,
    /// <summary>The sum.</summary>
    Sum = 2,
}

/// <summary>The interpolation of <see cref="Functional.Interpolate"/>.</summary>
public enum InterpolateMode
{
    /// <summary>The nearest source pixel (PyTorch's <c>"nearest"</c>: floor of the scaled coordinate).</summary>
    Nearest = 0,
    /// <summary>Bilinear interpolation between the four neighbouring source pixels.</summary>
    Bilinear = 1,
}
