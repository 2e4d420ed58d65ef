using System;
using Wick.Native;

namespace Wick;

// Unary elementwise functions. Functions of real numbers (exp, sin, sigmoid, ...) give float32 for
// integer and bool tensors; the others (abs, floor, relu, clamp, ...) keep the dtype. Float32
// transcendentals are vectorised and accurate to a few ulp (see the README).
public sealed partial class Tensor
{
    private Tensor Unary(wk_unary_op op, double p0 = 0, double p1 = 0) => Kernels.Unary(this, op, p0, p1);
    private Tensor UnaryInPlace(wk_unary_op op, double p0 = 0, double p1 = 0) => Kernels.Unary(this, op, p0, p1, this);

    /// <summary>-this.</summary>
    public Tensor Neg() => Unary(wk_unary_op.WK_UNARY_NEG);
    /// <summary>|this|.</summary>
    public Tensor Abs() => Unary(wk_unary_op.WK_UNARY_ABS);
    /// <summary>-1, 0 or 1 by the sign of each element (NaN stays NaN).</summary>
    public Tensor Sign() => Unary(wk_unary_op.WK_UNARY_SIGN);
    /// <summary>e^this.</summary>
    public Tensor Exp() => Unary(wk_unary_op.WK_UNARY_EXP);
    /// <summary>2^this.</summary>
    public Tensor Exp2() => Unary(wk_unary_op.WK_UNARY_EXP2);
    /// <summary>e^this - 1, accurate near 0.</summary>
    public Tensor Expm1() => Unary(wk_unary_op.WK_UNARY_EXPM1);
    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Unary(wk_unary_op.WK_UNARY_LOG);
    /// <summary>log(1 + this), accurate near 0.</summary>
    public Tensor Log1p() => Unary(wk_unary_op.WK_UNARY_LOG1P);
    /// <summary>Base-2 logarithm.</summary>
    public Tensor Log2() => Unary(wk_unary_op.WK_UNARY_LOG2);
    /// <summary>Base-10 logarithm.</summary>
    public Tensor Log10() => Unary(wk_unary_op.WK_UNARY_LOG10);
    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Unary(wk_unary_op.WK_UNARY_SQRT);
    /// <summary>1 / sqrt(this).</summary>
    public Tensor Rsqrt() => Unary(wk_unary_op.WK_UNARY_RSQRT);
    /// <summary>1 / this.</summary>
    public Tensor Reciprocal() => Unary(wk_unary_op.WK_UNARY_RECIPROCAL);
    /// <summary>this * this (keeps the dtype).</summary>
    public Tensor Square() => Unary(wk_unary_op.WK_UNARY_SQUARE);
    /// <summary>Sine (radians).</summary>
    public Tensor Sin() => Unary(wk_unary_op.WK_UNARY_SIN);
    /// <summary>Cosine (radians).</summary>
    public Tensor Cos() => Unary(wk_unary_op.WK_UNARY_COS);
    /// <summary>Tangent (radians).</summary>
    public Tensor Tan() => Unary(wk_unary_op.WK_UNARY_TAN);
    /// <summary>Arcsine.</summary>
    public Tensor Asin() => Unary(wk_unary_op.WK_UNARY_ASIN);
    /// <summary>Arccosine.</summary>
    public Tensor Acos() => Unary(wk_unary_op.WK_UNARY_ACOS);
    /// <summary>Arctangent.</summary>
    public Tensor Atan() => Unary(wk_unary_op.WK_UNARY_ATAN);
    /// <summary>Hyperbolic sine.</summary>
    public Tensor Sinh() => Unary(wk_unary_op.WK_UNARY_SINH);
    /// <summary>Hyperbolic cosine.</summary>
    public Tensor Cosh() => Unary(wk_unary_op.WK_UNARY_COSH);
    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(wk_unary_op.WK_UNARY_TANH);
    /// <summary>1 / (1 + e^-this).</summary>
    public Tensor Sigmoid() => Unary(wk_unary_op.WK_UNARY_SIGMOID);
    /// <summary>max(this, 0).</summary>
    public Tensor Relu() => Unary(wk_unary_op.WK_UNARY_RELU);
    /// <summary>this * sigmoid(this) (also called swish).</summary>
    public Tensor Silu() => Unary(wk_unary_op.WK_UNARY_SILU);
    /// <summary>The error function.</summary>
    public Tensor Erf() => Unary(wk_unary_op.WK_UNARY_ERF);

