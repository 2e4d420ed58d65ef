using System;

namespace Wick;

/// <summary>
/// Backward of the matrix products beyond MatMul: Bmm (b, n, k)·(b, k, m), Mv (n, k)·(k), Dot (k)·(k),
/// Outer (n)⊗(m), and AddMM beta·input + alpha·(n, k)·(k, m) with input broadcast to (n, m).
/// </summary>
internal sealed class LinalgBackward : Node
{
    public enum Kind { Bmm, Mv, Dot, Outer, AddMM }

    private readonly Kind _kind;
    private readonly double _beta, _alpha;
    private readonly long[]? _inputShape;
    private readonly DType _inputDType, _dtypeA, _dtypeB;
    private SavedTensor? _a, _b;

    private LinalgBackward(Kind kind, Tensor? input, Tensor a, Tensor b, double beta, double alpha)
    {
        _kind = kind;
        _beta = beta;
        _alpha = alpha;
        _inputShape = input?.ShapeRef;
        _inputDType = input?.DType ?? default;
        _dtypeA = a.DType;
        _dtypeB = b.DType;
        Next = input is null ? new[] { a.GradientEdge(), b.GradientEdge() } : new[] { input.GradientEdge(), a.GradientEdge(), b.GradientEdge() };
    }

    public override string Name => _kind + "Backward";

    /// <summary>Records a product <paramref name="result"/> = a·b (not AddMM).</summary>
    public static Tensor Record(Kind kind, Tensor a, Tensor b, Tensor? input, double beta, double alpha, Tensor result)
    {
        if (!result.DType.IsFloatingPoint()) return result;
        var node = new LinalgBackward(kind, input, a, b, beta, alpha);
        int ia = input is null ? 0 : 1;
        node._a = SavedTensor.SaveIf(node.NeedsGrad(ia + 1), a);
        node._b = SavedTensor.SaveIf(node.NeedsGrad(ia), b, 1);
        return Recording.Attach(result, node);
    }

    public static Tensor RecordAddMM(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha, Tensor? @out)
    {
        if (@out is null) return Record(Kind.AddMM, mat1, mat2, input, beta, alpha, Kernels.AddMMRaw(input, mat1, mat2, beta, alpha));
        if (!ReferenceEquals(@out, input)) throw Recording.OutNotDifferentiable("AddMM");
        InPlace.CheckWritable(input, "AddMMInPlace");
        var node = new LinalgBackward(Kind.AddMM, input, mat1, mat2, beta, alpha);
        node._a = SavedTensor.SaveIf(node.NeedsGrad(2), mat1);
        node._b = SavedTensor.SaveIf(node.NeedsGrad(1), mat2, 1);
        Kernels.AddMMRaw(input, mat1, mat2, beta, alpha, input);
        InPlace.Rebase(input, node);
        return input;
    }

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        Tensor g = grads[0]!;
        int ia = _kind == Kind.AddMM ? 1 : 0;
        bool needA = NeedsGrad(ia), needB = NeedsGrad(ia + 1);
        Tensor? a = needB ? _a!.Unpack(this) : null, b = needA ? _b!.Unpack(this) : null;
        Tensor? ga = null, gb = null;
        switch (_kind)
        {
            case Kind.Bmm:
                if (needA) ga = g.Bmm(b!.Transpose(1, 2));
                if (needB) gb = a!.Transpose(1, 2).Bmm(g);
                break;
            case Kind.Mv:
                if (needA) ga = g.Outer(b!);
                if (needB) gb = a!.T.Mv(g);
                break;
            case Kind.Dot:
                if (needA) ga = g * b!;
                if (needB) gb = g * a!;
                break;
            case Kind.Outer:
                if (needA) ga = g.Mv(b!);
                if (needB) gb = g.T.Mv(a!);
                break;
            case Kind.AddMM:
                if (needA) ga = g.MatMul(b!.T) * _alpha;
                if (needB) gb = a!.T.MatMul(g) * _alpha;
                break;
        }
        ga = ga is null || ga.DType == _dtypeA ? ga : ga.To(_dtypeA);
        gb = gb is null || gb.DType == _dtypeB ? gb : gb.To(_dtypeB);
        if (ia == 0) return new[] { ga, gb };
        Tensor? gi = NeedsGrad(0) ? Broadcast.ToOperand(g * _beta, _inputShape!, _inputDType) : null;
        return new[] { gi, ga, gb };
    }

    internal override void ReleaseSaved()
    {
        _a?.Release();
        _b?.Release();
    }
}
