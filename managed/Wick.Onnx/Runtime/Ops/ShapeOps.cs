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
        t["Concat"] = Concat;
        t["Gather"] = Gather;
        t["Slice"] = Slice;
        t["Expand"] = Expand;
        t["Tile"] = Tile;
        t["Split"] = Split;
        t["ConstantOfShape"] = ConstantOfShape;
        t["Range"] = Range;
        t["Size"] = c =>
        {
            c.Arity(1, 1);
            return ins => new[] { Tensor.Scalar(ins[0]!.NumberOfElements) };
        };
        t["Trilu"] = Trilu;
        t["Pad"] = Pad;
        t["CumSum"] = CumSum;
    }

    private static Kernel Concat(NodeContext c)
    {
        c.Arity(1, int.MaxValue);
        long axis = c.IntRequired("axis");
        return ins =>
        {
            Tensor[] xs = ins.Select(x => x!).ToArray();
            return new[] { Tensor.Cat(xs, c.Axis(axis, xs[0].Dim)) };
        };
    }

    /// <summary>out = data.shape[:axis] + indices.shape + data.shape[axis+1:]; negative indices count from the end.</summary>
    private static Kernel Gather(NodeContext c)
    {
        c.Arity(2, 2);
        long axis = c.Int("axis", 0);
        return ins =>
        {
            Tensor data = ins[0]!, indices = ins[1]!;
            if (indices.DType is not (DType.Int64 or DType.Int32))
                throw new DTypeException($"{c.Name}: indices must be int32 or int64, got {indices.DType}");
            int a = c.Axis(axis, data.Dim);
            long size = data.Size(a);
            using Tensor flat = indices.Reshape(-1);
            using Tensor idx64 = flat.To(DType.Int64);
            using Tensor negative = idx64.Lt(0.0);
            using Tensor mask = negative.To(DType.Int64);
            using Tensor shift = mask.Mul(size);
            using Tensor fixedIdx = idx64.Add(shift);
            using Tensor picked = data.IndexSelect(a, fixedIdx);
            long[] ds = data.Shape;
            long[] shape = ds[..a].Concat(indices.Shape).Concat(ds[(a + 1)..]).ToArray();
            return new[] { picked.Reshape(shape) };
        };
    }

    /// <summary>
    /// Slice(data, starts, ends, axes?, steps?): per axis, start and end are clamped as ONNX says ([0, dim] for a
    /// positive step, [-1, dim - 1] for a negative one); a negative step reads backwards (a flip, then a forward slice).
    /// </summary>
    private static Kernel Slice(NodeContext c)
    {
        if (c.Opset < 10) throw c.NotSupported("Slice with attributes (opset < 10) is not implemented");
        c.Arity(3, 5);
        return ins =>
        {
            Tensor x = ins[0]!;
            long[] starts = Values.Longs(ins[1]!, c, "starts"), ends = Values.Longs(ins[2]!, c, "ends");
            long[] axes = ins.Length > 3 && ins[3] is { } ax ? Values.Longs(ax, c, "axes") : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
            long[] steps = ins.Length > 4 && ins[4] is { } st ? Values.Longs(st, c, "steps") : Enumerable.Repeat(1L, starts.Length).ToArray();
            if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
                throw new ShapeMismatchException($"{c.Name}: starts, ends, axes and steps must have one entry per sliced axis; got {starts.Length}, {ends.Length}, {axes.Length}, {steps.Length}");
            Tensor r = GraphRunner.Alias(x);
            try
            {
                var seen = new HashSet<int>();
                for (int i = 0; i < starts.Length; ++i)
                {
                    int a = c.Axis(axes[i], x.Dim, "axes");
                    if (!seen.Add(a)) throw new ArgumentException($"{c.Name}: axis {a} is sliced twice");
                    long dim = r.Size(a), step = steps[i];
                    if (step == 0) throw new ArgumentException($"{c.Name}: step 0 on axis {a}");
                    long s = starts[i], e = ends[i];
                    if (s < 0) s += dim;
                    if (e < 0) e += dim;
                    Tensor next;
                    if (step > 0)
                    {
                        s = Math.Clamp(s, 0, dim);
                        e = Math.Clamp(e, 0, dim);
                        next = r.Slice(a, s, Math.Max(s, e), step);
                    }
                    else
                    {
                        // Backwards from s (clamped to [-1, dim-1]) down to e (exclusive): in the flipped tensor,
                        // index i is dim-1-i, so this is a forward slice from dim-1-s to dim-1-e.
                        s = Math.Clamp(s, -1, dim - 1);
                        e = Math.Clamp(e, -1, dim - 1);
                        using Tensor flipped = r.Flip(a);
                        long fs = dim - 1 - s, fe = dim - 1 - e;
                        next = flipped.Slice(a, fs, Math.Max(fs, fe), -step);
                    }
                    r.Dispose();
                    r = next;
                }
                return new[] { r };
            }
            catch
            {
                r.Dispose();
                throw;
            }
        };
    }

    /// <summary>Expand broadcasts both ways: the result shape is the broadcast of the input's shape and the given one.</summary>
    private static Kernel Expand(NodeContext c)
    {
        c.Arity(2, 2);
        return ins =>
        {
            Tensor x = ins[0]!;
            long[] shape = Values.Longs(ins[1]!, c, "shape");
            long[] s = x.Shape;
            int n = Math.Max(s.Length, shape.Length);
            var target = new long[n];
            for (int i = 0; i < n; ++i)
            {
                long a = i - (n - s.Length) >= 0 ? s[i - (n - s.Length)] : 1;
                long b = i - (n - shape.Length) >= 0 ? shape[i - (n - shape.Length)] : 1;
                if (a != b && a != 1 && b != 1)
                    throw new ShapeMismatchException($"{c.Name}: input shape {NodeContext.List(s)} does not broadcast to {NodeContext.List(shape)}");
                target[i] = a == 1 ? b : a;
            }
            c.CheckElements(target, "the expanded shape");
            using Tensor view = x.Expand(target);
            return new[] { view.Contiguous() };
        };
    }

    private static Kernel Tile(NodeContext c)
    {
        c.Arity(2, 2);
        return ins =>
        {
            long[] repeats = Values.Longs(ins[1]!, c, "repeats");
            if (repeats.Length != ins[0]!.Dim)
                throw new ShapeMismatchException($"{c.Name}: repeats has {repeats.Length} entries for a rank-{ins[0]!.Dim} input");
            if (repeats.Any(r => r < 0)) throw new ShapeMismatchException($"{c.Name}: repeats {NodeContext.List(repeats)} has a negative entry");
            c.CheckElements(ins[0]!.Shape.Concat(repeats), "the input shape and repeats");
            return new[] { ins[0]!.Repeat(repeats) };
        };
    }

    private static Kernel Split(NodeContext c)
    {
        bool splitAsInput = c.Opset >= 13;
        c.Arity(1, splitAsInput ? 2 : 1, 1, int.MaxValue);
        long axis = c.Int("axis", 0);
        long[]? attr = splitAsInput ? null : c.Ints("split");
        long? numOutputs = c.Opset >= 18 ? c.IntOrNull("num_outputs") : null;
        int outputs = c.OutputCount;
        return ins =>
        {
            Tensor x = ins[0]!;
            int a = c.Axis(axis, x.Dim);
            long dim = x.Size(a);
            long[]? sizes = splitAsInput ? (ins.Length > 1 && ins[1] is { } sp ? Values.Longs(sp, c, "split") : null) : attr;
            if (sizes is null)
            {
                // Equal parts; with num_outputs (opset 18) the last part may be smaller.
                long parts = numOutputs ?? outputs;
                long each = numOutputs is null ? dim / parts : (dim + parts - 1) / parts;
                if (numOutputs is null && dim % parts != 0)
                    throw new ShapeMismatchException($"{c.Name}: dimension {a} of size {dim} does not split into {parts} equal parts");
                sizes = Enumerable.Range(0, (int)parts).Select(i => Math.Min(each, Math.Max(0, dim - i * each))).ToArray();
            }
            if (sizes.Length != outputs || sizes.Sum() != dim || sizes.Any(v => v < 0))
                throw new ShapeMismatchException($"{c.Name}: split sizes {NodeContext.List(sizes)} must be {outputs} non-negative sizes adding up to {dim}");
            Tensor[] parts2 = x.Split(sizes, a);
            return parts2.Select(p => (Tensor?)p).ToArray();
        };
    }

    private static Kernel ConstantOfShape(NodeContext c)
    {
        c.Arity(1, 1);
        double value = 0;
        DType dtype = DType.Float32;
        if (c.TensorAttribute("value") is { } proto)
        {
            using Tensor v = Loading.TensorDecoder.Decode(proto, $"{c.Name}, attribute 'value'", c.Source, null);
            if (v.NumberOfElements != 1) throw c.Error("attribute 'value' must hold one element");
            dtype = v.DType;
            using Tensor d = v.To(DType.Float64);
            value = d.ToArray<double>()[0];
        }
        return ins =>
        {
            long[] shape = Values.Longs(ins[0]!, c, "shape");
            if (shape.Any(v => v < 0)) throw new ShapeMismatchException($"{c.Name}: shape {NodeContext.List(shape)} has a negative entry");
            c.CheckElements(shape, "shape");
            return new[] { Tensor.Full(shape, value, dtype) };
        };
    }

    /// <summary>
    /// Pad (opset 11+): pads [x1_begin, x2_begin, ..., x1_end, x2_end] over all axes or the 'axes' input (opset 18),
    /// mode constant (negative pads crop), reflect, edge or wrap, on Wick's pad (whose list runs last axis first).
    /// </summary>
    private static Kernel Pad(NodeContext c)
    {
        if (c.Opset < 11) throw c.NotSupported("Pad with a 'pads' attribute (opset < 11) is not implemented");
        c.Arity(2, c.Opset >= 18 ? 4 : 3);
        string mode = c.String("mode", "constant");
        PaddingMode m = mode switch
        {
            "constant" => PaddingMode.Constant,
            "reflect" => PaddingMode.Reflect,
            "edge" => PaddingMode.Replicate,
            "wrap" => PaddingMode.Circular,
            _ => throw c.Error($"attribute 'mode' is '{Loading.OnnxSource.Text(mode)}'; valid: constant, reflect, edge, wrap"),
        };
        return ins =>
        {
            Tensor x = ins[0]!;
            long[] pads = Values.Longs(ins[1]!, c, "pads");
            double value = ins.Length > 2 && ins[2] is { } v ? Values.Scalar(v, c, "constant_value") : 0;
            int[] axes = ins.Length > 3 && ins[3] is { } ax
                ? Values.Longs(ax, c, "axes").Select(a => c.Axis(a, x.Dim, "axes")).ToArray()
                : Enumerable.Range(0, x.Dim).ToArray();
            if (pads.Length != 2 * axes.Length)
                throw new ShapeMismatchException($"{c.Name}: pads {NodeContext.List(pads)} must have 2 entries per padded axis ({2 * axes.Length})");
            if (axes.Distinct().Count() != axes.Length) throw new ArgumentException($"{c.Name}: axes repeat a dimension");
            var before = new long[x.Dim];
            var after = new long[x.Dim];
            for (int i = 0; i < axes.Length; ++i)
            {
                before[axes[i]] = pads[i];
                after[axes[i]] = pads[axes.Length + i];
            }
            long[] s = x.Shape;
            c.CheckElements(s.Select((d, i) => Math.Max(0, Math.Min(d + Math.Max(before[i], 0) + Math.Max(after[i], 0), 1L << 60))), "the padded shape");
            // Wick's list: (before, after) of the last axis first, and only as many axes as are padded.
            int first = Enumerable.Range(0, x.Dim).FirstOrDefault(i => before[i] != 0 || after[i] != 0, x.Dim);
            var list = new List<long>();
            for (int i = x.Dim - 1; i >= first; --i) { list.Add(before[i]); list.Add(after[i]); }
            if (list.Count == 0) return new[] { GraphRunner.Alias(x) };
            return new[] { x.Pad(list.ToArray(), m, m == PaddingMode.Constant ? value : 0) };
        };
    }

    /// <summary>Trilu: keeps the upper (upper 1, default) or lower triangle of the last two axes, from diagonal k.</summary>
    private static Kernel Trilu(NodeContext c)
    {
        c.Arity(1, 2);
        bool upper = c.Int("upper", 1) != 0;
        return ins =>
        {
            long k = ins.Length > 1 && ins[1] is { } kt ? (long)Values.Scalar(kt, c, "k") : 0;
            Tensor x = ins[0]!;
            if (x.Dim < 2) throw new ShapeMismatchException($"{c.Name}: input must have at least 2 dimensions, got shape {NodeContext.List(x.Shape)}");
            return new[] { upper ? x.Triu(k) : x.Tril(k) };
        };
    }

    /// <summary>CumSum along the axis input; reverse sums from the end (a flip on each side), exclusive leaves out the element itself.</summary>
    private static Kernel CumSum(NodeContext c)
    {
        c.Arity(2, 2);
        bool exclusive = c.Int("exclusive", 0) != 0, reverse = c.Int("reverse", 0) != 0;
        return ins =>
        {
            Tensor x = ins[0]!;
            int a = c.Axis((long)Values.Scalar(ins[1]!, c, "axis"), x.Dim);
            using Tensor source = reverse ? x.Flip(a) : GraphRunner.Alias(x);
            Tensor sum = source.CumSum(a);
            if (exclusive)
            {
                Tensor inclusive = sum;
                sum = inclusive.Sub(source);
                inclusive.Dispose();
            }
            if (!reverse) return new[] { sum };
            using (sum) return new[] { sum.Flip(a) };
        };
    }

    private static Kernel Range(NodeContext c)
    {
        c.Arity(3, 3);
        return ins =>
        {
            DType t = ins[0]!.DType;
            double start = Values.Scalar(ins[0]!, c, "start"), limit = Values.Scalar(ins[1]!, c, "limit"), delta = Values.Scalar(ins[2]!, c, "delta");
            if (delta == 0) throw new ArgumentException($"{c.Name}: delta is 0");
            double count = Math.Ceiling((limit - start) / delta);
            if (!double.IsFinite(count)) throw new ArgumentException($"{c.Name}: start {start}, limit {limit} and delta {delta} do not give a finite count");
            c.CheckElements(new[] { (long)Math.Min(Math.Max(count, 0), long.MaxValue / 2) }, "the range");
            return new[] { Tensor.Arange(start, limit, delta, t) };
        };
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
