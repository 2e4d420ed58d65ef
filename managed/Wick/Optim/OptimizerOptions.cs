using System;
using System.Collections.Generic;

namespace Wick.Optim;

/// <summary>
/// The hyperparameters of one parameter group. Each optimizer has its own record type
/// (<see cref="SGDOptions"/>, <see cref="AdamOptions"/>, ...); a group copies the one it is given, so
/// changing a group's options (as LR schedulers do) never affects another group.
/// </summary>
public abstract record OptimizerOptions
{
    /// <summary>The learning rate (PyTorch's lr).</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>
    /// The hyperparameters as (name, value) pairs, named as in PyTorch's param_groups ("lr",
    /// "momentum", "betas.0", ...): what <see cref="Optimizer.StateDict"/> saves. Booleans are 0 or 1.
    /// </summary>
    public virtual IEnumerable<KeyValuePair<string, double>> GetHyperparameters()
    {
        yield return new("lr", LearningRate);
    }

    /// <summary>Sets one hyperparameter by its <see cref="GetHyperparameters"/> name; false when the name is unknown.</summary>
    public virtual bool SetHyperparameter(string name, double value)
    {
        if (name != "lr") return false;
        LearningRate = value;
        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the optimizer and the first invalid value.</summary>
    public virtual void Validate(string optimizer)
    {
        NonNegative(optimizer, "learning rate", LearningRate);
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and at least 0.</summary>
    protected static void NonNegative(string optimizer, string what, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentException($"{optimizer}: invalid {what} {value}; it must be a finite number >= 0");
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [0, 1).</summary>
    protected static void UnitInterval(string optimizer, string what, double value)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentException($"{optimizer}: invalid {what} {value}; it must be in [0, 1)");
    }

    internal static double Flag(bool b) => b ? 1 : 0;
}

/// <summary>Hyperparameters of <see cref="SGD"/> (PyTorch's defaults).</summary>
public sealed record SGDOptions : OptimizerOptions
{
    /// <summary>Momentum factor (0: plain SGD).</summary>
    public double Momentum { get; set; }
    /// <summary>Dampening of the momentum: the new gradient enters the buffer with weight 1 - dampening.</summary>
    public double Dampening { get; set; }
    /// <summary>L2 penalty added to the gradient: grad + weightDecay * param.</summary>
    public double WeightDecay { get; set; }
    /// <summary>Nesterov momentum (needs a momentum and zero dampening).</summary>
    public bool Nesterov { get; set; }
    /// <summary>Ascend the objective instead of descending it.</summary>
    public bool Maximize { get; set; }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, double>> GetHyperparameters()
    {
        yield return new("lr", LearningRate);
        yield return new("momentum", Momentum);
        yield return new("dampening", Dampening);
        yield return new("weight_decay", WeightDecay);
        yield return new("nesterov", Flag(Nesterov));
        yield return new("maximize", Flag(Maximize));
    }

    /// <inheritdoc/>
    public override bool SetHyperparameter(string name, double value)
    {
        switch (name)
        {
            case "momentum": Momentum = value; return true;
            case "dampening": Dampening = value; return true;
            case "weight_decay": WeightDecay = value; return true;
            case "nesterov": Nesterov = value != 0; return true;
            case "maximize": Maximize = value != 0; return true;
            default: return base.SetHyperparameter(name, value);
        }
    }

    /// <inheritdoc/>
    public override void Validate(string optimizer)
    {
        base.Validate(optimizer);
        NonNegative(optimizer, "momentum value", Momentum);
        NonNegative(optimizer, "weight_decay value", WeightDecay);
        if (!double.IsFinite(Dampening)) throw new ArgumentException($"{optimizer}: invalid dampening value {Dampening}; it must be finite");
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
            throw new ArgumentException($"{optimizer}: Nesterov momentum requires a momentum and zero dampening (got momentum {Momentum}, dampening {Dampening})");
    }
}

/// <summary>Hyperparameters of <see cref="Adam"/> and <see cref="AdamW"/> (PyTorch's defaults for Adam).</summary>
public sealed record AdamOptions : OptimizerOptions
{
    /// <summary>Decay of the running average of the gradient (betas[0]).</summary>
    public double Beta1 { get; set; } = 0.9;
    /// <summary>Decay of the running average of the squared gradient (betas[1]).</summary>
    public double Beta2 { get; set; } = 0.999;
    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Eps { get; set; } = 1e-8;
    /// <summary>Adam: L2 penalty added to the gradient; AdamW: decoupled decay of the weights.</summary>
    public double WeightDecay { get; set; }
    /// <summary>The AMSGrad variant: the running maximum of the squared-gradient average.</summary>
    public bool AmsGrad { get; set; }
    /// <summary>Ascend the objective instead of descending it.</summary>
    public bool Maximize { get; set; }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, double>> GetHyperparameters()
    {
        yield return new("lr", LearningRate);
        yield return new("betas.0", Beta1);
        yield return new("betas.1", Beta2);
        yield return new("eps", Eps);
        yield return new("weight_decay", WeightDecay);
        yield return new("amsgrad", Flag(AmsGrad));
        yield return new("maximize", Flag(Maximize));
    }

    /// <inheritdoc/>
    public override bool SetHyperparameter(string name, double value)
    {
        switch (name)
        {
            case "betas.0": Beta1 = value; return true;
            case "betas.1": Beta2 = value; return true;
            case "eps": Eps = value; return true;
            case "weight_decay": WeightDecay = value; return true;
            case "amsgrad": AmsGrad = value != 0; return true;
            case "maximize": Maximize = value != 0; return true;
            default: return base.SetHyperparameter(name, value);
        }
    }

    /// <inheritdoc/>
    public override void Validate(string optimizer)
    {
        base.Validate(optimizer);
        NonNegative(optimizer, "epsilon value", Eps);
        UnitInterval(optimizer, "beta parameter at index 0:", Beta1);
        UnitInterval(optimizer, "beta parameter at index 1:", Beta2);
        NonNegative(optimizer, "weight_decay value", WeightDecay);
    }
}

/// <summary>Hyperparameters of <see cref="RMSprop"/> (PyTorch's defaults, but lr 0.01 as PyTorch's RMSprop).</summary>
public sealed record RMSpropOptions : OptimizerOptions
{
    /// <summary>A new options record with PyTorch's RMSprop learning rate, 0.01.</summary>
    public RMSpropOptions() => LearningRate = 1e-2;

    /// <summary>Smoothing constant of the squared-gradient average.</summary>
    public double Alpha { get; set; } = 0.99;
    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Eps { get; set; } = 1e-8;
    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; set; }
    /// <summary>Momentum factor.</summary>
    public double Momentum { get; set; }
    /// <summary>Normalise by an estimate of the gradient's variance instead of its second moment.</summary>
    public bool Centered { get; set; }
    /// <summary>Ascend the objective instead of descending it.</summary>
    public bool Maximize { get; set; }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, double>> GetHyperparameters()
    {
        yield return new("lr", LearningRate);
        yield return new("alpha", Alpha);
        yield return new("eps", Eps);
        yield return new("weight_decay", WeightDecay);
        yield return new("momentum", Momentum);
        yield return new("centered", Flag(Centered));
        yield return new("maximize", Flag(Maximize));
    }

    /// <inheritdoc/>
    public override bool SetHyperparameter(string name, double value)
    {
        switch (name)
        {
            case "alpha": Alpha = value; return true;
            case "eps": Eps = value; return true;
            case "weight_decay": WeightDecay = value; return true;
            case "momentum": Momentum = value; return true;
            case "centered": Centered = value != 0; return true;
            case "maximize": Maximize = value != 0; return true;
            default: return base.SetHyperparameter(name, value);
        }
    }

    /// <inheritdoc/>
    public override void Validate(string optimizer)
    {
        base.Validate(optimizer);
        NonNegative(optimizer, "epsilon value", Eps);
        NonNegative(optimizer, "momentum value", Momentum);
        NonNegative(optimizer, "weight_decay value", WeightDecay);
        NonNegative(optimizer, "alpha value", Alpha);
    }
}

/// <summary>Hyperparameters of <see cref="Adagrad"/> (PyTorch's defaults).</summary>
public sealed record AdagradOptions : OptimizerOptions
{
    /// <summary>A new options record with PyTorch's Adagrad learning rate, 0.01.</summary>
    public AdagradOptions() => LearningRate = 1e-2;

