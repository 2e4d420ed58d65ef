using System;

namespace Wick.NN;

/// <summary>The base of the losses: <c>Forward(input, target)</c> with a <see cref="Wick.Reduction"/>.</summary>
public abstract class Loss : Module<Tensor, Tensor, Tensor>
{
    /// <summary>A loss with the given reduction.</summary>
    protected Loss(Reduction reduction) => Reduction = reduction;

    /// <summary>How per-element losses are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>Applies <see cref="Reduction"/> to per-element losses; takes ownership of <paramref name="elementwise"/>.</summary>
    protected Tensor Reduce(Tensor elementwise)
    {
        switch (Reduction)
        {
            case Reduction.None: return elementwise;
            case Reduction.Sum: using (elementwise) return elementwise.Sum();
            default: using (elementwise) return elementwise.Mean();
        }
    }

    /// <summary>Throws unless input and target have the same shape, naming the loss and both shapes.</summary>
    protected void CheckSameShape(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new ShapeMismatchException(
                $"{TypeName}: the input has shape {ShapeText(input)} but the target has shape {ShapeText(target)}; they must be the same");
    }

    /// <summary><paramref name="t"/> times an optional weight; takes ownership of <paramref name="t"/>.</summary>
    protected static Tensor TimesWeight(Tensor t, Tensor? weight)
    {
        if (weight is null) return t;
        using (t) return t * weight;
    }

    /// <summary>Throws unless <paramref name="t"/> has a floating-point dtype.</summary>
    protected void CheckFloating(Tensor t, string what)
    {
        if (!t.DType.IsFloatingPoint())
            throw new DTypeException($"{TypeName}: the {what} is {t.DType}; it must be floating-point (convert it with To(DType.Float32))");
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => Reduction == Reduction.Mean ? "" : $"reduction='{Reduction.ToString().ToLowerInvariant()}'";
}

/// <summary>Mean squared error: (input - target)².</summary>
public sealed class MSELoss : Loss
{
    /// <summary>An MSE loss.</summary>
    public MSELoss(Reduction reduction = Reduction.Mean) : base(reduction) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        using Tensor d = input - target;
        return Reduce(d.Square());
    }
}

/// <summary>Mean absolute error: |input - target|.</summary>
public sealed class L1Loss : Loss
{
    /// <summary>An L1 loss.</summary>
    public L1Loss(Reduction reduction = Reduction.Mean) : base(reduction) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        using Tensor d = input - target;
        return Reduce(d.Abs());
    }
}

/// <summary>Huber loss: 0.5 d² where |d| ≤ delta, delta (|d| - 0.5 delta) elsewhere (d = input - target).</summary>
public sealed class HuberLoss : Loss
{
    /// <summary>A Huber loss with the given delta (&gt; 0).</summary>
    public HuberLoss(Reduction reduction = Reduction.Mean, double delta = 1.0) : base(reduction)
    {
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "HuberLoss: delta must be positive");
        Delta = delta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        return Reduce(Elementwise(input, target, Delta));
    }

    // 0.5 m² + delta (|d| - m) with m = min(|d|, delta): the two branches in one differentiable expression.
    internal static Tensor Elementwise(Tensor input, Tensor target, double delta)
    {
        using Tensor d = input - target;
        using Tensor a = d.Abs();
        using Tensor m = a.Clamp(max: delta);
        using Tensor m2 = m.Square();
        using Tensor quad = m2 * 0.5;
        using Tensor rest = a - m;
        using Tensor lin = rest * delta;
        return quad + lin;
    }
}

/// <summary>Smooth L1 loss: 0.5 d² / beta where |d| &lt; beta, |d| - 0.5 beta elsewhere (L1 when beta is 0).</summary>
public sealed class SmoothL1Loss : Loss
{
    /// <summary>A smooth L1 loss with the given beta (≥ 0).</summary>
    public SmoothL1Loss(Reduction reduction = Reduction.Mean, double beta = 1.0) : base(reduction)
    {
        if (!(beta >= 0)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "SmoothL1Loss: beta must be >= 0");
        Beta = beta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Beta { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        if (Beta == 0)
        {
            using Tensor d = input - target;
            return Reduce(d.Abs());
        }
        // smooth_l1(beta) = huber(delta = beta) / beta.
        using Tensor h = HuberLoss.Elementwise(input, target, Beta);
        return Reduce(h / Beta);
    }
}

/// <summary>
/// Binary cross-entropy on probabilities: -w (t log x + (1 - t) log(1 - x)), with the logarithms clamped at -100
/// as in PyTorch (so x = 0 or 1 gives a finite loss).
/// </summary>
public sealed class BCELoss : Loss
{
    private readonly Tensor? _weight;