    /// <summary>
    /// GELU: x/2 (1 + erf(x / sqrt 2)) with <paramref name="approximate"/> "none" (the default), or
    /// x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) with "tanh".
    /// </summary>
    public Tensor Gelu(string approximate = "none") => Unary(GeluOp(approximate));

    private static wk_unary_op GeluOp(string approximate) => approximate switch
    {
        "none" => wk_unary_op.WK_UNARY_GELU,
        "tanh" => wk_unary_op.WK_UNARY_GELU_TANH,
        _ => throw new ArgumentException($"gelu: approximate must be \"none\" or \"tanh\", got \"{approximate}\"", nameof(approximate)),
    };

    /// <summary>log(1 + e^(beta x)) / beta, or x where beta x &gt; <paramref name="threshold"/>.</summary>
    public Tensor Softplus(double beta = 1, double threshold = 20)
    {
        if (beta == 0 || double.IsNaN(beta)) throw new ArgumentException($"softplus: beta must be a nonzero number, got {beta}", nameof(beta));
        return Unary(wk_unary_op.WK_UNARY_SOFTPLUS, beta, threshold);
    }

    /// <summary>x where x &gt; 0, else alpha (e^x - 1).</summary>
    public Tensor Elu(double alpha = 1) => Unary(wk_unary_op.WK_UNARY_ELU, alpha);
    /// <summary>x where x &gt; 0, else x * <paramref name="negativeSlope"/>.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Unary(wk_unary_op.WK_UNARY_LEAKY_RELU, negativeSlope);

    /// <summary>Rounds down.</summary>
    public Tensor Floor() => Unary(wk_unary_op.WK_UNARY_FLOOR);
    /// <summary>Rounds up.</summary>
    public Tensor Ceil() => Unary(wk_unary_op.WK_UNARY_CEIL);
    /// <summary>Rounds to the nearest integer, halves to even.</summary>
    public Tensor Round() => Unary(wk_unary_op.WK_UNARY_ROUND);
    /// <summary>Rounds toward zero.</summary>
    public Tensor Trunc() => Unary(wk_unary_op.WK_UNARY_TRUNC);

    /// <summary>
    /// Limits every element to [min, max]; a null bound is no bound (at least one is needed). An
    /// integer tensor with a fractional bound gives float32. NaN stays NaN.
    /// </summary>
    public Tensor Clamp(double? min = null, double? max = null) => Unary(wk_unary_op.WK_UNARY_CLAMP, ClampBound(min, max), max ?? double.NaN);

    private static double ClampBound(double? min, double? max)
    {
        if (min is null && max is null) throw new ArgumentException("clamp: give at least one of min and max");
        if (min is double lo && double.IsNaN(lo) || max is double hi && double.IsNaN(hi))
            throw new ArgumentException("clamp: a bound is NaN; pass null for no bound");
        return min ?? double.NaN;
    }

    /// <summary>True where the element is NaN.</summary>
    public Tensor IsNan() => Unary(wk_unary_op.WK_UNARY_ISNAN);
    /// <summary>True where the element is +inf or -inf.</summary>
    public Tensor IsInf() => Unary(wk_unary_op.WK_UNARY_ISINF);
    /// <summary>True where the element is neither infinite nor NaN.</summary>
    public Tensor IsFinite() => Unary(wk_unary_op.WK_UNARY_ISFINITE);
    /// <summary>True where the element is zero.</summary>
    public Tensor LogicalNot() => Unary(wk_unary_op.WK_UNARY_LOGICAL_NOT);

