using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Onnx.Runtime;

/// <summary>
/// Reduce* operators. The axes come from the 'axes' attribute up to the opset where they became an input (13 for
/// ReduceSum, 18 for the others); no axes means all of them unless noop_with_empty_axes says "identity".
/// </summary>
internal static class ReductionOps
{
    public static void Register(Dictionary<string, Func<NodeContext, Kernel>> t)
    {
        t["ReduceSum"] = c => Reduce(c, 13, (x, dims, keep) => x.Sum(dims, keep));
        t["ReduceMean"] = c => Reduce(c, 18, (x, dims, keep) => x.Mean(dims, keep));
        t["ReduceMax"] = c => Reduce(c, 18, (x, dims, keep) => x.Amax(dims, keep));
        t["ReduceMin"] = c => Reduce(c, 18, (x, dims, keep) => x.Amin(dims, keep));
        t["ReduceProd"] = c => Reduce(c, 18, Prod);
        t["ReduceL1"] = c => Reduce(c, 18, (x, dims, keep) => x.Norm(1, dims, keep));
        t["ReduceL2"] = c => Reduce(c, 18, (x, dims, keep) => x.Norm(2, dims, keep));
        t["ReduceLogSumExp"] = c => Reduce(c, 18, (x, dims, keep) => x.LogSumExp(dims, keep));
        t["ReduceSumSquare"] = c => Reduce(c, 18, (x, dims, keep) =>
        {
            using Tensor sq = x.Square();
            return sq.Sum(dims, keep);
        });
        t["ArgMax"] = c => ArgReduce(c, (x, d, keep) => x.ArgMax(d, keep));
        t["ArgMin"] = c => ArgReduce(c, (x, d, keep) => x.ArgMin(d, keep));
    }

    private static Kernel Reduce(NodeContext c, long axesInputSince, Func<Tensor, int[], bool, Tensor> f)
    {
        bool axesAsInput = c.Opset >= axesInputSince;
        c.Arity(1, axesAsInput ? 2 : 1);
        bool keep = c.Int("keepdims", 1) != 0;
        bool noop = c.Int("noop_with_empty_axes", 0) != 0;
        long[]? fixedAxes = axesAsInput ? null : c.Ints("axes");
        return ins =>
        {
            Tensor x = ins[0]!;
            long[]? axes = fixedAxes;
            if (axesAsInput && ins.Length > 1 && ins[1] is { } a) axes = Values.Longs(a, c, "axes");
            if (axes is null || axes.Length == 0)
            {
                if (noop) return new[] { GraphRunner.Alias(x) };
                axes = Enumerable.Range(0, x.Dim).Select(i => (long)i).ToArray();
            }
            int[] dims = axes.Select(v => c.Axis(v, x.Dim, "axes")).Distinct().ToArray();
            if (dims.Length == 0) return new[] { x.Dim == 0 ? f(x, Array.Empty<int>(), keep) : GraphRunner.Alias(x) };
            return new[] { f(x, dims, keep) };
        };
    }

    /// <summary>Wick's product reduces one dimension at a time (highest first, so the others keep their numbers).</summary>
    private static Tensor Prod(Tensor x, int[] dims, bool keep)
    {
        Tensor r = GraphRunner.Alias(x);
        foreach (int d in dims.OrderByDescending(d => d))
        {
            Tensor next = r.Prod(d, keep);
            r.Dispose();
            r = next;
        }
        return r;
    }

    /// <summary>ArgMax/ArgMin along 'axis' (int64 result); select_last_index 1 is not implemented.</summary>
    private static Kernel ArgReduce(NodeContext c, Func<Tensor, int, bool, Tensor> f)
    {
        c.Arity(1, 1);
        long axis = c.Int("axis", 0);
        bool keep = c.Int("keepdims", 1) != 0;
        if (c.Int("select_last_index", 0) != 0) throw c.NotSupported("select_last_index 1 is not implemented (Wick returns the first extreme)");
        return ins =>
        {
            Tensor x = ins[0]!;
            Tensor r = f(x, c.Axis(axis, x.Dim), keep);
            if (r.DType == DType.Int64) return new[] { r };
            using (r) return new[] { r.To(DType.Int64) };
        };
    }
}
