using System;
using Wick.Native;

namespace Wick;

/// <summary>
/// Backward of the unary elementwise ops (one rule per op in <see cref="Grad"/>). x is the input, y the output;
/// each op saves only what its rule reads.
/// </summary>
internal sealed class UnaryBackward : Node
{
    [Flags]
    private enum Saves { None = 0, Input = 1, Output = 2, Both = 3, NotDifferentiable = 4 }

    private static readonly string[] Names = OpNames.Table<wk_unary_op>("WK_UNARY_", (int)wk_unary_op.WK_UNARY_OP_COUNT);
    private const double Ln2 = 0.69314718055994530942, Ln10 = 2.30258509299404568402;
    private const double InvSqrt2 = 0.70710678118654752440, InvSqrt2Pi = 0.39894228040143267794, TwoOverSqrtPi = 1.12837916709551257390;

    private readonly wk_unary_op _op;
    private readonly double _p0, _p1;
    private SavedTensor? _x, _y;

    private UnaryBackward(wk_unary_op op, double p0, double p1)
    {
        _op = op;
        _p0 = p0;
        _p1 = p1;
    }

    public override string Name => Names[(int)_op];

    private static Saves SavesOf(wk_unary_op op) => op switch
    {
        wk_unary_op.WK_UNARY_NEG or wk_unary_op.WK_UNARY_SIGN or wk_unary_op.WK_UNARY_FLOOR or wk_unary_op.WK_UNARY_CEIL
            or wk_unary_op.WK_UNARY_ROUND or wk_unary_op.WK_UNARY_TRUNC => Saves.None,
        wk_unary_op.WK_UNARY_EXP or wk_unary_op.WK_UNARY_EXPM1 or wk_unary_op.WK_UNARY_EXP2 or wk_unary_op.WK_UNARY_SQRT
            or wk_unary_op.WK_UNARY_RSQRT or wk_unary_op.WK_UNARY_RECIPROCAL or wk_unary_op.WK_UNARY_TAN
            or wk_unary_op.WK_UNARY_TANH or wk_unary_op.WK_UNARY_SIGMOID or wk_unary_op.WK_UNARY_RELU => Saves.Output,
        wk_unary_op.WK_UNARY_ELU => Saves.Both,
        wk_unary_op.WK_UNARY_ISNAN or wk_unary_op.WK_UNARY_ISINF or wk_unary_op.WK_UNARY_ISFINITE
            or wk_unary_op.WK_UNARY_LOGICAL_NOT => Saves.NotDifferentiable,
        _ => Saves.Input,
    };

    /// <summary>Runs the op and records it (out is null, or x itself for the in-place form).</summary>
    public static Tensor Record(Tensor x, wk_unary_op op, double p0, double p1, Tensor? @out)
    {
        Saves saves = SavesOf(op);
        string name = Names[(int)op][..^"Backward".Length];
        if (saves == Saves.NotDifferentiable)
        {
            if (@out is not null && @out._requiresGrad)
                throw new NotSupportedException($"{name}: the result is not differentiable, so it cannot be written in place into a tensor that requires grad.");
            return Kernels.UnaryRaw(x, op, p0, p1, @out);
        }
        var node = new UnaryBackward(op, p0, p1) { Next = new[] { x.GradientEdge() } };
        if (@out is null)
        {
            Tensor y = Kernels.UnaryRaw(x, op, p0, p1, null);
            Recording.Attach(y, node);
            node._x = SavedTensor.SaveIf((saves & Saves.Input) != 0, x);
            node._y = SavedTensor.SaveIf((saves & Saves.Output) != 0, y, 1);
            return y;
        }
        if (!ReferenceEquals(@out, x)) throw Recording.OutNotDifferentiable(name);
        InPlace.CheckWritable(x, name + "InPlace");
        if ((saves & Saves.Input) != 0)
        {
            using Tensor before = InPlace.Snapshot(x);
            node._x = SavedTensor.Save(before);
        }
        Kernels.UnaryRaw(x, op, p0, p1, x);
        InPlace.Rebase(x, node);
        node._y = SavedTensor.SaveIf((saves & Saves.Output) != 0, x, 1);
        return x;
    }

    internal override Tensor?[] Apply(Tensor?[] grads) =>
        new[] { Grad(_op, grads[0]!, _x?.Unpack(this), _y?.Unpack(this), _p0, _p1) };

    internal override void ReleaseSaved()
    {
        _x?.Release();
        _y?.Release();
    }

