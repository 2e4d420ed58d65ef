using System;
using System.Collections.Generic;
using Wick.Onnx.Loading;

namespace Wick.Onnx.Runtime;

/// <summary>
/// Element-wise operators: arithmetic, comparisons and logic with numpy broadcasting, unary functions and activations,
/// Cast, Clip and Where.
/// </summary>
internal static class ElementwiseOps
{
    public static void Register(Dictionary<string, Func<NodeContext, Kernel>> t)
    {
        t["Add"] = c => Binary(c, (a, b) => a.Add(b));
        t["Sub"] = c => Binary(c, (a, b) => a.Sub(b));
        t["Mul"] = c => Binary(c, (a, b) => a.Mul(b));
        t["Div"] = c => Binary(c, Divide);
        t["Pow"] = c => Binary(c, Power);
        t["Equal"] = c => Binary(c, (a, b) => a.Eq(b));
        t["Less"] = c => Binary(c, (a, b) => a.Lt(b));
        t["LessOrEqual"] = c => Binary(c, (a, b) => a.Le(b));
        t["Greater"] = c => Binary(c, (a, b) => a.Gt(b));
        t["GreaterOrEqual"] = c => Binary(c, (a, b) => a.Ge(b));
        t["And"] = c => Binary(c, (a, b) => a.LogicalAnd(b));
        t["Or"] = c => Binary(c, (a, b) => a.LogicalOr(b));
        t["Xor"] = c => Binary(c, (a, b) => a.LogicalXor(b));
        t["Not"] = c => Unary(c, x => x.LogicalNot());
        t["Neg"] = c => Unary(c, x => x.Neg());
        t["Abs"] = c => Unary(c, x => x.Abs());
        t["Sign"] = c => Unary(c, x => x.Sign());
        t["Exp"] = c => Unary(c, x => x.Exp());
        t["Log"] = c => Unary(c, x => x.Log());
        t["Sqrt"] = c => Unary(c, x => x.Sqrt());
        t["Reciprocal"] = c => Unary(c, x => x.Reciprocal());
        t["Floor"] = c => Unary(c, x => x.Floor());
        t["Ceil"] = c => Unary(c, x => x.Ceil());
        t["Erf"] = c => Unary(c, x => x.Erf());
        t["Sin"] = c => Unary(c, x => x.Sin());
        t["Cos"] = c => Unary(c, x => x.Cos());
        t["Tan"] = c => Unary(c, x => x.Tan());
        t["Asin"] = c => Unary(c, x => x.Asin());
        t["Acos"] = c => Unary(c, x => x.Acos());
        t["Atan"] = c => Unary(c, x => x.Atan());
        t["Sinh"] = c => Unary(c, x => x.Sinh());
        t["Cosh"] = c => Unary(c, x => x.Cosh());
        t["Tanh"] = c => Unary(c, x => x.Tanh());
        t["Sigmoid"] = c => Unary(c, x => x.Sigmoid());
        t["Relu"] = c => Unary(c, x => x.Relu());
        t["Softplus"] = c => Unary(c, x => x.Softplus());
        t["Elu"] = c => { double alpha = c.Float("alpha", 1f); return Unary(c, x => x.Elu(alpha)); };
        t["LeakyRelu"] = c => { double alpha = c.Float("alpha", 0.01f); return Unary(c, x => x.LeakyRelu(alpha)); };
        t["Gelu"] = Gelu;
        t["HardSigmoid"] = c =>
        {
            double alpha = c.Float("alpha", 0.2f), beta = c.Float("beta", 0.5f);
            return Unary(c, x => HardSigmoid(x, alpha, beta));
        };
        t["Selu"] = c =>
        {
            double alpha = c.Float("alpha", 1.67326319217681884765625f), gamma = c.Float("gamma", 1.05070102214813232421875f);
            return Unary(c, x => Selu(x, alpha, gamma));
        };
        t["Softsign"] = c => Unary(c, Softsign);
        t["HardSwish"] = c => Unary(c, x =>
        {
            using Tensor gate = HardSigmoid(x, 1.0 / 6, 0.5);
            return x.Mul(gate);
        });
        t["PRelu"] = c => Binary(c, (x, slope) =>
        {
            using Tensor negative = x.Lt(0.0);
            using Tensor scaled = x.Mul(slope);
            return Tensor.Where(negative, scaled, x);
        });
        t["IsNaN"] = c => Unary(c, x => x.IsNan());
        t["IsInf"] = c =>
        {
            bool negative = c.Int("detect_negative", 1) != 0, positive = c.Int("detect_positive", 1) != 0;
            return Unary(c, x => IsInf(x, negative, positive));
        };
        t["Mod"] = c =>
        {
            // fmod 0: the remainder takes the divisor's sign (integers only, as Python's %); fmod 1: the dividend's (C fmod).
            bool fmod = c.Int("fmod", 0) != 0;
            return Binary(c, (a, b) =>
            {
                if (!fmod && (a.DType.IsFloatingPoint() || b.DType.IsFloatingPoint()))
                    throw new DTypeException($"{c.Name}: Mod with fmod 0 takes integer tensors, got {a.DType} and {b.DType} (floating inputs need fmod 1)");
                return fmod ? a.Fmod(b) : a.Remainder(b);
            });
        };
        t["Identity"] = c => Unary(c, GraphRunner.Alias);
        t["Sum"] = c => Variadic(c, (a, b) => a.Add(b));
        t["Max"] = c => Variadic(c, (a, b) => a.Maximum(b));
        t["Min"] = c => Variadic(c, (a, b) => a.Minimum(b));
        t["Mean"] = Mean;
        t["Cast"] = Cast;
        t["Clip"] = Clip;
        t["Where"] = c =>
        {
            c.Arity(3, 3);
            return ins =>
            {
                if (ins[0]!.DType != DType.Bool) throw new DTypeException($"{c.Name}: the condition must be bool, got {ins[0]!.DType}");
                return new[] { Tensor.Where(ins[0]!, ins[1]!, ins[2]!) };
            };
        };
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

    /// <summary>Sum/Max/Min of one or more inputs, broadcast together.</summary>
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

    private static Kernel Mean(NodeContext c)
    {
        Kernel sum = Variadic(c, (a, b) => a.Add(b));
        return ins =>
        {
            Tensor s = sum(ins)[0]!;
            using (s) return new[] { s.Div((double)ins.Length) };
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

    /// <summary>ONNX Pow's result has the base's element type, whatever the exponent's: mixed types compute in float64.</summary>
    private static Tensor Power(Tensor a, Tensor b)
    {
        if (a.DType == b.DType) return a.Pow(b);
        using Tensor a64 = a.To(DType.Float64);
        using Tensor b64 = b.To(DType.Float64);
        using Tensor p = a64.Pow(b64);
        return p.To(a.DType);
    }

    /// <summary>max(0, min(1, alpha·x + beta)).</summary>
    private static Tensor HardSigmoid(Tensor x, double alpha, double beta)
    {
        using Tensor scaled = x.Mul(alpha);
        using Tensor shifted = scaled.Add(beta);
        return shifted.Clamp(0.0, 1.0);
    }

    /// <summary>gamma·x for x &gt; 0, gamma·alpha·(exp(x) - 1) otherwise.</summary>
    private static Tensor Selu(Tensor x, double alpha, double gamma)
    {
        using Tensor elu = x.Elu(alpha);
        return elu.Mul(gamma);
    }

    /// <summary>x / (1 + |x|).</summary>
    private static Tensor Softsign(Tensor x)
    {
        using Tensor magnitude = x.Abs();
        using Tensor denominator = magnitude.Add(1.0);
        return x.Div(denominator);
    }

    private static Tensor IsInf(Tensor x, bool negative, bool positive)
    {
        Tensor inf = x.IsInf();
        if (negative && positive) return inf;
        using (inf)
        {
            using Tensor sign = x.Gt(0.0);
            using Tensor wanted = positive ? GraphRunner.Alias(sign) : sign.LogicalNot();
            return inf.LogicalAnd(wanted);
        }
    }

    private static Kernel Gelu(NodeContext c)
    {
        string approximate = c.String("approximate", "none");
        if (approximate is not ("none" or "tanh")) throw c.Error($"attribute 'approximate' is '{OnnxSource.Text(approximate)}'; Gelu takes 'none' or 'tanh'");
        return Unary(c, x => x.Gelu(approximate));
    }

    private static Kernel Cast(NodeContext c)
    {
        c.Arity(1, 1);
        long to = c.IntRequired("to");
        // saturate and round_mode only change conversions to the float8/float4 types, which Wick does not have.
        if (c.Opset >= 19) c.Int("saturate", 1);
        if (c.Opset >= 25) c.String("round_mode", "up");
        string? problem = $"the unknown element type {to}";
        DType? target = to is > 0 and <= int.MaxValue ? OnnxDTypes.ToWick((int)to, out problem) : null;
        if (target is not DType d) throw c.NotSupported($"'to' is {problem}");
        return ins => new[] { ins[0]!.To(d) };
    }

    /// <summary>Clip: bounds from the 'min'/'max' attributes before opset 11, from optional scalar inputs since.</summary>
    private static Kernel Clip(NodeContext c)
    {
        if (c.Opset < 11)
        {
            c.Arity(1, 1);
            double lo = c.Float("min", float.MinValue), hi = c.Float("max", float.MaxValue);
            return ins => new[] { ins[0]!.Clamp(lo, hi) };
        }
        c.Arity(1, 3);
        return ins =>
        {
            double? lo = ins.Length > 1 && ins[1] is { } a ? Values.Scalar(a, c, "min") : null;
            double? hi = ins.Length > 2 && ins[2] is { } b ? Values.Scalar(b, c, "max") : null;
            if (lo is null && hi is null) return new[] { GraphRunner.Alias(ins[0]!) };
            return new[] { ins[0]!.Clamp(lo, hi) };
        };
    }
}
