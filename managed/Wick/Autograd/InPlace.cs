using System;

namespace Wick;

/// <summary>
/// In-place operations under autograd. A leaf that requires grad may not be written (outside NoGrad). A non-leaf
/// written in place gets a new history: the op's node, whose edges point at the tensor's previous history, becomes its
/// GradFn ("rebase"). Values from before the write that the backward rule needs are kept in a snapshot copy that
/// stands for the old tensor in the graph. A write through a view rebases the view's base instead (PyTorch's
/// CopySlices), and the view becomes a view of the new base.
/// </summary>
internal static class InPlace
{
    public static void CheckWritable(Tensor self, string op)
    {
        if (self._requiresGrad && self._gradFn is null)
            throw new InvalidOperationException(
                $"{op}: a leaf tensor that requires grad cannot be modified in place while gradients are recorded " +
                "(its gradient would no longer match its value). Modify it inside `using (Autograd.NoGrad())`, as optimizers do, " +
                "or use the out-of-place operation.");
        if (self._viewBase is { } root && root._requiresGrad && root._gradFn is null)
            throw new InvalidOperationException(
                $"{op}: this tensor is a view of a leaf tensor that requires grad, which cannot be modified in place while " +
                "gradients are recorded. Modify it inside `using (Autograd.NoGrad())`, or work on a Clone().");
    }

    /// <summary>A copy of <paramref name="self"/>'s current value that stands for it in the graph (same history); the caller disposes it.</summary>
    public static Tensor Snapshot(Tensor self)
    {
        Tensor copy;
        using (GradMode.Scope(false)) copy = self.Clone();
        DisposeScope.Current?.TryRemove(copy);
        copy.CopyHistoryFrom(self);
        return copy;
    }

    /// <summary>
    /// Gives <paramref name="self"/> (just written in place) a new history: output 0 of <paramref name="node"/>, whose
    /// edge 0 is self's previous history. For a view, its base gets the new history (<see cref="CopySlices"/>).
    /// </summary>
    public static void Rebase(Tensor self, Node node)
    {
        if (self._viewBase is not { } root)
        {
            Recording.Attach(self, node);
            return;
        }
        var baseGeometry = new Geometry(root);
        var viewGeometry = new Geometry(self);
        var slices = new CopySlices(node, baseGeometry, viewGeometry, root.DType) { Next = new Edge[node.Next.Length] };
        slices.Next[0] = root.GradientEdge();
        for (int i = 1; i < node.Next.Length; ++i) slices.Next[i] = node.Next[i];
        Recording.Attach(root, slices);
        var view = new ViewOfBaseBackward(baseGeometry, viewGeometry, root.DType) { Next = new[] { new Edge(slices, 0) } };
        Recording.Attach(self, view);
        self._viewRecorded = true;
        self._viewBaseFn = slices;
    }

    /// <summary>
    /// After an in-place write that fully replaced <paramref name="self"/>'s value with something that does not depend on it
    /// (fill, random fill): the old history receives zeros.
    /// </summary>
    public static void RebaseOverwritten(Tensor self, string name, Edge oldEdge)
    {
        var node = new OverwriteBackward(name, self.ShapeRef, self.DType) { Next = new[] { oldEdge } };
        Rebase(self, node);
    }
}
