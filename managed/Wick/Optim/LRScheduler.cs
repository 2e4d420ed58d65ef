using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Optim;

/// <summary>
/// The base of the learning-rate schedulers (PyTorch's torch.optim.lr_scheduler.LRScheduler). Creating
/// one records each group's starting learning rate (<see cref="ParamGroup.InitialLearningRate"/>) and
/// applies epoch 0; each <see cref="Step"/> advances one epoch (or batch) and sets the groups' learning
/// rates. Rates follow PyTorch's chainable rules, so several schedulers may drive one optimizer.
/// <code>
/// var opt = new SGD(model.Parameters(), lr: 0.1);
/// var sched = new StepLR(opt, stepSize: 30, gamma: 0.1);
/// for (int epoch = 0; epoch &lt; 100; ++epoch) { Train(); sched.Step(); }
/// </code>
/// </summary>
public abstract class LRScheduler : ISchedulerState
{
    /// <summary>Records the groups' starting rates; derived constructors call <see cref="InitialStep"/> when ready.</summary>
    protected LRScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        foreach (var g in optimizer.ParamGroups) g.InitialLearningRate ??= g.LearningRate;
        BaseLearningRates = optimizer.ParamGroups.Select(g => g.InitialLearningRate!.Value).ToArray();
        LastLearningRates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
    }

    /// <summary>The optimizer whose learning rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The epoch (or batch) count: 0 after construction, +1 per <see cref="Step"/>.</summary>
    public int LastEpoch { get; private set; } = -1;

    /// <summary>Each group's starting learning rate (PyTorch's base_lrs).</summary>
    public IReadOnlyList<double> BaseLearningRates { get; private set; }

    /// <summary>The learning rates the last step set (PyTorch's get_last_lr()).</summary>
    public IReadOnlyList<double> LastLearningRates { get; private set; }

    /// <summary>Applies epoch 0; call it at the end of a derived constructor.</summary>
    protected void InitialStep() => Step();

    /// <summary>Advances one epoch (or batch, for per-batch schedules) and sets the groups' learning rates.</summary>
    public void Step()
    {
        LastEpoch++;
        double[] lrs = ComputeLearningRates();
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count && i < lrs.Length; ++i) groups[i].LearningRate = lrs[i];
        LastLearningRates = lrs;
    }

    /// <summary>
    /// The learning rates for <see cref="LastEpoch"/>, one per group; may read the groups' current rates
    /// (PyTorch's chainable get_lr()).
    /// </summary>
    protected abstract double[] ComputeLearningRates();

    /// <summary>The groups' current learning rates.</summary>
    protected double[] CurrentLearningRates() => Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

    /// <summary>
    /// The scheduler's progress (PyTorch's state_dict): "last_epoch", "base_lrs.{g}" and "last_lrs.{g}". The schedule's
    /// settings (step size, gamma, ...) are not part of it: load into a scheduler constructed with the same arguments.
    /// </summary>
    public IReadOnlyDictionary<string, double> StateDict() => SchedulerState.Write(LastEpoch, BaseLearningRates, LastLearningRates);

    /// <summary>
    /// Restores progress saved by <see cref="StateDict"/>; the optimizer's learning rates come from its own state dict.
    /// </summary>
    /// <exception cref="ArgumentException">A key is missing or the saved state has another number of parameter groups.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        var (epoch, baseLrs, lastLrs) = SchedulerState.Read(GetType().Name, state, Optimizer.ParamGroups.Count, "base_lrs");
        LastEpoch = (int)epoch;
        BaseLearningRates = baseLrs;
        LastLearningRates = lastLrs;
    }
}

/// <summary>A learning-rate scheduler whose progress can be saved and restored (by <see cref="IO.Checkpoint"/>).</summary>
public interface ISchedulerState
{
    /// <summary>The scheduler's progress as named numbers.</summary>
    IReadOnlyDictionary<string, double> StateDict();

    /// <summary>Restores progress saved by <see cref="StateDict"/>.</summary>
    void LoadStateDict(IReadOnlyDictionary<string, double> state);
}

