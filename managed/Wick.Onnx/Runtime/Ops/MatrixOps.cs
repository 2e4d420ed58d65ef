using System;
using System.Collections.Generic;

namespace Wick.Onnx.Runtime;

/// <summary>MatMul (numpy semantics) and Gemm (Y = alpha·A'·B' + beta·C).</summary>
internal static class MatrixOps
{
    public static void Register(Dictionary<string, Func<NodeContext, Kernel>> t)
    {
        t["MatMul"] = c =>
        {
            c.Arity(2, 2);
            return ins => new[] { ins[0]!.MatMul(ins[1]!) };
        };
        t["Gemm"] = Gemm;
    }

    private static Kernel Gemm(NodeContext c)
    {
        c.Arity(2, 3);
        double alpha = c.Float("alpha", 1f), beta = c.Float("beta", 1f);
        bool transA = c.Int("transA", 0) != 0, transB = c.Int("transB", 0) != 0;
        if (c.Has("broadcast") && c.Opset < 7) c.Int("broadcast", 0); // every opset broadcasts C now
        return ins =>
        {
            Tensor a = ins[0]!, b = ins[1]!;
            if (a.Dim != 2 || b.Dim != 2)
                throw new ShapeMismatchException($"{c.Name}: A and B must be matrices, got shapes {NodeContext.List(a.Shape)} and {NodeContext.List(b.Shape)}");
            using Tensor at = transA ? a.T : GraphRunner.Alias(a);
            using Tensor bt = transB ? b.T : GraphRunner.Alias(b);
            Tensor y = at.MatMul(bt);
            if (alpha != 1) { Tensor s = y.Mul(alpha); y.Dispose(); y = s; }
            if (ins.Length > 2 && ins[2] is { } bias && beta != 0)
            {
                using Tensor scaled = beta == 1 ? GraphRunner.Alias(bias) : bias.Mul(beta);
                Tensor sum = y.Add(scaled);
                y.Dispose();
                y = sum;
            }
            return new[] { y };
        };
    }
}
