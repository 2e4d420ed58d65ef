using System;
using Wick.Native;

namespace Wick;

/// <summary>
/// Backward of the broadcasting binary ops between two tensors (one rule per op in <see cref="Grads"/>). Each gradient
/// is summed back to its operand's shape and converted to its dtype. Only what a needed gradient reads is saved.
/// </summary>
internal sealed class BinaryBackward : Node
{
    private static readonly string[] Names = OpNames.Table<wk_binary_op>("WK_BINARY_", (int)wk_binary_op.WK_BINARY_OP_COUNT);

    private readonly wk_binary_op _op;
    private readonly long[] _shapeA, _shapeB;
    private readonly DType _dtypeA, _dtypeB;
    private SavedTensor? _a, _b, _y;

    private BinaryBackward(wk_binary_op op, Tensor a, Tensor b)
    {
        _op = op;
        _shapeA = a.ShapeRef;
        _shapeB = b.ShapeRef;
        _dtypeA = a.DType;
        _dtypeB = b.DType;
        Next = new[] { a.GradientEdge(), b.GradientEdge() };
    }

    public override string Name => Names[(int)_op];

    internal static bool IsDifferentiable(wk_binary_op op) => op is wk_binary_op.WK_BINARY_ADD or wk_binary_op.WK_BINARY_SUB
        or wk_binary_op.WK_BINARY_MUL or wk_binary_op.WK_BINARY_DIV or wk_binary_op.WK_BINARY_POW or wk_binary_op.WK_BINARY_ATAN2
        or wk_binary_op.WK_BINARY_MAXIMUM or wk_binary_op.WK_BINARY_MINIMUM or wk_binary_op.WK_BINARY_REMAINDER
        or wk_binary_op.WK_BINARY_FMOD or wk_binary_op.WK_BINARY_FLOOR_DIV;

    internal static string OpName(wk_binary_op op) => Names[(int)op][..^"Backward".Length];

    /// <summary>Which of a, b and the output the rule reads, given which gradients are needed.</summary>
    private static (bool A, bool B, bool Y) SavesOf(wk_binary_op op, bool needA, bool needB) => op switch
    {
        wk_binary_op.WK_BINARY_MUL => (needB, needA, false),
        wk_binary_op.WK_BINARY_DIV => (needB, true, false),
        wk_binary_op.WK_BINARY_POW => (true, needA, needB),
        wk_binary_op.WK_BINARY_ATAN2 or wk_binary_op.WK_BINARY_MAXIMUM or wk_binary_op.WK_BINARY_MINIMUM => (true, true, false),
        wk_binary_op.WK_BINARY_REMAINDER or wk_binary_op.WK_BINARY_FMOD => (needB, needB, false),
        _ => (false, false, false),
    };