    /// <summary>d(loss)/dx from g = d(loss)/dy.</summary>
    private static Tensor Grad(wk_unary_op op, Tensor g, Tensor? x, Tensor? y, double p0, double p1)
    {
        DType dt = g.DType;
        switch (op)
        {
            case wk_unary_op.WK_UNARY_NEG: return -g;
            case wk_unary_op.WK_UNARY_ABS: return g * Ops.Sign(x!);
            case wk_unary_op.WK_UNARY_SIGN:
            case wk_unary_op.WK_UNARY_FLOOR:
            case wk_unary_op.WK_UNARY_CEIL:
            case wk_unary_op.WK_UNARY_ROUND:
            case wk_unary_op.WK_UNARY_TRUNC:
                return Tensor.Zeros(g.ShapeRef, dt, g.Device);  // piecewise constant
            case wk_unary_op.WK_UNARY_EXP: return g * y!;
            case wk_unary_op.WK_UNARY_EXPM1: return g * (y! + 1.0);
            case wk_unary_op.WK_UNARY_LOG: return g / x!;
            case wk_unary_op.WK_UNARY_LOG1P: return g / (x! + 1.0);
            case wk_unary_op.WK_UNARY_LOG2: return g / (x! * Ln2);
            case wk_unary_op.WK_UNARY_LOG10: return g / (x! * Ln10);
            case wk_unary_op.WK_UNARY_EXP2: return g * (y! * Ln2);
            case wk_unary_op.WK_UNARY_SQRT: return g / (y! * 2.0);
            case wk_unary_op.WK_UNARY_RSQRT: return g * (y! * y! * y!) * -0.5;
            case wk_unary_op.WK_UNARY_RECIPROCAL: return -(g * (y! * y!));
            case wk_unary_op.WK_UNARY_SQUARE: return g * (x! * 2.0);
            case wk_unary_op.WK_UNARY_SIN: return g * Ops.Cos(x!);
            case wk_unary_op.WK_UNARY_COS: return -(g * Ops.Sin(x!));
            case wk_unary_op.WK_UNARY_TAN: return g * (y! * y! + 1.0);
            case wk_unary_op.WK_UNARY_TANH: return g * (1.0 - y! * y!);
            case wk_unary_op.WK_UNARY_SIGMOID: return g * (y! * (1.0 - y!));
            case wk_unary_op.WK_UNARY_RELU: return g * Ops.Mask(y!.Gt(0.0), dt);
            case wk_unary_op.WK_UNARY_GELU:
            {
                // d/dx [x Φ(x)] = Φ(x) + x φ(x)
                Tensor cdf = (Ops.Erf(x! * InvSqrt2) + 1.0) * 0.5;
                Tensor pdf = Ops.Exp(x! * x! * -0.5) * InvSqrt2Pi;
                return g * (cdf + x! * pdf);
            }
            case wk_unary_op.WK_UNARY_GELU_TANH:
            {
                // y = x/2 (1 + tanh(u)), u = k (x + c x^3): dy/dx = (1 + t)/2 + x/2 (1 - t^2) k (1 + 3 c x^2)
                const double k = 0.79788456080286535588, c = 0.044715;
                Tensor x2 = x! * x!;
                Tensor t = Ops.Tanh((x! + x2 * x! * c) * k);
                Tensor left = (t + 1.0) * 0.5;
                Tensor right = x! * 0.5 * (1.0 - t * t) * (x2 * (3 * c * k) + k);
                return g * (left + right);
            }
            case wk_unary_op.WK_UNARY_SILU:
            {
                Tensor s = Ops.Sigmoid(x!);
                return g * (s * (x! * (1.0 - s) + 1.0));
            }
            case wk_unary_op.WK_UNARY_SOFTPLUS:
            {
                // p0 = beta, p1 = threshold: linear (slope 1) where beta x > threshold.
                Tensor bx = x! * p0;
                Tensor s = Ops.Sigmoid(bx);
                Tensor linear = Ops.Mask(bx.Gt(p1), dt);
                return g * (s + linear * (1.0 - s));
            }
            case wk_unary_op.WK_UNARY_ELU:
            {
                // p0 = alpha: 1 for x > 0, else alpha e^x = y + alpha.
                Tensor pos = Ops.Mask(x!.Gt(0.0), dt);
                Tensor neg = y! + p0;
                return g * (neg + pos * (1.0 - neg));
            }
            case wk_unary_op.WK_UNARY_LEAKY_RELU:
                return g * (Ops.Mask(x!.Gt(0.0), dt) * (1.0 - p0) + p0);
            case wk_unary_op.WK_UNARY_ERF: return g * Ops.Exp(-(x! * x!)) * TwoOverSqrtPi;
            case wk_unary_op.WK_UNARY_CLAMP:
            {
                // p0 = min, p1 = max (NaN: no bound); the gradient passes where the bound did not apply.
                Tensor? inside = null;
                if (!double.IsNaN(p0)) inside = x!.Ge(p0);
                if (!double.IsNaN(p1)) inside = inside is null ? x!.Le(p1) : inside * x!.Le(p1);
                return inside is null ? g : g * Ops.Mask(inside, dt);
            }
            case wk_unary_op.WK_UNARY_ASIN: return g / Ops.Sqrt(1.0 - x! * x!);
            case wk_unary_op.WK_UNARY_ACOS: return -(g / Ops.Sqrt(1.0 - x! * x!));
            case wk_unary_op.WK_UNARY_ATAN: return g / (x! * x! + 1.0);
            case wk_unary_op.WK_UNARY_SINH: return g * Ops.Cosh(x!);
            case wk_unary_op.WK_UNARY_COSH: return g * Ops.Sinh(x!);
            default: throw new NotSupportedException($"{Names[(int)op]}: no backward rule for unary op {op}");
        }
    }
}