    // In place: the result is written into this tensor (which must be able to hold its dtype) and
    // this tensor is returned.

    /// <summary>Negates in place; returns this tensor.</summary>
    public Tensor NegInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_NEG);
    /// <summary>|this| in place; returns this tensor.</summary>
    public Tensor AbsInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_ABS);
    /// <summary>Sign in place; returns this tensor.</summary>
    public Tensor SignInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_SIGN);
    /// <summary>e^this in place (floating tensors); returns this tensor.</summary>
    public Tensor ExpInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_EXP);
    /// <summary>e^this - 1 in place; returns this tensor.</summary>
    public Tensor Expm1InPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_EXPM1);
    /// <summary>Natural logarithm in place; returns this tensor.</summary>
    public Tensor LogInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_LOG);
    /// <summary>log(1 + this) in place; returns this tensor.</summary>
    public Tensor Log1pInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_LOG1P);
    /// <summary>Base-2 logarithm in place; returns this tensor.</summary>
    public Tensor Log2InPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_LOG2);
    /// <summary>Square root in place; returns this tensor.</summary>
    public Tensor SqrtInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_SQRT);
    /// <summary>1 / sqrt(this) in place; returns this tensor.</summary>
    public Tensor RsqrtInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_RSQRT);
    /// <summary>1 / this in place; returns this tensor.</summary>
    public Tensor ReciprocalInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_RECIPROCAL);
    /// <summary>this * this in place; returns this tensor.</summary>
    public Tensor SquareInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_SQUARE);
    /// <summary>Sine in place; returns this tensor.</summary>
    public Tensor SinInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_SIN);
    /// <summary>Cosine in place; returns this tensor.</summary>
    public Tensor CosInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_COS);
    /// <summary>Tangent in place; returns this tensor.</summary>
    public Tensor TanInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_TAN);
    /// <summary>Hyperbolic tangent in place; returns this tensor.</summary>
    public Tensor TanhInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_TANH);
    /// <summary>Sigmoid in place; returns this tensor.</summary>
    public Tensor SigmoidInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_SIGMOID);
    /// <summary>max(this, 0) in place; returns this tensor.</summary>
    public Tensor ReluInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_RELU);
    /// <summary>SiLU in place; returns this tensor.</summary>
    public Tensor SiluInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_SILU);
    /// <summary>ELU in place; returns this tensor.</summary>
    public Tensor EluInPlace(double alpha = 1) => UnaryInPlace(wk_unary_op.WK_UNARY_ELU, alpha);
    /// <summary>Leaky ReLU in place; returns this tensor.</summary>
    public Tensor LeakyReluInPlace(double negativeSlope = 0.01) => UnaryInPlace(wk_unary_op.WK_UNARY_LEAKY_RELU, negativeSlope);
    /// <summary>The error function in place; returns this tensor.</summary>
    public Tensor ErfInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_ERF);
    /// <summary>Rounds down in place; returns this tensor.</summary>
    public Tensor FloorInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_FLOOR);
    /// <summary>Rounds up in place; returns this tensor.</summary>
    public Tensor CeilInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_CEIL);
    /// <summary>Rounds half to even in place; returns this tensor.</summary>
    public Tensor RoundInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_ROUND);
    /// <summary>Rounds toward zero in place; returns this tensor.</summary>
    public Tensor TruncInPlace() => UnaryInPlace(wk_unary_op.WK_UNARY_TRUNC);
    /// <summary>Clamps in place (see <see cref="Clamp(double?, double?)"/>); returns this tensor.</summary>
    public Tensor ClampInPlace(double? min = null, double? max = null) => UnaryInPlace(wk_unary_op.WK_UNARY_CLAMP, ClampBound(min, max), max ?? double.NaN);
}