    /// <summary>Runs the op and records it (out is null, or a itself for the in-place form).</summary>
    public static Tensor Record(Tensor a, Tensor b, wk_binary_op op, Tensor? @out)
    {
        string name = OpName(op);
        if (!IsDifferentiable(op))
        {
            if (@out is not null && @out._requiresGrad)
                throw new NotSupportedException($"{name}: the result is not differentiable, so it cannot be written in place into a tensor that requires grad.");
            return Kernels.BinaryRaw(a, b, op, @out);
        }
        var node = new BinaryBackward(op, a, b);
        var (saveA, saveB, saveY) = SavesOf(op, node.NeedsGrad(0), node.NeedsGrad(1));
        if (@out is null)
        {
            Tensor y = Kernels.BinaryRaw(a, b, op, null);
            if (!y.DType.IsFloatingPoint()) return y;
            Recording.Attach(y, node);
            node._a = SavedTensor.SaveIf(saveA, a);
            node._b = SavedTensor.SaveIf(saveB, b, 1);
            node._y = SavedTensor.SaveIf(saveY, y, 2);
            return y;
        }
        if (!ReferenceEquals(@out, a)) throw Recording.OutNotDifferentiable(name);
        InPlace.CheckWritable(a, name + "InPlace");
        if (saveA)
        {
            using Tensor before = InPlace.Snapshot(a);
            node._a = SavedTensor.Save(before);
        }
        node._b = SavedTensor.SaveIf(saveB, b, 1);
        Kernels.BinaryRaw(a, b, op, a);
        InPlace.Rebase(a, node);
        node._y = SavedTensor.SaveIf(saveY, a, 2);
        return a;
    }

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        bool needA = NeedsGrad(0), needB = NeedsGrad(1);
        var (ga, gb) = Grads(_op, grads[0]!, _a?.Unpack(this), _b?.Unpack(this), _y?.Unpack(this), needA, needB);
        return new[]
        {
            needA && ga is not null ? Broadcast.ToOperand(ga, _shapeA, _dtypeA) : null,
            needB && gb is not null ? Broadcast.ToOperand(gb, _shapeB, _dtypeB) : null,
        };
    }

    internal override void ReleaseSaved()
    {
        _a?.Release();
        _b?.Release();
        _y?.Release();
    }

    /// <summary>Gradients for a and b (in the broadcast shape) from g = d(loss)/dy, y = a op b.</summary>
    private static (Tensor? A, Tensor? B) Grads(wk_binary_op op, Tensor g, Tensor? a, Tensor? b, Tensor? y, bool needA, bool needB)
    {
        DType dt = g.DType;
        switch (op)
        {
            case wk_binary_op.WK_BINARY_ADD: return (g, g);
            case wk_binary_op.WK_BINARY_SUB: return (g, needB ? -g : null);
            case wk_binary_op.WK_BINARY_MUL: return (needA ? g * b! : null, needB ? g * a! : null);
            case wk_binary_op.WK_BINARY_DIV: return (needA ? g / b! : null, needB ? -(g * a!) / (b! * b!) : null);
            case wk_binary_op.WK_BINARY_POW:
            {
                // d/da = b a^(b-1) (0 where b == 0); d/db = y ln a (0 where a == 0, whose limit is 0 for b >= 0).
                Tensor? ga = needA ? g * b! * Ops.Pow(a!, b! - 1.0 + Ops.Mask(b!.Eq(0.0), dt)) : null;
                Tensor? gb = needB ? g * y! * Ops.Log(a! + Ops.Mask(a!.Eq(0.0), dt)) : null;
                return (ga, gb);
            }
            case wk_binary_op.WK_BINARY_ATAN2:
            {
                Tensor den = a! * a! + b! * b!;
                return (needA ? g * b! / den : null, needB ? -(g * a!) / den : null);
            }
            case wk_binary_op.WK_BINARY_MAXIMUM:
            case wk_binary_op.WK_BINARY_MINIMUM:
            {
                // The larger (smaller) operand gets the gradient; ties split it evenly, as PyTorch does.
                bool max = op == wk_binary_op.WK_BINARY_MAXIMUM;
                Tensor half = Ops.Mask(a!.Eq(b!), dt) * 0.5;
                Tensor? ga = needA ? g * (Ops.Mask(max ? a!.Gt(b!) : a!.Lt(b!), dt) + half) : null;
                Tensor? gb = needB ? g * (Ops.Mask(max ? b!.Gt(a!) : b!.Lt(a!), dt) + half) : null;
                return (ga, gb);
            }
            case wk_binary_op.WK_BINARY_REMAINDER: return (g, needB ? -(g * Ops.Floor(a! / b!)) : null);
            case wk_binary_op.WK_BINARY_FMOD: return (g, needB ? -(g * Ops.Trunc(a! / b!)) : null);
            case wk_binary_op.WK_BINARY_FLOOR_DIV:
            {
                Tensor zero = Tensor.Zeros(g.ShapeRef, dt, g.Device);  // piecewise constant
                return (zero, zero);
            }
            default: throw new NotSupportedException($"{Names[(int)op]}: no backward rule for binary op {op}");
        }
    }
}

/// <summary>Backward of the binary ops between a tensor a and a scalar s (a op s, or s op a when reversed).</summary>
internal sealed class BinaryScalarBackward : Node
{
    private readonly wk_binary_op _op;
    private readonly double _s;
    private readonly bool _reverse;
    private SavedTensor? _a, _y;

    private BinaryScalarBackward(wk_binary_op op, double s, bool reverse, Tensor a)
    {
        _op = op;
        _s = s;
        _reverse = reverse;
        Next = new[] { a.GradientEdge() };
    }

    public override string Name => BinaryBackward.OpName(_op) + "Backward";

