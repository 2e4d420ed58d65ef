using System;

namespace Wick.NN;

/// <summary>
/// Negative log-likelihood of log-probabilities (PyTorch's nn.NLLLoss): input (N, C) or (N, C, d1, ...) or (C),
/// target class indices (N), (N, d1, ...) or () as Int64. Targets equal to <c>ignoreIndex</c> count for nothing;
/// <c>weight</c> (C) rescales the classes, and the mean divides by the summed weights of the counted targets.
/// </summary>
public sealed class NLLLoss : Loss
{
    private readonly Tensor? _weight;

    /// <summary>An NLL loss.</summary>
    public NLLLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        if (weight is not null) _weight = RegisterBuffer("weight", weight.Detach());
        IgnoreIndex = ignoreIndex;
    }

    /// <summary>The target value that is ignored.</summary>
    public long IgnoreIndex { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        Classification.CheckIndices(this, input, target, _weight);
        return new NllLossFunction(target, _weight, IgnoreIndex, Reduction).Run(input);
    }
}

/// <summary>
/// Cross-entropy of unnormalised scores (PyTorch's nn.CrossEntropyLoss): log-softmax over the class dimension (1, or 0 for
/// an unbatched (C) input) followed by the negative log-likelihood. The target holds class indices (Int64, as for
/// <see cref="NLLLoss"/>, with <c>ignoreIndex</c> and class <c>weight</c>s), or class probabilities (a floating-point
/// tensor of the input's shape). <c>labelSmoothing</c> ε mixes the target with the uniform distribution:
/// (1 - ε) · target + ε / C.
/// </summary>
public sealed class CrossEntropyLoss : Loss
{
    private readonly Tensor? _weight;

    /// <summary>A cross-entropy loss.</summary>
    public CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0)
        : base(reduction)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropyLoss: labelSmoothing must be between 0 and 1");
        if (weight is not null) _weight = RegisterBuffer("weight", weight.Detach());
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The target value that is ignored (class-index targets only).</summary>
    public long IgnoreIndex { get; }

    /// <summary>The weight ε of the uniform distribution mixed into the target.</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        CheckFloating(input, "input");
        int classDim = input.Dim == 1 ? 0 : 1;
        if (target.DType.IsFloatingPoint()) return ProbabilityTargets(input, target, classDim);
        Classification.CheckIndices(this, input, target, _weight);
        using Tensor logp = new SoftmaxFunction(classDim, log: true).Run(input);
        var nllFn = new NllLossFunction(target, _weight, IgnoreIndex, Reduction);
        Tensor nll = nllFn.Run(logp);
        if (LabelSmoothing == 0)
        {
            nllFn.TotalWeight?.Dispose();
            return nll;
        }
        // PyTorch's smoothing term for class indices: -sum_c w_c logp_c per element (0 where the target is ignored),
        // divided for the mean by the summed weights of the counted targets.
        long classes = input.Size(classDim);
        using Tensor smooth = SmoothTerm(logp, classDim);
        using Tensor keep = target.Ne((double)IgnoreIndex);
        using Tensor keepF = keep.To(input.DType);
        using Tensor masked = smooth * keepF;
        Tensor smoothLoss = Reduction switch
        {
            Reduction.None => masked,
            Reduction.Sum => masked.Sum(),
            _ => MeanOver(masked, nllFn.TotalWeight!),
        };
        nllFn.TotalWeight?.Dispose();
        try
        {
            using Tensor a = nll * (1 - LabelSmoothing);
            using Tensor b = smoothLoss * (LabelSmoothing / classes);
            return a + b;
        }
        finally
        {
            nll.Dispose();
            if (!ReferenceEquals(smoothLoss, masked)) smoothLoss.Dispose();
        }
    }

    private static Tensor MeanOver(Tensor values, Tensor totalWeight)
    {
        using Tensor sum = values.Sum();
        return sum / totalWeight;
    }

    // -sum_c w_c logp_c along the class dimension.
    private Tensor SmoothTerm(Tensor logp, int classDim)
    {
        if (_weight is null)
        {
            using Tensor s = logp.Sum(classDim);
            return s.Neg();
        }
        using Tensor w = Classification.ClassView(_weight, logp.Dim, classDim);
        using Tensor lw = logp * w;
        using Tensor sw = lw.Sum(classDim);
        return sw.Neg();
    }

    // Class probabilities: -sum_c w_c t_c logp_c per element; the mean divides by the number of elements.
    private Tensor ProbabilityTargets(Tensor input, Tensor target, int classDim)
    {
        CheckSameShape(input, target);
        long classes = input.Size(classDim);
        using Tensor logp = new SoftmaxFunction(classDim, log: true).Run(input);
        using Tensor? smoothed = LabelSmoothing > 0 ? SmoothTargets(target, classes) : null;
        using Tensor prod = logp * (smoothed ?? target);
        using Tensor? weighted = _weight is null ? null : WeightedByClass(prod, classDim);
        using Tensor perElement = (weighted ?? prod).Sum(classDim);
        Tensor neg = perElement.Neg();
        if (Reduction == Reduction.None) return neg;
        using (neg) return Reduction == Reduction.Sum ? neg.Sum() : neg.Mean();
    }

    private Tensor SmoothTargets(Tensor target, long classes)
    {
        using Tensor scaled = target * (1 - LabelSmoothing);
        return scaled + LabelSmoothing / classes;
    }

    private Tensor WeightedByClass(Tensor t, int classDim)
    {
        using Tensor w = Classification.ClassView(_weight!, t.Dim, classDim);
        return t * w;
    }
}

internal static class Classification
{
    /// <summary>The class weights viewed to broadcast along <paramref name="classDim"/> of a rank-<paramref name="rank"/> tensor.</summary>
    public static Tensor ClassView(Tensor weight, int rank, int classDim)
    {
        var shape = new long[rank];
        Array.Fill(shape, 1L);
        shape[classDim] = weight.NumberOfElements;
        return weight.View(shape);
    }

    /// <summary>Checks class-index targets against the input: dtype, shape and the class weights' size.</summary>
    public static void CheckIndices(Module loss, Tensor input, Tensor target, Tensor? weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        string name = loss.TypeName;
        if (target.DType is not (DType.Int64 or DType.Int32 or DType.Int16 or DType.Int8 or DType.UInt8))
            throw new DTypeException($"{name}: class-index targets must be integers (Int64), got {target.DType}; for class probabilities pass a floating-point target");
        if (input.Dim == 0) throw new ShapeMismatchException($"{name}: the input must have a class dimension, got a 0-d tensor");
        int classDim = input.Dim == 1 ? 0 : 1;
        long[] s = input.Shape, t = target.Shape;
        bool ok = input.Dim == 1 ? t.Length == 0 : t.Length == s.Length - 1 && t[0] == s[0] && s.AsSpan(2).SequenceEqual(t.AsSpan(1));
        if (!ok)
        {
            var want = new System.Collections.Generic.List<long> { s[0] };
            for (int i = 2; i < s.Length; ++i) want.Add(s[i]);
            string expected = input.Dim == 1 ? "[] (a scalar)" : "[" + string.Join(", ", want) + "]";
            throw new ShapeMismatchException(
                $"{name}: the input has shape [{string.Join(", ", s)}] (batch, classes, ...) but the target has shape [{string.Join(", ", t)}]; expected {expected}");
        }
        if (weight is not null && weight.NumberOfElements != s[classDim])
            throw new ShapeMismatchException($"{name}: {weight.NumberOfElements} class weights for {s[classDim]} classes");
    }
}
