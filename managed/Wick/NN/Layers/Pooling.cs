using System;

namespace Wick.NN;

/// <summary>
/// 2-D max pooling over (N, C, H, W) or (C, H, W) inputs (PyTorch's nn.MaxPool2d): the largest value of each window.
/// The stride defaults to the kernel size.
/// </summary>
public sealed class MaxPool2d : Module<Tensor, Tensor>
{
    /// <summary>Square windows with the same stride, padding and dilation on both axes.</summary>
    public MaxPool2d(long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
        : this((kernelSize, kernelSize), stride is long s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode)
    {
    }

    /// <summary>Windows with (height, width) pairs.</summary>
    public MaxPool2d((long H, long W) kernelSize, (long H, long W)? stride, (long H, long W) padding, (long H, long W) dilation, bool ceilMode = false)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        Dilation = dilation;
        CeilMode = ceilMode;
    }

    /// <summary>Window size.</summary>
    public (long H, long W) KernelSize { get; }
    /// <summary>Window step.</summary>
    public (long H, long W) Stride { get; }
    /// <summary>Implicit negative-infinity padding.</summary>
    public (long H, long W) Padding { get; }
    /// <summary>Spacing between window elements.</summary>
    public (long H, long W) Dilation { get; }
    /// <summary>Round the output size up instead of down.</summary>
    public bool CeilMode { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Pool.CheckRank(this, input);
        return new MaxPool2dFunction(KernelSize, Stride, Padding, Dilation, CeilMode).Run(input);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kernel_size={Pool.Text(KernelSize)}, stride={Pool.Text(Stride)}, padding={Pool.Text(Padding)}, dilation={Pool.Text(Dilation)}, ceil_mode={(CeilMode ? "True" : "False")}";
}

/// <summary>2-D average pooling over (N, C, H, W) or (C, H, W) inputs (PyTorch's nn.AvgPool2d). The stride defaults to the kernel size.</summary>
public sealed class AvgPool2d : Module<Tensor, Tensor>
{
    /// <summary>Square windows with the same stride and padding on both axes.</summary>
    public AvgPool2d(long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true, long? divisorOverride = null)
        : this((kernelSize, kernelSize), stride is long s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad, divisorOverride)
    {
    }

    /// <summary>Windows with (height, width) pairs.</summary>
    public AvgPool2d((long H, long W) kernelSize, (long H, long W)? stride, (long H, long W) padding, bool ceilMode = false, bool countIncludePad = true,
                     long? divisorOverride = null)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        CeilMode = ceilMode;
        CountIncludePad = countIncludePad;
        DivisorOverride = divisorOverride;
    }

    /// <summary>Window size.</summary>
    public (long H, long W) KernelSize { get; }
    /// <summary>Window step.</summary>
    public (long H, long W) Stride { get; }
    /// <summary>Implicit zero padding.</summary>
    public (long H, long W) Padding { get; }
    /// <summary>Round the output size up instead of down.</summary>
    public bool CeilMode { get; }
    /// <summary>Count the padding in the divisor.</summary>
    public bool CountIncludePad { get; }
    /// <summary>A fixed divisor instead of the window size.</summary>
    public long? DivisorOverride { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Pool.CheckRank(this, input);
        return new AvgPool2dFunction(KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride).Run(input);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={Pool.Text(KernelSize)}, stride={Pool.Text(Stride)}, padding={Pool.Text(Padding)}";
}

/// <summary>
/// Average pooling to a fixed output size whatever the input size (PyTorch's nn.AdaptiveAvgPool2d): output (i, j) averages
/// rows [floor(i H / OH), ceil((i + 1) H / OH)) and the matching columns.
/// </summary>
public sealed class AdaptiveAvgPool2d : Module<Tensor, Tensor>
{
    /// <summary>A square output size.</summary>
    public AdaptiveAvgPool2d(long outputSize) : this((outputSize, outputSize))
    {
    }

    /// <summary>An output of (height, width).</summary>
    public AdaptiveAvgPool2d((long H, long W) outputSize)
    {
        if (outputSize.H <= 0 || outputSize.W <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "AdaptiveAvgPool2d: the output size must be positive");
        OutputSize = outputSize;
    }

    /// <summary>The output's (height, width).</summary>
    public (long H, long W) OutputSize { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Pool.CheckRank(this, input);
        return new AdaptiveAvgPool2dFunction(OutputSize).Run(input);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"output_size={Pool.Text(OutputSize)}";
}

internal static class Pool
{
    public static string Text((long H, long W) v) => v.H == v.W ? v.H.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"({v.H}, {v.W})";

    public static void CheckRank(Module m, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim != 3 && input.Dim != 4)
            throw new ShapeMismatchException($"{m.TypeName}: expected a 4-d (N, C, H, W) or 3-d (C, H, W) input, got shape [{string.Join(", ", input.Shape)}]");
    }
}
