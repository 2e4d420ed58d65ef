namespace Wick;

// Neural-network ops that PyTorch also offers as tensor methods; the rest are in Functional.
public sealed partial class Tensor
{
    /// <summary>Softmax along <paramref name="dim"/> (see <see cref="Functional.Softmax"/>).</summary>
    public Tensor Softmax(int dim) => Functional.Softmax(this, dim);

    /// <summary>Log-softmax along <paramref name="dim"/> (see <see cref="Functional.LogSoftmax"/>).</summary>
    public Tensor LogSoftmax(int dim) => Functional.LogSoftmax(this, dim);
}
