using System;
using Wick.Interop;
using Wick.Native;

namespace Wick.Optim;

/// <summary>
/// The choke point of the fused optimizer steps: one native call per parameter tensor updates the
/// parameter and its state buffers in one pass. A state buffer an option does not use may be null.
/// </summary>
internal static unsafe class OptimKernels
{
    public static void Sgd(Tensor param, Tensor grad, Tensor? momentumBuffer, in wk_sgd_options o)
    {
        fixed (wk_sgd_options* po = &o)
            Ensure.Ok(NativeMethods.wk_optim_sgd_step(param.Handle, grad.Handle, momentumBuffer?.Handle ?? 0, po));
        GC.KeepAlive(param);
        GC.KeepAlive(grad);
        GC.KeepAlive(momentumBuffer);
    }

    public static void Adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq, in wk_adam_options o)
    {
        fixed (wk_adam_options* po = &o)
            Ensure.Ok(NativeMethods.wk_optim_adam_step(param.Handle, grad.Handle, expAvg.Handle, expAvgSq.Handle, maxExpAvgSq?.Handle ?? 0, po));
        GC.KeepAlive(param);
        GC.KeepAlive(grad);
        GC.KeepAlive(expAvg);
        GC.KeepAlive(expAvgSq);
        GC.KeepAlive(maxExpAvgSq);
    }

    public static void RmsProp(Tensor param, Tensor grad, Tensor squareAvg, Tensor? gradAvg, Tensor? momentumBuffer, in wk_rmsprop_options o)
    {
        fixed (wk_rmsprop_options* po = &o)
            Ensure.Ok(NativeMethods.wk_optim_rmsprop_step(param.Handle, grad.Handle, squareAvg.Handle, gradAvg?.Handle ?? 0, momentumBuffer?.Handle ?? 0, po));
        GC.KeepAlive(param);
        GC.KeepAlive(grad);
        GC.KeepAlive(squareAvg);
        GC.KeepAlive(gradAvg);
        GC.KeepAlive(momentumBuffer);
    }

    public static void Adagrad(Tensor param, Tensor grad, Tensor stateSum, in wk_adagrad_options o)
    {
        fixed (wk_adagrad_options* po = &o)
            Ensure.Ok(NativeMethods.wk_optim_adagrad_step(param.Handle, grad.Handle, stateSum.Handle, po));
        GC.KeepAlive(param);
        GC.KeepAlive(grad);
        GC.KeepAlive(stateSum);
    }
}
