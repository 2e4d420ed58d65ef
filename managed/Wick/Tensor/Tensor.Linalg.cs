namespace Wick;

// Matrix products (MatMul is in Tensor.Reductions.cs). All run on Wick's packed GEMM for float32 and
// float64 and read transposed or sliced operands in place, without a copy.
public sealed partial class Tensor
{
    /// <summary>Batched matrix product of 3-D tensors: (B, n, k) @ (B, k, m) gives (B, n, m), without broadcasting (torch.bmm).</summary>
    /// <exception cref="ShapeMismatchException">An operand is not 3-D, or the batch or inner sizes differ.</exception>
    public Tensor Bmm(Tensor other) => Kernels.Bmm(this, other);

    /// <summary>Matrix-vector product: (n, k) @ (k) gives (n).</summary>
    /// <exception cref="ShapeMismatchException">This is not 2-D, <paramref name="vector"/> not 1-D, or the sizes differ.</exception>
    public Tensor Mv(Tensor vector) => Kernels.Mv(this, vector);

    /// <summary>Inner product of two vectors of the same length, as a 0-d tensor.</summary>
    /// <exception cref="ShapeMismatchException">An operand is not 1-D or the lengths differ.</exception>
    public Tensor Dot(Tensor other) => Kernels.Dot(this, other);

    /// <summary>Outer product of vectors (n) and (m): the (n, m) matrix of all products.</summary>
    /// <exception cref="ShapeMismatchException">An operand is not 1-D.</exception>
    public Tensor Outer(Tensor other) => Kernels.Outer(this, other);

    /// <summary>
    /// <c>beta * this + alpha * (mat1 @ mat2)</c> for 2-D <paramref name="mat1"/> (n, k) and <paramref name="mat2"/> (k, m);
    /// this tensor broadcasts to (n, m). With <paramref name="beta"/> 0 this tensor is ignored (NaN in it does not propagate).
    /// As torch.addmm, the usual form of a linear layer: <c>bias.AddMM(x, weight.T)</c>.
    /// </summary>
    /// <exception cref="ShapeMismatchException">The matrices are not 2-D, their inner sizes differ, or this does not broadcast to (n, m).</exception>
    public Tensor AddMM(Tensor mat1, Tensor mat2, double beta = 1, double alpha = 1) => Kernels.AddMM(this, mat1, mat2, beta, alpha);

    /// <summary>In-place <see cref="AddMM"/>: this = beta * this + alpha * (mat1 @ mat2); this must have the product's shape.</summary>
    public Tensor AddMMInPlace(Tensor mat1, Tensor mat2, double beta = 1, double alpha = 1) => Kernels.AddMM(this, mat1, mat2, beta, alpha, this);
}
