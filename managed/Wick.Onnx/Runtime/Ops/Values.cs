using System;
using System.Linq;

namespace Wick.Onnx.Runtime;

/// <summary>Reading small integer and scalar inputs (shapes, axes, bounds) that ONNX passes as tensors.</summary>
internal static class Values
{
    /// <summary>The values of a 0-d or 1-d integer tensor (int64, or int32 where older exporters use it).</summary>
    public static long[] Longs(Tensor t, NodeContext ctx, string what)
    {
        if (t.DType is not (DType.Int64 or DType.Int32))
            throw new DTypeException($"{ctx.Name}: {what} must be an int64 tensor, got {t.DType}");
        if (t.Dim > 1) throw new ShapeMismatchException($"{ctx.Name}: {what} must be 1-d, got shape {NodeContext.List(t.Shape)}");
        using Tensor c = t.To(DType.Int64, Device.Cpu);
        return c.ToArray<long>();
    }

    /// <summary>The value of a one-element tensor as a double.</summary>
    public static double Scalar(Tensor t, NodeContext ctx, string what)
    {
        if (t.NumberOfElements != 1)
            throw new ShapeMismatchException($"{ctx.Name}: {what} must hold one value, got shape {NodeContext.List(t.Shape)}");
        using Tensor c = t.To(DType.Float64, Device.Cpu);
        return c.ToArray<double>()[0];
    }

    public static int[] Ints(long[] v) => v.Select(x => (int)x).ToArray();
}
