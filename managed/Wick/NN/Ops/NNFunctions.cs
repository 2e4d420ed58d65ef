using System;
using System.Collections.Generic;

namespace Wick.NN;

// The layers' differentiable ops: each is an autograd Function whose forward is the native Functional op and whose
// backward is the matching fused native gradient (Functional.*Backward). Going through Function keeps the layers
// trainable whatever the choke points record, and gives each op exactly one node in the graph.

/// <summary>A Function that frees, after Apply, the temporaries its Forward made (statistics it saved, masks).</summary>
internal abstract class NNFunction : Function
{
    private List<Tensor>? _temps;

    /// <summary>Keeps <paramref name="t"/> until Apply returns (autograd holds its own reference if it saved it).</summary>
    protected Tensor Temp(Tensor t)
    {
        (_temps ??= new()).Add(t);
        return t;
    }

    /// <summary>How the op takes part in <see cref="Autocast"/> (default: it runs in its inputs' dtypes).</summary>
    protected virtual AutocastPolicy AutocastPolicy => AutocastPolicy.None;

    /// <summary>Applies the function to the non-null inputs (cast as autocast asks) and frees the temporaries.</summary>
    public Tensor Run(params Tensor?[] inputs)
    {
        var list = new List<Tensor>(inputs.Length);
        foreach (var t in inputs) if (t is not null) list.Add(t);
        Tensor[] args = list.ToArray();
        AutocastArg[]? casts = Autocast.Current is { } ac && args.Length > 0 && AutocastPolicy != AutocastPolicy.None
            ? ac.Apply(AutocastPolicy, args) : null;
        try
        {
            return Apply(args)[0];
        }
        finally
        {
            if (casts is not null) foreach (var c in casts) c.Dispose();
            if (_temps is not null) foreach (var t in _temps) t.Dispose();
        }
    }

    /// <summary>
    /// Whether <see cref="Gradient"/> itself is built from recorded Tensor ops (and so differentiable again). Most layers'
    /// gradients are fused native kernels that autograd does not record; a backward pass with createGraph runs their
    /// <see cref="DifferentiableGradient"/> instead.
    /// </summary>
    protected virtual bool GradientIsDifferentiable => false;

    /// <summary>d(loss)/d(inputs) from d(loss)/d(outputs), as <see cref="Function"/>'s Backward: the fast path (fused kernels).</summary>
    protected abstract Tensor?[] Gradient(Tensor[] g);

    /// <summary>
    /// The same gradient as <see cref="Gradient"/>, computed with recorded ops (Tensor methods, or functions whose own backward
    /// is defined) so that it can be differentiated again: what a backward pass with createGraph runs.
    /// </summary>
    protected virtual Tensor?[] DifferentiableGradient(Tensor[] g) =>
        throw new NotSupportedException(
            $"{Name}: second derivatives (a backward pass with createGraph: true) through {Name} are not supported: its " +
            "gradient is a fused native kernel that autograd does not record. Run the backward pass without createGraph, " +
            "or build the part you differentiate twice from Tensor methods.");

    /// <inheritdoc/>
    protected sealed override Tensor?[] Backward(Tensor[] gradOutputs) =>
        GradMode.IsEnabled && !GradientIsDifferentiable ? DifferentiableGradient(gradOutputs) : Gradient(gradOutputs);

    /// <summary>The gradient for input slot <paramref name="i"/> if it is needed, else disposes it and returns null.</summary>
    protected Tensor? Keep(Tensor? g, int i)
    {
        if (g is null || NeedsInputGrad(i)) return g;
        g.Dispose();
        return null;
    }
}

internal sealed class SoftmaxFunction : NNFunction
{
    protected override AutocastPolicy AutocastPolicy => AutocastPolicy.Float32;

    private readonly int _dim;
    private readonly bool _log;

    public SoftmaxFunction(int dim, bool log)
    {
        _dim = dim;
        _log = log;
    }

    public override string Name => _log ? "LogSoftmax" : "Softmax";

    protected override Tensor[] Forward(Tensor[] x)
    {
        Tensor y = _log ? Functional.LogSoftmax(x[0], _dim) : Functional.Softmax(x[0], _dim);
        SaveForBackward(y);
        return new[] { y };
    }