    private static (bool A, bool Y) SavesOf(wk_binary_op op, bool reverse) => op switch
    {
        wk_binary_op.WK_BINARY_DIV or wk_binary_op.WK_BINARY_REMAINDER or wk_binary_op.WK_BINARY_FMOD => (reverse, false),
        wk_binary_op.WK_BINARY_POW => (!reverse, reverse),
        wk_binary_op.WK_BINARY_ATAN2 or wk_binary_op.WK_BINARY_MAXIMUM or wk_binary_op.WK_BINARY_MINIMUM => (true, false),
        _ => (false, false),
    };

    public static Tensor Record(Tensor a, Native.wk_scalar s, wk_binary_op op, bool reverse, Tensor? @out)
    {
        string name = BinaryBackward.OpName(op);
        if (!BinaryBackward.IsDifferentiable(op))
        {
            if (@out is not null && @out._requiresGrad)
                throw new NotSupportedException($"{name}: the result is not differentiable, so it cannot be written in place into a tensor that requires grad.");
            return Kernels.BinaryScalarRaw(a, s, op, reverse, @out);
        }
        double value = s.kind == (int)wk_scalar_kind.WK_SCALAR_FLOAT ? s.f : s.i;
        var node = new BinaryScalarBackward(op, value, reverse, a);
        var (saveA, saveY) = SavesOf(op, reverse);
        if (@out is null)
        {
            Tensor y = Kernels.BinaryScalarRaw(a, s, op, reverse, null);
            if (!y.DType.IsFloatingPoint()) return y;
            Recording.Attach(y, node);
            node._a = SavedTensor.SaveIf(saveA, a);
            node._y = SavedTensor.SaveIf(saveY, y, 1);
            return y;
        }
        if (!ReferenceEquals(@out, a)) throw Recording.OutNotDifferentiable(name);
        InPlace.CheckWritable(a, name + "InPlace");
        if (saveA)
        {
            using Tensor before = InPlace.Snapshot(a);
            node._a = SavedTensor.Save(before);
        }
        Kernels.BinaryScalarRaw(a, s, op, reverse, a);
        InPlace.Rebase(a, node);
        node._y = SavedTensor.SaveIf(saveY, a, 1);
        return a;
    }

    internal override Tensor?[] Apply(Tensor?[] grads) => new[] { Grad(grads[0]!, _a?.Unpack(this), _y?.Unpack(this)) };

    internal override void ReleaseSaved()
    {
        _a?.Release();
        _y?.Release();
    }

    private Tensor Grad(Tensor g, Tensor? a, Tensor? y)
    {
        double s = _s;
        DType dt = g.DType;
        switch (_op)
        {
            case wk_binary_op.WK_BINARY_ADD: return g;
            case wk_binary_op.WK_BINARY_SUB: return _reverse ? -g : g;
            case wk_binary_op.WK_BINARY_MUL: return g * s;
            case wk_binary_op.WK_BINARY_DIV: return _reverse ? -(g * s) / (a! * a!) : g / s;
            case wk_binary_op.WK_BINARY_POW:
                if (_reverse) return s == 0 ? Tensor.Zeros(g.ShapeRef, dt, g.Device) : g * y! * Math.Log(s);  // s^a
                return s == 0 ? Tensor.Zeros(g.ShapeRef, dt, g.Device) : g * Ops.Pow(a!, s - 1) * s;      // a^s
            case wk_binary_op.WK_BINARY_ATAN2:
                // atan2(a, s): d/da = s / (a^2 + s^2); atan2(s, a): d/da = -s / (s^2 + a^2).
                return (_reverse ? -(g * s) : g * s) / (a! * a! + s * s);
            case wk_binary_op.WK_BINARY_MAXIMUM:
            case wk_binary_op.WK_BINARY_MINIMUM:
            {
                Tensor wins = _op == wk_binary_op.WK_BINARY_MAXIMUM ? a!.Gt(s) : a!.Lt(s);
                return g * (Ops.Mask(wins, dt) + Ops.Mask(a!.Eq(s), dt) * 0.5);
            }
            case wk_binary_op.WK_BINARY_REMAINDER: return _reverse ? -(g * Ops.Floor(a!.RDiv(s))) : g;
            case wk_binary_op.WK_BINARY_FMOD: return _reverse ? -(g * Ops.Trunc(a!.RDiv(s))) : g;
            case wk_binary_op.WK_BINARY_FLOOR_DIV: return Tensor.Zeros(g.ShapeRef, dt, g.Device);
            default: throw new NotSupportedException($"{Name}: no backward rule for binary op {_op}");
        }
    }
}
