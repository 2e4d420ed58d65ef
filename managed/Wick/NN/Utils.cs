using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Interop;
using Wick.Native;

namespace Wick.NN;

/// <summary>Gradient utilities (PyTorch's torch.nn.utils).</summary>
public static class Utils
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their total norm (the
    /// <paramref name="normType"/>-norm of all gradients together) is at most <paramref name="maxNorm"/>
    /// (PyTorch's clip_grad_norm_: each gradient is multiplied by min(1, maxNorm / (total + 1e-6))).
    /// Parameters without a gradient are skipped. Returns the total norm before clipping.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are clipped.</param>
    /// <param name="maxNorm">The largest allowed total norm.</param>
    /// <param name="normType">The p of the norm (2 by default; <see cref="double.PositiveInfinity"/> for the largest absolute value).</param>
    /// <param name="errorIfNonfinite">Throw when the total norm is NaN or infinite instead of scaling by it.</param>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "ClipGradNorm: maxNorm must be >= 0");
        if (!(normType > 0)) throw new ArgumentOutOfRangeException(nameof(normType), normType, "ClipGradNorm: normType must be positive");
        Tensor[] grads = parameters.Select(p => p.Grad).Where(g => g is not null).ToArray()!;
        if (grads.Length == 0) return 0;
        double total = 0;
        bool inf = double.IsPositiveInfinity(normType);
        using (Autograd.NoGrad())
        {
            // The per-gradient norms are combined on the first gradient's device and read once: one host
            // synchronisation for the whole call, not one per parameter.
            Device device = grads[0].Device;
            Tensor? acc = null;
            try
            {
                foreach (Tensor g in grads)
                {
                    Tensor n = Kernels.Reduce(g, wk_reduce_op.WK_REDUCE_NORM, default, false, normType, DType.Float64);
                    if (n.Device != device)
                    {
                        Tensor moved = n.To(device);
                        n.Dispose();
                        n = moved;
                    }
                    if (!inf)
                    {
                        Tensor powered = Kernels.BinaryScalar(n, Scalars.Float(normType), wk_binary_op.WK_BINARY_POW);
                        n.Dispose();
                        n = powered;
                    }
                    if (acc is null) { acc = n; continue; }
                    using (n) Kernels.Binary(acc, n, inf ? wk_binary_op.WK_BINARY_MAXIMUM : wk_binary_op.WK_BINARY_ADD, acc);
                }
                total = acc!.Item<double>();
            }
            finally
            {
                acc?.Dispose();
            }
            if (!inf) total = Math.Pow(total, 1 / normType);
            if (errorIfNonfinite && !double.IsFinite(total))
                throw new InvalidOperationException(
                    $"ClipGradNorm: the total norm of order {normType} of the gradients is {total}, so they cannot be clipped; " +
                    "pass errorIfNonfinite: false to scale by it anyway");
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1 || double.IsNaN(coef))
                foreach (Tensor g in grads) Kernels.BinaryScalar(g, Scalars.Float(Math.Min(coef, 1.0)), wk_binary_op.WK_BINARY_MUL, @out: g);
        }
        return total;
    }

    /// <summary>Clamps every gradient element to [-clipValue, clipValue] in place (PyTorch's clip_grad_value_).</summary>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0)) throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "ClipGradValue: clipValue must be >= 0");
        using (Autograd.NoGrad())
        {
            foreach (Tensor p in parameters)
                if (p.Grad is { } g) Kernels.Unary(g, wk_unary_op.WK_UNARY_CLAMP, -clipValue, clipValue, g);
        }
    }
}
