using System;

namespace Wick.NN;

/// <summary>
/// Resizes (N, C, H, W) inputs to a fixed size or by a scale factor with nearest or bilinear interpolation (PyTorch's
/// nn.Upsample; the function is <see cref="Functional.Interpolate"/>). Interpolation is linear in the input, so its gradient
/// is the adjoint kernel, and that kernel's gradient is the interpolation again: differentiable to any order.
/// </summary>
public sealed class Upsample : Module<Tensor, Tensor>
{
    /// <summary>Scales height and width by <paramref name="scaleFactor"/> (output floor(H * scale)).</summary>
    public Upsample(double scaleFactor, InterpolateMode mode = InterpolateMode.Nearest, bool alignCorners = false)
        : this(null, (scaleFactor, scaleFactor), mode, alignCorners)
    {
    }

    /// <summary>Resizes to <paramref name="size"/> or by <paramref name="scaleFactor"/> (exactly one of them).</summary>
    /// <exception cref="ArgumentException">Both or neither of size and scale factor are given, or alignCorners is asked of nearest interpolation.</exception>
    public Upsample((long H, long W)? size = null, (double H, double W)? scaleFactor = null, InterpolateMode mode = InterpolateMode.Nearest,
                    bool alignCorners = false)
    {
        if (size.HasValue == scaleFactor.HasValue)
            throw new ArgumentException("Upsample: give exactly one of size and scaleFactor");
        if (alignCorners && mode == InterpolateMode.Nearest)
            throw new ArgumentException("Upsample: alignCorners only applies to bilinear interpolation");
        Size = size;
        ScaleFactor = scaleFactor;
        Mode = mode;
        AlignCorners = alignCorners;
    }

    /// <summary>The output's (height, width), or null when a scale factor is used.</summary>
    public (long H, long W)? Size { get; }

    /// <summary>The (height, width) scale factors, or null when a size is used.</summary>
    public (double H, double W)? ScaleFactor { get; }

    /// <summary>Nearest or bilinear.</summary>
    public InterpolateMode Mode { get; }

    /// <summary>Whether the corner pixels of input and output are aligned (bilinear only).</summary>
    public bool AlignCorners { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long[] inputShape = input.Shape;
        var (size, scale, mode, align) = (Size, ScaleFactor, Mode, AlignCorners);
        return new LinearMapFunction("Upsample", (x, _) => Functional.Interpolate(x, size, scale, mode, align),
            "UpsampleBackward", (g, _) => Functional.InterpolateBackward(g, inputShape, size, scale, mode, align)).Run(input);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string what = Size is { } s ? $"size=({s.H}, {s.W})"
            : ScaleFactor!.Value.H == ScaleFactor.Value.W ? $"scale_factor={Py.Num(ScaleFactor.Value.H)}"
            : $"scale_factor=({Py.Num(ScaleFactor.Value.H)}, {Py.Num(ScaleFactor.Value.W)})";
        return $"{what}, mode='{(Mode == InterpolateMode.Bilinear ? "bilinear" : "nearest")}'";
    }
}
