using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>
/// Differentiable operations the backward rules need that have no public method yet: each is the same choke-point
/// call a public method makes, so it is recorded too and rules stay differentiable (higher-order gradients).
/// </summary>
internal static class Ops
{
    private static Tensor U(Tensor x, wk_unary_op op, double p0 = 0, double p1 = 0) => Kernels.Unary(x, op, p0, p1);

    public static Tensor Sign(Tensor x) => U(x, wk_unary_op.WK_UNARY_SIGN);
    public static Tensor Abs(Tensor x) => U(x, wk_unary_op.WK_UNARY_ABS);
    public static Tensor Sqrt(Tensor x) => U(x, wk_unary_op.WK_UNARY_SQRT);
    public static Tensor Exp(Tensor x) => U(x, wk_unary_op.WK_UNARY_EXP);
    public static Tensor Log(Tensor x) => U(x, wk_unary_op.WK_UNARY_LOG);
    public static Tensor Sin(Tensor x) => U(x, wk_unary_op.WK_UNARY_SIN);
    public static Tensor Cos(Tensor x) => U(x, wk_unary_op.WK_UNARY_COS);
    public static Tensor Sinh(Tensor x) => U(x, wk_unary_op.WK_UNARY_SINH);
    public static Tensor Cosh(Tensor x) => U(x, wk_unary_op.WK_UNARY_COSH);
    public static Tensor Tanh(Tensor x) => U(x, wk_unary_op.WK_UNARY_TANH);
    public static Tensor Sigmoid(Tensor x) => U(x, wk_unary_op.WK_UNARY_SIGMOID);
    public static Tensor Erf(Tensor x) => U(x, wk_unary_op.WK_UNARY_ERF);
    public static Tensor Floor(Tensor x) => U(x, wk_unary_op.WK_UNARY_FLOOR);
    public static Tensor Trunc(Tensor x) => U(x, wk_unary_op.WK_UNARY_TRUNC);
    public static Tensor Pow(Tensor a, Tensor b) => Kernels.Binary(a, b, wk_binary_op.WK_BINARY_POW);
    public static Tensor Pow(Tensor a, double s) => Kernels.BinaryScalar(a, Scalars.Float(s), wk_binary_op.WK_BINARY_POW);

    /// <summary>A reduction over <paramref name="dims"/> (every dimension when empty) with the dimensions kept.</summary>
    public static Tensor Reduce(Tensor x, wk_reduce_op op, int[] dims) => Kernels.Reduce(x, op, dims, keepDim: true);

    /// <summary>A 0/1 mask (a bool tensor) in the dtype of the gradient it multiplies (not differentiable).</summary>
    public static Tensor Mask(Tensor boolMask, DType dtype) => boolMask.To(dtype);
}