    protected override Tensor?[] Gradient(Tensor[] g)
    {
        Tensor y = SavedTensors[0];
        return new Tensor?[] { _log ? Functional.LogSoftmaxBackward(g[0], y, _dim) : Functional.SoftmaxBackward(g[0], y, _dim) };
    }

    // The same formulas with recorded ops; y is the saved output, whose history leads back to this node.
    protected override Tensor?[] DifferentiableGradient(Tensor[] gs)
    {
        Tensor y = SavedTensors[0], g = gs[0];
        if (_log)
        {
            // g - exp(y) * sum(g)
            using Tensor p = y.Exp();
            using Tensor sum = g.Sum(_dim, keepDim: true);
            using Tensor ps = p * sum;
            return new Tensor?[] { g - ps };
        }
        // y * (g - sum(g * y))
        using Tensor gy = g * y;
        using Tensor dot = gy.Sum(_dim, keepDim: true);
        using Tensor centred = g - dot;
        return new Tensor?[] { y * centred };
    }
}

internal sealed class NllLossFunction : NNFunction
{
    protected override AutocastPolicy AutocastPolicy => AutocastPolicy.Float32;

    private readonly Tensor _target;
    private readonly Tensor? _weight;
    private readonly long _ignoreIndex;
    private readonly Reduction _reduction;

    public NllLossFunction(Tensor target, Tensor? weight, long ignoreIndex, Reduction reduction)
    {
        _target = target;
        _weight = weight;
        _ignoreIndex = ignoreIndex;
        _reduction = reduction;
    }

    public override string Name => "NllLoss";

    /// <summary>The summed weight of the counted targets (the mean's denominator), after Forward.</summary>
    public Tensor? TotalWeight { get; private set; }

    protected override Tensor[] Forward(Tensor[] x)
    {
        var (loss, total) = Functional.NllLossWithTotalWeight(x[0], _target, _weight, _ignoreIndex, _reduction);
        TotalWeight = total;
        SaveForBackward(x[0], _target, total);
        return new[] { loss };
    }

    protected override Tensor?[] Gradient(Tensor[] g)
    {
        var s = SavedTensors;
        return new Tensor?[] { Functional.NllLossBackward(g[0], s[0], s[1], s[2], _weight, _ignoreIndex, _reduction) };
    }

    // The gradient is linear in g (and independent of the input's values): the fused kernel as a linear map whose
    // adjoint is the loss itself (the loss is linear in its input). Constants: input (for its shape), target, total weight, weight.
    protected override Tensor?[] DifferentiableGradient(Tensor[] g)
    {
        var s = SavedTensors;
        Tensor[] constants = _weight is null ? new[] { s[0], s[1], s[2] } : new[] { s[0], s[1], s[2], _weight };
        long ignore = _ignoreIndex;
        Reduction reduction = _reduction;
        return new Tensor?[]
        {
            LinearMapFunction.ApplyAdjoint(Name,
                (x, c) => Functional.NllLoss(x, c[1], c.Count > 3 ? c[3] : null, ignore, reduction),
                (v, c) => Functional.NllLossBackward(v, c[0], c[1], c[2], c.Count > 3 ? c[3] : null, ignore, reduction),
                g[0], constants),
        };
    }
}

internal sealed class ConvFunction : NNFunction
{
    protected override AutocastPolicy AutocastPolicy => AutocastPolicy.LowPrecision;

    private readonly int _spatial;
    private readonly bool _transposed, _hasBias;
    private readonly long[] _stride, _padding, _dilation, _outputPadding;
    private readonly long _groups;

    public ConvFunction(int spatial, bool transposed, bool hasBias, long[] stride, long[] padding, long[] dilation, long[] outputPadding, long groups)
    {
        _spatial = spatial;
        _transposed = transposed;
        _hasBias = hasBias;
        _stride = stride;
        _padding = padding;
        _dilation = dilation;
        _outputPadding = outputPadding;
        _groups = groups;
    }

    public override string Name => _transposed ? "ConvTranspose2d" : _spatial == 1 ? "Conv1d" : "Conv2d";

