using System;
using Wick.NN;

namespace Wick;

/// <summary>
/// Neural-network functions in the style of PyTorch's <c>torch.nn.functional</c>, with the same names
/// in PascalCase: <c>Functional.Softmax(x, dim)</c>, <c>Functional.Conv2d(x, w, b, stride, padding)</c>, ...
/// Inputs may have any layout and any floating dtype (float16 and bfloat16 compute in float32).
/// The gradient functions beside them (<c>Conv2dBackward</c>, ...) are the rules autograd uses;
/// they live in <c>Functional.Backward.cs</c>.
/// </summary>
public static partial class Functional
{
    /// <summary>Softmax along <paramref name="dim"/>: exp(x - max) / sum(exp(x - max)), stable for large inputs.</summary>
    public static Tensor Softmax(Tensor x, int dim) =>
        Recording.Wants(x) ? new SoftmaxFunction(dim, log: false).Run(x) : Kernels.Softmax(x, dim, log: false);

    /// <summary>Log-softmax along <paramref name="dim"/>: x - max - log(sum(exp(x - max))).</summary>
    public static Tensor LogSoftmax(Tensor x, int dim) =>
        Recording.Wants(x) ? new SoftmaxFunction(dim, log: true).Run(x) : Kernels.Softmax(x, dim, log: true);