/// <summary>The flat key layout shared by the schedulers' state dicts.</summary>
internal static class SchedulerState
{
    public static Dictionary<string, double> Write(long lastEpoch, IReadOnlyList<double> first, IReadOnlyList<double> lastLrs, string firstName = "base_lrs")
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal) { ["last_epoch"] = lastEpoch };
        for (int i = 0; i < first.Count; ++i) d[$"{firstName}.{i}"] = first[i];
        for (int i = 0; i < lastLrs.Count; ++i) d[$"last_lrs.{i}"] = lastLrs[i];
        return d;
    }

    public static (long Epoch, double[] First, double[] Last) Read(string who, IReadOnlyDictionary<string, double> state, int groups, string firstName)
    {
        ArgumentNullException.ThrowIfNull(state);
        double Get(string key) => state.TryGetValue(key, out double v) ? v
            : throw new ArgumentException($"{who}.LoadStateDict: missing key \"{key}\" (the state has {state.Count} keys; was it saved from a {who} over {groups} parameter groups?)");
        if (state.ContainsKey($"last_lrs.{groups}"))
            throw new ArgumentException($"{who}.LoadStateDict: the saved state has more than the optimizer's {groups} parameter groups");
        long epoch = (long)Get("last_epoch");
        var first = new double[groups];
        var last = new double[groups];
        for (int i = 0; i < groups; ++i)
        {
            if (firstName.Length > 0) first[i] = Get($"{firstName}.{i}");
            last[i] = Get($"last_lrs.{i}");
        }
        return (epoch, first, last);
    }
}

/// <summary>Multiplies the learning rate by <c>gamma</c> every <c>stepSize</c> epochs: lr = base * gamma^(epoch / stepSize).</summary>
public sealed class StepLR : LRScheduler
{
    private readonly int _stepSize;
    private readonly double _gamma;

    /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "StepLR: stepSize must be positive");
        _stepSize = stepSize;
        _gamma = gamma;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates()
    {
        double[] lr = CurrentLearningRates();
        if (LastEpoch == 0 || LastEpoch % _stepSize != 0) return lr;
        return lr.Select(x => x * _gamma).ToArray();
    }
}

/// <summary>Multiplies the learning rate by <c>gamma</c> at each milestone epoch: lr = base * gamma^(milestones passed).</summary>
public sealed class MultiStepLR : LRScheduler
{
    private readonly Dictionary<int, int> _milestones = new();
    private readonly double _gamma;

    /// <summary>Decays by <paramref name="gamma"/> at each epoch in <paramref name="milestones"/> (a repeated milestone decays once per repetition).</summary>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        foreach (int m in milestones) _milestones[m] = _milestones.GetValueOrDefault(m) + 1;
        _gamma = gamma;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates()
    {
        double[] lr = CurrentLearningRates();
        if (!_milestones.TryGetValue(LastEpoch, out int count)) return lr;
        double f = Math.Pow(_gamma, count);
        return lr.Select(x => x * f).ToArray();
    }
}

/// <summary>Multiplies the learning rate by <c>gamma</c> every epoch: lr = base * gamma^epoch.</summary>
public sealed class ExponentialLR : LRScheduler
{
    private readonly double _gamma;

    /// <summary>Decays by <paramref name="gamma"/> every epoch.</summary>
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        _gamma = gamma;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates()
    {
        double[] lr = CurrentLearningRates();
        return LastEpoch == 0 ? lr : lr.Select(x => x * _gamma).ToArray();
    }
}

/// <summary>
/// Cosine annealing from the base rate down to <c>etaMin</c> over <c>tMax</c> epochs (and back up, periodically):
/// lr = etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2.
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    private readonly int _tMax;
    private readonly double _etaMin;

    /// <summary>Anneals over <paramref name="tMax"/> epochs to <paramref name="etaMin"/>.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax <= 0) throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "CosineAnnealingLR: tMax must be positive");
        _tMax = tMax;
        _etaMin = etaMin;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates()
    {
        double[] lr = CurrentLearningRates();
        if (LastEpoch == 0) return lr;
        var result = new double[lr.Length];
        for (int i = 0; i < lr.Length; ++i)
        {
            if ((LastEpoch - 1 - _tMax) % (2 * _tMax) == 0)
                result[i] = lr[i] + (BaseLearningRates[i] - _etaMin) * (1 - Math.Cos(Math.PI / _tMax)) / 2;
            else
                result[i] = (1 + Math.Cos(Math.PI * LastEpoch / _tMax)) / (1 + Math.Cos(Math.PI * (LastEpoch - 1) / _tMax)) * (lr[i] - _etaMin) + _etaMin;
        }
        return result;
    }
}

