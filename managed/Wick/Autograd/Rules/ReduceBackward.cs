using System;
using Wick.Native;

namespace Wick;

/// <summary>
/// Backward of the reductions (one rule per op in <see cref="Grad"/>). The incoming gradient has the reduced shape;
/// it is viewed with the reduced dimensions kept (size 1) and broadcast back over the input.
/// </summary>
internal sealed class ReduceBackward : Node
{
    private static readonly string[] Names = OpNames.Table<wk_reduce_op>("WK_REDUCE_", (int)wk_reduce_op.WK_REDUCE_OP_COUNT);

    private readonly wk_reduce_op _op;
    private readonly int[] _dims;        // sorted, non-negative; every dimension when the op reduced all
    private readonly bool _keepDim;
    private readonly double _param;
    private readonly long[] _inputShape;
    private readonly long[] _keptShape;  // input shape with the reduced dimensions set to 1
    private readonly long _count;        // elements reduced into each output element
    private readonly DType _inputDType;
    private SavedTensor? _x, _y;

    private ReduceBackward(wk_reduce_op op, Tensor x, ReadOnlySpan<int> dims, bool keepDim, double param)
    {
        _op = op;
        _keepDim = keepDim;
        _param = param;
        _inputShape = x.ShapeRef;
        _inputDType = x.DType;
        int n = _inputShape.Length;
        var reduced = new bool[n];
        if (dims.Length == 0) Array.Fill(reduced, true);
        if (n > 0)
            foreach (int d in dims) reduced[Tensor.NormalizeDim(d, n)] = true;
        int count = 0;
        foreach (bool r in reduced) count += r ? 1 : 0;
        _dims = new int[count];
        _keptShape = (long[])_inputShape.Clone();
        _count = 1;
        for (int i = 0, k = 0; i < n; ++i)
        {
            if (!reduced[i]) continue;
            _dims[k++] = i;
            _count *= _inputShape[i];
            _keptShape[i] = 1;
        }
        Next = new[] { x.GradientEdge() };
    }

    public override string Name => Names[(int)_op];

    private static (bool X, bool Y)? SavesOf(wk_reduce_op op) => op switch
    {
        wk_reduce_op.WK_REDUCE_SUM or wk_reduce_op.WK_REDUCE_MEAN => (false, false),
        wk_reduce_op.WK_REDUCE_VAR => (true, false),
        wk_reduce_op.WK_REDUCE_PROD or wk_reduce_op.WK_REDUCE_MAX or wk_reduce_op.WK_REDUCE_MIN or wk_reduce_op.WK_REDUCE_STD
            or wk_reduce_op.WK_REDUCE_NORM or wk_reduce_op.WK_REDUCE_LOGSUMEXP => (true, true),
        _ => null,  // all, any, argmax, argmin: bool or integer results
    };

    public static Tensor Record(Tensor x, wk_reduce_op op, ReadOnlySpan<int> dims, bool keepDim, double param, DType? dtype)
    {
        Tensor y = Kernels.ReduceRaw(x, op, dims, keepDim, param, dtype);
        if (SavesOf(op) is not var (saveX, saveY) || !y.DType.IsFloatingPoint()) return y;
        var node = new ReduceBackward(op, x, dims, keepDim, param);
        Recording.Attach(y, node);
        node._x = SavedTensor.SaveIf(saveX, x);
        node._y = SavedTensor.SaveIf(saveY, y, 1);
        return y;
    }

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        Tensor gx = Grad(grads[0]!, _x?.Unpack(this), _y?.Unpack(this));
        return new[] { gx.DType == _inputDType ? gx : gx.To(_inputDType) };
    }

    internal override void ReleaseSaved()
    {
        _x?.Release();
        _y?.Release();
    }

    /// <summary>A reduced-shape tensor viewed with the reduced dimensions kept (broadcastable against the input).</summary>
    private Tensor Kept(Tensor t) => _keepDim ? t : t.Reshape(_keptShape);

    private Tensor Grad(Tensor g, Tensor? x, Tensor? y)
    {
        DType dt = g.DType;
        switch (_op)
        {
            case wk_reduce_op.WK_REDUCE_SUM: return Kept(g).Expand(_inputShape);
            case wk_reduce_op.WK_REDUCE_MEAN: return (Kept(g) / (double)_count).Expand(_inputShape);
            case wk_reduce_op.WK_REDUCE_PROD:
            {
                // d prod / d x_i = prod of the others. Exact with zeros: with no zero in a slice it is y / x_i; with one
                // zero only that element gets the product of the nonzero others; with two or more, all are 0.
                Tensor isZero = Ops.Mask(x!.Eq(0.0), dt);
                Tensor safe = x! + isZero;  // zeros replaced by ones
                Tensor zeros = Ops.Reduce(isZero, wk_reduce_op.WK_REDUCE_SUM, _dims);
                Tensor prodNonZero = Ops.Reduce(safe, wk_reduce_op.WK_REDUCE_PROD, _dims);
                Tensor noZero = Ops.Mask(zeros.Eq(0.0), dt), oneZero = Ops.Mask(zeros.Eq(1.0), dt);
                Tensor d = noZero * (Kept(y!) / safe) + oneZero * isZero * prodNonZero;
                return Kept(g) * d;
            }
            case wk_reduce_op.WK_REDUCE_MAX:
            case wk_reduce_op.WK_REDUCE_MIN:
            {
                // amax/amin: the gradient is shared evenly between the elements equal to the result.
                Tensor hit = Ops.Mask(x!.Eq(Kept(y!)), dt);
                return Kept(g) / Ops.Reduce(hit, wk_reduce_op.WK_REDUCE_SUM, _dims) * hit;
            }
            case wk_reduce_op.WK_REDUCE_VAR:
            {
                // param = correction: var = sum (x - mean)^2 / (N - correction).
                Tensor centered = x! - Ops.Reduce(x!, wk_reduce_op.WK_REDUCE_MEAN, _dims);
                return Kept(g) * (2.0 / (_count - _param)) * centered;
            }
            case wk_reduce_op.WK_REDUCE_STD:
            {
                Tensor centered = x! - Ops.Reduce(x!, wk_reduce_op.WK_REDUCE_MEAN, _dims);
                return Kept(g) * centered / (Kept(y!) * (_count - _param));
            }
            case wk_reduce_op.WK_REDUCE_NORM:
            {
                double p = _param;
                Tensor yk = Kept(y!);
                if (p == 0) return Tensor.Zeros(_inputShape, dt, g.Device);  // counts nonzeros: piecewise constant
                if (p == 1) return Kept(g) * Ops.Sign(x!);
                if (double.IsInfinity(p))  // max |x| (or min |x| for -inf): shared between the elements that reach it
                {
                    Tensor hit = Ops.Mask(Ops.Abs(x!).Eq(yk), dt);
                    return Kept(g) / Ops.Reduce(hit, wk_reduce_op.WK_REDUCE_SUM, _dims) * hit * Ops.Sign(x!);
                }
                // x |x|^(p-2) / ||x||^(p-1); a zero norm has zero gradient (its x are all zero).
                Tensor safe = yk + Ops.Mask(yk.Eq(0.0), dt);
                if (p == 2) return Kept(g) * x! / safe;
                return Kept(g) * x! * Ops.Pow(Ops.Abs(x!), p - 2) / Ops.Pow(safe, p - 1);
            }
            case wk_reduce_op.WK_REDUCE_LOGSUMEXP: return Kept(g) * Ops.Exp(x! - Kept(y!));
            default: throw new NotSupportedException($"{Name}: no backward rule for reduction {_op}");
        }
    }
}
