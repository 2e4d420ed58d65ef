using System.Collections.Generic;
using Wick.Native;

namespace Wick.Optim;

/// <summary>
/// Adam (Kingma and Ba), with the AMSGrad variant and L2 weight decay added to the gradient: PyTorch's
/// torch.optim.Adam, step for step. Each step is one fused native update per parameter tensor.
/// State: "exp_avg", "exp_avg_sq" and, with AMSGrad, "max_exp_avg_sq".
/// </summary>
public class Adam : Optimizer
{
    /// <summary>One group of parameters with the given hyperparameters.</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, new AdamOptions
        {
            LearningRate = lr, Beta1 = beta1, Beta2 = beta2, Eps = eps, WeightDecay = weightDecay, AmsGrad = amsgrad, Maximize = maximize,
        })
    {
    }

    /// <summary>Several groups; those without options of their own use <paramref name="defaults"/>.</summary>
    public Adam(IEnumerable<ParamGroup> groups, AdamOptions defaults) : base(groups, defaults)
    {
    }

    /// <summary>True for AdamW: weight decay shrinks the weights directly instead of entering the gradient.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in ParamGroups)
        {
            var o = (AdamOptions)group.Options;
            var native = new wk_adam_options
            {
                lr = o.LearningRate, beta1 = o.Beta1, beta2 = o.Beta2, eps = o.Eps, weight_decay = o.WeightDecay,
                amsgrad = o.AmsGrad ? 1 : 0, decoupled_weight_decay = DecoupledWeightDecay ? 1 : 0, maximize = o.Maximize ? 1 : 0,
            };
            foreach (var p in group.Parameters)
            {
                Tensor? grad = p.Grad;
                if (grad is null) continue;
                ParameterState state = GetState(p);
                Tensor expAvg = state.GetOrZeros("exp_avg", p);
                Tensor expAvgSq = state.GetOrZeros("exp_avg_sq", p);
                Tensor? maxExpAvgSq = o.AmsGrad ? state.GetOrZeros("max_exp_avg_sq", p) : null;
                native.step = state.Step + 1;
                OptimKernels.Adam(p, grad, expAvg, expAvgSq, maxExpAvgSq, native);
                state.Step++;
            }
        }
    }
}

/// <summary>
/// AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, param *= 1 - lr * weightDecay before
/// the Adam update; PyTorch's torch.optim.AdamW (default weight decay 0.01).
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>One group of parameters with the given hyperparameters.</summary>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                 double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)
    {
    }

    /// <summary>Several groups; those without options of their own use <paramref name="defaults"/>.</summary>
    public AdamW(IEnumerable<ParamGroup> groups, AdamOptions defaults) : base(groups, defaults)
    {
    }

    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}
