using System;

namespace Wick.NN;

/// <summary>What the convolution layers share: weights, PyTorch's default initialisation and the repr.</summary>
public abstract class ConvBase : Module<Tensor, Tensor>
{
    private protected ConvBase(string name, long inChannels, long outChannels, long[] kernelSize, long[] stride, long[] padding,
                               long[] dilation, long groups, bool bias, bool transposed, long[] outputPadding, DType dtype, Device? device,
                               Generator? generator)
    {
        if (inChannels <= 0 || outChannels <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"{name}: channel counts must be positive, got in_channels={inChannels}, out_channels={outChannels}");
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"{name}: groups ({groups}) must divide in_channels ({inChannels}) and out_channels ({outChannels})");
        foreach (long k in kernelSize)
            if (k <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), $"{name}: kernel sizes must be positive, got ({string.Join(", ", kernelSize)})");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        OutputPadding = outputPadding;
        Transposed = transposed;
        var shape = new long[2 + kernelSize.Length];
        // Convolution weights are (out, in / groups, k...); transposed ones (in, out / groups, k...).
        shape[0] = transposed ? inChannels : outChannels;
        shape[1] = transposed ? outChannels / groups : inChannels / groups;
        kernelSize.CopyTo(shape, 2);
        Weight = RegisterParameter("weight", Tensor.Empty(shape, dtype, device));
        if (bias) Bias = RegisterParameter("bias", Tensor.Empty(new[] { outChannels }, dtype, device));
        else RegisterParameter("bias");
        ResetParameters(generator);
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }
    /// <summary>Output channels.</summary>
    public long OutChannels { get; }
    /// <summary>Kernel size per spatial dimension.</summary>
    public long[] KernelSize { get; }
    /// <summary>Stride per spatial dimension.</summary>
    public long[] Stride { get; }
    /// <summary>Zero padding per spatial dimension.</summary>
    public long[] Padding { get; }
    /// <summary>Dilation per spatial dimension.</summary>
    public long[] Dilation { get; }
    /// <summary>Channel groups.</summary>
    public long Groups { get; }
    /// <summary>Extra output size of a transposed convolution, per spatial dimension.</summary>
    public long[] OutputPadding { get; }
    /// <summary>Whether this is a transposed convolution.</summary>
    public bool Transposed { get; }
    /// <summary>The kernel.</summary>
    public Tensor Weight { get; }
    /// <summary>The bias (OutChannels), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>PyTorch's initialisation: Kaiming uniform with a = √5 for the weight, U(-1/√fan_in, 1/√fan_in) for the bias.</summary>
    public void ResetParameters(Generator? generator = null)
    {
        Init.KaimingUniform(Weight, a: Math.Sqrt(5), generator: generator);
        if (Bias is not null)
        {
            var (fanIn, _) = Init.CalculateFanInAndFanOut(Weight);
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    /// <summary>Checks the input's rank and channel count, naming the layer and the shape.</summary>
    protected void CheckInput(Tensor input, int spatial)
    {
        ArgumentNullException.ThrowIfNull(input);
        int rank = input.Dim;
        if (rank != spatial + 1 && rank != spatial + 2)
            throw new ShapeMismatchException(
                $"{Describe()}: expected a {spatial + 2}-d (batched) or {spatial + 1}-d (unbatched) input, got shape {ShapeText(input)}");
        long channels = input.Size(rank - spatial - 1);
        if (channels != InChannels)
            throw new ShapeMismatchException(
                $"{Describe()}: the input has {channels} channels (shape {ShapeText(input)}); expected {InChannels}");
    }

    private static string Tuple(long[] v) => "(" + string.Join(", ", v) + (v.Length == 1 ? "," : "") + ")";

    private static bool AllEqual(long[] v, long x) => Array.TrueForAll(v, e => e == x);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string s = $"{InChannels}, {OutChannels}, kernel_size={Tuple(KernelSize)}, stride={Tuple(Stride)}";
        if (!AllEqual(Padding, 0)) s += $", padding={Tuple(Padding)}";
        if (!AllEqual(Dilation, 1)) s += $", dilation={Tuple(Dilation)}";
        if (!AllEqual(OutputPadding, 0)) s += $", output_padding={Tuple(OutputPadding)}";
        if (Groups != 1) s += $", groups={Groups}";
        if (Bias is null) s += ", bias=False";
        return s;
    }

    private protected static long[] Repeat(long v, int n)
    {
        var a = new long[n];
        Array.Fill(a, v);
        return a;
    }
}