    protected override Tensor[] Forward(Tensor[] a)
    {
        Tensor x = a[0], w = a[1];
        Tensor? b = _hasBias ? a[2] : null;
        SaveForBackward(x, w);
        Tensor y = _transposed
            ? Functional.ConvTranspose2d(x, w, b, (_stride[0], _stride[1]), (_padding[0], _padding[1]), (_outputPadding[0], _outputPadding[1]), _groups,
                                         (_dilation[0], _dilation[1]))
            : _spatial == 1
                ? Functional.Conv1d(x, w, b, _stride[0], _padding[0], _dilation[0], _groups)
                : Functional.Conv2d(x, w, b, (_stride[0], _stride[1]), (_padding[0], _padding[1]), (_dilation[0], _dilation[1]), _groups);
        return new[] { y };
    }

    protected override Tensor?[] Gradient(Tensor[] g)
    {
        Tensor x = SavedTensors[0], w = SavedTensors[1];
        bool gi = NeedsInputGrad(0), gw = NeedsInputGrad(1), gb = _hasBias && NeedsInputGrad(2);
        var (dx, dw, db) = _transposed
            ? Kernels.ConvTranspose2dBackward(g[0], x, w, (_stride[0], _stride[1]), (_padding[0], _padding[1]), (_dilation[0], _dilation[1]), _groups,
                                              gi, gw, gb)
            : _spatial == 1
                ? Functional.Conv1dBackward(g[0], x, w, _stride[0], _padding[0], _dilation[0], _groups, gi, gw, gb)
                : Functional.Conv2dBackward(g[0], x, w, (_stride[0], _stride[1]), (_padding[0], _padding[1]), (_dilation[0], _dilation[1]), _groups,
                                            gi, gw, gb);
        return _hasBias ? new[] { dx, dw, db } : new[] { dx, dw };
    }

    // Through the bilinear primitives (ConvPrimitiveFunction), with the same geometry. A transposed convolution is the
    // input gradient of the convolution that maps its output back to its input: y = InputGrad(x, w), so
    // dx = Conv(g, w) and dw = WeightGrad(x, g) (x plays the output gradient, g the convolution's input).
    protected override Tensor?[] DifferentiableGradient(Tensor[] gs)
    {
        Tensor g = gs[0], x = SavedTensors[0], w = SavedTensors[1];
        var geo = new ConvGeometry(_spatial, _stride, _padding, _dilation, _groups);
        Tensor? dx = null, dw = null, db = null;
        if (_transposed)
        {
            if (NeedsInputGrad(0)) dx = ConvPrimitiveFunction.Conv(geo, g, w);
            if (NeedsInputGrad(1)) dw = ConvPrimitiveFunction.WeightGrad(geo, x, g, w);
        }
        else
        {
            if (NeedsInputGrad(0)) dx = ConvPrimitiveFunction.InputGrad(geo, g, w, x);
            if (NeedsInputGrad(1)) dw = ConvPrimitiveFunction.WeightGrad(geo, g, x, w);
        }
        if (_hasBias && NeedsInputGrad(2)) db = geo.BiasGrad(g);
        return _hasBias ? new[] { dx, dw, db } : new[] { dx, dw };
    }
}

internal sealed class MaxPool2dFunction : NNFunction
{
    private readonly (long H, long W) _kernel, _stride, _padding, _dilation;
    private readonly bool _ceil;
    private long[] _inputShape = Array.Empty<long>();

    public MaxPool2dFunction((long, long) kernel, (long, long) stride, (long, long) padding, (long, long) dilation, bool ceil)
    {
        _kernel = kernel;
        _stride = stride;
        _padding = padding;
        _dilation = dilation;
        _ceil = ceil;
    }

    public override string Name => "MaxPool2d";

    protected override Tensor[] Forward(Tensor[] x)
    {
        _inputShape = x[0].Shape;
        var (y, indices) = Functional.MaxPool2dWithIndices(x[0], _kernel, _stride, _padding, _dilation, _ceil);
        SaveForBackward(Temp(indices));
        return new[] { y };
    }

    protected override Tensor?[] Gradient(Tensor[] g) => new Tensor?[] { Functional.MaxPool2dBackward(g[0], SavedTensors[0], _inputShape) };

