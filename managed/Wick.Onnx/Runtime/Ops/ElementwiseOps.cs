using System;
using System.Collections.Generic;

namespace Wick.Onnx.Runtime;

/// <summary>Element-wise operators: arithmetic and comparisons with numpy broadcasting, and unary functions.</summary>
internal static class ElementwiseOps
{
    public static void Register(Dictionary<string, Func<NodeContext, Kernel>> t)
    {
        t["Add"] = c => Binary(c, (a, b) => a.Add(b));
        t["Sub"] = c => Binary(c, (a, b) => a.Sub(b));
        t["Mul"] = c => Binary(c, (a, b) => a.Mul(b));
        t["Div"] = c => Binary(c, Divide);
        t["Equal"] = c => Binary(c, (a, b) => a.Eq(b));
        t["Less"] = c => Binary(c, (a, b) => a.Lt(b));
        t["LessOrEqual"] = c => Binary(c, (a, b) => a.Le(b));
        t["Greater"] = c => Binary(c, (a, b) => a.Gt(b));
        t["GreaterOrEqual"] = c => Binary(c, (a, b) => a.Ge(b));
        t["Neg"] = c => Unary(c, x => x.Neg());
        t["Exp"] = c => Unary(c, x => x.Exp());
        t["Log"] = c => Unary(c, x => x.Log());
        t["Identity"] = c => Unary(c, GraphRunner.Alias);
        t["Sum"] = c => Variadic(c, (a, b) => a.Add(b));
    }

    public static Kernel Unary(NodeContext c, Func<Tensor, Tensor> f)
    {
        c.Arity(1, 1);
        return ins => new[] { f(ins[0]!) };
    }

    public static Kernel Binary(NodeContext c, Func<Tensor, Tensor, Tensor> f)
    {
        if (c.Has("broadcast") && c.Opset < 7)
            throw c.NotSupported("the legacy 'broadcast'/'axis' attributes (opset < 7) are not implemented; re-export with opset 7 or later");
        c.Arity(2, 2);
        return ins => new[] { f(ins[0]!, ins[1]!) };
    }

    /// <summary>Sum/Max/Min/Mean of one or more inputs, broadcast together.</summary>
    public static Kernel Variadic(NodeContext c, Func<Tensor, Tensor, Tensor> f)
    {
        c.Arity(1, int.MaxValue);
        return ins =>
        {
            Tensor acc = GraphRunner.Alias(ins[0]!);
            for (int i = 1; i < ins.Length; ++i)
            {
                Tensor next = f(acc, ins[i]!);
                acc.Dispose();
                acc = next;
            }
            return new[] { acc };
        };
    }

    /// <summary>ONNX Div keeps the element type: integer division truncates toward zero (C semantics), which is what
    /// converting the float64 quotient back does.</summary>
    private static Tensor Divide(Tensor a, Tensor b)
    {
        if (a.DType.IsFloatingPoint() || b.DType.IsFloatingPoint()) return a.Div(b);
        using Tensor a64 = a.To(DType.Float64);
        using Tensor b64 = b.To(DType.Float64);
        using Tensor q = a64.Div(b64);
        return q.To(a.DType);
    }
}
