using Wick.Native;

namespace Wick.Interop;

/// <summary>Builds the native scalar operand; its kind decides type promotion as in PyTorch.</summary>
internal static class Scalars
{
    public static wk_scalar Float(double v) => new() { kind = (int)wk_scalar_kind.WK_SCALAR_FLOAT, f = v };
    public static wk_scalar Int(long v) => new() { kind = (int)wk_scalar_kind.WK_SCALAR_INT, i = v, f = v };
    /// <summary>A value meant for a tensor of <paramref name="dtype"/>: integers and bools refuse fractions.</summary>
    public static wk_scalar For(Wick.DType dtype, double value)
    {
        if (Wick.DTypeInfo.IsFloatingPoint(dtype)) return Float(value);
        if (System.Math.Floor(value) != value || double.IsInfinity(value))
            throw new System.ArgumentException($"{value} is not a whole number, so it cannot be stored in a {dtype} tensor");
        return dtype == Wick.DType.Bool ? Bool(value != 0) : Int((long)value);
    }

    public static wk_scalar Bool(bool v) => new() { kind = (int)wk_scalar_kind.WK_SCALAR_BOOL, i = v ? 1 : 0, f = v ? 1 : 0 };
}
