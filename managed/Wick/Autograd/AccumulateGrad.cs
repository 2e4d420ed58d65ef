using System;

namespace Wick;

/// <summary>
/// The node at a leaf that requires grad: adds the incoming gradient into the leaf's <see cref="Tensor.Grad"/>.
/// Without create_graph the sum is made in place (the Grad object stays the same across backward passes, as
/// optimizers expect); with create_graph it is made out of place so the new Grad carries its own history.
/// </summary>
internal sealed class AccumulateGrad : Node
{
    public readonly AutogradMeta Meta;

    public AccumulateGrad(AutogradMeta meta) => Meta = meta;

    public override string Name => "AccumulateGrad";

    internal override Tensor?[] Apply(Tensor?[] gradOutputs) =>
        throw new WickInternalException("AccumulateGrad is run by the engine through Accumulate");

    /// <summary>
    /// Adds <paramref name="grad"/> (engine-owned; consumed) into the leaf. <paramref name="exclusive"/> says that no other
    /// tensor shares its memory, so the leaf may keep it as its Grad without copying.
    /// </summary>
    public void Accumulate(Tensor grad, bool exclusive, bool createGraph)
    {
        AutogradMeta m = Meta;
        if (m.Owner.IsDisposed)
        {
            grad.Dispose();  // nobody can read this leaf's gradient any more
            return;
        }
        if (!Broadcast.SameShape(grad.ShapeRef, m.Shape))
        {
            string got = string.Join(", ", grad.ShapeRef), want = string.Join(", ", m.Shape);
            grad.Dispose();
            throw new WickInternalException($"AccumulateGrad: a gradient of shape [{got}] arrived for a leaf of shape [{want}]");
        }
        if (grad.DType != m.DType) grad = Engine.Adopt(ConsumeInto(grad, g => g.To(m.DType)));

        lock (m)
        {
            Tensor? old = m.Grad;
            if (old is null || old.IsDisposed)
            {
                // Keep the incoming tensor when nothing else can see its memory; else keep a dense copy of it.
                if (!exclusive || (!createGraph && !grad.IsContiguous)) grad = Engine.Adopt(ConsumeInto(grad, g => g.Clone()));
                m.Grad = grad;
            }
            else if (!createGraph && old.GradFn is null)
            {
                old.AddInPlace(grad);
                grad.Dispose();
            }
            else
            {
                m.Grad = Engine.Adopt(old + grad);
                old.Dispose();
                grad.Dispose();
            }
        }
    }

    private static Tensor ConsumeInto(Tensor t, Func<Tensor, Tensor> f)
    {
        try { return f(t); }
        finally { t.Dispose(); }
    }
}
