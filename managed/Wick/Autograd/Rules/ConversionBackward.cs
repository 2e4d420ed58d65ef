using System;

namespace Wick;

/// <summary>Clone and Contiguous (when it copies): the gradient passes through unchanged.</summary>
internal sealed class CloneBackward : Node
{
    public override string Name => "CloneBackward";

    internal override Tensor?[] Apply(Tensor?[] g) => new[] { g[0] };
}

/// <summary>To(dtype, device): the gradient goes back to the input's dtype and device.</summary>
internal sealed class ToCopyBackward : Node
{
    private readonly DType _dtype;
    private readonly Device _device;

    public ToCopyBackward(DType dtype, Device device)
    {
        _dtype = dtype;
        _device = device;
    }

    public override string Name => "ToCopyBackward";

    internal override Tensor?[] Apply(Tensor?[] g) => new[] { g[0]!.To(_dtype, _device) };
}

/// <summary>
/// CopyFrom (dst = src, broadcast and converted), recorded in place on dst: dst's previous value gets zeros, src gets
/// the gradient summed back to its shape and converted to its dtype.
/// </summary>
internal sealed class CopyBackward : Node
{
    private readonly long[] _srcShape;
    private readonly DType _srcDType;

    private CopyBackward(Tensor dst, Tensor src)
    {
        _srcShape = src.ShapeRef;
        _srcDType = src.DType;
        Next = new[] { dst.GradientEdge(), src.GradientEdge() };
    }

    public override string Name => "CopyBackward";

    /// <summary>Records dst.CopyFrom(src) after checking dst may be written; <paramref name="copy"/> does the native copy.</summary>
    public static void Record(Tensor dst, Tensor src, Action copy)
    {
        if (!dst.DType.IsFloatingPoint())
        {
            copy();  // an integer destination carries no gradient
            return;
        }
        InPlace.CheckWritable(dst, "CopyFrom");
        var node = new CopyBackward(dst, src);
        copy();
        if (src._requiresGrad && src.DType.IsFloatingPoint()) InPlace.Rebase(dst, node);
        else InPlace.RebaseOverwritten(dst, "Copy", node.Next[0]);
    }

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        Tensor g = grads[0]!;
        return new[]
        {
            NeedsGrad(0) ? Tensor.Zeros(g.ShapeRef, g.DType, g.Device) : null,
            NeedsGrad(1) ? Broadcast.ToOperand(g, _srcShape, _srcDType) : null,
        };
    }
}
