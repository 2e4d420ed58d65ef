using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

// Backward rules of the joining, indexing, masking, sorting and padding ops (one node per primitive). The rules use
// the public ops, so they are differentiable again: IndexSelect's backward is IndexAdd, whose backward is
// IndexSelect; Gather's is ScatterAdd, whose backward is Gather; Pad's is PadBackward, whose backward is Pad.

/// <summary>Cat: each input gets its slice of the gradient.</summary>
internal sealed class CatBackward : Node
{
    private readonly int _dim;
    private readonly long[][] _shapes;
    private readonly DType[] _dtypes;

    public CatBackward(ReadOnlySpan<Tensor> inputs, int dim, int resultRank)
    {
        _dim = Tensor.NormalizeDim(dim, resultRank);
        _shapes = new long[inputs.Length][];
        _dtypes = new DType[inputs.Length];
        var next = new Edge[inputs.Length];
        for (int i = 0; i < inputs.Length; ++i)
        {
            _shapes[i] = inputs[i].ShapeRef;
            _dtypes[i] = inputs[i].DType;
            next[i] = inputs[i].GradientEdge();
        }
        Next = next;
    }

    public override string Name => "CatBackward";

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        Tensor g = grads[0]!;
        var r = new Tensor?[_shapes.Length];
        long offset = 0;
        for (int i = 0; i < r.Length; ++i)
        {
            long[] s = _shapes[i];
            bool legacyEmpty = s.Length == 1 && s[0] == 0 && g.Dim != 1;  // PyTorch lets empty 1-D tensors join anything
            long size = legacyEmpty ? 0 : s[_dim];
            if (NeedsGrad(i))
            {
                Tensor part = legacyEmpty ? Tensor.Zeros(s, _dtypes[i], g.Device) : g.Narrow(_dim, offset, size);
                r[i] = part.DType == _dtypes[i] ? part : part.To(_dtypes[i]);
            }
            offset += size;
        }
        return r;
    }
}

/// <summary>Stack: each input gets its index of the gradient along the new dimension.</summary>
internal sealed class StackBackward : Node
{
    private readonly int _dim;
    private readonly DType[] _dtypes;

    public StackBackward(ReadOnlySpan<Tensor> inputs, int dim, int resultRank)
    {
        _dim = Tensor.NormalizeDim(dim, resultRank);
        _dtypes = new DType[inputs.Length];
        var next = new Edge[inputs.Length];
        for (int i = 0; i < inputs.Length; ++i)
        {
            _dtypes[i] = inputs[i].DType;
            next[i] = inputs[i].GradientEdge();
        }
        Next = next;
    }

    public override string Name => "StackBackward";

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        var r = new Tensor?[_dtypes.Length];
        for (int i = 0; i < r.Length; ++i)
        {
            if (!NeedsGrad(i)) continue;
            Tensor part = grads[0]!.Select(_dim, i);
            r[i] = part.DType == _dtypes[i] ? part : part.To(_dtypes[i]);
        }
        return r;
    }
}

/// <summary>
/// The index-based ops of one input x (and, for some, a source or value tensor): IndexSelect, Gather, Scatter,
/// ScatterAdd, IndexAdd, IndexCopy, IndexFill, MaskedFill, MaskedSelect, MaskedScatter, advanced Index, IndexPut,
/// Sort and TopK. The index (or mask) is saved; it is an integer (bool) tensor nobody differentiates.
/// </summary>
internal sealed class IndexingBackward : Node
{
    public enum Kind { IndexSelect, Gather, Scatter, ScatterAdd, IndexAdd, IndexCopy, IndexFill, MaskedFill, MaskedSelect, MaskedScatter, Index, IndexPut, IndexPutAccumulate, Sort, TopK }

    private readonly Kind _kind;
    private readonly int _dim;
    private readonly double _alpha;
    private readonly long[] _inputShape;
    private readonly long[]? _sourceShape;
    private readonly DType _inputDType, _sourceDType;
    private SavedTensor? _index;

