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

    /// <summary>E: the elements of the view <paramref name="view"/> read from <paramref name="t"/>, laid out as the base <paramref name="base"/>.</summary>
    public static Tensor ViewPart(Geometry @base, Geometry view, Tensor t)
    {
        using Tensor buffer = Buffer(@base, view, t.DType, t.Device);
        using (Tensor inBase = @base.On(buffer)) inBase.CopyFrom(t);
        using Tensor inView = view.On(buffer);
        return inView.Clone();
    }

    /// <summary>Eᵀ, the adjoint of <see cref="ViewPart"/>: a base-shaped tensor holding <paramref name="v"/> in the view's elements, zero elsewhere.</summary>
    public static Tensor InBase(Geometry @base, Geometry view, Tensor v)
    {
        using Tensor buffer = Buffer(@base, view, v.DType, v.Device);
        using (Tensor inView = view.On(buffer)) inView.CopyFrom(v);
        using Tensor inBase = @base.On(buffer);
        return inBase.Clone();
    }

    /// <summary><see cref="ViewPart"/>, recorded (its gradient is <see cref="InBase"/>, and the other way round).</summary>
    public static Tensor RecordedViewPart(Geometry @base, Geometry view, Tensor t) =>
        new Wick.NN.LinearMapFunction("ViewPart", (x, _) => ViewPart(@base, view, x), "InBase", (x, _) => InBase(@base, view, x)).Run(t);

    /// <summary><see cref="InBase"/>, recorded.</summary>
    public static Tensor RecordedInBase(Geometry @base, Geometry view, Tensor v) =>
        new Wick.NN.LinearMapFunction("InBase", (x, _) => InBase(@base, view, x), "ViewPart", (x, _) => ViewPart(@base, view, x)).Run(v);
}

/// <summary>
/// The new history of a base after an in-place write through one of its views (PyTorch's CopySlices): outside the
/// view's elements the gradient goes to the base's previous history unchanged; inside them it goes through the
/// in-place op's own node, whose gradient for its first input (the view's old value) lands back in those elements.
/// With createGraph the same gradient is built from recorded linear maps (the view's part of a base-shaped tensor and
/// its adjoint) and the op's own recorded rule, so it can be differentiated again.
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
        if (GradMode.IsEnabled) return ApplyRecorded(grads[0]!);
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

    // g with its view elements replaced by the op's gradient for the view's old value: g + Eᵀ(op0 - E g).
    private Tensor?[] ApplyRecorded(Tensor g)
    {
        // Not disposed here: the op's rule may return gv itself as another input's gradient (an in-place add).
        Tensor gv = Geometry.RecordedViewPart(_base, _view, g);
        Tensor?[] op = _op.Apply(new Tensor?[] { gv });
        using Tensor change = op[0] is { } old ? old - gv : -gv;
        using Tensor placed = Geometry.RecordedInBase(_base, _view, change);
        var result = new Tensor?[op.Length];
        result[0] = g + placed;
        for (int i = 1; i < op.Length; ++i) result[i] = op[i];
        return result;
    }

    internal override void ReleaseSaved() => _op.ReleaseSaved();
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
        if (GradMode.IsEnabled) return new Tensor?[] { Geometry.RecordedInBase(_base, _view, grads[0]!) };
        Tensor buffer = Geometry.Buffer(_base, _view, _dtype, grads[0]!.Device);
        _view.On(buffer).CopyFrom(grads[0]!);
        return new Tensor?[] { _base.On(buffer) };
    }
}
