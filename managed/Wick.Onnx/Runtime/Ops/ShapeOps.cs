using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Onnx.Runtime;

/// <summary>Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Shape, Constant and other operators on layout and shape.</summary>
internal static class ShapeOps
{
    public static void Register(Dictionary<string, Func<NodeContext, Kernel>> t)
    {
        t["Reshape"] = Reshape;
        t["Flatten"] = Flatten;
        t["Transpose"] = Transpose;
        t["Squeeze"] = Squeeze;
        t["Unsqueeze"] = Unsqueeze;
        t["Shape"] = Shape;
        t["Constant"] = Constant;
    }

    private static Kernel Reshape(NodeContext c)
    {
        if (c.Opset < 5) throw c.NotSupported("Reshape with a 'shape' attribute (opset < 5) is not implemented");
        c.Arity(2, 2);
        bool allowZero = c.Int("allowzero", 0) != 0;
        return ins =>
        {
            Tensor x = ins[0]!;
            long[] shape = Values.Longs(ins[1]!, c, "shape");
            long[] input = x.Shape;
            for (int i = 0; i < shape.Length; ++i)
            {
                if (shape[i] == 0 && !allowZero)
                {
                    if (i >= input.Length) throw new ShapeMismatchException($"{c.Name}: shape {NodeContext.List(shape)} copies dimension {i} (a 0) but the input {NodeContext.List(input)} has only {input.Length}");
                    shape[i] = input[i];
                }
                else if (shape[i] < -1) throw new ShapeMismatchException($"{c.Name}: shape {NodeContext.List(shape)} has the invalid entry {shape[i]}");
            }
            return new[] { x.Reshape(shape) };
        };
    }

    private static Kernel Flatten(NodeContext c)
    {
        c.Arity(1, 1);
        long axis = c.Int("axis", 1);
        return ins =>
        {
            Tensor x = ins[0]!;
            int r = x.Dim;
            if (axis < -r || axis > r) throw new ArgumentOutOfRangeException("axis", axis, $"{c.Name}: axis {axis} is out of range for a rank-{r} input (valid: {-r} to {r})");
            int a = (int)(axis < 0 ? axis + r : axis);
            long[] s = x.Shape;
            long outer = 1, inner = 1;
            for (int i = 0; i < a; ++i) outer = checked(outer * s[i]);
            for (int i = a; i < r; ++i) inner = checked(inner * s[i]);
            return new[] { x.Reshape(outer, inner) };
        };
    }

    private static Kernel Transpose(NodeContext c)
    {
        c.Arity(1, 1);
        long[]? perm = c.Ints("perm");
        return ins =>
        {
            Tensor x = ins[0]!;
            int[] p = perm is null ? Enumerable.Range(0, x.Dim).Reverse().ToArray() : perm.Select(v => c.Axis(v, x.Dim, "perm")).ToArray();
            if (p.Length != x.Dim || p.Distinct().Count() != p.Length)
                throw new ShapeMismatchException($"{c.Name}: perm {NodeContext.List(perm!)} is not a permutation of the {x.Dim} dimensions of the input");
            return new[] { x.Permute(p) };
        };
    }

    private static long[]? AxesOf(NodeContext c, Tensor?[] ins, long[]? attribute) =>
        c.Opset >= 13 ? (ins.Length > 1 && ins[1] is { } a ? Values.Longs(a, c, "axes") : null) : attribute;

    private static Kernel Squeeze(NodeContext c)
    {
        c.Arity(1, c.Opset >= 13 ? 2 : 1);
        long[]? attr = c.Opset >= 13 ? null : c.Ints("axes");
        return ins =>
        {
            Tensor x = ins[0]!;
            long[]? axes = AxesOf(c, ins, attr);
            long[] s = x.Shape;
            int[] dims = axes is null
                ? Enumerable.Range(0, x.Dim).Where(i => s[i] == 1).ToArray()
                : axes.Select(v => c.Axis(v, x.Dim, "axes")).Distinct().ToArray();
            foreach (int d in dims)
                if (s[d] != 1) throw new ShapeMismatchException($"{c.Name}: cannot squeeze dimension {d} of size {s[d]} (shape {NodeContext.List(s)})");
            long[] shape = s.Where((_, i) => !dims.Contains(i)).ToArray();
            return new[] { x.Reshape(shape) };
        };
    }

    private static Kernel Unsqueeze(NodeContext c)
    {
        c.Arity(c.Opset >= 13 ? 2 : 1, c.Opset >= 13 ? 2 : 1);
        long[]? attr = c.Opset >= 13 ? null : (c.Ints("axes") ?? throw c.Error("attribute 'axes' is required"));
        return ins =>
        {
            Tensor x = ins[0]!;
            long[] axes = AxesOf(c, ins, attr)!;
            int rank = x.Dim + axes.Length;
            int[] dims = axes.Select(v => c.Axis(v, rank, "axes")).ToArray();
            if (dims.Distinct().Count() != dims.Length) throw new ArgumentException($"{c.Name}: axes {NodeContext.List(axes)} repeat a dimension");
            var shape = new long[rank];
            long[] s = x.Shape;
            for (int i = 0, j = 0; i < rank; ++i) shape[i] = dims.Contains(i) ? 1 : s[j++];
            return new[] { x.Reshape(shape) };
        };
    }

    private static Kernel Shape(NodeContext c)
    {
        c.Arity(1, 1);
        long? start = c.IntOrNull("start"), end = c.IntOrNull("end");
        return ins =>
        {
            long[] s = ins[0]!.Shape;
            int r = s.Length;
            int Clamp(long v) => (int)Math.Clamp(v < 0 ? v + r : v, 0, r);
            int b = Clamp(start ?? 0), e = Clamp(end ?? r);
            long[] part = e > b ? s[b..e] : Array.Empty<long>();
            return new[] { Tensor.FromArray(part, part.Length) };
        };
    }

    private static Kernel Constant(NodeContext c)
    {
        c.Arity(0, 0);
        Tensor value;
        if (c.TensorAttribute("value") is { } proto) value = c.Constant(proto, "attribute 'value'");
        else if (c.Has("value_float")) value = Own(c, Tensor.Scalar(c.Float("value_float", 0)));
        else if (c.Has("value_floats")) { float[] f = c.Floats("value_floats")!; value = Own(c, Tensor.FromArray(f, f.Length)); }
        else if (c.Has("value_int")) value = Own(c, Tensor.Scalar(c.Int("value_int", 0)));
        else if (c.Has("value_ints")) { long[] v = c.Ints("value_ints")!; value = Own(c, Tensor.FromArray(v, v.Length)); }
        else if (c.Has("sparse_value") || c.Has("value_string") || c.Has("value_strings"))
            throw c.NotSupported("sparse and string constants are not implemented");
        else throw c.Error("a Constant needs one of the attributes value, value_float, value_floats, value_int, value_ints");
        return _ => new[] { GraphRunner.Alias(value) };
    }

    private static Tensor Own(NodeContext c, Tensor t)
    {
        c.Owned.Add(t);
        return t;
    }
}