    /// <summary>Next[0] is x; Next[1] is the source, src or value tensor when there is one.</summary>
    public IndexingBackward(Kind kind, Tensor x, int dim, Tensor index, Tensor? source = null, double alpha = 1)
    {
        _kind = kind;
        _dim = x.Dim == 0 ? 0 : Tensor.NormalizeDim(dim, x.Dim);
        _alpha = alpha;
        _inputShape = x.ShapeRef;
        _inputDType = x.DType;
        _sourceShape = source?.ShapeRef;
        _sourceDType = source?.DType ?? default;
        Next = source is null ? new[] { x.GradientEdge() } : new[] { x.GradientEdge(), source.GradientEdge() };
        _index = SavedTensor.Save(index);
    }

    public override string Name => _kind switch
    {
        Kind.IndexPutAccumulate => "IndexPutBackward",
        _ => _kind + "Backward",
    };

    internal override void ReleaseSaved() => _index?.Release();

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        Tensor g = grads[0]!;
        Tensor index = _index!.Unpack(this);
        bool needX = NeedsGrad(0), needSource = Next.Length > 1 && NeedsGrad(1);
        Tensor? gx = null, gs = null;
        switch (_kind)
        {
            case Kind.IndexSelect:
                gx = Zeros(g).IndexAdd(_dim, index, g);
                break;
            case Kind.Gather:
            case Kind.Sort:
            case Kind.TopK:
                gx = Zeros(g).ScatterAdd(_dim, index, g);
                break;
            case Kind.Scatter:
                if (needX) gx = g.Scatter(_dim, index, 0.0);  // overwritten positions get nothing
                if (needSource) gs = g.Gather(_dim, index);
                break;
            case Kind.ScatterAdd:
                gx = g;
                if (needSource) gs = g.Gather(_dim, index);
                break;
            case Kind.IndexAdd:
                gx = g;
                if (needSource) gs = g.IndexSelect(_dim, index) * _alpha;
                break;
            case Kind.IndexCopy:
                if (needX) gx = g.IndexFill(_dim, index, 0.0);
                if (needSource) gs = g.IndexSelect(_dim, index);
                break;
            case Kind.IndexFill:
                if (needX) gx = g.IndexFill(_dim, index, 0.0);
                if (needSource) gs = g.IndexSelect(_dim, index).Sum();
                break;
            case Kind.MaskedFill:
                if (needX) gx = g.MaskedFill(index, 0.0);
                if (needSource) gs = (g * Ops.Mask(index, g.DType)).Sum();
                break;
            case Kind.MaskedSelect:
            {
                // x and the mask broadcast together; the selected gradient goes back to the selected positions.
                long[] full = BroadcastShape(_inputShape, index.ShapeRef);
                Tensor mask = index.Expand(full);
                gx = Broadcast.SumToShape(Tensor.Zeros(full, g.DType, g.Device).MaskedScatter(mask, g), _inputShape);
                break;
            }
            case Kind.MaskedScatter:
            {
                if (needX) gx = g.MaskedFill(index, 0.0);
                if (needSource)
                {
                    // The source's first k elements (k = masked count) were used, in order.
                    Tensor used = g.MaskedSelect(index);
                    long total = 1;
                    foreach (long s in _sourceShape!) total *= s;
                    long k = used.NumberOfElements;
                    Tensor flat = k == total ? used : Tensor.Cat(new[] { used, Tensor.Zeros(new[] { total - k }, g.DType, g.Device) });
                    gs = flat.Reshape(_sourceShape!);
                }
                break;
            }
            case Kind.Index:
            {
                Tensor z = Zeros(g);
                Kernels.IndexPut(z, _dim, index, g, accumulate: true);
                gx = z;
                break;
            }
            case Kind.IndexPut:
            case Kind.IndexPutAccumulate:
            {
                if (needX)
                {
                    if (_kind == Kind.IndexPutAccumulate) gx = g;
                    else
                    {
                        Tensor c = g.Clone();
                        Kernels.IndexPut(c, _dim, index, Tensor.Zeros(Array.Empty<long>(), g.DType, g.Device), accumulate: false);
                        gx = c;
                    }
                }
                if (needSource) gs = Broadcast.SumToShape(Kernels.Index(g, _dim, index), _sourceShape!);
                break;
            }
        }
        return Next.Length == 1
            ? new[] { needX ? Cast(gx!, _inputDType) : null }
            : new[] { needX && gx is not null ? Cast(gx, _inputDType) : null, needSource && gs is not null ? Cast(gs, _sourceDType) : null };
    }

    private Tensor Zeros(Tensor like) => Tensor.Zeros(_inputShape, like.DType, like.Device);

    private static Tensor Cast(Tensor t, DType dtype) => t.DType == dtype ? t : t.To(dtype);

    private static long[] BroadcastShape(long[] a, long[] b)
    {
        int n = Math.Max(a.Length, b.Length);
        var r = new long[n];
        for (int i = 0; i < n; ++i)
        {
            long x = i - (n - a.Length) >= 0 ? a[i - (n - a.Length)] : 1;
            long y = i - (n - b.Length) >= 0 ? b[i - (n - b.Length)] : 1;
            r[i] = x == 1 ? y : x;
        }
        return r;
    }
}

