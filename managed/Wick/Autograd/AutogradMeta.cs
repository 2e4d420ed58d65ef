namespace Wick;

/// <summary>
/// The autograd state of a leaf (its accumulated gradient, its gradient accumulator and hooks), or of a non-leaf
/// that retains its gradient. Shared by every Tensor object standing for the same autograd variable (the user's
/// object and the references saved inside the graph); only <see cref="Owner"/> frees the gradient on Dispose.
/// </summary>
internal sealed class AutogradMeta
{
    /// <summary>The user-facing tensor: its Dispose frees <see cref="Grad"/>.</summary>
    public readonly Tensor Owner;

    /// <summary>Shape and dtype of the variable, which every gradient must have.</summary>
    public readonly long[] Shape;
    public readonly DType DType;

    /// <summary>The accumulated (or retained) gradient, owned here: replacing it disposes the previous one.</summary>
    public Tensor? Grad;

    /// <summary>The node that adds gradients into <see cref="Grad"/>; one per leaf, so paths to it are summed first.</summary>
    public AccumulateGrad? Accumulator;

    /// <summary>Hooks on a leaf, run on its gradient before accumulation.</summary>
    public System.Collections.Generic.List<TensorHook>? Hooks;

    /// <summary>For a non-leaf: <see cref="Tensor.RetainGrad"/> was called.</summary>
    public bool RetainsGrad;

    public AutogradMeta(Tensor owner)
    {
        Owner = owner;
        Shape = owner.ShapeRef;
        DType = owner.DType;
    }

    public AccumulateGrad GetAccumulator()
    {
        AccumulateGrad? acc = Accumulator;
        if (acc is not null) return acc;
        lock (this) return Accumulator ??= new AccumulateGrad(this);
    }

    /// <summary>Replaces the gradient, disposing the previous one.</summary>
    public void SetGrad(Tensor? grad)
    {
        Tensor? old;
        lock (this)
        {
            old = Grad;
            Grad = grad;
        }
        if (old is not null && !ReferenceEquals(old, grad)) old.Dispose();
    }

    public void ReleaseGrad() => SetGrad(null);
}
