using System;
using Wick.Native;

namespace Wick;

/// <summary>Backward of the cumulative sum and product along one dimension.</summary>
internal sealed class ScanBackward : Node
{
    private readonly wk_scan_op _op;
    private readonly int _dim;
    private readonly DType _inputDType;
    private SavedTensor? _x, _y;

    private ScanBackward(wk_scan_op op, Tensor x, int dim)
    {
        _op = op;
        _dim = Tensor.NormalizeDim(dim, x.Dim);
        _inputDType = x.DType;
        Next = new[] { x.GradientEdge() };
    }

    public override string Name => _op == wk_scan_op.WK_SCAN_CUMSUM ? "CumsumBackward" : "CumprodBackward";

    public static Tensor Record(Tensor x, wk_scan_op op, int dim, DType? dtype)
    {
        Tensor y = Kernels.ScanRaw(x, op, dim, dtype);
        if (!y.DType.IsFloatingPoint()) return y;
        var node = new ScanBackward(op, x, dim);
        Recording.Attach(y, node);
        if (op == wk_scan_op.WK_SCAN_CUMPROD)
        {
            node._x = SavedTensor.Save(x);
            node._y = SavedTensor.Save(y, 1);
        }
        return y;
    }

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        Tensor g = grads[0]!;
        Tensor gx = _op == wk_scan_op.WK_SCAN_CUMSUM ? ReverseCumSum(g, _dim) : CumProdGrad(g, _x!.Unpack(this), _y!.Unpack(this), _dim);
        return new[] { gx.DType == _inputDType ? gx : gx.To(_inputDType) };
    }

    internal override void ReleaseSaved()
    {
        _x?.Release();
        _y?.Release();
    }

    /// <summary>Sum over j ≥ i along dim: the total minus the sum over j &lt; i (exclusive prefix).</summary>
    private static Tensor ReverseCumSum(Tensor g, int dim) => g.Sum(dim, keepDim: true) - g.CumSum(dim) + g;

    /// <summary>
    /// d y_j / d x_i = prod_{k ≤ j, k ≠ i} x_k for j ≥ i. Without zeros that is y_j / x_i, so the gradient is
    /// reverse-cumsum(g y) / x. With zeros it is computed exactly: x with x_i replaced by 1, row by row (n × n).
    /// </summary>
    private static Tensor CumProdGrad(Tensor g, Tensor x, Tensor y, int dim)
    {
        if (x.Dim == 0) return g;
        bool hasZero;
        using (GradMode.Scope(false)) hasZero = x.Eq(0.0).Any().Item<bool>();
        if (!hasZero) return ReverseCumSum(g * y, dim) / x;
        long n = x.Size(dim);
        Tensor xl = x.Transpose(dim, -1), gl = g.Transpose(dim, -1);      // (..., n)
        Tensor eye = Tensor.Eye(n, dtype: DType.Bool, device: x.Device);  // (n, n)
        Tensor rows = Tensor.Where(eye, 1.0, xl.Unsqueeze(-2).Expand(ExpandShape(xl.ShapeRef, n)));  // row i: x with x_i = 1
        Tensor prefix = rows.CumProd(-1);                                                          // [i, j] = prod_{k ≤ j, k ≠ i}
        Tensor k = Tensor.Arange(n, x.Device);
        Tensor upper = k.Unsqueeze(0).Ge(k.Unsqueeze(1));                                          // [i, j]: j ≥ i
        Tensor gi = (prefix * Ops.Mask(upper, g.DType) * gl.Unsqueeze(-2)).Sum(-1);               // (..., n)
        return gi.Transpose(dim, -1);
    }

    private static long[] ExpandShape(long[] shape, long n)
    {
        var s = new long[shape.Length + 1];
        Array.Copy(shape, s, shape.Length - 1);
        s[^2] = n;
        s[^1] = shape[^1];
        return s;
    }
}

/// <summary>Max and min along one dimension with indices: the gradient goes to the position of the index.</summary>
internal sealed class ReduceIndicesBackward : Node
{
    private readonly bool _max;
    private readonly int _dim;
    private readonly bool _keepDim;
    private readonly long[] _inputShape;
    private SavedTensor? _indices;

    private ReduceIndicesBackward(bool max, Tensor x, int dim, bool keepDim)
    {
        _max = max;
        _dim = Tensor.NormalizeDim(dim, x.Dim);
        _keepDim = keepDim;
        _inputShape = x.ShapeRef;
        Next = new[] { x.GradientEdge() };
    }

    public override string Name => _max ? "MaxBackward" : "MinBackward";

    public static ValuesIndices Record(Tensor x, wk_reduce_op op, int dim, bool keepDim)
    {
        ValuesIndices r = Kernels.ReduceIndicesRaw(x, op, dim, keepDim);
        var node = new ReduceIndicesBackward(op == wk_reduce_op.WK_REDUCE_MAX, x, dim, keepDim);
        Recording.Attach(r.Values, node);
        node._indices = SavedTensor.Save(r.Indices);
        return r;
    }

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        Tensor g = grads[0]!;
        Tensor index = _indices!.Unpack(this);
        if (_inputShape.Length == 0) return new[] { g.Reshape(_inputShape) };
        if (!_keepDim)
        {
            g = g.Unsqueeze(_dim);
            index = index.Unsqueeze(_dim);
        }
        // One-hot along dim: position k gets the gradient where k equals the index.
        var positionsShape = new long[_inputShape.Length];
        Array.Fill(positionsShape, 1L);
        positionsShape[_dim] = _inputShape[_dim];
        Tensor positions = Tensor.Arange(_inputShape[_dim], g.Device).Reshape(positionsShape);
        return new[] { g * Ops.Mask(positions.Eq(index), g.DType) };
    }

    internal override void ReleaseSaved() => _indices?.Release();
}
