using Wick.Interop;
using Wick.Native;

namespace Wick;

// Binary elementwise functions beyond + - * / (Tensor.Elementwise.cs): tensors broadcast, scalars
// follow PyTorch's promotion (a float scalar makes an integer tensor float32, an integer scalar
// keeps it integral).
public sealed partial class Tensor
{
    private Tensor Binary(Tensor other, wk_binary_op op) => Kernels.Binary(this, other, op);
    private Tensor Binary(double value, wk_binary_op op) => Kernels.BinaryScalar(this, Scalars.Float(value), op);
    private Tensor Binary(long value, wk_binary_op op) => Kernels.BinaryScalar(this, Scalars.Int(value), op);

    /// <summary>this ** exponent, elementwise (integers to negative integer powers are refused).</summary>
    public Tensor Pow(Tensor exponent) => Binary(exponent, wk_binary_op.WK_BINARY_POW);
    /// <summary>this ** exponent (2, 3, 0.5, -0.5, -1 and -2 take exact shortcuts).</summary>
    public Tensor Pow(double exponent) => Binary(exponent, wk_binary_op.WK_BINARY_POW);
    /// <summary>this ** exponent; an integer tensor stays integral.</summary>
    public Tensor Pow(long exponent) => Binary(exponent, wk_binary_op.WK_BINARY_POW);
    /// <summary>baseValue ** this, elementwise.</summary>
    public Tensor RPow(double baseValue) => Kernels.BinaryScalar(this, Scalars.Float(baseValue), wk_binary_op.WK_BINARY_POW, reverse: true);

    /// <summary>atan2(this, other): the angle of the point (other, this), in (-pi, pi].</summary>
    public Tensor Atan2(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_ATAN2);

    /// <summary>The larger of each pair (NaN if either is NaN).</summary>
    public Tensor Maximum(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_MAXIMUM);
    /// <summary>The smaller of each pair (NaN if either is NaN).</summary>
    public Tensor Minimum(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_MINIMUM);

    /// <summary>floor(this / other) (integer division by zero raises).</summary>
    public Tensor FloorDivide(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_FLOOR_DIV);
    /// <summary>floor(this / value).</summary>
    public Tensor FloorDivide(double value) => Binary(value, wk_binary_op.WK_BINARY_FLOOR_DIV);
    /// <summary>floor(this / value); an integer tensor stays integral.</summary>
    public Tensor FloorDivide(long value) => Binary(value, wk_binary_op.WK_BINARY_FLOOR_DIV);
    /// <summary>Python's %: the remainder with the sign of the divisor.</summary>
    public Tensor Remainder(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_REMAINDER);
    /// <summary>Python's %: the remainder with the sign of the divisor.</summary>
    public Tensor Remainder(double value) => Binary(value, wk_binary_op.WK_BINARY_REMAINDER);
    /// <summary>Python's %: the remainder with the sign of the divisor.</summary>
    public Tensor Remainder(long value) => Binary(value, wk_binary_op.WK_BINARY_REMAINDER);
    /// <summary>C's fmod: the remainder with the sign of the dividend.</summary>
    public Tensor Fmod(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_FMOD);
    /// <summary>C's fmod: the remainder with the sign of the dividend.</summary>
    public Tensor Fmod(double value) => Binary(value, wk_binary_op.WK_BINARY_FMOD);

    /// <summary>True where both are nonzero.</summary>
    public Tensor LogicalAnd(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_LOGICAL_AND);
    /// <summary>True where either is nonzero.</summary>
    public Tensor LogicalOr(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_LOGICAL_OR);
    /// <summary>True where exactly one is nonzero.</summary>
    public Tensor LogicalXor(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_LOGICAL_XOR);
    /// <summary>Bitwise and (integer and bool tensors).</summary>
    public Tensor BitwiseAnd(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_BITWISE_AND);
    /// <summary>Bitwise or (integer and bool tensors).</summary>
    public Tensor BitwiseOr(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_BITWISE_OR);
    /// <summary>Bitwise exclusive or (integer and bool tensors).</summary>
    public Tensor BitwiseXor(Tensor other) => Binary(other, wk_binary_op.WK_BINARY_BITWISE_XOR);

    /// <summary>this **= exponent in place; returns this tensor.</summary>
    public Tensor PowInPlace(Tensor exponent) => Kernels.Binary(this, exponent, wk_binary_op.WK_BINARY_POW, this);
    /// <summary>this **= exponent in place; returns this tensor.</summary>
    public Tensor PowInPlace(double exponent) => Kernels.BinaryScalar(this, Scalars.Float(exponent), wk_binary_op.WK_BINARY_POW, @out: this);
    /// <summary>this = max(this, other) in place; returns this tensor.</summary>
    public Tensor MaximumInPlace(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_MAXIMUM, this);
    /// <summary>this = min(this, other) in place; returns this tensor.</summary>
    public Tensor MinimumInPlace(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_MINIMUM, this);
    /// <summary>this = floor(this / other) in place; returns this tensor.</summary>
    public Tensor FloorDivideInPlace(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_FLOOR_DIV, this);
    /// <summary>this %= other in place (sign of the divisor); returns this tensor.</summary>
    public Tensor RemainderInPlace(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_REMAINDER, this);
    /// <summary>this %= value in place (sign of the divisor); returns this tensor.</summary>
    public Tensor RemainderInPlace(double value) => Kernels.BinaryScalar(this, Scalars.Float(value), wk_binary_op.WK_BINARY_REMAINDER, @out: this);
    /// <summary>this = atan2(this, other) in place; returns this tensor.</summary>
    public Tensor Atan2InPlace(Tensor other) => Kernels.Binary(this, other, wk_binary_op.WK_BINARY_ATAN2, this);
}