    /// <summary>
    /// Negative log-likelihood of log-probabilities <paramref name="input"/> (N, C), (N, C, d1, ...) or (C) at integer class
    /// <paramref name="target"/>s (N), (N, d1, ...) or (). Targets equal to <paramref name="ignoreIndex"/> contribute nothing;
    /// <paramref name="weight"/> (C) rescales each class; the mean divides by the summed weights of the counted targets.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, C) and is not the ignore index.</exception>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Recording.Wants(input)) return new NllLossFunction(target, weight, ignoreIndex, reduction).Run(input);
        var (loss, total) = Kernels.NllLoss(input, target, weight, reduction, ignoreIndex);
        total.Dispose();
        return loss;
    }

    /// <summary>
    /// <see cref="NllLoss"/> that also returns the summed weight of the counted targets, which
    /// <see cref="NllLossBackward"/> needs for the mean.
    /// </summary>
    public static (Tensor Loss, Tensor TotalWeight) NllLossWithTotalWeight(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100,
        Reduction reduction = Reduction.Mean) => Kernels.NllLoss(input, target, weight, reduction, ignoreIndex);

    /// <summary>
    /// Cross-entropy of unnormalised scores <paramref name="input"/> (N, C, ...) or (C) at class targets: <see cref="LogSoftmax"/>
    /// over the class dimension followed by <see cref="NllLoss"/>.
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor logp = LogSoftmax(input, input.Dim == 1 ? 0 : 1);
        return NllLoss(logp, target, weight, ignoreIndex, reduction);
    }

    /// <summary>
    /// 1-D convolution of <paramref name="x"/> (N, C, L) or (C, L) with <paramref name="weight"/> (OC, C / groups, K) and an
    /// optional <paramref name="bias"/> (OC).
    /// </summary>
    /// <exception cref="ShapeMismatchException">The channels do not fit the weight, groups do not divide them, or the kernel is longer than the padded input.</exception>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        Recording.Wants(x, weight, bias, null)
            ? new ConvFunction(1, false, bias is not null, new[] { stride }, new[] { padding }, new[] { dilation }, new long[] { 0 }, groups).Run(x, weight, bias)
            : Kernels.Conv1d(x, weight, bias, stride, padding, dilation, groups);

    /// <summary>
    /// 2-D convolution of <paramref name="x"/> (N, C, H, W) or (C, H, W) with <paramref name="weight"/> (OC, C / groups, KH, KW)
    /// and an optional <paramref name="bias"/> (OC); the same stride, padding and dilation on both axes.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The channels do not fit the weight, groups do not divide them, or the kernel is larger than the padded input.</exception>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        Conv2d(x, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>2-D convolution with (height, width) pairs for stride, padding and dilation.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, (long H, long W) stride, (long H, long W) padding, (long H, long W) dilation,
        long groups = 1) =>
        Recording.Wants(x, weight, bias, null)
            ? new ConvFunction(2, false, bias is not null, new[] { stride.H, stride.W }, new[] { padding.H, padding.W }, new[] { dilation.H, dilation.W },
                               new long[] { 0, 0 }, groups).Run(x, weight, bias)
            : Kernels.Conv2d(x, weight, bias, stride, padding, dilation, groups);

    /// <summary>
    /// Transposed 2-D convolution (the gradient of <c>Conv2d</c> with respect to its input) of <paramref name="x"/>
    /// (N, Cin, H, W) with <paramref name="weight"/> (Cin, Cout / groups, KH, KW): output size
    /// (H - 1) * stride - 2 * padding + dilation * (KH - 1) + outputPadding + 1.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long outputPadding = 0,
        long groups = 1, long dilation = 1) =>
        ConvTranspose2d(x, weight, bias, (stride, stride), (padding, padding), (outputPadding, outputPadding), groups, (dilation, dilation));

    /// <summary>Transposed 2-D convolution with (height, width) pairs.</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias, (long H, long W) stride, (long H, long W) padding,
        (long H, long W) outputPadding, long groups, (long H, long W) dilation) =>
        Recording.Wants(x, weight, bias, null)
            ? new ConvFunction(2, true, bias is not null, new[] { stride.H, stride.W }, new[] { padding.H, padding.W }, new[] { dilation.H, dilation.W },
                               new[] { outputPadding.H, outputPadding.W }, groups).Run(x, weight, bias)
            : Kernels.ConvTranspose2d(x, weight, bias, stride, padding, outputPadding, groups, dilation);

    /// <summary>
    /// 2-D max pooling of (N, C, H, W) or (C, H, W) over <paramref name="kernelSize"/> windows (stride defaults to the kernel
    /// size; padding at most half the kernel; <paramref name="ceilMode"/> rounds the output size up).
    /// </summary>
    public static Tensor MaxPool2d(Tensor x, long kernelSize, long? stride = null, long padding = 0, long dilation = 1, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (Recording.Wants(x))
        {
            long s = stride ?? kernelSize;
            return new MaxPool2dFunction((kernelSize, kernelSize), (s, s), (padding, padding), (dilation, dilation), ceilMode).Run(x);
        }
        var (output, indices) = MaxPool2dWithIndices(x, (kernelSize, kernelSize), stride is null ? null : (stride.Value, stride.Value),
            (padding, padding), (dilation, dilation), ceilMode);
        indices.Dispose();
        return output;
    }

    /// <summary>
    /// 2-D max pooling that also returns, for each output, the flat index h * W + w of the maximum in its input plane
    /// (what <see cref="MaxPool2dBackward"/> needs). Stride <c>null</c>: the kernel size.
    /// </summary>
    public static (Tensor Output, Tensor Indices) MaxPool2dWithIndices(Tensor x, (long H, long W) kernelSize, (long H, long W)? stride = null,
        (long H, long W) padding = default, (long H, long W)? dilation = null, bool ceilMode = false) =>
        Kernels.MaxPool2d(x, kernelSize, stride ?? kernelSize, padding, dilation ?? (1, 1), ceilMode);

    /// <summary>
    /// 2-D average pooling (stride defaults to the kernel size). <paramref name="countIncludePad"/> counts the zero padding in
    /// the divisor; <paramref name="divisorOverride"/> replaces the divisor.
    /// </summary>
    public static Tensor AvgPool2d(Tensor x, long kernelSize, long? stride = null, long padding = 0, bool ceilMode = false, bool countIncludePad = true,
        long? divisorOverride = null) =>
        AvgPool2d(x, (kernelSize, kernelSize), stride is null ? null : (stride.Value, stride.Value), (padding, padding), ceilMode, countIncludePad,
            divisorOverride);

    /// <summary>2-D average pooling with (height, width) pairs.</summary>
    public static Tensor AvgPool2d(Tensor x, (long H, long W) kernelSize, (long H, long W)? stride, (long H, long W) padding, bool ceilMode = false,
        bool countIncludePad = true, long? divisorOverride = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        long divisor = CheckedDivisor(divisorOverride);
        return Recording.Wants(x)
            ? new AvgPool2dFunction(kernelSize, stride ?? kernelSize, padding, ceilMode, countIncludePad, divisorOverride).Run(x)
            : Kernels.AvgPool2d(x, kernelSize, stride ?? kernelSize, padding, ceilMode, countIncludePad, divisor);
    }

    /// <summary>Average pooling to a fixed output size: output (i, j) averages rows [floor(i H / OH), ceil((i + 1) H / OH)) and likewise columns.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor x, long outputSize) => AdaptiveAvgPool2d(x, (outputSize, outputSize));

    /// <summary>Adaptive average pooling to (height, width).</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor x, (long H, long W) outputSize)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Recording.Wants(x) ? new AdaptiveAvgPool2dFunction(outputSize).Run(x) : Kernels.AdaptiveAvgPool2d(x, outputSize);
    }

    /// <summary>
    /// Batch normalisation of (N, C, ...) per channel. Training: normalises with the batch statistics and updates
    /// <paramref name="runningMean"/> / <paramref name="runningVar"/> in place (new = (1 - momentum) * old + momentum * batch,
    /// unbiased variance). Evaluation: normalises with the running statistics.
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null, bool training = false,
        double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (Recording.Wants(x, weight, bias, null))
        {
            using var affine = AffineParams(x, x.Dim > 1 ? new[] { x.Size(1) } : Array.Empty<long>(), weight, bias);
            return new NormFunction(NormFunction.Kind.Batch, affine.Weight is not null, eps, training, runningMean, runningVar, momentum)
                .Run(x, affine.Weight, affine.Bias);
        }
        var (output, mean, invstd) = Kernels.BatchNorm(x, weight, bias, runningMean, runningVar, training, momentum, eps);
        mean.Dispose();
        invstd.Dispose();
        return output;
    }

    /// <summary>
    /// <see cref="BatchNorm"/> that also returns the statistics it normalised with (per channel: mean and 1 / sqrt(var + eps)),
    /// which <see cref="BatchNormBackward"/> takes.
    /// </summary>
    public static (Tensor Output, Tensor Mean, Tensor Invstd) BatchNormWithStats(Tensor x, Tensor? runningMean, Tensor? runningVar,
        Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        Kernels.BatchNorm(x, weight, bias, runningMean, runningVar, training, momentum, eps);

    /// <summary>Layer normalisation over the last dimensions, which must equal <paramref name="normalizedShape"/>.</summary>
    public static Tensor LayerNorm(Tensor x, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (Recording.Wants(x, weight, bias, null))
        {
            using var affine = AffineParams(x, normalizedShape, weight, bias);
            return new NormFunction(NormFunction.Kind.Layer, affine.Weight is not null, eps, normalizedShape: (long[])normalizedShape.Clone())
                .Run(x, affine.Weight, affine.Bias);
        }
        var (output, mean, rstd) = Kernels.LayerNorm(x, normalizedShape, weight, bias, eps);
        mean.Dispose();
        rstd.Dispose();
        return output;
    }

    /// <summary><see cref="LayerNorm"/> that also returns the per-row mean and 1 / sqrt(var + eps) (shape: the leading dims, then ones).</summary>
    public static (Tensor Output, Tensor Mean, Tensor Rstd) LayerNormWithStats(Tensor x, long[] normalizedShape, Tensor? weight = null,
        Tensor? bias = null, double eps = 1e-5) => Kernels.LayerNorm(x, normalizedShape, weight, bias, eps);

    /// <summary>Group normalisation of (N, C, ...) with the channels split into <paramref name="numGroups"/> groups.</summary>
    public static Tensor GroupNorm(Tensor x, long numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (Recording.Wants(x, weight, bias, null))
        {
            using var affine = AffineParams(x, x.Dim > 1 ? new[] { x.Size(1) } : Array.Empty<long>(), weight, bias);
            return new NormFunction(NormFunction.Kind.Group, affine.Weight is not null, eps, groups: numGroups).Run(x, affine.Weight, affine.Bias);
        }
        var (output, mean, rstd) = Kernels.GroupNorm(x, numGroups, weight, bias, eps);
        mean.Dispose();
        rstd.Dispose();
        return output;
    }

    /// <summary><see cref="GroupNorm"/> that also returns the (N, groups) mean and 1 / sqrt(var + eps).</summary>
    public static (Tensor Output, Tensor Mean, Tensor Rstd) GroupNormWithStats(Tensor x, long numGroups, Tensor? weight = null, Tensor? bias = null,
        double eps = 1e-5) => Kernels.GroupNorm(x, numGroups, weight, bias, eps);

    /// <summary>
    /// Dropout: when <paramref name="training"/>, zeroes each element with probability <paramref name="p"/> and scales the
    /// rest by 1 / (1 - p); the mask is the draw of a Bernoulli(1 - p) fill from <paramref name="generator"/>, so a seed gives
    /// the same mask on any thread count. Not training: x itself.
    /// </summary>
    public static Tensor Dropout(Tensor x, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (training && Recording.Wants(x)) return new DropoutFunction(p, generator).Run(x);
        var (output, mask) = Kernels.Dropout(x, p, training, generator);
        mask?.Dispose();
        return output;
    }

    /// <summary><see cref="Dropout"/> that also returns the bool keep-mask (null when not training).</summary>
    public static (Tensor Output, Tensor? Mask) DropoutWithMask(Tensor x, double p = 0.5, bool training = true, Generator? generator = null) =>
        Kernels.Dropout(x, p, training, generator);

    /// <summary>
    /// Rows of <paramref name="weight"/> (num_embeddings, D) at integer <paramref name="indices"/> of any shape: a tensor of
    /// the indices' shape plus D.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, num_embeddings).</exception>
    public static Tensor Embedding(Tensor indices, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(weight);
        return Recording.Wants(weight) ? new EmbeddingFunction(indices, null).Run(weight) : Kernels.Embedding(weight, indices);
    }

    /// <summary>
    /// Resizes (N, C, H, W) to <paramref name="size"/>, or by <paramref name="scaleFactor"/> (output floor(H * scale)), with
    /// nearest or bilinear interpolation as PyTorch's <c>interpolate</c>. <paramref name="alignCorners"/> (bilinear only) maps
    /// the corner pixels of input and output onto each other.
    /// </summary>
    public static Tensor Interpolate(Tensor x, (long H, long W)? size = null, (double H, double W)? scaleFactor = null,
        InterpolateMode mode = InterpolateMode.Nearest, bool alignCorners = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        long[] inputShape = x.Shape;
        var (outSize, scale) = UpsampleGeometry(inputShape, size, scaleFactor, mode, alignCorners);
        if (Recording.Wants(x))
            return new LinearMapFunction("Interpolate", (v, _) => Interpolate(v, size, scaleFactor, mode, alignCorners),
                "InterpolateBackward", (g, _) => InterpolateBackward(g, inputShape, size, scaleFactor, mode, alignCorners)).Run(x);
        return Kernels.Upsample(x, outSize, mode == InterpolateMode.Bilinear, alignCorners, scale);
    }

    /// <summary>
    /// The weight and bias a recorded normalisation passes on: both, or neither, as NormFunction takes them; a missing one
    /// of a pair is filled with ones (weight) or zeros (bias) of the other one's shape, owned (and disposed) here.
    /// </summary>
    private sealed class Affine : IDisposable
    {
        private readonly Tensor? _made;

        public Affine(Tensor? weight, Tensor? bias, Tensor? made)
        {
            Weight = weight;
            Bias = bias;
            _made = made;
        }

        public Tensor? Weight { get; }
        public Tensor? Bias { get; }

        public void Dispose() => _made?.Dispose();
    }

    private static Affine AffineParams(Tensor x, long[] shape, Tensor? weight, Tensor? bias)
    {
        if ((weight is null) == (bias is null)) return new Affine(weight, bias, null);
        if (weight is null)
        {
            Tensor ones = Tensor.Full(shape, 1.0, bias!.DType, bias.Device);
            return new Affine(ones, bias, ones);
        }
        Tensor zeros = Tensor.Zeros(shape, weight.DType, weight.Device);
        return new Affine(weight, zeros, zeros);
    }

    internal static ((long H, long W) Size, (double H, double W) Scale) UpsampleGeometry(long[] shape, (long H, long W)? size,
        (double H, double W)? scaleFactor, InterpolateMode mode, bool alignCorners)
    {
        if (shape.Length != 4)
            throw new ShapeMismatchException($"interpolate: expected input (N, C, H, W), got shape [{string.Join(", ", shape)}]");
        if (size.HasValue == scaleFactor.HasValue)
            throw new ArgumentException("interpolate: give exactly one of size and scaleFactor");
        if (alignCorners && mode == InterpolateMode.Nearest)
            throw new ArgumentException("interpolate: alignCorners only applies to bilinear interpolation");
        if (size is { } s) return (s, (0, 0));
        var f = scaleFactor!.Value;
        if (!(f.H > 0) || !(f.W > 0) || double.IsInfinity(f.H) || double.IsInfinity(f.W))
            throw new ArgumentException($"interpolate: scale factors must be positive and finite, got ({f.H}, {f.W})");
        return (((long)Math.Floor(shape[2] * f.H), (long)Math.Floor(shape[3] * f.W)), f);
    }

    private static long CheckedDivisor(long? divisorOverride)
    {
        if (divisorOverride is { } d && d <= 0)
            throw new ArgumentOutOfRangeException(nameof(divisorOverride), d, "avg_pool2d: divisorOverride must be positive");
        return divisorOverride ?? 0;
    }
}