/// <summary>
/// Changes the learning rate linearly from base * startFactor to base * endFactor over <c>totalIters</c> epochs,
/// then keeps it (a warm-up when startFactor &lt; 1).
/// </summary>
public sealed class LinearLR : LRScheduler
{
    private readonly double _start, _end;
    private readonly int _total;

    /// <summary>Ramps the factor from <paramref name="startFactor"/> to <paramref name="endFactor"/> over <paramref name="totalIters"/> steps.</summary>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5) : base(optimizer)
    {
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "LinearLR: startFactor must be in (0, 1]");
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "LinearLR: endFactor must be in [0, 1]");
        if (totalIters <= 0) throw new ArgumentOutOfRangeException(nameof(totalIters), totalIters, "LinearLR: totalIters must be positive");
        _start = startFactor;
        _end = endFactor;
        _total = totalIters;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates()
    {
        double[] lr = CurrentLearningRates();
        if (LastEpoch == 0) return lr.Select(x => x * _start).ToArray();
        if (LastEpoch > _total) return lr;
        double f = 1 + (_end - _start) / (_total * _start + (LastEpoch - 1) * (_end - _start));
        return lr.Select(x => x * f).ToArray();
    }
}

/// <summary>How <see cref="OneCycleLR"/> moves between its phase boundaries.</summary>
public enum AnnealStrategy
{
    /// <summary>Cosine annealing.</summary>
    Cos,
    /// <summary>Linear annealing.</summary>
    Linear,
}