    // Linear in g: the scatter at the argmax indices, whose adjoint gathers the input-shaped tensor at the same indices.
    protected override Tensor?[] DifferentiableGradient(Tensor[] g)
    {
        long[] inputShape = _inputShape;
        return new Tensor?[]
        {
            LinearMapFunction.ApplyAdjoint(Name, (v, c) => GatherAtIndices(v, c[0]), (v, c) => Functional.MaxPool2dBackward(v, c[0], inputShape),
                g[0], SavedTensors[0]),
        };
    }

    /// <summary>v (…, H, W) read at the flat plane indices (…, OH, OW): the output-shaped values.</summary>
    private static Tensor GatherAtIndices(Tensor v, Tensor indices)
    {
        using Tensor flat = v.Flatten(-2);
        using Tensor idx = indices.Flatten(-2);
        using Tensor picked = flat.Gather(-1, idx);
        return picked.Reshape(indices.Shape);
    }
}

internal sealed class AvgPool2dFunction : NNFunction
{
    private readonly (long H, long W) _kernel, _stride, _padding;
    private readonly bool _ceil, _countIncludePad;
    private readonly long? _divisor;
    private long[] _inputShape = Array.Empty<long>();

    public AvgPool2dFunction((long, long) kernel, (long, long) stride, (long, long) padding, bool ceil, bool countIncludePad, long? divisor)
    {
        _kernel = kernel;
        _stride = stride;
        _padding = padding;
        _ceil = ceil;
        _countIncludePad = countIncludePad;
        _divisor = divisor;
    }

    public override string Name => "AvgPool2d";

    protected override Tensor[] Forward(Tensor[] x)
    {
        _inputShape = x[0].Shape;
        return new[] { Functional.AvgPool2d(x[0], _kernel, _stride, _padding, _ceil, _countIncludePad, _divisor) };
    }

    protected override Tensor?[] Gradient(Tensor[] g) =>
        new Tensor?[] { Functional.AvgPool2dBackward(g[0], _inputShape, _kernel, _stride, _padding, _ceil, _countIncludePad, _divisor) };

    // Average pooling is linear; its gradient is its adjoint, whose adjoint is the pooling again.
    protected override Tensor?[] DifferentiableGradient(Tensor[] g)
    {
        long[] inputShape = _inputShape;
        var (kernel, stride, padding, ceil, include, divisor) = (_kernel, _stride, _padding, _ceil, _countIncludePad, _divisor);
        return new Tensor?[]
        {
            LinearMapFunction.ApplyAdjoint(Name, (v, _) => Functional.AvgPool2d(v, kernel, stride, padding, ceil, include, divisor),
                (v, _) => Functional.AvgPool2dBackward(v, inputShape, kernel, stride, padding, ceil, include, divisor), g[0]),
        };
    }
}

internal sealed class AdaptiveAvgPool2dFunction : NNFunction
{
    private readonly (long H, long W) _size;
    private long[] _inputShape = Array.Empty<long>();

    public AdaptiveAvgPool2dFunction((long, long) size) => _size = size;

    public override string Name => "AdaptiveAvgPool2d";

    protected override Tensor[] Forward(Tensor[] x)
    {
        _inputShape = x[0].Shape;
        return new[] { Functional.AdaptiveAvgPool2d(x[0], _size) };
    }

    protected override Tensor?[] Gradient(Tensor[] g) => new Tensor?[] { Functional.AdaptiveAvgPool2dBackward(g[0], _inputShape) };

    // Linear, like AvgPool2d: the gradient is the adjoint of the pooling, and the pooling is the adjoint's adjoint.
    protected override Tensor?[] DifferentiableGradient(Tensor[] g)
    {
        long[] inputShape = _inputShape;
        var size = _size;
        return new Tensor?[]
        {
            LinearMapFunction.ApplyAdjoint(Name, (v, _) => Functional.AdaptiveAvgPool2d(v, size),
                (v, _) => Functional.AdaptiveAvgPool2dBackward(v, inputShape), g[0]),
        };
    }
}

/// <summary>Batch, layer or group normalisation with optional affine weight and bias (inputs: x, [weight, bias]).</summary>
internal sealed class NormFunction : NNFunction
{
    protected override AutocastPolicy AutocastPolicy => AutocastPolicy.Float32;

