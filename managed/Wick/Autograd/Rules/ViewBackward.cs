using System;

namespace Wick;

/// <summary>
/// Backward of the view operations. Views share memory with their input, so each result also remembers the root of
/// its view chain (<see cref="Tensor._viewBase"/>) for the in-place checks.
/// </summary>
internal static class ViewRecording
{
    /// <summary>
    /// Marks <paramref name="view"/> as a view of <paramref name="input"/> and, when <paramref name="node"/> is given
    /// (the caller creates it only when <see cref="Recording.Wants(Tensor)"/>), records it.
    /// </summary>
    public static Tensor Record(Tensor input, Tensor view, Node? node)
    {
        Tensor root = input._viewBase ?? input;
        view._viewBase = root;
        if (node is not null)
        {
            node.Next = new[] { input.GradientEdge() };
            Recording.Attach(view, node);
            view._viewRecorded = true;
            view._viewBaseFn = root._gradFn;
        }
        return view;
    }

    /// <summary>For ops that return a view only sometimes (Reshape, Flatten): records the node, and marks a view when memory is shared.</summary>
    public static Tensor RecordMaybeView(Tensor input, Tensor result, Node? node)
    {
        if (node is null) return result;
        if (result.StorageId == input.StorageId) return Record(input, result, node);
        node.Next = new[] { input.GradientEdge() };
        return Recording.Attach(result, node);
    }
}

/// <summary>View, Reshape, Flatten, Squeeze, Unsqueeze: the gradient takes the input's shape back.</summary>
internal sealed class ReshapeBackward : Node
{
    private readonly string _name;
    private readonly long[] _inputShape;

    public ReshapeBackward(string name, long[] inputShape)
    {
        _name = name;
        _inputShape = inputShape;
    }

    public override string Name => _name;

    internal override Tensor?[] Apply(Tensor?[] g) => new[] { g[0]!.Reshape(_inputShape) };
}

/// <summary>Transpose(d0, d1) is its own inverse.</summary>
internal sealed class TransposeBackward : Node
{
    private readonly int _dim0, _dim1;

    public TransposeBackward(int dim0, int dim1)
    {
        _dim0 = dim0;
        _dim1 = dim1;
    }

    public override string Name => "TransposeBackward";

    internal override Tensor?[] Apply(Tensor?[] g) => new[] { g[0]!.Transpose(_dim0, _dim1) };
}

/// <summary>Permute(dims): the gradient is permuted by the inverse permutation.</summary>
internal sealed class PermuteBackward : Node
{
    private readonly int[] _inverse;

    public PermuteBackward(int[] dims)
    {
        int n = dims.Length;
        _inverse = new int[n];
        for (int i = 0; i < n; ++i) _inverse[Tensor.NormalizeDim(dims[i], n)] = i;
    }

    public override string Name => "PermuteBackward";

    internal override Tensor?[] Apply(Tensor?[] g) => new[] { g[0]!.Permute(_inverse) };
}

/// <summary>Expand: the broadcast copies' gradients are summed back.</summary>
internal sealed class ExpandBackward : Node
{
    private readonly long[] _inputShape;

    public ExpandBackward(long[] inputShape) => _inputShape = inputShape;

    public override string Name => "ExpandBackward";

    internal override Tensor?[] Apply(Tensor?[] g) => new[] { Broadcast.SumToShape(g[0]!, _inputShape) };
}

/// <summary>Slice: the gradient goes into the sliced positions of a zero tensor of the input's shape.</summary>
internal sealed class SliceBackward : Node
{
    private readonly long[] _inputShape;
    private readonly int _dim;
    private readonly long _start, _end, _step;

    public SliceBackward(long[] inputShape, int dim, long start, long end, long step)
    {
        _inputShape = inputShape;
        _dim = dim;
        _start = start;
        _end = end;
        _step = step;
    }

    public override string Name => "SliceBackward";

    internal override Tensor?[] Apply(Tensor?[] g) => new[] { Scatter.Slice(g[0]!, _inputShape, _dim, _start, _end, _step) };
}

/// <summary>Select: the gradient goes into one index of a zero tensor of the input's shape.</summary>
internal sealed class SelectBackward : Node
{
    private readonly long[] _inputShape;
    private readonly int _dim;
    private readonly long _index;

    public SelectBackward(long[] inputShape, int dim, long index)
    {
        _inputShape = inputShape;
        _dim = dim;
        _index = index;
    }

    public override string Name => "SelectBackward";

    internal override Tensor?[] Apply(Tensor?[] g) => new[] { Scatter.Select(g[0]!, _inputShape, _dim, _index) };
}

/// <summary>AsStrided views may overlap and alias arbitrarily; their gradient is not implemented yet.</summary>
internal sealed class AsStridedBackward : Node
{
    public override string Name => "AsStridedBackward";

    internal override Tensor?[] Apply(Tensor?[] g) =>
        throw new NotSupportedException("AsStridedBackward: gradients through AsStrided are not supported yet; build the view from Slice, Select, View, Transpose or Expand instead.");
}

/// <summary>
/// The backward of Slice and Select as differentiable operations of their own: writing src into a zero tensor at
/// the sliced (selected) positions; its backward slices (selects) the gradient again.
/// </summary>
internal static class Scatter
{
    public static Tensor Slice(Tensor src, long[] shape, int dim, long start, long end, long step)
    {
        Tensor r = Tensor.Zeros(shape, src.DType, src.Device);
        using (GradMode.Scope(false))
        using (Tensor window = r.Slice(dim, start, end, step))
            window.CopyFrom(src);
        if (Recording.Wants(src))
            Recording.Attach(r, new SliceScatterBackward(dim, start, end, step) { Next = new[] { src.GradientEdge() } });
        return r;
    }

    public static Tensor Select(Tensor src, long[] shape, int dim, long index)
    {
        Tensor r = Tensor.Zeros(shape, src.DType, src.Device);
        using (GradMode.Scope(false))
        using (Tensor window = r.Select(dim, index))
            window.CopyFrom(src);
        if (Recording.Wants(src))
            Recording.Attach(r, new SelectScatterBackward(dim, index) { Next = new[] { src.GradientEdge() } });
        return r;
    }

    private sealed class SliceScatterBackward : Node
    {
        private readonly int _dim;
        private readonly long _start, _end, _step;

        public SliceScatterBackward(int dim, long start, long end, long step)
        {
            _dim = dim;
            _start = start;
            _end = end;
            _step = step;
        }

        public override string Name => "SliceScatterBackward";

        internal override Tensor?[] Apply(Tensor?[] g) => new[] { g[0]!.Slice(_dim, _start, _end, _step) };
    }

    private sealed class SelectScatterBackward : Node
    {
        private readonly int _dim;
        private readonly long _index;

        public SelectScatterBackward(int dim, long index)
        {
            _dim = dim;
            _index = index;
        }

        public override string Name => "SelectScatterBackward";

        internal override Tensor?[] Apply(Tensor?[] g) => new[] { g[0]!.Select(_dim, _index) };
    }
}
