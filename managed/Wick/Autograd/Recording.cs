using System;
using System.Runtime.CompilerServices;

namespace Wick;

/// <summary>
/// The test every op makes before recording, and the wiring of a result to its node. The common case (no input
/// requires grad) costs one field read per operand; grad mode is only read when some operand requires grad.
/// </summary>
internal static class Recording
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Wants(Tensor a) => a._requiresGrad && GradMode.IsEnabled;

    /// <summary>For ops with an optional in-place output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Wants(Tensor a, Tensor? @out) =>
        (a._requiresGrad || (@out is not null && Involved(@out))) && GradMode.IsEnabled;

    /// <summary>For binary ops with an optional in-place output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Wants(Tensor a, Tensor b, Tensor? @out) =>
        (a._requiresGrad | b._requiresGrad || (@out is not null && Involved(@out))) && GradMode.IsEnabled;

    /// <summary>For ops of three operands (b, c optional) with an optional in-place output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Wants(Tensor a, Tensor? b, Tensor? c, Tensor? @out) =>
        (a._requiresGrad || (b is not null && b._requiresGrad) || (c is not null && c._requiresGrad) || (@out is not null && Involved(@out)))
        && GradMode.IsEnabled;

    /// <summary>For ops of a list of tensors with an optional output.</summary>
    public static bool WantsAny(ReadOnlySpan<Tensor> tensors, Tensor? @out)
    {
        bool any = @out is not null && Involved(@out);
        foreach (Tensor t in tensors) any |= t is not null && t._requiresGrad;
        return any && GradMode.IsEnabled;
    }

    /// <summary>For in-place writes into <paramref name="self"/> (from <paramref name="source"/>, if any).</summary>
    public static bool WantsInPlace(Tensor self, Tensor? source = null) =>
        (Involved(self) || (source is not null && source._requiresGrad)) && GradMode.IsEnabled;

    /// <summary>A write into <paramref name="t"/> concerns autograd: it, or the base it is a view of, requires grad.</summary>
    private static bool Involved(Tensor t) => t._requiresGrad || (t._viewBase is { } root && root._requiresGrad);

    /// <summary>Makes <paramref name="result"/> output <paramref name="outputNr"/> of <paramref name="node"/>.</summary>
    public static Tensor Attach(Tensor result, Node node, int outputNr = 0)
    {
        result._gradFn = node;
        result._outputNr = outputNr;
        result._requiresGrad = true;
        return result;
    }

    /// <summary>The error for an explicit output tensor that is not the op's own input (PyTorch's out=).</summary>
    public static NotSupportedException OutNotDifferentiable(string op) =>
        new($"{op}: writing the result into a separate output tensor is not differentiable; call the op without an output tensor.");
}
