using System;
using System.Runtime.CompilerServices;
using Wick.Interop;
using Wick.Native;

namespace Wick;

// Choke points for the neural-network ops (wick.h, "Neural-network ops"): one per native function,
// each checking the status, keeping its operands alive across the call and wrapping the results.
internal static unsafe partial class Kernels
{
    private static nint H(Tensor? t) => t is null ? 0 : t.Handle;

    private static Tensor? Opt(nint h) => h == 0 ? null : new Tensor(h);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Keep(object? a, object? b = null, object? c = null, object? d = null, object? e = null, object? f = null)
    {
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        GC.KeepAlive(c);
        GC.KeepAlive(d);
        GC.KeepAlive(e);
        GC.KeepAlive(f);
    }

    private static int Mask(bool input, bool weight, bool bias) => (input ? 1 : 0) | (weight ? 2 : 0) | (bias ? 4 : 0);

    private static (Tensor?, Tensor?, Tensor?) Three(nint a, nint b, nint c) => (Opt(a), Opt(b), Opt(c));

    public static Tensor Softmax(Tensor x, long dim, bool log)
    {
        if (Autocast.Current is { } ac && ac.LowFor(x) is not null && x.DType is DType.Float16 or DType.BFloat16)
        {
            using AutocastArg c = AutocastState.Float32(x);
            return Softmax(c.Value, dim, log);
        }
        nint r;
        Ensure.Ok(NativeMethods.wk_op_softmax(x.Handle, dim, log ? 1 : 0, 0, &r));
        Keep(x);
        var y = new Tensor(r);
        OpTracer.Current?.Op("Softmax", new[] { x }, new[] { y }, dim, log);
        return y;
    }