    public enum Kind { Batch, Layer, Group }

    private readonly Kind _kind;
    private readonly bool _affine, _training;
    private readonly Tensor? _runningMean, _runningVar;
    private readonly double _momentum, _eps;
    private readonly long[] _normalizedShape;
    private readonly long _groups;

    public NormFunction(Kind kind, bool affine, double eps, bool training = false, Tensor? runningMean = null, Tensor? runningVar = null,
                        double momentum = 0.1, long[]? normalizedShape = null, long groups = 1)
    {
        _kind = kind;
        _affine = affine;
        _eps = eps;
        _training = training;
        _runningMean = runningMean;
        _runningVar = runningVar;
        _momentum = momentum;
        _normalizedShape = normalizedShape ?? Array.Empty<long>();
        _groups = groups;
    }

    public override string Name => _kind + "Norm";

    protected override Tensor[] Forward(Tensor[] a)
    {
        Tensor x = a[0];
        Tensor? w = _affine ? a[1] : null, b = _affine ? a[2] : null;
        var (y, mean, rstd) = _kind switch
        {
            Kind.Batch => Functional.BatchNormWithStats(x, _runningMean, _runningVar, w, b, _training, _momentum, _eps),
            Kind.Layer => Functional.LayerNormWithStats(x, _normalizedShape, w, b, _eps),
            _ => Functional.GroupNormWithStats(x, _groups, w, b, _eps),
        };
        if (w is null) SaveForBackward(x, Temp(mean), Temp(rstd));
        else SaveForBackward(x, Temp(mean), Temp(rstd), w);
        return new[] { y };
    }

    protected override Tensor?[] Gradient(Tensor[] g)
    {
        var s = SavedTensors;
        Tensor x = s[0], mean = s[1], rstd = s[2];
        Tensor? w = _affine ? s[3] : null;
        bool gi = NeedsInputGrad(0), gw = _affine && NeedsInputGrad(1), gb = _affine && NeedsInputGrad(2);
        var (dx, dw, db) = _kind switch
        {
            Kind.Batch => Functional.BatchNormBackward(g[0], x, w, mean, rstd, _training, gi, gw, gb),
            Kind.Layer => Functional.LayerNormBackward(g[0], x, _normalizedShape, mean, rstd, w, gi, gw, gb),
            _ => Functional.GroupNormBackward(g[0], x, mean, rstd, _groups, w, gi, gw, gb),
        };
        return _affine ? new[] { dx, dw, db } : new[] { dx };
    }

    protected override Tensor?[] DifferentiableGradient(Tensor[] g)
    {
        var s = SavedTensors;
        Tensor? w = _affine ? s[3] : null;
        bool gi = NeedsInputGrad(0), gw = _affine && NeedsInputGrad(1), gb = _affine && NeedsInputGrad(2);
        var (dx, dw, db) = _kind switch
        {
            Kind.Batch => NormGradient.Batch(g[0], s[0], w, _training ? null : s[1], _training ? null : s[2], _eps, gi, gw, gb),
            Kind.Layer => NormGradient.Layer(g[0], s[0], w, _normalizedShape.Length, _eps, gi, gw, gb),
            _ => NormGradient.Group(g[0], s[0], w, _groups, _eps, gi, gw, gb),
        };
        return _affine ? new[] { dx, dw, db } : new[] { dx };
    }
}

internal sealed class DropoutFunction : NNFunction
{
    private readonly double _p;
    private readonly Generator? _generator;

    public DropoutFunction(double p, Generator? generator)
    {
        _p = p;
        _generator = generator;
    }

    public override string Name => "Dropout";

    protected override bool GradientIsDifferentiable => true;

    protected override Tensor[] Forward(Tensor[] x)
    {
        var (y, mask) = Functional.DropoutWithMask(x[0], _p, training: true, _generator);
        SaveForBackward(Temp(mask!));
        return new[] { y };
    }

    protected override Tensor?[] Gradient(Tensor[] g)
    {
        // d(x m / (1 - p)) / dx = m / (1 - p).
        using Tensor m = SavedTensors[0].To(g[0].DType);
        using Tensor gm = g[0] * m;
        return new Tensor?[] { gm * (1 / (1 - _p)) };
    }
}

