using System;
using Wick.Native;

namespace Wick;

/// <summary>
/// Backward of the three-operand ops (where, lerp, addcmul, addcdiv, clamp with tensor bounds): one rule per op in
/// <see cref="Grads"/>; each gradient is summed back to its operand's shape and converted to its dtype.
/// </summary>
internal sealed class TernaryBackward : Node
{
    private static readonly string[] Names = OpNames.Table<wk_ternary_op>("WK_TERNARY_", (int)wk_ternary_op.WK_TERNARY_OP_COUNT);

    private readonly wk_ternary_op _op;
    private readonly double _s;
    private readonly long[] _shapeA;
    private readonly long[]? _shapeB, _shapeC;
    private readonly DType _dtypeA, _dtypeB, _dtypeC;
    private SavedTensor? _a, _b, _c;

    private TernaryBackward(wk_ternary_op op, Tensor a, Tensor? b, Tensor? c, double s)
    {
        _op = op;
        _s = s;
        _shapeA = a.ShapeRef;
        _dtypeA = a.DType;
        _shapeB = b?.ShapeRef;
        _dtypeB = b?.DType ?? default;
        _shapeC = c?.ShapeRef;
        _dtypeC = c?.DType ?? default;
        Next = new[] { a.GradientEdge(), b?.GradientEdge() ?? default, c?.GradientEdge() ?? default };
    }

    public override string Name => Names[(int)_op];

    /// <summary>Runs the op and records it (out is null, or a itself for the in-place form).</summary>
    public static Tensor Record(wk_ternary_op op, Tensor a, Tensor? b, Tensor? c, wk_scalar? s, Tensor? @out)
    {
        string name = Names[(int)op][..^"Backward".Length];
        double sv = s is { } v ? (v.kind == (int)wk_scalar_kind.WK_SCALAR_FLOAT ? v.f : v.i)
                               : op is wk_ternary_op.WK_TERNARY_ADDCMUL or wk_ternary_op.WK_TERNARY_ADDCDIV ? 1 : 0;
        var node = new TernaryBackward(op, a, b, c, sv);
        // Every rule reads the operands except the one whose gradient is a plain copy; save them all (they are small
        // next to the gradients, and in-place forms snapshot the one they overwrite).
        if (@out is null)
        {
            Tensor y = Kernels.TernaryRaw(op, a, b, c, s, null);
            if (!y.DType.IsFloatingPoint()) return y;
            Recording.Attach(y, node);
            node.SaveOperands(a, b, c);
            return y;
        }
        if (!ReferenceEquals(@out, a)) throw Recording.OutNotDifferentiable(name);
        InPlace.CheckWritable(a, name + "InPlace");
        using (Tensor before = InPlace.Snapshot(a)) node.SaveOperands(before, b, c);
        Kernels.TernaryRaw(op, a, b, c, s, a);
        InPlace.Rebase(a, node);
        return a;
    }

    private void SaveOperands(Tensor a, Tensor? b, Tensor? c)
    {
        _a = SavedTensor.Save(a);
        _b = b is null ? null : SavedTensor.Save(b, 1);
        _c = c is null ? null : SavedTensor.Save(c, 2);
    }

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        var (ga, gb, gc) = Grads(grads[0]!, _a!.Unpack(this), _b?.Unpack(this), _c?.Unpack(this));
        return new[]
        {
            NeedsGrad(0) && ga is not null ? Broadcast.ToOperand(ga, _shapeA, _dtypeA) : null,
            NeedsGrad(1) && gb is not null ? Broadcast.ToOperand(gb, _shapeB!, _dtypeB) : null,
            NeedsGrad(2) && gc is not null ? Broadcast.ToOperand(gc, _shapeC!, _dtypeC) : null,
        };
    }

    internal override void ReleaseSaved()
    {
        _a?.Release();
        _b?.Release();
        _c?.Release();
    }

    private (Tensor? A, Tensor? B, Tensor? C) Grads(Tensor g, Tensor a, Tensor? b, Tensor? c)
    {
        DType dt = g.DType;
        double s = _s;
        switch (_op)
        {
            case wk_ternary_op.WK_TERNARY_WHERE:
            {
                // a ? b : c: the gradient goes to the chosen operand (Where keeps NaN and inf out of the other).
                Tensor zero = Tensor.Zeros(Array.Empty<long>(), dt, g.Device);
                return (null, g.Where(a, zero), zero.Where(a, g));
            }
            case wk_ternary_op.WK_TERNARY_LERP:
                // a + w (b - a): d/da = 1 - w, d/db = w, d/dw = b - a.
                if (c is null) return (g * (1.0 - s), g * s, null);
                return (g * (1.0 - c), g * c, g * (b! - a));
            case wk_ternary_op.WK_TERNARY_ADDCMUL: return (g, g * c! * s, g * b! * s);
            case wk_ternary_op.WK_TERNARY_ADDCDIV: return (g, g * s / c!, -(g * b! * s) / (c! * c!));
            case wk_ternary_op.WK_TERNARY_CLAMP:
            {
                // min(max(a, lo), hi): hi wins where max(a, lo) > hi, else lo wins where a < lo, else a passes.
                Tensor? hiWins = c is null ? null : (b is null ? a : a.Maximum(b)).Gt(c);
                Tensor? loWins = b is null ? null : a.Lt(b);
                if (hiWins is not null && loWins is not null) loWins = loWins.LogicalAnd(hiWins.LogicalNot());
                Tensor passes = Tensor.Ones(a.ShapeRef, DType.Bool, a.Device);
                if (hiWins is not null) passes = passes.LogicalAnd(hiWins.LogicalNot());
                if (loWins is not null) passes = passes.LogicalAnd(loWins.LogicalNot());
                return (g * Ops.Mask(passes, dt), loWins is null ? null : g * Ops.Mask(loWins, dt), hiWins is null ? null : g * Ops.Mask(hiWins, dt));
            }
            default: throw new NotSupportedException($"{Name}: no backward rule for ternary op {_op}");
        }
    }
}
