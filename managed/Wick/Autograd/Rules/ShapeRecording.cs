using System;
using Wick.Native;

namespace Wick;

/// <summary>
/// Records the joining, indexing, masking, sorting and padding ops (the fronts in Kernels.Shape.cs call these only
/// when an operand requires grad). Ops that write into x come in two forms: out of place (a copy of x is written) and
/// in place (x itself, whose history is rebased; through a view, its base's).
/// </summary>
internal static class ShapeRecording
{
    public static Tensor Join(ReadOnlySpan<Tensor> tensors, int dim, Tensor? @out, bool stack)
    {
        if (@out is not null) throw Recording.OutNotDifferentiable(stack ? "Stack" : "Cat");
        Tensor r = stack ? Kernels.StackRaw(tensors, dim) : Kernels.CatRaw(tensors, dim);
        if (!r.DType.IsFloatingPoint()) return r;
        Node node = stack ? new StackBackward(tensors, dim, r.Dim) : new CatBackward(tensors, dim, r.Dim);
        return Recording.Attach(r, node);
    }

    /// <summary>Split's parts are slices of x: each is recorded as one (and marked as a view when it shares x's memory).</summary>
    public static Tensor[] Split(Tensor x, long[] sizes, int dim)
    {
        Tensor[] parts = Kernels.SplitRaw(x, sizes, dim);
        if (parts.Length == 0 || !x.DType.IsFloatingPoint()) return parts;
        int d = Tensor.NormalizeDim(dim, x.Dim);
        bool views = parts[0].StorageId == x.StorageId;
        long start = 0;
        foreach (Tensor part in parts)
        {
            long length = part.ShapeRef[d];
            var node = new SliceBackward(x.ShapeRef, d, start, start + length, 1);
            if (views) ViewRecording.Record(x, part, node);
            else
            {
                node.Next = new[] { x.GradientEdge() };
                Recording.Attach(part, node);
            }
            start += length;
        }
        return parts;
    }

    /// <summary>Ops reading x at an index or mask (IndexSelect, Gather, MaskedSelect, Index, Sort, TopK): records <paramref name="result"/>.</summary>
    public static Tensor Indexing(IndexingBackward.Kind kind, Tensor x, int dim, Tensor index, Tensor result) =>
        result.DType.IsFloatingPoint() ? Recording.Attach(result, new IndexingBackward(kind, x, dim, index)) : result;

    /// <summary>Ops writing into x at an index or mask from a source (or scalar): <paramref name="run"/> runs the op into its argument (null: a new tensor).</summary>
    public static Tensor Write(IndexingBackward.Kind kind, Tensor x, int dim, Tensor index, Tensor? source, double alpha, Tensor? @out,
                               Func<Tensor?, Tensor> run)
    {
        string name = kind == IndexingBackward.Kind.IndexPutAccumulate ? "IndexPut" : kind.ToString();
        if (@out is null)
        {
            Tensor r = run(null);
            return r.DType.IsFloatingPoint() ? Recording.Attach(r, new IndexingBackward(kind, x, dim, index, source, alpha)) : r;
        }
        if (!ReferenceEquals(@out, x)) throw Recording.OutNotDifferentiable(name);
        if (!x.DType.IsFloatingPoint()) return run(x);  // an integer tensor carries no gradient
        InPlace.CheckWritable(x, name + "InPlace");
        var node = new IndexingBackward(kind, x, dim, index, source, alpha);
        run(x);
        InPlace.Rebase(x, node);
        return x;
    }

    public static Tensor Rearranged(RearrangeBackward.Kind kind, Tensor x, int[] dims, long[] amounts, Tensor result) =>
        result.DType.IsFloatingPoint() ? Recording.Attach(result, new RearrangeBackward(kind, x, dims, amounts)) : result;

    public static Tensor Triangle(Tensor x, long diagonal, bool upper, Tensor? @out)
    {
        var kind = upper ? RearrangeBackward.Kind.Triu : RearrangeBackward.Kind.Tril;
        if (@out is null) return Rearranged(kind, x, Array.Empty<int>(), new[] { diagonal }, Kernels.TriangleRaw(x, diagonal, upper));
        if (!ReferenceEquals(@out, x)) throw Recording.OutNotDifferentiable(upper ? "Triu" : "Tril");
        InPlace.CheckWritable(x, upper ? "TriuInPlace" : "TrilInPlace");
        var node = new RearrangeBackward(kind, x, Array.Empty<int>(), new[] { diagonal });
        Kernels.TriangleRaw(x, diagonal, upper, x);
        InPlace.Rebase(x, node);
        return x;
    }

    public static Tensor Pad(Tensor x, long[] pad, PaddingMode mode, Tensor result) =>
        result.DType.IsFloatingPoint() ? Recording.Attach(result, new PadBackwardNode(x, (long[])pad.Clone(), mode)) : result;

    /// <summary>The value of an optional scalar operand.</summary>
    public static double ValueOf(wk_scalar? s, double missing) =>
        s is { } v ? (v.kind == (int)wk_scalar_kind.WK_SCALAR_FLOAT ? v.f : v.i) : missing;
}
