using Wick.Interop;
using Wick.Native;

namespace Wick;

public sealed partial class Tensor
{
    // Arithmetic: tensor-tensor operands broadcast; scalars follow PyTorch's type promotion
    // (an integer tensor times a float scalar gives float32, times an integer scalar stays integer).

    /// <summary>this + other (broadcasting).</summary>
    public Tensor Add(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_ADD);
    /// <summary>this + value.</summary>
    public Tensor Add(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_ADD);
    /// <summary>this + value (an integer scalar keeps integer tensors integral).</summary>
    public Tensor Add(long value) => Kernels.BinaryScalar(this, Scalars.Int(value), wk_binary_op.WK_BINARY_ADD);
    /// <summary>this - other (broadcasting).</summary>
    public Tensor Sub(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_SUB);
    /// <summary>this - value.</summary>
    public Tensor Sub(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_SUB);
    /// <summary>this - value.</summary>
    public Tensor Sub(long value) => Kernels.BinaryScalar(this, Scalars.Int(value), wk_binary_op.WK_BINARY_SUB);
    /// <summary>this * other (broadcasting).</summary>
    public Tensor Mul(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_MUL);
    /// <summary>this * value.</summary>
    public Tensor Mul(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_MUL);
    /// <summary>this * value.</summary>
    public Tensor Mul(long value) => Kernels.BinaryScalar(this, Scalars.Int(value), wk_binary_op.WK_BINARY_MUL);
    /// <summary>this / other, true division (integers give float32).</summary>
    public Tensor Div(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_DIV);
    /// <summary>this / value, true division.</summary>
    public Tensor Div(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_DIV);
    /// <summary>this / value, true division.</summary>
    public Tensor Div(long value) => Kernels.BinaryScalar(this, Scalars.Int(value), wk_binary_op.WK_BINARY_DIV);

    /// <summary>value - this.</summary>
    public Tensor RSub(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_SUB, reverse: true);
    /// <summary>value - this.</summary>
    public Tensor RSub(long value) => Kernels.BinaryScalar(this, Scalars.Int(value), wk_binary_op.WK_BINARY_SUB, reverse: true);
    /// <summary>value / this, true division.</summary>
    public Tensor RDiv(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_DIV, reverse: true);
    /// <summary>value / this, true division.</summary>
    public Tensor RDiv(long value) => Kernels.BinaryScalar(this, Scalars.Int(value), wk_binary_op.WK_BINARY_DIV, reverse: true);

    /// <summary>this += other in place; returns this tensor.</summary>
    public Tensor AddInPlace(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_ADD, this);
    /// <summary>this += value in place; returns this tensor.</summary>
    public Tensor AddInPlace(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_ADD, @out: this);
    /// <summary>this -= other in place; returns this tensor.</summary>
    public Tensor SubInPlace(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_SUB, this);
    /// <summary>this -= value in place; returns this tensor.</summary>
    public Tensor SubInPlace(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_SUB, @out: this);
    /// <summary>this *= other in place; returns this tensor.</summary>
    public Tensor MulInPlace(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_MUL, this);
    /// <summary>this *= value in place; returns this tensor.</summary>
    public Tensor MulInPlace(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_MUL, @out: this);
    /// <summary>this /= other in place; returns this tensor.</summary>
    public Tensor DivInPlace(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_DIV, this);
    /// <summary>this /= value in place; returns this tensor.</summary>
    public Tensor DivInPlace(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_DIV, @out: this);

    // Comparisons give bool tensors.

    /// <summary>Elementwise this == other.</summary>
    public Tensor Eq(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_EQ);
    /// <summary>Elementwise this == value.</summary>
    public Tensor Eq(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_EQ);
    /// <summary>Elementwise this != other.</summary>
    public Tensor Ne(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_NE);
    /// <summary>Elementwise this != value.</summary>
    public Tensor Ne(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_NE);
    /// <summary>Elementwise this &lt; other.</summary>
    public Tensor Lt(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_LT);
    /// <summary>Elementwise this &lt; value.</summary>
    public Tensor Lt(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_LT);
    /// <summary>Elementwise this &lt;= other.</summary>
    public Tensor Le(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_LE);
    /// <summary>Elementwise this &lt;= value.</summary>
    public Tensor Le(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_LE);
    /// <summary>Elementwise this &gt; other.</summary>
    public Tensor Gt(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_GT);
    /// <summary>Elementwise this &gt; value.</summary>
    public Tensor Gt(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_GT);
    /// <summary>Elementwise this &gt;= other.</summary>
    public Tensor Ge(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_GE);
    /// <summary>Elementwise this &gt;= value.</summary>
    public Tensor Ge(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_GE);
}
