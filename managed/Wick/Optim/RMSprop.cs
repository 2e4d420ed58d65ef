using System.Collections.Generic;
using Wick.Native;

namespace Wick.Optim;

/// <summary>
/// RMSprop with optional momentum, centering and weight decay: PyTorch's torch.optim.RMSprop, step for
/// step. Each step is one fused native update per parameter tensor. State: "square_avg", plus
/// "grad_avg" when centered and "momentum_buffer" with momentum.
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>One group of parameters with the given hyperparameters.</summary>
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
                   double momentum = 0, bool centered = false, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, new RMSpropOptions
        {
            LearningRate = lr, Alpha = alpha, Eps = eps, WeightDecay = weightDecay, Momentum = momentum, Centered = centered, Maximize = maximize,
        })
    {
    }

    /// <summary>Several groups; those without options of their own use <paramref name="defaults"/>.</summary>
    public RMSprop(IEnumerable<ParamGroup> groups, RMSpropOptions defaults) : base(groups, defaults)
    {
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in ParamGroups)
        {
            var o = (RMSpropOptions)group.Options;
            var native = new wk_rmsprop_options
            {
                lr = o.LearningRate, alpha = o.Alpha, eps = o.Eps, weight_decay = o.WeightDecay, momentum = o.Momentum,
                centered = o.Centered ? 1 : 0, maximize = o.Maximize ? 1 : 0,
            };
            foreach (var p in group.Parameters)
            {
                Tensor? grad = p.Grad;
                if (grad is null) continue;
                ParameterState state = GetState(p);
                Tensor squareAvg = state.GetOrZeros("square_avg", p);
                Tensor? gradAvg = o.Centered ? state.GetOrZeros("grad_avg", p) : null;
                Tensor? buffer = o.Momentum > 0 ? state.GetOrZeros("momentum_buffer", p) : null;
                OptimKernels.RmsProp(p, grad, squareAvg, gradAvg, buffer, native);
                state.Step++;
            }
        }
    }
}