/// <summary>
/// 1-D convolution over (N, C, L) or (C, L) inputs (PyTorch's nn.Conv1d). Weight (out, in / groups, k), bias (out),
/// initialised as PyTorch's.
/// </summary>
public sealed class Conv1d : ConvBase
{
    /// <summary>A 1-D convolution.</summary>
    public Conv1d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
                  long groups = 1, bool bias = true, DType dtype = DType.Float32, Device? device = null, Generator? generator = null)
        : base("Conv1d", inChannels, outChannels, new[] { kernelSize }, new[] { stride }, new[] { padding }, new[] { dilation }, groups, bias,
               false, new long[] { 0 }, dtype, device, generator)
    {
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input, 1);
        return new ConvFunction(1, false, Bias is not null, Stride, Padding, Dilation, OutputPadding, Groups).Run(input, Weight, Bias);
    }
}

/// <summary>
/// 2-D convolution over (N, C, H, W) or (C, H, W) inputs (PyTorch's nn.Conv2d). Weight (out, in / groups, kh, kw),
/// bias (out), initialised as PyTorch's.
/// </summary>
public sealed class Conv2d : ConvBase
{
    /// <summary>A 2-D convolution with square kernels and the same stride, padding and dilation on both axes.</summary>
    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
                  long groups = 1, bool bias = true, DType dtype = DType.Float32, Device? device = null, Generator? generator = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, dtype,
               device, generator)
    {
    }

    /// <summary>A 2-D convolution with (height, width) pairs.</summary>
    public Conv2d(long inChannels, long outChannels, (long H, long W) kernelSize, (long H, long W) stride, (long H, long W) padding,
                  (long H, long W) dilation, long groups = 1, bool bias = true, DType dtype = DType.Float32, Device? device = null,
                  Generator? generator = null)
        : base("Conv2d", inChannels, outChannels, new[] { kernelSize.H, kernelSize.W }, new[] { stride.H, stride.W }, new[] { padding.H, padding.W },
               new[] { dilation.H, dilation.W }, groups, bias, false, new long[] { 0, 0 }, dtype, device, generator)
    {
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input, 2);
        return new ConvFunction(2, false, Bias is not null, Stride, Padding, Dilation, OutputPadding, Groups).Run(input, Weight, Bias);
    }
}

/// <summary>
/// Transposed 2-D convolution (PyTorch's nn.ConvTranspose2d): the gradient of a convolution with respect to its input,
/// used to upsample. Weight (in, out / groups, kh, kw), bias (out).
/// </summary>
public sealed class ConvTranspose2d : ConvBase
{
    /// <summary>A transposed 2-D convolution with the same settings on both axes.</summary>
    public ConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0,
                           long groups = 1, bool bias = true, long dilation = 1, DType dtype = DType.Float32, Device? device = null,
                           Generator? generator = null)
        : base("ConvTranspose2d", inChannels, outChannels, new[] { kernelSize, kernelSize }, new[] { stride, stride }, new[] { padding, padding },
               new[] { dilation, dilation }, groups, bias, true, new[] { outputPadding, outputPadding }, dtype, device, generator)
    {
        if (outputPadding >= stride && outputPadding >= dilation)
            throw new ArgumentException($"ConvTranspose2d: output_padding ({outputPadding}) must be smaller than either stride ({stride}) or dilation ({dilation})");
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input, 2);
        return new ConvFunction(2, true, Bias is not null, Stride, Padding, Dilation, OutputPadding, Groups).Run(input, Weight, Bias);
    }
}
