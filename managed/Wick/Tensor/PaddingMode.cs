namespace Wick;

/// <summary>How <see cref="Tensor.Pad"/> fills the new positions. The numbers are native ABI ids.</summary>
public enum PaddingMode
{
    /// <summary>A constant value (0 unless given); negative padding crops.</summary>
    Constant = 0,
    /// <summary>Mirror image without repeating the edge element (padding must be less than the size).</summary>
    Reflect = 1,
    /// <summary>Repeat the edge element.</summary>
    Replicate = 2,
    /// <summary>Wrap around (padding at most the size).</summary>
    Circular = 3,
}
