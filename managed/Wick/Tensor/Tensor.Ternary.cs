using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

// Ops of three operands (broadcast together): where, lerp, addcmul, addcdiv, clamp with tensor bounds.
public sealed partial class Tensor
{
    /// <summary>Elementwise <paramref name="condition"/> ? <paramref name="x"/> : <paramref name="y"/>; the condition is a bool tensor.</summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Kernels.Ternary(wk_ternary_op.WK_TERNARY_WHERE, condition, x, y);
    }

    /// <summary>Elementwise condition ? x : y with a scalar y (which does not widen x's dtype, as in PyTorch).</summary>
    public static Tensor Where(Tensor condition, Tensor x, double y)
    {
        ArgumentNullException.ThrowIfNull(x);
        using Tensor ys = ScalarLike(x, y);
        return Where(condition, x, ys);
    }

    /// <summary>Elementwise condition ? x : y with a scalar x.</summary>
    public static Tensor Where(Tensor condition, double x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        using Tensor xs = ScalarLike(y, x);
        return Where(condition, xs, y);
    }

    /// <summary>where(condition, this, other): this where the condition holds, else other.</summary>
    public Tensor Where(Tensor condition, Tensor other) => Where(condition, this, other);

    // A 0-d tensor for a Python-style scalar operand: it keeps `like`'s dtype unless it is a fraction
    // next to an integer tensor (then float32, as PyTorch's promotion of a float scalar).
    private static Tensor ScalarLike(Tensor like, double value)
    {
        DType t = like.DType;
        if (!t.IsFloatingPoint() && (Math.Floor(value) != value || double.IsInfinity(value) || t == DType.Bool && value is not (0 or 1)))
            t = DType.Float32;
        return Scalar(value, t, like.Device);
    }

    /// <summary>this + weight (end - this), with a scalar weight (floating tensors).</summary>
    public Tensor Lerp(Tensor end, double weight) => Kernels.Ternary(wk_ternary_op.WK_TERNARY_LERP, this, Required(end), null, Scalars.Float(weight));
    /// <summary>this + weight (end - this), with a tensor weight (floating tensors).</summary>
    public Tensor Lerp(Tensor end, Tensor weight) => Kernels.Ternary(wk_ternary_op.WK_TERNARY_LERP, this, Required(end), Required(weight));
    /// <summary>this + value * tensor1 * tensor2.</summary>
    public Tensor Addcmul(Tensor tensor1, Tensor tensor2, double value = 1) =>
        Kernels.Ternary(wk_ternary_op.WK_TERNARY_ADDCMUL, this, Required(tensor1), Required(tensor2), Scalars.Float(value));
    /// <summary>this + value * tensor1 / tensor2 (floating tensors).</summary>
    public Tensor Addcdiv(Tensor tensor1, Tensor tensor2, double value = 1) =>
        Kernels.Ternary(wk_ternary_op.WK_TERNARY_ADDCDIV, this, Required(tensor1), Required(tensor2), Scalars.Float(value));
    /// <summary>Limits every element to [min, max] elementwise; a null bound is no bound. A NaN anywhere gives NaN.</summary>
    public Tensor Clamp(Tensor? min, Tensor? max) => Kernels.Ternary(wk_ternary_op.WK_TERNARY_CLAMP, this, ClampBounds(min, max), max);

    /// <summary>Lerp in place; returns this tensor.</summary>
    public Tensor LerpInPlace(Tensor end, double weight) =>
        Kernels.Ternary(wk_ternary_op.WK_TERNARY_LERP, this, Required(end), null, Scalars.Float(weight), this);
    /// <summary>Lerp with a tensor weight in place; returns this tensor.</summary>
    public Tensor LerpInPlace(Tensor end, Tensor weight) =>
        Kernels.Ternary(wk_ternary_op.WK_TERNARY_LERP, this, Required(end), Required(weight), null, this);
    /// <summary>this += value * tensor1 * tensor2; returns this tensor.</summary>
    public Tensor AddcmulInPlace(Tensor tensor1, Tensor tensor2, double value = 1) =>
        Kernels.Ternary(wk_ternary_op.WK_TERNARY_ADDCMUL, this, Required(tensor1), Required(tensor2), Scalars.Float(value), this);
    /// <summary>this += value * tensor1 / tensor2; returns this tensor.</summary>
    public Tensor AddcdivInPlace(Tensor tensor1, Tensor tensor2, double value = 1) =>
        Kernels.Ternary(wk_ternary_op.WK_TERNARY_ADDCDIV, this, Required(tensor1), Required(tensor2), Scalars.Float(value), this);
    /// <summary>Clamps in place with tensor bounds; returns this tensor.</summary>
    public Tensor ClampInPlace(Tensor? min, Tensor? max) => Kernels.Ternary(wk_ternary_op.WK_TERNARY_CLAMP, this, ClampBounds(min, max), max, null, this);

    private static Tensor Required(Tensor t, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(t))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        return t;
    }

    private static Tensor? ClampBounds(Tensor? min, Tensor? max)
    {
        if (min is null && max is null) throw new ArgumentException("clamp: give at least one of min and max");
        return min;
    }
}
