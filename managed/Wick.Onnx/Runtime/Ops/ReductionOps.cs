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
}
