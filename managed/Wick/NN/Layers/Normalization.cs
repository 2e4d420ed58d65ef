using System;
using System.Globalization;
using System.Linq;
using Wick.Interop;
using Wick.Native;

namespace Wick.NN;

/// <summary>
/// Batch normalisation per channel (PyTorch's nn.BatchNorm*d). In training mode it normalises with the batch's mean and
/// (biased) variance and updates the running statistics: running = (1 - momentum) · running + momentum · batch (unbiased
/// variance), or a cumulative average when momentum is null; in evaluation mode it uses the running statistics.
/// Buffers: running_mean, running_var, num_batches_tracked.
/// </summary>
public abstract class BatchNorm : Module<Tensor, Tensor>
{
    private protected BatchNorm(long numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType dtype, Device? device)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, $"{TypeName}: num_features must be positive");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(new[] { numFeatures }, dtype, device));
            Bias = RegisterParameter("bias", Tensor.Zeros(new[] { numFeatures }, dtype, device));
        }
        else
        {
            RegisterParameter("weight");
            RegisterParameter("bias");
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(new[] { numFeatures }, dtype, device));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones(new[] { numFeatures }, dtype, device));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros(Array.Empty<long>(), DType.Int64, device));
        }
    }

    /// <summary>Channels.</summary>
    public long NumFeatures { get; }
    /// <summary>Added to the variance.</summary>
    public double Eps { get; }
    /// <summary>Weight of the new batch in the running statistics; null for a cumulative average.</summary>
    public double? Momentum { get; }
    /// <summary>Whether there is a learnable scale and shift.</summary>
    public bool Affine { get; }
    /// <summary>Whether running statistics are kept (and used in evaluation mode).</summary>
    public bool TrackRunningStats { get; }
    /// <summary>Per-channel scale (ones at first), or null.</summary>
    public Tensor? Weight { get; }
    /// <summary>Per-channel shift (zeros at first), or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Running mean, or null.</summary>
    public Tensor? RunningMean { get; }
    /// <summary>Running variance, or null.</summary>
    public Tensor? RunningVar { get; }
    /// <summary>Batches seen in training mode (int64 scalar), or null.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>The input ranks this layer accepts.</summary>
    private protected abstract int[] Ranks { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Ranks.Contains(input.Dim))
            throw new ShapeMismatchException($"{Describe()}: expected a {string.Join("-d or ", Ranks)}-d input, got shape {ShapeText(input)}");
        if (input.Size(1) != NumFeatures)
            throw new ShapeMismatchException($"{Describe()}: the input has {input.Size(1)} channels in dimension 1 (shape {ShapeText(input)}); expected {NumFeatures}");
        double factor = Momentum ?? 0;
        if (Training && TrackRunningStats)
        {
            if (Momentum is null)
            {
                // The cumulative average needs the count on the host (a read, so a synchronisation on a GPU).
                long batches = NumBatchesTracked!.Item<long>() + 1;
                using (Autograd.NoGrad()) NumBatchesTracked.Fill(batches);
                factor = 1.0 / batches;
            }
            else
            {
                // Counted on the tensor's device: no host read in a training step.
                using (Autograd.NoGrad()) Kernels.BinaryScalar(NumBatchesTracked!, Scalars.Int(1), wk_binary_op.WK_BINARY_ADD, @out: NumBatchesTracked);
            }
        }
        bool useBatchStats = Training || !TrackRunningStats;
        if (useBatchStats && input.NumberOfElements / NumFeatures <= 1)
            throw new ArgumentException($"{Describe()}: expected more than 1 value per channel when training, got input shape {ShapeText(input)}");
        // Training updates the running statistics in place; evaluation normalises with them (or, when none are
        // tracked, with the batch's own statistics, as PyTorch does).
        return new NormFunction(NormFunction.Kind.Batch, Affine, Eps, useBatchStats, RunningMean, RunningVar, factor).Run(input, Weight, Bias);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"{NumFeatures}, eps={Py.Num(Eps)}, momentum={(Momentum is double m ? Py.Num(m) : "None")}, " +
        $"affine={(Affine ? "True" : "False")}, track_running_stats={(TrackRunningStats ? "True" : "False")}";
}

/// <summary>Batch normalisation of (N, C) or (N, C, L) inputs over the batch (and length) per channel.</summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Batch normalisation for <paramref name="numFeatures"/> channels.</summary>
    public BatchNorm1d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true,
                       DType dtype = DType.Float32, Device? device = null)
        : base(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
    {
    }

    private protected override int[] Ranks => new[] { 2, 3 };
}

