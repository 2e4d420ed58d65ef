using System.Collections.Generic;
using Wick.Native;

namespace Wick.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay and
/// maximisation: PyTorch's torch.optim.SGD, step for step. Each step is one fused native update per
/// parameter tensor. State: "momentum_buffer" when momentum is used.
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>One group of parameters with the given hyperparameters.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0,
               double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this(new[] { new ParamGroup(parameters) }, new SGDOptions
        {
            LearningRate = lr, Momentum = momentum, Dampening = dampening, WeightDecay = weightDecay,
            Nesterov = nesterov, Maximize = maximize,
        })
    {
    }

    /// <summary>Several groups; those without options of their own use <paramref name="defaults"/>.</summary>
    public SGD(IEnumerable<ParamGroup> groups, SGDOptions defaults) : base(groups, defaults)
    {
    }

    /// <inheritdoc/>
    public override void Step()
    {
        foreach (var group in ParamGroups)
        {
            var o = (SGDOptions)group.Options;
            var native = new wk_sgd_options
            {
                lr = o.LearningRate, momentum = o.Momentum, dampening = o.Dampening, weight_decay = o.WeightDecay,
                nesterov = o.Nesterov ? 1 : 0, maximize = o.Maximize ? 1 : 0,
            };
            foreach (var p in group.Parameters)
            {
                Tensor? grad = p.Grad;
                if (grad is null) continue;
                ParameterState state = GetState(p);
                Tensor? buffer = null;
                native.first_step = 0;
                if (o.Momentum != 0)
                {
                    buffer = state["momentum_buffer"];
                    if (buffer is null)
                    {
                        buffer = Tensor.Empty(p.Shape, p.DType, p.Device);
                        state["momentum_buffer"] = buffer;
                        native.first_step = 1;  // PyTorch: buf = clone(grad) on the first step
                    }
                }
                OptimKernels.Sgd(p, grad, buffer, native);
                state.Step++;
            }
        }
    }
}
