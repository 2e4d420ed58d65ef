using System;

namespace Wick;

/// <summary>
/// Backward of MatMul with PyTorch's rules (1-D dot, 2-D, batched with broadcast batch dimensions). Vectors are
/// treated as matrices (a as a row, b as a column) and the gradients viewed back; batch dimensions a broadcast
/// operand did not have are summed away.
/// </summary>
internal sealed class MatMulBackward : Node
{
    private readonly long[] _shapeA, _shapeB;
    private readonly DType _dtypeA, _dtypeB;
    // A 2-D operand stored column-major (a transposed view, as Linear's W.T): its gradient is made in that same
    // layout, (gᵀ·x)ᵀ instead of xᵀ·g, so the gradient of the tensor it views arrives contiguous (no copy into .Grad).
    private readonly bool _columnMajorA, _columnMajorB;
    private SavedTensor? _a, _b;

    private MatMulBackward(Tensor a, Tensor b)
    {
        _shapeA = a.ShapeRef;
        _shapeB = b.ShapeRef;
        _dtypeA = a.DType;
        _dtypeB = b.DType;
        Next = new[] { a.GradientEdge(), b.GradientEdge() };
        // Only for an operand whose gradient is wanted (reading strides is a native call).
        _columnMajorA = NeedsGrad(0) && b.Dim == 2 && IsColumnMajorMatrix(a);
        _columnMajorB = NeedsGrad(1) && a.Dim == 2 && IsColumnMajorMatrix(b);
    }

    public override string Name => "MatMulBackward";

    private static bool IsColumnMajorMatrix(Tensor t)
    {
        if (t.Dim != 2 || t.Size(0) <= 1 || t.Size(1) <= 1) return false;
        long[] strides = t.Strides;
        return strides[0] == 1 && strides[1] == t.Size(0);
    }

    public static Tensor Record(Tensor a, Tensor b)
    {
        Tensor y = Kernels.MatMulRaw(a, b);
        var node = new MatMulBackward(a, b);
        Recording.Attach(y, node);
        node._a = SavedTensor.SaveIf(node.NeedsGrad(1), a);
        node._b = SavedTensor.SaveIf(node.NeedsGrad(0), b, 1);
        return y;
    }

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        Tensor g = grads[0]!;
        bool vecA = _shapeA.Length == 1, vecB = _shapeB.Length == 1;
        // g as the matrix product of a2 (.., n, k) and b2 (.., k, m): restore the dimensions vectors dropped.
        Tensor g2 = g;
        if (vecA) g2 = g2.Unsqueeze(vecB ? 0 : -2);
        if (vecB) g2 = g2.Unsqueeze(-1);
        Tensor? ga = null, gb = null;
        if (NeedsGrad(0))
        {
            Tensor b = _b!.Unpack(this);
            Tensor b2 = vecB ? b.Unsqueeze(-1) : b;
            Tensor full = _columnMajorA
                ? b2.MatMul(g2.Transpose(-1, -2)).Transpose(-1, -2)  // (n, k), column-major like a
                : g2.MatMul(b2.Transpose(-1, -2));  // (.., n, k)
            ga = Broadcast.ToOperand(full, vecA ? new[] { 1L, _shapeA[0] } : _shapeA, _dtypeA);
            if (vecA) ga = ga.Reshape(_shapeA);
        }
        if (NeedsGrad(1))
        {
            Tensor a = _a!.Unpack(this);
            Tensor a2 = vecA ? a.Unsqueeze(0) : a;
            Tensor full = _columnMajorB
                ? g2.Transpose(-1, -2).MatMul(a2).Transpose(-1, -2)  // (k, m), column-major like b
                : a2.Transpose(-1, -2).MatMul(g2);  // (.., k, m)
            gb = Broadcast.ToOperand(full, vecB ? new[] { _shapeB[0], 1L } : _shapeB, _dtypeB);
            if (vecB) gb = gb.Reshape(_shapeB);
        }
        return new[] { ga, gb };
    }

    internal override void ReleaseSaved()
    {
        _a?.Release();
        _b?.Release();
    }
}