/// <summary>Batch normalisation of (N, C, H, W) inputs over the batch and the image per channel.</summary>
public sealed class BatchNorm2d : BatchNorm
{
    /// <summary>Batch normalisation for <paramref name="numFeatures"/> channels.</summary>
    public BatchNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true,
                       DType dtype = DType.Float32, Device? device = null)
        : base(numFeatures, eps, momentum, affine, trackRunningStats, dtype, device)
    {
    }

    private protected override int[] Ranks => new[] { 4 };
}

/// <summary>
/// Layer normalisation over the last dimensions, which must equal <c>normalizedShape</c> (PyTorch's nn.LayerNorm), with a
/// learnable elementwise scale (ones) and shift (zeros).
/// </summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly long[] _shape;

    /// <summary>Normalises over one last dimension of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(long normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, DType dtype = DType.Float32,
                     Device? device = null)
        : this(new[] { normalizedShape }, eps, elementwiseAffine, bias, dtype, device)
    {
    }

    /// <summary>Normalises over the last dimensions, of the given sizes.</summary>
    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, DType dtype = DType.Float32,
                     Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0) throw new ArgumentException("LayerNorm: normalizedShape needs at least one dimension", nameof(normalizedShape));
        _shape = (long[])normalizedShape.Clone();
        Eps = eps;
        ElementwiseAffine = elementwiseAffine;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(_shape, dtype, device));
            if (bias) Bias = RegisterParameter("bias", Tensor.Zeros(_shape, dtype, device));
            else RegisterParameter("bias");
        }
        else
        {
            RegisterParameter("weight");
            RegisterParameter("bias");
        }
    }

    /// <summary>The trailing shape normalised over.</summary>
    public long[] NormalizedShape => (long[])_shape.Clone();
    /// <summary>Added to the variance.</summary>
    public double Eps { get; }
    /// <summary>Whether there is a learnable scale (and shift).</summary>
    public bool ElementwiseAffine { get; }
    /// <summary>The scale, or null.</summary>
    public Tensor? Weight { get; }
    /// <summary>The shift, or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long[] s = input.Shape;
        if (s.Length < _shape.Length || !s.AsSpan(s.Length - _shape.Length).SequenceEqual(_shape))
            throw new ShapeMismatchException($"{Describe()}: the input's last dimensions must be [{string.Join(", ", _shape)}], got shape {ShapeText(input)}");
        if (Weight is not null && Bias is null)
        {
            // Scale without shift: normalise without affine, then scale.
            using Tensor n = new NormFunction(NormFunction.Kind.Layer, false, Eps, normalizedShape: _shape).Run(input);
            return n * Weight;
        }
        return new NormFunction(NormFunction.Kind.Layer, Weight is not null, Eps, normalizedShape: _shape).Run(input, Weight, Bias);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"({string.Join(", ", _shape)}{(_shape.Length == 1 ? "," : "")}), eps={Py.Num(Eps)}, elementwise_affine={(ElementwiseAffine ? "True" : "False")}";
}

/// <summary>
/// Group normalisation (PyTorch's nn.GroupNorm): the channels of (N, C, ...) inputs split into groups, each normalised
/// over its channels and the spatial dimensions, with a per-channel scale (ones) and shift (zeros).
/// </summary>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    /// <summary>Normalises <paramref name="numChannels"/> channels in <paramref name="numGroups"/> groups.</summary>
    public GroupNorm(long numGroups, long numChannels, double eps = 1e-5, bool affine = true, DType dtype = DType.Float32, Device? device = null)
    {
        if (numGroups <= 0 || numChannels % numGroups != 0)
            throw new ArgumentException($"GroupNorm: num_channels ({numChannels}) must be divisible by num_groups ({numGroups})");
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        Affine = affine;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(new[] { numChannels }, dtype, device));
            Bias = RegisterParameter("bias", Tensor.Zeros(new[] { numChannels }, dtype, device));
        }
        else
        {
            RegisterParameter("weight");
            RegisterParameter("bias");
        }
    }

    /// <summary>Groups.</summary>
    public long NumGroups { get; }
    /// <summary>Channels.</summary>
    public long NumChannels { get; }
    /// <summary>Added to the variance.</summary>
    public double Eps { get; }
    /// <summary>Whether there is a learnable scale and shift.</summary>
    public bool Affine { get; }
    /// <summary>Per-channel scale, or null.</summary>
    public Tensor? Weight { get; }
    /// <summary>Per-channel shift, or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim < 2 || input.Size(1) != NumChannels)
            throw new ShapeMismatchException($"{Describe()}: expected an (N, {NumChannels}, ...) input, got shape {ShapeText(input)}");
        return new NormFunction(NormFunction.Kind.Group, Affine, Eps, groups: NumGroups).Run(input, Weight, Bias);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{NumGroups}, {NumChannels}, eps={Py.Num(Eps)}, affine={(Affine ? "True" : "False")}";
}
