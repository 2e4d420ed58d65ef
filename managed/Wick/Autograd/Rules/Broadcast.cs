using System;
using System.Collections.Generic;

namespace Wick;

/// <summary>Gradients of broadcast operands: summed over the broadcast dimensions back to the operand's shape.</summary>
internal static class Broadcast
{
    public static bool SameShape(long[] a, long[] b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; ++i)
            if (a[i] != b[i]) return false;
        return true;
    }

    /// <summary>
    /// <paramref name="g"/> (the broadcast shape) summed down to <paramref name="shape"/>: over the leading dimensions
    /// the operand lacks and over those where it has size 1. Returns <paramref name="g"/> itself when nothing is summed.
    /// </summary>
    public static Tensor SumToShape(Tensor g, long[] shape)
    {
        long[] gs = g.ShapeRef;
        if (SameShape(gs, shape)) return g;
        int lead = gs.Length - shape.Length;
        if (lead < 0)
            throw new WickInternalException($"SumToShape: a gradient of shape [{string.Join(", ", gs)}] cannot be reduced to [{string.Join(", ", shape)}]");
        var dims = new List<int>();
        for (int i = 0; i < lead; ++i) dims.Add(i);
        for (int i = 0; i < shape.Length; ++i)
            if (shape[i] == 1 && gs[lead + i] != 1) dims.Add(lead + i);
        Tensor summed = dims.Count == 0 ? g : g.Sum(dims.ToArray(), keepDim: true);
        return lead == 0 && SameShape(summed.ShapeRef, shape) ? summed : summed.Reshape(shape);
    }

    /// <summary>The gradient for an operand of <paramref name="shape"/> and <paramref name="dtype"/>: summed to its shape, converted to its dtype.</summary>
    public static Tensor ToOperand(Tensor g, long[] shape, DType dtype)
    {
        Tensor r = SumToShape(g, shape);
        return r.DType == dtype ? r : r.To(dtype);
    }
}