    public static Tensor SoftmaxBackward(Tensor gradOutput, Tensor output, long dim, bool log)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(output);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_softmax_backward(gradOutput.Handle, output.Handle, dim, log ? 1 : 0, &r));
        Keep(gradOutput, output);
        return new Tensor(r);
    }

    public static (Tensor Loss, Tensor TotalWeight) NllLoss(Tensor input, Tensor target, Tensor? weight, Reduction reduction, long ignoreIndex)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        nint loss, total;
        Ensure.Ok(NativeMethods.wk_op_nll_loss(input.Handle, target.Handle, H(weight), (wk_reduction)reduction, ignoreIndex, &loss, &total));
        Keep(input, target, weight);
        var res = (new Tensor(loss), new Tensor(total));
        OpTracer.Current?.Op("NllLoss", new[] { input, target, weight }, new[] { res.Item1, res.Item2 }, reduction, ignoreIndex);
        return res;
    }

    public static Tensor NllLossBackward(Tensor gradLoss, Tensor input, Tensor target, Tensor? weight, Reduction reduction, long ignoreIndex, Tensor totalWeight)
    {
        ArgumentNullException.ThrowIfNull(gradLoss);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(totalWeight);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_nll_loss_backward(gradLoss.Handle, input.Handle, target.Handle, H(weight), (wk_reduction)reduction,
            ignoreIndex, totalWeight.Handle, &r));
        Keep(gradLoss, input, target, weight, totalWeight);
        return new Tensor(r);
    }

    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, (long H, long W) stride, (long H, long W) padding, (long H, long W) dilation, long groups)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_conv2d(x.Handle, weight.Handle, H(bias), stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W, groups, &r));
        Keep(x, weight, bias);
        var y = new Tensor(r);
        OpTracer.Current?.Op("Conv2d", new[] { x, weight, bias }, new[] { y }, stride, padding, dilation, groups);
        return y;
    }

    public static (Tensor?, Tensor?, Tensor?) Conv2dBackward(Tensor gradOutput, Tensor x, Tensor weight, (long H, long W) stride, (long H, long W) padding,
        (long H, long W) dilation, long groups, bool input, bool weightGrad, bool bias)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        nint gi = 0, gw = 0, gb = 0;
        Ensure.Ok(NativeMethods.wk_op_conv2d_backward(gradOutput.Handle, x.Handle, weight.Handle, stride.H, stride.W, padding.H, padding.W,
            dilation.H, dilation.W, groups, Mask(input, weightGrad, bias), &gi, &gw, &gb));
        Keep(gradOutput, x, weight);
        return Three(gi, gw, gb);
    }

    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias, long stride, long padding, long dilation, long groups)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_conv1d(x.Handle, weight.Handle, H(bias), stride, padding, dilation, groups, &r));
        Keep(x, weight, bias);
        var y = new Tensor(r);
        OpTracer.Current?.Op("Conv1d", new[] { x, weight, bias }, new[] { y }, stride, padding, dilation, groups);
        return y;
    }

    public static (Tensor?, Tensor?, Tensor?) Conv1dBackward(Tensor gradOutput, Tensor x, Tensor weight, long stride, long padding, long dilation,
        long groups, bool input, bool weightGrad, bool bias)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        nint gi = 0, gw = 0, gb = 0;
        Ensure.Ok(NativeMethods.wk_op_conv1d_backward(gradOutput.Handle, x.Handle, weight.Handle, stride, padding, dilation, groups,
            Mask(input, weightGrad, bias), &gi, &gw, &gb));
        Keep(gradOutput, x, weight);
        return Three(gi, gw, gb);
    }

    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias, (long H, long W) stride, (long H, long W) padding,
        (long H, long W) outputPadding, long groups, (long H, long W) dilation)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_conv_transpose2d(x.Handle, weight.Handle, H(bias), stride.H, stride.W, padding.H, padding.W,
            outputPadding.H, outputPadding.W, dilation.H, dilation.W, groups, &r));
        Keep(x, weight, bias);
        var y = new Tensor(r);
        OpTracer.Current?.Op("ConvTranspose2d", new[] { x, weight, bias }, new[] { y }, stride, padding, outputPadding, groups, dilation);
        return y;
    }

    public static (Tensor?, Tensor?, Tensor?) ConvTranspose2dBackward(Tensor gradOutput, Tensor x, Tensor weight, (long H, long W) stride,
        (long H, long W) padding, (long H, long W) dilation, long groups, bool input, bool weightGrad, bool bias)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        nint gi = 0, gw = 0, gb = 0;
        Ensure.Ok(NativeMethods.wk_op_conv_transpose2d_backward(gradOutput.Handle, x.Handle, weight.Handle, stride.H, stride.W, padding.H,
            padding.W, dilation.H, dilation.W, groups, Mask(input, weightGrad, bias), &gi, &gw, &gb));
        Keep(gradOutput, x, weight);
        return Three(gi, gw, gb);
    }

    public static (Tensor Output, Tensor Indices) MaxPool2d(Tensor x, (long H, long W) kernel, (long H, long W) stride, (long H, long W) padding,
        (long H, long W) dilation, bool ceilMode)
    {
        ArgumentNullException.ThrowIfNull(x);
        nint r, idx;
        Ensure.Ok(NativeMethods.wk_op_max_pool2d(x.Handle, kernel.H, kernel.W, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W,
            ceilMode ? 1 : 0, &r, &idx));
        Keep(x);
        var res = (new Tensor(r), new Tensor(idx));
        OpTracer.Current?.Op("MaxPool2d", new[] { x }, new[] { res.Item1, res.Item2 }, kernel, stride, padding, dilation, ceilMode);
        return res;
    }

    public static Tensor MaxPool2dBackward(Tensor gradOutput, Tensor indices, long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(inputShape);
        nint r;
        fixed (long* s = inputShape)
            Ensure.Ok(NativeMethods.wk_op_max_pool2d_backward(gradOutput.Handle, indices.Handle, s, inputShape.Length, &r));
        Keep(gradOutput, indices);
        return new Tensor(r);
    }

    public static Tensor AvgPool2d(Tensor x, (long H, long W) kernel, (long H, long W) stride, (long H, long W) padding, bool ceilMode,
        bool countIncludePad, long divisorOverride)
    {
        ArgumentNullException.ThrowIfNull(x);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_avg_pool2d(x.Handle, kernel.H, kernel.W, stride.H, stride.W, padding.H, padding.W, ceilMode ? 1 : 0,
            countIncludePad ? 1 : 0, divisorOverride, &r));
        Keep(x);
        var y = new Tensor(r);
        OpTracer.Current?.Op("AvgPool2d", new[] { x }, new[] { y }, kernel, stride, padding, ceilMode, countIncludePad, divisorOverride);
        return y;
    }

    public static Tensor AvgPool2dBackward(Tensor gradOutput, long[] inputShape, (long H, long W) kernel, (long H, long W) stride,
        (long H, long W) padding, bool ceilMode, bool countIncludePad, long divisorOverride)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(inputShape);
        nint r;
        fixed (long* s = inputShape)
            Ensure.Ok(NativeMethods.wk_op_avg_pool2d_backward(gradOutput.Handle, s, inputShape.Length, kernel.H, kernel.W, stride.H, stride.W,
                padding.H, padding.W, ceilMode ? 1 : 0, countIncludePad ? 1 : 0, divisorOverride, &r));
        Keep(gradOutput);
        return new Tensor(r);
    }

    public static Tensor AdaptiveAvgPool2d(Tensor x, (long H, long W) outputSize)
    {
        ArgumentNullException.ThrowIfNull(x);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_adaptive_avg_pool2d(x.Handle, outputSize.H, outputSize.W, &r));
        Keep(x);
        var y = new Tensor(r);
        OpTracer.Current?.Op("AdaptiveAvgPool2d", new[] { x }, new[] { y }, outputSize);
        return y;
    }

    public static Tensor AdaptiveAvgPool2dBackward(Tensor gradOutput, long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(inputShape);
        nint r;
        fixed (long* s = inputShape)
            Ensure.Ok(NativeMethods.wk_op_adaptive_avg_pool2d_backward(gradOutput.Handle, s, inputShape.Length, &r));
        Keep(gradOutput);
        return new Tensor(r);
    }

    public static (Tensor Output, Tensor Mean, Tensor Invstd) BatchNorm(Tensor x, Tensor? weight, Tensor? bias, Tensor? runningMean,
        Tensor? runningVar, bool training, double momentum, double eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        nint r, m, s;
        Ensure.Ok(NativeMethods.wk_op_batch_norm(x.Handle, H(weight), H(bias), H(runningMean), H(runningVar), training ? 1 : 0, momentum, eps,
            &r, &m, &s));
        Keep(x, weight, bias, runningMean, runningVar);
        var res = (new Tensor(r), new Tensor(m), new Tensor(s));
        OpTracer.Current?.Op("BatchNorm", new[] { x, weight, bias, runningMean, runningVar }, new[] { res.Item1, res.Item2, res.Item3 }, training, momentum, eps);
        return res;
    }

    public static (Tensor?, Tensor?, Tensor?) BatchNormBackward(Tensor gradOutput, Tensor x, Tensor? weight, Tensor mean, Tensor invstd,
        bool training, bool input, bool weightGrad, bool bias)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(invstd);
        nint gi = 0, gw = 0, gb = 0;
        Ensure.Ok(NativeMethods.wk_op_batch_norm_backward(gradOutput.Handle, x.Handle, H(weight), mean.Handle, invstd.Handle, training ? 1 : 0,
            Mask(input, weightGrad, bias), &gi, &gw, &gb));
        Keep(gradOutput, x, weight, mean, invstd);
        return Three(gi, gw, gb);
    }

    public static (Tensor Output, Tensor Mean, Tensor Rstd) LayerNorm(Tensor x, long[] normalizedShape, Tensor? weight, Tensor? bias, double eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        nint r, m, s;
        fixed (long* ns = normalizedShape)
            Ensure.Ok(NativeMethods.wk_op_layer_norm(x.Handle, ns, normalizedShape.Length, H(weight), H(bias), eps, &r, &m, &s));
        Keep(x, weight, bias);
        var res = (new Tensor(r), new Tensor(m), new Tensor(s));
        OpTracer.Current?.Op("LayerNorm", new[] { x, weight, bias }, new[] { res.Item1, res.Item2, res.Item3 }, normalizedShape, eps);
        return res;
    }

    public static (Tensor?, Tensor?, Tensor?) LayerNormBackward(Tensor gradOutput, Tensor x, long[] normalizedShape, Tensor mean, Tensor rstd,
        Tensor? weight, bool input, bool weightGrad, bool bias)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(rstd);
        nint gi = 0, gw = 0, gb = 0;
        fixed (long* ns = normalizedShape)
            Ensure.Ok(NativeMethods.wk_op_layer_norm_backward(gradOutput.Handle, x.Handle, ns, normalizedShape.Length, mean.Handle, rstd.Handle,
                H(weight), Mask(input, weightGrad, bias), &gi, &gw, &gb));
        Keep(gradOutput, x, mean, rstd, weight);
        return Three(gi, gw, gb);
    }

    public static (Tensor Output, Tensor Mean, Tensor Rstd) GroupNorm(Tensor x, long groups, Tensor? weight, Tensor? bias, double eps)
    {
        ArgumentNullException.ThrowIfNull(x);
        nint r, m, s;
        Ensure.Ok(NativeMethods.wk_op_group_norm(x.Handle, groups, H(weight), H(bias), eps, &r, &m, &s));
        Keep(x, weight, bias);
        var res = (new Tensor(r), new Tensor(m), new Tensor(s));
        OpTracer.Current?.Op("GroupNorm", new[] { x, weight, bias }, new[] { res.Item1, res.Item2, res.Item3 }, groups, eps);
        return res;
    }

    public static (Tensor?, Tensor?, Tensor?) GroupNormBackward(Tensor gradOutput, Tensor x, Tensor mean, Tensor rstd, Tensor? weight, long groups,
        bool input, bool weightGrad, bool bias)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(rstd);
        nint gi = 0, gw = 0, gb = 0;
        Ensure.Ok(NativeMethods.wk_op_group_norm_backward(gradOutput.Handle, x.Handle, mean.Handle, rstd.Handle, H(weight), groups,
            Mask(input, weightGrad, bias), &gi, &gw, &gb));
        Keep(gradOutput, x, mean, rstd, weight);
        return Three(gi, gw, gb);
    }

    public static (Tensor Output, Tensor? Mask) Dropout(Tensor x, double p, bool training, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(x);
        nint r, m = 0;
        Ensure.Ok(NativeMethods.wk_op_dropout(x.Handle, p, training ? 1 : 0, generator?.Handle ?? 0, &r, &m));
        Keep(x, generator);
        var res = (new Tensor(r), Opt(m));
        OpTracer.Current?.Op("Dropout", new[] { x }, new[] { res.Item1, res.Item2 }, p, training);
        return res;
    }

    public static Tensor Embedding(Tensor weight, Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(indices);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_embedding(weight.Handle, indices.Handle, &r));
        Keep(weight, indices);
        var y = new Tensor(r);
        OpTracer.Current?.Op("Embedding", new[] { weight, indices }, new[] { y });
        return y;
    }

    public static Tensor EmbeddingBackward(Tensor gradOutput, Tensor indices, long numWeights, long? paddingIdx)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(indices);
        nint r;
        Ensure.Ok(NativeMethods.wk_op_embedding_backward(gradOutput.Handle, indices.Handle, numWeights, paddingIdx.HasValue ? 1 : 0,
            paddingIdx ?? 0, &r));
        Keep(gradOutput, indices);
        return new Tensor(r);
    }

    public static Tensor Upsample(Tensor x, (long H, long W) size, bool bilinear, bool alignCorners, (double H, double W) scale)
    {
        ArgumentNullException.ThrowIfNull(x);
        nint r;
        if (bilinear)
            Ensure.Ok(NativeMethods.wk_op_upsample_bilinear2d(x.Handle, size.H, size.W, alignCorners ? 1 : 0, scale.H, scale.W, &r));
        else
            Ensure.Ok(NativeMethods.wk_op_upsample_nearest2d(x.Handle, size.H, size.W, scale.H, scale.W, &r));
        Keep(x);
        var y = new Tensor(r);
        OpTracer.Current?.Op("Upsample", new[] { x }, new[] { y }, size, bilinear, alignCorners, scale);
        return y;
    }

    public static Tensor UpsampleBackward(Tensor gradOutput, long[] inputShape, bool bilinear, bool alignCorners, (double H, double W) scale)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        ArgumentNullException.ThrowIfNull(inputShape);
        nint r;
        fixed (long* s = inputShape)
        {
            if (bilinear)
                Ensure.Ok(NativeMethods.wk_op_upsample_bilinear2d_backward(gradOutput.Handle, s, inputShape.Length, alignCorners ? 1 : 0, scale.H,
                    scale.W, &r));
            else
                Ensure.Ok(NativeMethods.wk_op_upsample_nearest2d_backward(gradOutput.Handle, s, inputShape.Length, scale.H, scale.W, &r));
        }
        Keep(gradOutput);
        return new Tensor(r);
    }
}