    /// <summary>A BCE loss with optional element weights (broadcast to the input).</summary>
    public BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        if (weight is not null) _weight = RegisterBuffer("weight", weight.Detach());
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        CheckFloating(input, "input");
        CheckFloating(target, "target");
        using Tensor logX = input.Log();
        using Tensor logXc = logX.Clamp(min: -100);
        using Tensor oneMinus = input.RSub(1.0);
        using Tensor log1mX = oneMinus.Log();
        using Tensor log1mXc = log1mX.Clamp(min: -100);
        using Tensor a = target * logXc;
        using Tensor tc = target.RSub(1.0);
        using Tensor b = tc * log1mXc;
        using Tensor s = a + b;
        return Reduce(TimesWeight(s.Neg(), _weight));
    }
}

/// <summary>
/// Binary cross-entropy on logits, computed stably: pos_weight · t · softplus(-x) + (1 - t) · softplus(x), times the
/// optional weight. <c>posWeight</c> (broadcast along the last dimension) weighs the positive examples of each class.
/// </summary>
public sealed class BCEWithLogitsLoss : Loss
{
    private readonly Tensor? _weight, _posWeight;

    /// <summary>A BCE-with-logits loss with optional element weights and per-class positive weights.</summary>
    public BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null) : base(reduction)
    {
        if (weight is not null) _weight = RegisterBuffer("weight", weight.Detach());
        if (posWeight is not null) _posWeight = RegisterBuffer("pos_weight", posWeight.Detach());
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        CheckFloating(input, "input");
        CheckFloating(target, "target");
        using Tensor negX = input.Neg();
        using Tensor spNeg = negX.Softplus();   // -log sigmoid(x); linear past 20, where the error is below e^-20
        using Tensor spPos = input.Softplus();  // -log(1 - sigmoid(x))
        using Tensor tc = target.RSub(1.0);
        using Tensor negPart = tc * spPos;
        using Tensor posPart = TimesWeight(target * spNeg, _posWeight);
        return Reduce(TimesWeight(posPart + negPart, _weight));
    }
}

/// <summary>
/// Kullback-Leibler divergence with the input as log-probabilities: target · (log target - input), 0 where the target
/// is 0 (or, with <c>logTarget</c>, e^target · (target - input)). <see cref="Reduction.Mean"/> averages over elements,
/// as PyTorch's default; use <c>batchMean: true</c> for the mathematically correct KL divergence per sample.
/// </summary>
public sealed class KLDivLoss : Loss
{
    /// <summary>A KL-divergence loss.</summary>
    public KLDivLoss(Reduction reduction = Reduction.Mean, bool logTarget = false, bool batchMean = false) : base(reduction)
    {
        LogTarget = logTarget;
        BatchMean = batchMean;
    }

    /// <summary>Whether the target is given as log-probabilities.</summary>
    public bool LogTarget { get; }

    /// <summary>Sum divided by the batch size (PyTorch's reduction='batchmean'); overrides <see cref="Loss.Reduction"/>.</summary>
    public bool BatchMean { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        CheckSameShape(input, target);
        CheckFloating(input, "input");
        CheckFloating(target, "target");
        Tensor loss;
        if (LogTarget)
        {
            using Tensor p = target.Exp();
            using Tensor d = target - input;
            loss = p * d;
        }
        else
        {
            // xlogy(t, t): clamping t below by the smallest normal number makes t log t exactly 0 where t is 0.
            double tiny = target.DType == DType.Float64 ? double.Epsilon * (1L << 52) : 1.1754943508222875e-38;
            using Tensor tc = target.Clamp(min: tiny);
            using Tensor logT = tc.Log();
            using Tensor d = logT - input;
            loss = target * d;
        }
        if (!BatchMean) return Reduce(loss);
        // The sum divided by the batch size, as the mean over the batch of each sample's sum: no batch size enters the
        // computation as a number, so an exported graph stays right for any batch size.
        using (loss)
        {
            if (loss.Dim <= 1) return loss.Dim == 0 ? loss.Sum() : loss.Mean();
            using Tensor perSample = loss.Sum(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Range(1, loss.Dim - 1)));
            return perSample.Mean();
        }
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => BatchMean ? "reduction='batchmean'" : base.ExtraRepr();
}
