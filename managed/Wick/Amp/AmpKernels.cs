using System;
using System.Collections.Generic;
using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>The choke point of GradScaler's two native steps (wick.h, "Mixed precision"); neither reads anything back to the host.</summary>
internal static unsafe class AmpKernels
{
    /// <summary>grads *= invScale in place; foundInf becomes 1 if any grad holds an inf or NaN.</summary>
    public static void UnscaleCheck(IReadOnlyList<Tensor> grads, Tensor foundInf, Tensor invScale)
    {
        var handles = new nint[grads.Count];
        for (int i = 0; i < handles.Length; ++i) handles[i] = grads[i].Handle;
        fixed (nint* h = handles)
            Ensure.Ok(NativeMethods.wk_amp_unscale_check(h, handles.Length, foundInf.Handle, invScale.Handle));
        foreach (var g in grads) GC.KeepAlive(g);
        GC.KeepAlive(foundInf);
        GC.KeepAlive(invScale);
    }

    /// <summary>Backs the scale off after an inf/NaN, or grows it after <paramref name="growthInterval"/> clean steps.</summary>
    public static void UpdateScale(Tensor scale, Tensor growthTracker, Tensor foundInf, double growthFactor, double backoffFactor, int growthInterval)
    {
        Ensure.Ok(NativeMethods.wk_amp_update_scale(scale.Handle, growthTracker.Handle, foundInf.Handle, growthFactor, backoffFactor, growthInterval));
        GC.KeepAlive(scale);
        GC.KeepAlive(growthTracker);
        GC.KeepAlive(foundInf);
    }
}