/// <summary>
/// The 1cycle policy (Smith and Topin), stepped once per batch: the learning rate rises from
/// maxLr / divFactor to maxLr over the first pctStart of the steps, then anneals to
/// initial / finalDivFactor; momentum (SGD, RMSprop) or beta1 (Adam) moves the opposite way.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    private readonly record struct Phase(double EndStep, string StartLr, string EndLr, string StartMomentum, string EndMomentum);

    private readonly int _totalSteps;
    private readonly Phase[] _phases;
    private readonly AnnealStrategy _anneal;
    private readonly bool _cycleMomentum;
    private readonly double[] _initialLr, _maxLr, _minLr, _baseMomentum, _maxMomentum;

    /// <summary>
    /// A schedule of <paramref name="totalSteps"/> steps (or epochs * stepsPerEpoch). One learning rate for every
    /// group, or one per group with the array overload.
    /// </summary>
    public OneCycleLR(Optimizer optimizer, double maxLr, int? totalSteps = null, int? epochs = null, int? stepsPerEpoch = null,
                      double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cos, bool cycleMomentum = true,
                      double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4,
                      bool threePhase = false)
        : this(optimizer, Enumerable.Repeat(maxLr, optimizer?.ParamGroups.Count ?? 0).ToArray(), totalSteps, epochs, stepsPerEpoch, pctStart,
               annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase)
    {
    }

    /// <summary>As the other constructor, with one maximum learning rate per parameter group.</summary>
    public OneCycleLR(Optimizer optimizer, double[] maxLr, int? totalSteps = null, int? epochs = null, int? stepsPerEpoch = null,
                      double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cos, bool cycleMomentum = true,
                      double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4,
                      bool threePhase = false)
        : base(Prepare(optimizer, maxLr, divFactor))
    {
        int groups = optimizer.ParamGroups.Count;
        if (maxLr.Length != groups)
            throw new ArgumentException($"OneCycleLR: expected {groups} values for maxLr (one per group), got {maxLr.Length}", nameof(maxLr));
        if (totalSteps is int t)
        {
            if (t <= 0) throw new ArgumentOutOfRangeException(nameof(totalSteps), t, "OneCycleLR: totalSteps must be positive");
            _totalSteps = t;
        }
        else if (epochs is int e && stepsPerEpoch is int s)
        {
            if (e <= 0) throw new ArgumentOutOfRangeException(nameof(epochs), e, "OneCycleLR: epochs must be positive");
            if (s <= 0) throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), s, "OneCycleLR: stepsPerEpoch must be positive");
            _totalSteps = checked(e * s);
        }
        else
        {
            throw new ArgumentException("OneCycleLR: give totalSteps, or both epochs and stepsPerEpoch");
        }
        if (!(pctStart >= 0 && pctStart <= 1))
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "OneCycleLR: pctStart must be in [0, 1]");
        _anneal = annealStrategy;
        _phases = threePhase
            ? new[]
            {
                new Phase(pctStart * _totalSteps - 1, "initial", "max", "max", "base"),
                new Phase(2 * pctStart * _totalSteps - 2, "max", "initial", "base", "max"),
                new Phase(_totalSteps - 1, "initial", "min", "max", "max"),
            }
            : new[]
            {
                new Phase(pctStart * _totalSteps - 1, "initial", "max", "max", "base"),
                new Phase(_totalSteps - 1, "max", "min", "base", "max"),
            };
        _initialLr = maxLr.Select(m => m / divFactor).ToArray();
        _maxLr = (double[])maxLr.Clone();
        _minLr = _initialLr.Select(i => i / finalDivFactor).ToArray();
        _cycleMomentum = cycleMomentum;
        _baseMomentum = Enumerable.Repeat(baseMomentum, groups).ToArray();
        _maxMomentum = Enumerable.Repeat(maxMomentum, groups).ToArray();
        if (cycleMomentum)
        {
            foreach (var g in optimizer.ParamGroups)
            {
                if (g.Options is not (SGDOptions or RMSpropOptions or AdamOptions))
                    throw new ArgumentException($"OneCycleLR: {optimizer.GetType().Name} has neither momentum nor beta1; pass cycleMomentum: false");
                SetMomentum(g, maxMomentum);
            }
        }
        InitialStep();
    }

    private static Optimizer Prepare(Optimizer optimizer, double[] maxLr, double divFactor)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(maxLr);
        // The schedule starts at maxLr / divFactor, whatever the optimizer's own rate (PyTorch sets initial_lr so).
        for (int i = 0; i < optimizer.ParamGroups.Count && i < maxLr.Length; ++i)
        {
            optimizer.ParamGroups[i].InitialLearningRate = maxLr[i] / divFactor;
            optimizer.ParamGroups[i].LearningRate = maxLr[i] / divFactor;
        }
        return optimizer;
    }

    private static void SetMomentum(ParamGroup g, double m)
    {
        switch (g.Options)
        {
            case SGDOptions s: s.Momentum = m; break;
            case RMSpropOptions r: r.Momentum = m; break;
            case AdamOptions a: a.Beta1 = m; break;
        }
    }

    private double Value(string which, int group) => which switch
    {
        "initial" => _initialLr[group],
        "max" => _maxLr[group],
        _ => _minLr[group],
    };

    private double MomentumValue(string which, int group) => which == "max" ? _maxMomentum[group] : _baseMomentum[group];

    private double Anneal(double start, double end, double pct) => _anneal == AnnealStrategy.Cos
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates()
    {
        int step = LastEpoch;
        if (step > _totalSteps)
            throw new InvalidOperationException($"OneCycleLR: tried to step {step} times, but the schedule has {_totalSteps} steps in total");
        var groups = Optimizer.ParamGroups;
        var result = new double[groups.Count];
        for (int gi = 0; gi < groups.Count; ++gi)
        {
            double startStep = 0;
            for (int i = 0; i < _phases.Length; ++i)
            {
                Phase ph = _phases[i];
                if (step <= ph.EndStep || i == _phases.Length - 1)
                {
                    double pct = (step - startStep) / (ph.EndStep - startStep);
                    result[gi] = Anneal(Value(ph.StartLr, gi), Value(ph.EndLr, gi), pct);
                    if (_cycleMomentum)
                        SetMomentum(groups[gi], Anneal(MomentumValue(ph.StartMomentum, gi), MomentumValue(ph.EndMomentum, gi), pct));
                    break;
                }
                startStep = ph.EndStep;
            }
        }
        return result;
    }
}