/// <summary>Flip, Roll, Repeat, Tril/Triu: rearrangements whose backward rearranges the gradient back.</summary>
internal sealed class RearrangeBackward : Node
{
    public enum Kind { Flip, Roll, Repeat, Tril, Triu }

    private readonly Kind _kind;
    private readonly int[] _dims;
    private readonly long[] _amounts;  // roll shifts, repeats, or the diagonal
    private readonly long[] _inputShape;

    public RearrangeBackward(Kind kind, Tensor x, int[] dims, long[] amounts)
    {
        _kind = kind;
        _dims = dims;
        _amounts = amounts;
        _inputShape = x.ShapeRef;
        Next = new[] { x.GradientEdge() };
    }

    public override string Name => _kind + "Backward";

    internal override Tensor?[] Apply(Tensor?[] grads)
    {
        Tensor g = grads[0]!;
        switch (_kind)
        {
            case Kind.Flip: return new[] { g.Flip(_dims) };
            case Kind.Roll:
            {
                var back = new long[_amounts.Length];
                for (int i = 0; i < back.Length; ++i) back[i] = -_amounts[i];
                Tensor r = _dims.Length == 0 ? g.Roll(back[0]).Reshape(_inputShape) : g.Roll(back, _dims);
                return new[] { r };
            }
            case Kind.Tril: return new[] { g.Tril(_amounts[0]) };
            case Kind.Triu: return new[] { g.Triu(_amounts[0]) };
            default:
            {
                // Repeat: view the gradient as (r0, s0, r1, s1, ...) and sum over the repeat axes.
                long[] reps = _amounts;
                int m = reps.Length, lead = m - _inputShape.Length;
                var split = new long[2 * m];
                var sumDims = new int[m];
                for (int i = 0; i < m; ++i)
                {
                    long s = i < lead ? 1 : _inputShape[i - lead];
                    split[2 * i] = reps[i];
                    split[2 * i + 1] = s;
                    sumDims[i] = 2 * i;
                }
                return new[] { g.Reshape(split).Sum(sumDims).Reshape(_inputShape) };
            }
        }
    }
}

/// <summary>Pad: the gradient is cropped (and folded back for the reflect, replicate and circular modes) natively.</summary>
internal sealed class PadBackwardNode : Node
{
    private readonly long[] _inputShape, _pad;
    private readonly PaddingMode _mode;

    public PadBackwardNode(Tensor x, long[] pad, PaddingMode mode)
    {
        _inputShape = x.ShapeRef;
        _pad = pad;
        _mode = mode;
        Next = new[] { x.GradientEdge() };
    }

    public override string Name => "PadBackward";

    internal override Tensor?[] Apply(Tensor?[] grads) => new[] { Differentiable(grads[0]!, _inputShape, _pad, _mode) };

    /// <summary>PadBackward as a recorded op: it is linear, and its own backward pads again (with zeros).</summary>
    public static Tensor Differentiable(Tensor g, long[] inputShape, long[] pad, PaddingMode mode)
    {
        Tensor r = Kernels.PadBackward(g, inputShape, pad, mode);
        if (Recording.Wants(g))
            Recording.Attach(r, new PadAdjoint(g.ShapeRef, pad, mode) { Next = new[] { g.GradientEdge() } });
        return r;
    }

    private sealed class PadAdjoint : Node
    {
        private readonly long[] _paddedShape, _pad;
        private readonly PaddingMode _mode;

        public PadAdjoint(long[] paddedShape, long[] pad, PaddingMode mode)
        {
            _paddedShape = paddedShape;
            _pad = pad;
            _mode = mode;
        }

        public override string Name => "PadBackwardBackward";

        internal override Tensor?[] Apply(Tensor?[] grads) => new[] { grads[0]!.Pad(_pad, _mode, 0) };
    }
}