    /// <summary>Learning-rate decay: step t uses lr / (1 + (t - 1) * lrDecay).</summary>
    public double LrDecay { get; set; }
    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; set; }
    /// <summary>The starting value of the sum of squared gradients.</summary>
    public double InitialAccumulatorValue { get; set; }
    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Eps { get; set; } = 1e-10;
    /// <summary>Ascend the objective instead of descending it.</summary>
    public bool Maximize { get; set; }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, double>> GetHyperparameters()
    {
        yield return new("lr", LearningRate);
        yield return new("lr_decay", LrDecay);
        yield return new("weight_decay", WeightDecay);
        yield return new("initial_accumulator_value", InitialAccumulatorValue);
        yield return new("eps", Eps);
        yield return new("maximize", Flag(Maximize));
    }

    /// <inheritdoc/>
    public override bool SetHyperparameter(string name, double value)
    {
        switch (name)
        {
            case "lr_decay": LrDecay = value; return true;
            case "weight_decay": WeightDecay = value; return true;
            case "initial_accumulator_value": InitialAccumulatorValue = value; return true;
            case "eps": Eps = value; return true;
            case "maximize": Maximize = value != 0; return true;
            default: return base.SetHyperparameter(name, value);
        }
    }

    /// <inheritdoc/>
    public override void Validate(string optimizer)
    {
        base.Validate(optimizer);
        NonNegative(optimizer, "lr_decay value", LrDecay);
        NonNegative(optimizer, "weight_decay value", WeightDecay);
        NonNegative(optimizer, "initial_accumulator_value", InitialAccumulatorValue);
        NonNegative(optimizer, "epsilon value", Eps);
    }
}
