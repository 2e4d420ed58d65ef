using System.Collections.Generic;
using Wick.Native;

namespace Wick.Optim;

/// <summary>
/// Adagrad with learning-rate decay, weight decay and an initial accumulator value: PyTorch's
/// torch.optim.Adagrad, step for step. Each step is one fused native update per parameter tensor.
/// State: "sum" (the running sum of squared gradients).
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>One group of parameters with the given hyperparameters.</summary>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
                   double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, new AdagradOptions
        {
            LearningRate = lr, LrDecay = lrDecay, WeightDecay = weightDecay, InitialAccumulatorValue = initialAccumulatorValue,
            Eps = eps, Maximize = maximize,
        })
    {
    }

    /// <summary>Several groups; those without options of their own use <paramref name="defaults"/>.</summary>
    public Adagrad(IEnumerable<ParamGroup> groups, AdagradOptions defaults) : base(groups, defaults)
    {
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in ParamGroups)
        {
            var o = (AdagradOptions)group.Options;
            var native = new wk_adagrad_options
            {
                lr = o.LearningRate, lr_decay = o.LrDecay, weight_decay = o.WeightDecay, eps = o.Eps, maximize = o.Maximize ? 1 : 0,
            };
            foreach (var p in group.Parameters)
            {
                Tensor? grad = p.Grad;
                if (grad is null) continue;
                ParameterState state = GetState(p);
                Tensor sum = state.GetOrZeros("sum", p, o.InitialAccumulatorValue);
                native.step = state.Step + 1;
                OptimKernels.Adagrad(p, grad, sum, native);
                state.Step++;
            }
        }
    }
}