internal sealed class EmbeddingFunction : NNFunction
{
    private readonly Tensor _indices;
    private readonly long? _paddingIdx;
    private long _numWeights;

    public EmbeddingFunction(Tensor indices, long? paddingIdx)
    {
        _indices = indices;
        _paddingIdx = paddingIdx;
    }

    public override string Name => "Embedding";

    protected override Tensor[] Forward(Tensor[] w)
    {
        _numWeights = w[0].Size(0);
        SaveForBackward(_indices);
        return new[] { Functional.Embedding(_indices, w[0]) };
    }

    protected override Tensor?[] Gradient(Tensor[] g) =>
        new Tensor?[] { Functional.EmbeddingBackward(g[0], SavedTensors[0], _numWeights, _paddingIdx) };

    // Linear in g: the scatter-add of g's rows at the indices (none into the padding row), whose adjoint reads the rows
    // of a (numWeights, D) tensor at the indices, zero where the index is the padding row.
    protected override Tensor?[] DifferentiableGradient(Tensor[] g)
    {
        long numWeights = _numWeights;
        long? pad = _paddingIdx is long p && p < 0 ? p + numWeights : _paddingIdx;
        return new Tensor?[]
        {
            LinearMapFunction.ApplyAdjoint(Name, (v, c) => RowsAt(v, c[0], pad), (v, c) => Functional.EmbeddingBackward(v, c[0], numWeights, pad),
                g[0], SavedTensors[0]),
        };
    }

    private static Tensor RowsAt(Tensor table, Tensor indices, long? pad)
    {
        Tensor rows = Functional.Embedding(indices, table);
        if (pad is not long p) return rows;
        using (rows)
        using (Tensor keep = indices.Ne((double)p))
        using (Tensor keepF = keep.To(table.DType))
        using (Tensor mask = keepF.Unsqueeze(-1))
            return rows * mask;
    }
}

internal static class Owned
{
    /// <summary>Returns <paramref name="next"/>, disposing <paramref name="previous"/> unless it is the same object (a step that replaced a temporary).</summary>
    public static Tensor Replace(Tensor previous, Tensor next)
    {
        if (!ReferenceEquals(previous, next)) previous.Dispose();
        return next;
    }
}

/// <summary>Stack or Cat of several tensors along a dimension; the gradient of each input is its slice of the output's.</summary>
internal sealed class JoinFunction : NNFunction
{
    protected override AutocastPolicy AutocastPolicy => AutocastPolicy.Promote;

    private readonly int _dim;
    private readonly bool _stack;
    private long[] _sizes = Array.Empty<long>();

    public JoinFunction(int dim, bool stack)
    {
        _dim = dim;
        _stack = stack;
    }

    public override string Name => _stack ? "Stack" : "Cat";

    protected override bool GradientIsDifferentiable => true;

    protected override Tensor[] Forward(Tensor[] xs)
    {
        _sizes = new long[xs.Length];
        for (int i = 0; i < xs.Length; ++i) _sizes[i] = _stack ? 1 : xs[i].Size(_dim);
        return new[] { _stack ? Tensor.Stack(xs, _dim) : Tensor.Cat(xs, _dim) };
    }

    protected override Tensor?[] Gradient(Tensor[] g)
    {
        var r = new Tensor?[_sizes.Length];
        long offset = 0;
        for (int i = 0; i < r.Length; ++i)
        {
            if (NeedsInputGrad(i)) r[i] = _stack ? g[0].Select(_dim, i) : g[0].Narrow(_dim, offset, _sizes[i]);
            offset += _sizes[i];
        }
        return r;
    }

    /// <summary>Differentiable Tensor.Stack.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> xs, int dim) => new JoinFunction(dim, true).Run(ToArray(xs));

    /// <summary>Differentiable Tensor.Cat.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> xs, int dim) => new JoinFunction(dim, false).Run(ToArray(xs));

    private static Tensor?[] ToArray(IReadOnlyList<Tensor> xs)
    {
        var a = new Tensor?[xs.Count];
        for (int i = 0; i < a.Length; ++i) a[i] = xs[i];
        return a;
    }
}