/// <summary>Whether <see cref="ReduceLROnPlateau"/> watches a quantity that should fall (a loss) or rise (an accuracy).</summary>
public enum PlateauMode
{
    /// <summary>Lower is better.</summary>
    Min,
    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>How <see cref="ReduceLROnPlateau"/> decides that a new value is better.</summary>
public enum ThresholdMode
{
    /// <summary>Better by a fraction of the best value.</summary>
    Rel,
    /// <summary>Better by an absolute amount.</summary>
    Abs,
}

/// <summary>
/// Multiplies the learning rate by <c>factor</c> when a metric has not improved for <c>patience</c> epochs
/// (PyTorch's ReduceLROnPlateau). Call <see cref="Step(double)"/> with the metric once per epoch.
/// </summary>
public sealed class ReduceLROnPlateau : ISchedulerState
{
    private readonly double _factor, _threshold, _eps;
    private readonly int _patience, _cooldown;
    private readonly PlateauMode _mode;
    private readonly ThresholdMode _thresholdMode;
    private readonly double[] _minLr;
    private int _cooldownCounter;

    /// <summary>Watches a metric for <paramref name="optimizer"/>; <paramref name="minLr"/> bounds every group's rate from below.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
                             double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Rel, int cooldown = 0,
                             double minLr = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau: factor should be < 1.0");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "ReduceLROnPlateau: patience must be >= 0");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "ReduceLROnPlateau: cooldown must be >= 0");
        Optimizer = optimizer;
        _mode = mode;
        _factor = factor;
        _patience = patience;
        _threshold = threshold;
        _thresholdMode = thresholdMode;
        _cooldown = cooldown;
        _eps = eps;
        _minLr = Enumerable.Repeat(minLr, optimizer.ParamGroups.Count).ToArray();
        Best = mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
        LastLearningRates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
    }

    /// <summary>The optimizer whose learning rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The best metric seen so far.</summary>
    public double Best { get; private set; }

    /// <summary>Epochs since the metric last improved.</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Calls of <see cref="Step(double)"/> so far.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The learning rates after the last step.</summary>
    public IReadOnlyList<double> LastLearningRates { get; private set; }

    /// <summary>Records this epoch's metric and reduces the learning rates when it has stalled.</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else
        {
            NumBadEpochs++;
        }
        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            NumBadEpochs = 0;
        }
        if (NumBadEpochs > _patience)
        {
            var groups = Optimizer.ParamGroups;
            for (int i = 0; i < groups.Count; ++i)
            {
                double old = groups[i].LearningRate;
                double lr = Math.Max(old * _factor, i < _minLr.Length ? _minLr[i] : 0);
                if (old - lr > _eps) groups[i].LearningRate = lr;
            }
            _cooldownCounter = _cooldown;
            NumBadEpochs = 0;
        }
        LastLearningRates = Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
    }

    /// <summary>The scheduler's progress: "last_epoch", "best", "num_bad_epochs", "cooldown_counter" and "last_lrs.{g}".</summary>
    public IReadOnlyDictionary<string, double> StateDict()
    {
        var d = SchedulerState.Write(LastEpoch, Array.Empty<double>(), LastLearningRates);
        d["best"] = Best;
        d["num_bad_epochs"] = NumBadEpochs;
        d["cooldown_counter"] = _cooldownCounter;
        return d;
    }

    /// <summary>Restores progress saved by <see cref="StateDict"/>; the learning rates come from the optimizer's state dict.</summary>
    /// <exception cref="ArgumentException">A key is missing or the saved state has another number of parameter groups.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        var (epoch, _, last) = SchedulerState.Read(nameof(ReduceLROnPlateau), state, Optimizer.ParamGroups.Count, "");
        foreach (string key in new[] { "best", "num_bad_epochs", "cooldown_counter" })
            if (!state.ContainsKey(key)) throw new ArgumentException($"ReduceLROnPlateau.LoadStateDict: missing key \"{key}\"");
        LastEpoch = (int)epoch;
        LastLearningRates = last;
        Best = state["best"];
        NumBadEpochs = (int)state["num_bad_epochs"];
        _cooldownCounter = (int)state["cooldown_counter"];
    }

    private bool IsBetter(double a) => (_mode, _thresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Rel) => a < Best * (1 - _threshold),
        (PlateauMode.Min, ThresholdMode.Abs) => a < Best - _threshold,
        (PlateauMode.Max, ThresholdMode.Rel) => a > Best * (_threshold + 1),
        _ => a > Best + _threshold,
    };
}
