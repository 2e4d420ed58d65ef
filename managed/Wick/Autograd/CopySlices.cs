using System;

namespace Wick;

/// <summary>Sizes, strides and storage offset of a tensor: where its elements lie in its storage.</summary>
internal readonly struct Geometry
{
    public readonly long[] Sizes, Strides;
    public readonly long Offset;

    public Geometry(Tensor t)
    {
        Sizes = t.ShapeRef;
        Strides = t.Strides;
        Offset = t.StorageOffset;
    }

    /// <summary>One past the largest storage index this geometry reaches (0 when empty).</summary>
    public long Extent
    {
        get
        {
            long end = Offset;
            for (int d = 0; d < Sizes.Length; ++d)
            {
                if (Sizes[d] == 0) return 0;
                end += (Sizes[d] - 1) * Strides[d];
            }
            return end + 1;
        }
    }

    /// <summary>The view of <paramref name="storage"/> (a 1-D tensor standing for the base's storage) with this geometry.</summary>
    public Tensor On(Tensor storage) => storage.AsStrided(Sizes, Strides, Offset);

    /// <summary>A zero buffer covering both geometries, standing for the base's storage.</summary>
    public static Tensor Buffer(Geometry a, Geometry b, DType dtype, Device device) =>
        Tensor.Zeros(new[] { Math.Max(a.Extent, b.Extent) }, dtype, device);
}

/// <summary>
/// The new history of a base after an in-place write through one of its views (PyTorch's CopySlices): outside the
/// view's elements the gradient goes to the base's previous history unchanged; inside them it goes through the
/// in-place op's own node, whose gradient for its first input (the view's old value) lands back in those elements.
/// First-order only: with createGraph it refuses clearly.
/// </summary>
internal sealed class CopySlices : Node
{
    private readonly Node _op;
    private readonly Geometry _base, _view;
    private readonly DType _dtype;

    public CopySlices(Node op, Geometry @base, Geometry view, DType dtype)
    {
        _op = op;
        _base = @base;
        _view = view;
        _dtype = dtype;
    }

    public override string Name => "CopySlices";

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        CheckFirstOrder(Name);
        Tensor g = grads[0]!;
        Tensor buffer = Geometry.Buffer(_base, _view, _dtype, g.Device);
        Tensor inBase = _base.On(buffer), inView = _view.On(buffer);
        inBase.CopyFrom(g);
        Tensor?[] op = _op.Apply(new Tensor?[] { inView.Clone() });
        if (op[0] is { } old) inView.CopyFrom(old);
        else inView.Fill(0);
        var result = new Tensor?[op.Length];
        result[0] = inBase;
        for (int i = 1; i < op.Length; ++i) result[i] = op[i];
        return result;
    }

    internal override void ReleaseSaved() => _op.ReleaseSaved();

    internal static void CheckFirstOrder(string name)
    {
        if (GradMode.IsEnabled)
            throw new NotSupportedException(
                $"{name}: higher-order gradients through an in-place write into a view are not supported; " +
                "build the tensor out of place (Cat, Stack, arithmetic) when you need createGraph.");
    }
}

/// <summary>A view whose base was rebased by an in-place write through it: its gradient goes into its elements of the base.</summary>
internal sealed class ViewOfBaseBackward : Node
{
    private readonly Geometry _base, _view;
    private readonly DType _dtype;

    public ViewOfBaseBackward(Geometry @base, Geometry view, DType dtype)
    {
        _base = @base;
        _view = view;
        _dtype = dtype;
    }

    public override string Name => "AsStridedBackward";

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        CopySlices.CheckFirstOrder(Name);
        Tensor buffer = Geometry.Buffer(_base, _view, _dtype, grads[0]!.Device);
        _view.On(buffer).CopyFrom(grads[0]!);
        return new Tensor?[] { _base.On(buffer) };
    }
}
