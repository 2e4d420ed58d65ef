using System;
using System.Collections.Generic;
using Wick.Interop;
using Wick.Native;

namespace Wick.Tests.Autograd;

/// <summary>One row of the gradient spec: an op applied to sample inputs. Covers names the primitive(s) it checks.</summary>
public sealed class GradCase
{
    public GradCase(string name, Func<Tensor[], Tensor> f, Func<Tensor[]> inputs, string covers, bool gradGrad = true)
    {
        Name = name;
        F = f;
        Inputs = inputs;
        Covers = covers;
        GradGrad = gradGrad;
    }

    public string Name { get; }
    public Func<Tensor[], Tensor> F { get; }
    public Func<Tensor[]> Inputs { get; }
    public string Covers { get; }
    public bool GradGrad { get; }

    public override string ToString() => Name;
}

/// <summary>
/// The table of differentiable ops and their sample inputs (contiguous, transposed, strided, 0-d, broadcast).
/// Adding an op means adding rows here; <see cref="OpGradientTests"/> runs GradCheck and GradGradCheck on each.
/// </summary>
public static class OpSpecs
{
    // The device the cases make their own constants on (indices, masks, buffers): the CPU, or the inputs' device
    // while a harness runs the table there (ConstantsOn).
    private static readonly System.Threading.AsyncLocal<Device?> s_constantsDevice = new();

    /// <summary>Until disposed, the cases' own constants are made on <paramref name="device"/> (CUDA runs of the table).</summary>
    public static IDisposable ConstantsOn(Device device)
    {
        Device? before = s_constantsDevice.Value;
        s_constantsDevice.Value = device;
        return new Restore(() => s_constantsDevice.Value = before);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    // t on the constants' device (t itself on the CPU).
    private static Tensor Here(Tensor t)
    {
        if (s_constantsDevice.Value is not Device d || t.Device == d) return t;
        using (t) return t.To(d);
    }

    private static Tensor Const(long[] v) => Here(Tensor.FromArray(v));
    private static Tensor Const(long[,] v) => Here(Tensor.FromArray(v));
    private static Tensor Const(bool[] v) => Here(Tensor.FromArray(v));
    private static Tensor Const(bool[,] v) => Here(Tensor.FromArray(v));
    private static Tensor Const(float[] v) => Here(Tensor.FromArray(v));

    private delegate Tensor Sample(long[] shape, int seed, Layout layout);

    private static Sample Any => (s, seed, l) => Samples.Uniform(s, -2, 2, seed, l);
    private static Sample Positive => (s, seed, l) => Samples.Uniform(s, 0.5, 2, seed, l);
    private static Sample Unit => (s, seed, l) => Samples.Uniform(s, -0.9, 0.9, seed, l);
    private static Sample Kinked => (s, seed, l) => Samples.AwayFromZero(s, 0.1, 2, seed, l);
    private static Sample Steps => (s, seed, l) => Samples.BetweenIntegers(s, seed, l);
    private static Sample Far(double lo, double hi) => (s, seed, l) => Samples.AwayFromZero(s, lo, hi, seed, l);

    private static readonly (long[] Shape, Layout Layout)[] UnaryLayouts =
    {
        (new long[] { 3, 4 }, Layout.Contiguous),
        (new long[] { 3, 4 }, Layout.Transposed),
        (new long[] { 2, 3 }, Layout.Strided),
        (Array.Empty<long>(), Layout.Contiguous),
    };

    private static string Describe(long[] shape, Layout layout) => $"[{string.Join(",", shape)}]{(layout == Layout.Contiguous ? "" : " " + layout.ToString().ToLowerInvariant())}";

    public static IEnumerable<GradCase> All
    {
        get
        {
            foreach (var c in Unary()) yield return c;
            foreach (var c in Binary()) yield return c;
            foreach (var c in BinaryScalar()) yield return c;
            foreach (var c in Reductions()) yield return c;
            foreach (var c in Ternary()) yield return c;
            foreach (var c in Scans()) yield return c;
            foreach (var c in ShapeOps()) yield return c;
            foreach (var c in MatMul()) yield return c;
            foreach (var c in Views()) yield return c;
            foreach (var c in InPlaceOps()) yield return c;
            foreach (var c in Composites()) yield return c;
        }
    }

    private static IEnumerable<GradCase> Unary()
    {
        var ops = new (wk_unary_op Op, Sample Domain, double P0, double P1, string Label)[]
        {
            (wk_unary_op.WK_UNARY_NEG, Any, 0, 0, ""), (wk_unary_op.WK_UNARY_ABS, Kinked, 0, 0, ""),
            (wk_unary_op.WK_UNARY_SIGN, Kinked, 0, 0, ""), (wk_unary_op.WK_UNARY_EXP, Any, 0, 0, ""),
            (wk_unary_op.WK_UNARY_EXPM1, Any, 0, 0, ""), (wk_unary_op.WK_UNARY_LOG, Positive, 0, 0, ""),
            (wk_unary_op.WK_UNARY_LOG1P, Positive, 0, 0, ""), (wk_unary_op.WK_UNARY_LOG2, Positive, 0, 0, ""),
            (wk_unary_op.WK_UNARY_LOG10, Positive, 0, 0, ""), (wk_unary_op.WK_UNARY_EXP2, Any, 0, 0, ""),
            (wk_unary_op.WK_UNARY_SQRT, Positive, 0, 0, ""), (wk_unary_op.WK_UNARY_RSQRT, Positive, 0, 0, ""),
            (wk_unary_op.WK_UNARY_RECIPROCAL, Far(0.5, 2), 0, 0, ""), (wk_unary_op.WK_UNARY_SQUARE, Any, 0, 0, ""),
            (wk_unary_op.WK_UNARY_SIN, Any, 0, 0, ""), (wk_unary_op.WK_UNARY_COS, Any, 0, 0, ""),
            (wk_unary_op.WK_UNARY_TAN, Unit, 0, 0, ""), (wk_unary_op.WK_UNARY_TANH, Any, 0, 0, ""),
            (wk_unary_op.WK_UNARY_SIGMOID, Any, 0, 0, ""), (wk_unary_op.WK_UNARY_RELU, Kinked, 0, 0, ""),
            (wk_unary_op.WK_UNARY_GELU, Any, 0, 0, ""), (wk_unary_op.WK_UNARY_GELU_TANH, Any, 0, 0, ""),
            (wk_unary_op.WK_UNARY_SILU, Any, 0, 0, ""), (wk_unary_op.WK_UNARY_SOFTPLUS, Any, 1, 20, "(beta 1, threshold 20)"),
            (wk_unary_op.WK_UNARY_SOFTPLUS, Far(0.6, 2), 2, 1, "(beta 2, threshold 1)"),
            (wk_unary_op.WK_UNARY_ELU, Kinked, 1.5, 0, "(alpha 1.5)"), (wk_unary_op.WK_UNARY_LEAKY_RELU, Kinked, 0.1, 0, "(slope 0.1)"),
            (wk_unary_op.WK_UNARY_ERF, Any, 0, 0, ""), (wk_unary_op.WK_UNARY_FLOOR, Steps, 0, 0, ""),
            (wk_unary_op.WK_UNARY_CEIL, Steps, 0, 0, ""), (wk_unary_op.WK_UNARY_ROUND, Steps, 0, 0, ""),
            (wk_unary_op.WK_UNARY_TRUNC, Steps, 0, 0, ""), (wk_unary_op.WK_UNARY_CLAMP, Steps, -0.5, 0.5, "(-0.5, 0.5)"),
            (wk_unary_op.WK_UNARY_CLAMP, Steps, -0.5, double.NaN, "(min -0.5)"), (wk_unary_op.WK_UNARY_CLAMP, Steps, double.NaN, 0.5, "(max 0.5)"),
            (wk_unary_op.WK_UNARY_ASIN, Unit, 0, 0, ""), (wk_unary_op.WK_UNARY_ACOS, Unit, 0, 0, ""),
            (wk_unary_op.WK_UNARY_ATAN, Any, 0, 0, ""), (wk_unary_op.WK_UNARY_SINH, Any, 0, 0, ""),
            (wk_unary_op.WK_UNARY_COSH, Any, 0, 0, ""),
        };
        int seed = 100;
        foreach (var (op, domain, p0, p1, label) in ops)
        {
            foreach (var (shape, layout) in UnaryLayouts)
            {
                int s = seed++;
                string name = $"{Pascal(op.ToString(), "WK_UNARY_")}{label} {Describe(shape, layout)}";
                yield return new GradCase(name, x => Kernels.Unary(x[0], op, p0, p1), () => new[] { domain(shape, s, layout) }, "unary:" + op);
            }
        }
    }

    private static readonly (long[] A, Layout LA, long[] B, Layout LB)[] BinaryShapes =
    {
        (new long[] { 3, 4 }, Layout.Contiguous, new long[] { 3, 4 }, Layout.Contiguous),
        (new long[] { 3, 4 }, Layout.Transposed, new long[] { 4 }, Layout.Contiguous),
        (new long[] { 2, 1, 3 }, Layout.Contiguous, new long[] { 4, 1 }, Layout.Strided),
        (Array.Empty<long>(), Layout.Contiguous, new long[] { 3 }, Layout.Contiguous),
        (new long[] { 2, 3 }, Layout.Strided, new long[] { 2, 3 }, Layout.Transposed),
    };

    private static IEnumerable<GradCase> Binary()
    {
        var ops = new (wk_binary_op Op, Sample A, Sample B)[]
        {
            (wk_binary_op.WK_BINARY_ADD, Any, Any), (wk_binary_op.WK_BINARY_SUB, Any, Any),
            (wk_binary_op.WK_BINARY_MUL, Any, Any), (wk_binary_op.WK_BINARY_DIV, Any, Far(0.5, 2)),
            (wk_binary_op.WK_BINARY_POW, Positive, (s, seed, l) => Samples.Uniform(s, -1.5, 1.5, seed, l)),
            (wk_binary_op.WK_BINARY_ATAN2, Kinked, Kinked), (wk_binary_op.WK_BINARY_MAXIMUM, Any, Any),
            (wk_binary_op.WK_BINARY_MINIMUM, Any, Any), (wk_binary_op.WK_BINARY_REMAINDER, Any, Far(0.5, 1.5)),
            (wk_binary_op.WK_BINARY_FMOD, Any, Far(0.5, 1.5)), (wk_binary_op.WK_BINARY_FLOOR_DIV, Any, Far(0.5, 1.5)),
        };
        int seed = 1000;
        foreach (var (op, da, db) in ops)
        {
            foreach (var (sa, la, sb, lb) in BinaryShapes)
            {
                int s = seed;
                seed += 2;
                string name = $"{Pascal(op.ToString(), "WK_BINARY_")} {Describe(sa, la)} and {Describe(sb, lb)}";
                yield return new GradCase(name, x => Kernels.Binary(x[0], x[1], op), () => new[] { da(sa, s, la), db(sb, s + 1, lb) }, "binary:" + op);
            }
        }
    }

    private static IEnumerable<GradCase> BinaryScalar()
    {
        var ops = new (wk_binary_op Op, Sample Domain, double S, bool Reverse)[]
        {
            (wk_binary_op.WK_BINARY_ADD, Any, 1.7, false), (wk_binary_op.WK_BINARY_SUB, Any, 1.7, false),
            (wk_binary_op.WK_BINARY_SUB, Any, 1.7, true), (wk_binary_op.WK_BINARY_MUL, Any, -1.7, false),
            (wk_binary_op.WK_BINARY_DIV, Any, 1.7, false), (wk_binary_op.WK_BINARY_DIV, Far(0.5, 2), 1.7, true),
            (wk_binary_op.WK_BINARY_POW, Positive, 2.5, false), (wk_binary_op.WK_BINARY_POW, Any, 2.5, true),
            (wk_binary_op.WK_BINARY_POW, Positive, 0, false), (wk_binary_op.WK_BINARY_ATAN2, Kinked, 0.7, false),
            (wk_binary_op.WK_BINARY_ATAN2, Kinked, 0.7, true), (wk_binary_op.WK_BINARY_MAXIMUM, Any, 0.3, false),
            (wk_binary_op.WK_BINARY_MINIMUM, Any, 0.3, false), (wk_binary_op.WK_BINARY_REMAINDER, Any, 0.7, false),
            (wk_binary_op.WK_BINARY_REMAINDER, Far(0.5, 1.5), 2.3, true), (wk_binary_op.WK_BINARY_FMOD, Any, 0.7, false),
            (wk_binary_op.WK_BINARY_FMOD, Far(0.5, 1.5), 2.3, true), (wk_binary_op.WK_BINARY_FLOOR_DIV, Any, 0.7, false),
        };
        int seed = 2000;
        foreach (var (op, domain, s, reverse) in ops)
        {
            foreach (var (shape, layout) in new[] { (new long[] { 3, 4 }, Layout.Transposed), (Array.Empty<long>(), Layout.Contiguous) })
            {
                int sd = seed++;
                string opName = Pascal(op.ToString(), "WK_BINARY_");
                string name = reverse ? $"{opName}({s}, x) x {Describe(shape, layout)}" : $"{opName}(x, {s}) x {Describe(shape, layout)}";
                yield return new GradCase(name, x => Kernels.BinaryScalar(x[0], Scalars.Float(s), op, reverse), () => new[] { domain(shape, sd, layout) }, "scalar:" + op);
            }
        }
    }

    private static IEnumerable<GradCase> Reductions()
    {
        var ops = new (wk_reduce_op Op, double Param, Sample Domain, string Label)[]
        {
            (wk_reduce_op.WK_REDUCE_SUM, 0, Any, ""), (wk_reduce_op.WK_REDUCE_MEAN, 0, Any, ""),
            (wk_reduce_op.WK_REDUCE_PROD, 0, Far(0.5, 1.5), ""), (wk_reduce_op.WK_REDUCE_MAX, 0, Any, ""),
            (wk_reduce_op.WK_REDUCE_MIN, 0, Any, ""), (wk_reduce_op.WK_REDUCE_VAR, 1, Any, "(correction 1)"),
            (wk_reduce_op.WK_REDUCE_VAR, 0, Any, "(correction 0)"), (wk_reduce_op.WK_REDUCE_STD, 1, Any, "(correction 1)"),
            (wk_reduce_op.WK_REDUCE_NORM, 1, Kinked, "(p 1)"), (wk_reduce_op.WK_REDUCE_NORM, 2, Any, "(p 2)"),
            (wk_reduce_op.WK_REDUCE_NORM, double.PositiveInfinity, Any, "(p inf)"), (wk_reduce_op.WK_REDUCE_NORM, 3, Kinked, "(p 3)"),
            (wk_reduce_op.WK_REDUCE_LOGSUMEXP, 0, Any, ""),
        };
        var forms = new (long[] Shape, Layout Layout, int[] Dims, bool KeepDim)[]
        {
            (new long[] { 3, 4 }, Layout.Contiguous, Array.Empty<int>(), false),
            (new long[] { 3, 4 }, Layout.Transposed, new[] { 1 }, false),
            (new long[] { 2, 3, 4 }, Layout.Strided, new[] { 0, 2 }, true),
            (new long[] { 3, 4 }, Layout.Contiguous, new[] { -2 }, true),
            (Array.Empty<long>(), Layout.Contiguous, Array.Empty<int>(), false),
        };
        int seed = 3000;
        foreach (var (op, param, domain, label) in ops)
        {
            foreach (var (shape, layout, dims, keep) in forms)
            {
                int s = seed++;
                if (shape.Length == 0 && param > 0 && op is wk_reduce_op.WK_REDUCE_VAR or wk_reduce_op.WK_REDUCE_STD) continue;  // N - correction = 0
                string over = dims.Length == 0 ? "all" : $"dims ({string.Join(",", dims)}){(keep ? " keepDim" : "")}";
                string name = $"{Pascal(op.ToString(), "WK_REDUCE_")}{label} {over} of {Describe(shape, layout)}";
                yield return new GradCase(name, x => Kernels.Reduce(x[0], op, dims, keep, param), () => new[] { domain(shape, s, layout) }, "reduce:" + op);
            }
        }
        // Products with zeros take the exact path: one zero per row gets the product of the others, two give zeros.
        yield return new GradCase("Prod with zeros dim (1)", x => Kernels.Reduce(x[0], wk_reduce_op.WK_REDUCE_PROD, new[] { 1 }, false),
            () => new[] { Tensor.FromArray(new double[,] { { 0, 2, 3 }, { 1, 0, 0 }, { 2, 3, 4 } }).SetRequiresGrad() }, "reduce:WK_REDUCE_PROD", gradGrad: false);
    }

    private static IEnumerable<GradCase> Ternary()
    {
        Tensor U(long[] shape, int seed, Layout layout = Layout.Contiguous) => Samples.Uniform(shape, -2, 2, seed, layout);
        long[] s34 = { 3, 4 }, s4 = { 4 }, s31 = { 3, 1 }, s0 = Array.Empty<long>();
        Tensor Cond(long[] shape, int seed)
        {
            using Tensor u = Samples.Uniform(shape, -1, 1, seed).Detach();
            return Here(u.Gt(0.0));
        }
        yield return new GradCase("Where [3,4] ? transposed [3,4] : [4]", x => Tensor.Where(Cond(s34, 8000), x[0], x[1]),
            () => new[] { U(s34, 8001, Layout.Transposed), U(s4, 8002) }, "ternary:WK_TERNARY_WHERE");
        yield return new GradCase("Where [3,1] ? 0-d : strided [3,4]", x => Tensor.Where(Cond(s31, 8003), x[0], x[1]),
            () => new[] { U(s0, 8004), U(s34, 8005, Layout.Strided) }, "ternary:WK_TERNARY_WHERE");
        yield return new GradCase("Lerp [3,4] to [4] by 0.3", x => x[0].Lerp(x[1], 0.3),
            () => new[] { U(s34, 8006, Layout.Transposed), U(s4, 8007) }, "ternary:WK_TERNARY_LERP");
        yield return new GradCase("Lerp [3,4] to [3,1] by tensor [4]", x => x[0].Lerp(x[1], x[2]),
            () => new[] { U(s34, 8008), U(s31, 8009), U(s4, 8010, Layout.Strided) }, "ternary:WK_TERNARY_LERP");
        yield return new GradCase("Addcmul [3,4] + 0.7 [3,1] [4]", x => x[0].Addcmul(x[1], x[2], 0.7),
            () => new[] { U(s34, 8011), U(s31, 8012), U(s4, 8013) }, "ternary:WK_TERNARY_ADDCMUL");
        yield return new GradCase("Addcdiv 0-d + 1.5 [3,4] / [4]", x => x[0].Addcdiv(x[1], x[2], 1.5),
            () => new[] { U(s0, 8014), U(s34, 8015, Layout.Transposed), Samples.AwayFromZero(s4, 0.5, 2, 8016) }, "ternary:WK_TERNARY_ADDCDIV");
        yield return new GradCase("Clamp [3,4] between tensors [4] and [3,1]", x => x[0].Clamp(x[1], x[2]),
            () => new[] { Samples.BetweenIntegers(s34, 8017), Samples.Uniform(s4, -1.9, -1.1, 8018), Samples.Uniform(s31, 1.1, 1.9, 8019) }, "ternary:WK_TERNARY_CLAMP");
        yield return new GradCase("Clamp [3,4] above a tensor [4]", x => x[0].Clamp(x[1], null),
            () => new[] { Samples.BetweenIntegers(s34, 8020, Layout.Transposed), Samples.Uniform(s4, -0.9, -0.1, 8021) }, "ternary:WK_TERNARY_CLAMP");
        yield return new GradCase("Clamp [3,4] below a tensor [3,1]", x => x[0].Clamp(null, x[1]),
            () => new[] { Samples.BetweenIntegers(s34, 8022), Samples.Uniform(s31, 0.1, 0.9, 8023) }, "ternary:WK_TERNARY_CLAMP");
        yield return new GradCase("AddcmulInPlace on a non-leaf", x => { var y = x[0] * 1.0; y.AddcmulInPlace(x[1], x[0], 2.0); return y * y; },
            () => new[] { U(s34, 8024), U(s4, 8025) }, "ternary:inplace");
    }

    private static IEnumerable<GradCase> Scans()
    {
        long[] s34 = { 3, 4 }, s234 = { 2, 3, 4 };
        yield return new GradCase("CumSum(1) of transposed [3,4]", x => x[0].CumSum(1), () => new[] { Samples.Uniform(s34, -2, 2, 8100, Layout.Transposed) }, "scan:WK_SCAN_CUMSUM");
        yield return new GradCase("CumSum(0) of strided [2,3,4]", x => x[0].CumSum(0), () => new[] { Samples.Uniform(s234, -2, 2, 8101, Layout.Strided) }, "scan:WK_SCAN_CUMSUM");
        yield return new GradCase("CumSum(0) of 0-d", x => x[0].CumSum(0), () => new[] { Samples.Uniform(Array.Empty<long>(), -2, 2, 8102) }, "scan:WK_SCAN_CUMSUM");
        yield return new GradCase("CumProd(1) of [3,4]", x => x[0].CumProd(1), () => new[] { Samples.AwayFromZero(s34, 0.5, 1.5, 8103) }, "scan:WK_SCAN_CUMPROD");
        yield return new GradCase("CumProd(-2) of transposed [2,3,4]", x => x[0].CumProd(-2), () => new[] { Samples.AwayFromZero(s234, 0.5, 1.5, 8104, Layout.Transposed) }, "scan:WK_SCAN_CUMPROD");
        yield return new GradCase("CumProd(1) with zeros", x => x[0].CumProd(1),
            () => new[] { Tensor.FromArray(new double[,] { { 0, 2, 3, 0.5 }, { 1.5, 0, 0, 2 }, { 2, 3, -1, 0 } }).SetRequiresGrad() }, "scan:WK_SCAN_CUMPROD");
        yield return new GradCase("Max(1) values of transposed [3,4]", x => x[0].Max(1).Values, () => new[] { Samples.Uniform(s34, -2, 2, 8105, Layout.Transposed) }, "indices:max");
        yield return new GradCase("Max(-1, keepDim) values of [2,3,4]", x => x[0].Max(-1, keepDim: true).Values, () => new[] { Samples.Uniform(s234, -2, 2, 8106, Layout.Strided) }, "indices:max");
        yield return new GradCase("Min(0) values of [3,4]", x => x[0].Min(0).Values, () => new[] { Samples.Uniform(s34, -2, 2, 8107) }, "indices:min");
        yield return new GradCase("Max(0) values of 0-d", x => x[0].Max(0).Values, () => new[] { Samples.Uniform(Array.Empty<long>(), -2, 2, 8108) }, "indices:max");
    }

    private static IEnumerable<GradCase> ShapeOps()
    {
        Tensor U(long[] shape, int seed, Layout layout = Layout.Contiguous) => Samples.Uniform(shape, -2, 2, seed, layout);
        Tensor L(params long[] values) => Here(Tensor.FromArray(values));
        long[] s34 = { 3, 4 }, s234 = { 2, 3, 4 }, s24 = { 2, 4 };
        yield return new GradCase("Cat of [3,4], transposed [2,4], [1,4] along 0", x => Tensor.Cat(new[] { x[0], x[1], x[2] }, 0),
            () => new[] { U(s34, 9000), U(s24, 9001, Layout.Transposed), U(new long[] { 1, 4 }, 9002) }, "shape:cat");
        yield return new GradCase("Cat along -1 with a tensor that does not require grad", x => { using var c = Here(Tensor.Ones(new long[] { 3, 2 }, DType.Float64)); return Tensor.Cat(new[] { x[0], c }, -1); },
            () => new[] { U(s34, 9003, Layout.Strided) }, "shape:cat");
        yield return new GradCase("Stack of two [3,4] along 1", x => Tensor.Stack(new[] { x[0], x[1] }, 1),
            () => new[] { U(s34, 9004), U(s34, 9005, Layout.Transposed) }, "shape:stack");
        yield return new GradCase("Split(2, 1) parts combined", x => { var p = x[0].Split(2, 1); return p[0] * p[1]; },
            () => new[] { U(s34, 9006) }, "shape:split");
        yield return new GradCase("Chunk(3, 0) of [3,4]", x => { var p = x[0].Chunk(3, 0); return p[0] + p[2] * p[1]; },
            () => new[] { U(s34, 9007, Layout.Transposed) }, "shape:split");
        yield return new GradCase("IndexSelect(1, [3, 0, 3]) of transposed [3,4]", x => x[0].IndexSelect(1, L(3, 0, 3)),
            () => new[] { U(s34, 9008, Layout.Transposed) }, "shape:index_select");
        yield return new GradCase("Gather(1, index [3,2]) of [3,4]", x => x[0].Gather(1, Const(new long[,] { { 0, 3 }, { 1, 1 }, { 2, 0 } })),
            () => new[] { U(s34, 9009) }, "shape:gather");
        yield return new GradCase("Scatter(1, index, src) into [3,4]", x => x[0].Scatter(1, Const(new long[,] { { 0, 3 }, { 2, 1 }, { 1, 0 } }), x[1]),
            () => new[] { U(s34, 9010), U(new long[] { 3, 2 }, 9011) }, "shape:scatter");
        yield return new GradCase("Scatter(0, index, 2.5) into [3,4]", x => x[0].Scatter(0, Const(new long[,] { { 0, 2, 1, 0 } }), 2.5),
            () => new[] { U(s34, 9012, Layout.Strided) }, "shape:scatter");
        yield return new GradCase("ScatterAdd(1, index with repeats, src)", x => x[0].ScatterAdd(1, Const(new long[,] { { 0, 0, 3 }, { 2, 1, 2 }, { 1, 1, 1 } }), x[1]),
            () => new[] { U(s34, 9013), U(new long[] { 3, 3 }, 9014) }, "shape:scatter_add");
        yield return new GradCase("IndexAdd(0, [2, 0, 2], source, alpha 0.5)", x => x[0].IndexAdd(0, L(2, 0, 2), x[1], 0.5),
            () => new[] { U(s34, 9015), U(s34, 9016, Layout.Transposed) }, "shape:index_add");
        yield return new GradCase("IndexCopy(1, [1, 3], source)", x => x[0].IndexCopy(1, L(1, 3), x[1]),
            () => new[] { U(s34, 9017), U(new long[] { 3, 2 }, 9018) }, "shape:index_copy");
        yield return new GradCase("IndexFill(1, [0, 2], 0-d tensor value)", x => x[0].IndexFill(1, L(0, 2), x[1]),
            () => new[] { U(s34, 9019), U(Array.Empty<long>(), 9020) }, "shape:index_fill");
        yield return new GradCase("MaskedFill with a broadcast mask and a tensor value", x => x[0].MaskedFill(Const(new bool[] { true, false, false, true }), x[1]),
            () => new[] { U(s34, 9021, Layout.Transposed), U(Array.Empty<long>(), 9022) }, "shape:masked_fill");
        yield return new GradCase("MaskedFill with a scalar", x => x[0].MaskedFill(Const(new bool[,] { { true }, { false }, { true } }), -1.0),
            () => new[] { U(s34, 9023) }, "shape:masked_fill");
        yield return new GradCase("MaskedSelect with a broadcast mask", x => x[0].MaskedSelect(Const(new bool[] { true, false, true, true })),
            () => new[] { U(s34, 9024, Layout.Strided) }, "shape:masked_select");
        yield return new GradCase("MaskedScatter from a larger source", x => x[0].MaskedScatter(Const(new bool[,] { { true, false, false, true }, { false, false, true, false }, { true, true, false, false } }), x[1]),
            () => new[] { U(s34, 9025), U(new long[] { 2, 4 }, 9026) }, "shape:masked_scatter");
        yield return new GradCase("Indexer with an index tensor x[.., [2, 0, 2]]", x => x[0][.., L(2, 0, 2)],
            () => new[] { U(s34, 9027, Layout.Transposed) }, "shape:index");
        yield return new GradCase("Indexer with a bool mask x[mask]", x => x[0][Const(new bool[,] { { true, false, false, true }, { false, false, true, false }, { true, true, false, false } })],
            () => new[] { U(s34, 9028) }, "shape:index");
        yield return new GradCase("Index assignment x[[0, 2]] = v on a non-leaf", x => { var y = x[0] * 1.0; y[L(0, 2)] = x[1]; return y * x[0]; },
            () => new[] { U(s34, 9029), U(new long[] { 4 }, 9030) }, "shape:index_put", gradGrad: false);
        yield return new GradCase("Accumulating index put into a buffer", x => { var b = Here(Tensor.Zeros(new long[] { 3, 4 }, DType.Float64)); b.IndexPutInPlace(new TensorIndex[] { L(1, 1, 2) }, x[0], accumulate: true); return b * b; },
            () => new[] { U(new long[] { 3, 4 }, 9031) }, "shape:index_put", gradGrad: false);
        yield return new GradCase("ScatterInPlace and IndexAddInPlace on a non-leaf", x => { var y = x[0] * 2.0; y.ScatterInPlace(0, Const(new long[,] { { 1, 0, 2, 1 } }), x[1]); y.IndexAddInPlace(1, L(0, 0), x[2]); return y * y; },
            () => new[] { U(s34, 9032), U(new long[] { 1, 4 }, 9033), U(new long[] { 3, 2 }, 9034) }, "shape:inplace");
        yield return new GradCase("MaskedFillInPlace and TrilInPlace on a non-leaf", x => { var y = x[0] * 2.0; y.MaskedFillInPlace(Const(new bool[] { false, true, false, false }), 3.0); y.TrilInPlace(); return y * x[0]; },
            () => new[] { U(s34, 9035) }, "shape:inplace");
        yield return new GradCase("Flip(0, 2) of strided [2,3,4]", x => x[0].Flip(0, 2), () => new[] { U(s234, 9036, Layout.Strided) }, "shape:flip");
        yield return new GradCase("Roll(shifts (1, -2), dims (0, 1))", x => x[0].Roll(new long[] { 1, -2 }, new[] { 0, 1 }), () => new[] { U(s34, 9037, Layout.Transposed) }, "shape:roll");
        yield return new GradCase("Roll(5) of the flattened [3,4]", x => x[0].Roll(5), () => new[] { U(s34, 9038) }, "shape:roll");
        yield return new GradCase("Repeat(2, 1, 3) of [3,4] (adds a leading dim)", x => x[0].Repeat(2, 1, 3), () => new[] { U(s34, 9039) }, "shape:repeat");
        yield return new GradCase("Tile(2) of transposed [3,4]", x => x[0].Tile(2), () => new[] { U(s34, 9040, Layout.Transposed) }, "shape:repeat");
        yield return new GradCase("Tril(-1) and Triu(1) of [3,4]", x => x[0].Tril(-1) + x[0].Triu(1) * 3.0, () => new[] { U(s34, 9041) }, "shape:triangle");
        foreach (PaddingMode mode in Enum.GetValues<PaddingMode>())
        {
            long[] pad = mode == PaddingMode.Constant ? new long[] { 1, -1, 2, 0 } : new long[] { 2, 1, 1, 2 };
            yield return new GradCase($"Pad {mode} ({string.Join(",", pad)}) of [2,3,4]", x => x[0].Pad(pad, mode, mode == PaddingMode.Constant ? 0.5 : 0),
                () => new[] { U(s234, 9042 + (int)mode, Layout.Transposed) }, "shape:pad");
        }
        yield return new GradCase("Sort(1, descending) values", x => x[0].Sort(1, descending: true).Values, () => new[] { U(s34, 9050, Layout.Transposed) }, "shape:sort");
        yield return new GradCase("TopK(2, 0) values", x => x[0].TopK(2, 0).Values, () => new[] { U(s34, 9051) }, "shape:topk");
    }

    private static IEnumerable<GradCase> MatMul()
    {
        var pairs = new (long[] A, Layout LA, long[] B, Layout LB)[]
        {
            (new long[] { 3, 4 }, Layout.Contiguous, new long[] { 4, 2 }, Layout.Contiguous),
            (new long[] { 3, 4 }, Layout.Transposed, new long[] { 4, 2 }, Layout.Strided),
            (new long[] { 4 }, Layout.Contiguous, new long[] { 4, 2 }, Layout.Contiguous),
            (new long[] { 3, 4 }, Layout.Contiguous, new long[] { 4 }, Layout.Strided),
            (new long[] { 4 }, Layout.Contiguous, new long[] { 4 }, Layout.Contiguous),
            (new long[] { 2, 3, 4 }, Layout.Contiguous, new long[] { 2, 4, 2 }, Layout.Transposed),
            (new long[] { 2, 1, 3, 4 }, Layout.Contiguous, new long[] { 3, 4, 2 }, Layout.Contiguous),
            (new long[] { 2, 3, 4 }, Layout.Contiguous, new long[] { 4, 2 }, Layout.Contiguous),
            (new long[] { 4 }, Layout.Contiguous, new long[] { 2, 4, 3 }, Layout.Contiguous),
        };
        Tensor U(long[] shape, int seed, Layout layout = Layout.Contiguous) => Samples.Uniform(shape, -1, 1, seed, layout);
        yield return new GradCase("Bmm [2,3,4] by transposed [2,4,2]", x => x[0].Bmm(x[1]), () => new[] { U(new long[] { 2, 3, 4 }, 4100), U(new long[] { 2, 4, 2 }, 4101, Layout.Transposed) }, "linalg:bmm");
        yield return new GradCase("Mv transposed [3,4] by strided [4]", x => x[0].Mv(x[1]), () => new[] { U(new long[] { 3, 4 }, 4102, Layout.Transposed), U(new long[] { 4 }, 4103, Layout.Strided) }, "linalg:mv");
        yield return new GradCase("Dot [4] and [4]", x => x[0].Dot(x[1]), () => new[] { U(new long[] { 4 }, 4104), U(new long[] { 4 }, 4105) }, "linalg:dot");
        yield return new GradCase("Outer [3] and strided [4]", x => x[0].Outer(x[1]), () => new[] { U(new long[] { 3 }, 4106), U(new long[] { 4 }, 4107, Layout.Strided) }, "linalg:outer");
        yield return new GradCase("AddMM [2] + 1.5 [3,4]·[4,2] (beta 0.5)", x => x[0].AddMM(x[1], x[2], 0.5, 1.5), () => new[] { U(new long[] { 2 }, 4108), U(new long[] { 3, 4 }, 4109), U(new long[] { 4, 2 }, 4110, Layout.Transposed) }, "linalg:addmm");
        yield return new GradCase("AddMMInPlace on a non-leaf", x => { var y = x[0] * 1.0; y.AddMMInPlace(x[1], x[2], 2.0, -1.0); return y * y; }, () => new[] { U(new long[] { 3, 2 }, 4111), U(new long[] { 3, 4 }, 4112), U(new long[] { 4, 2 }, 4113) }, "linalg:addmm");
        int seed = 4000;
        foreach (var (sa, la, sb, lb) in pairs)
        {
            int s = seed;
            seed += 2;
            yield return new GradCase($"MatMul {Describe(sa, la)} by {Describe(sb, lb)}", x => x[0].MatMul(x[1]),
                () => new[] { Samples.Uniform(sa, -1, 1, s, la), Samples.Uniform(sb, -1, 1, s + 1, lb) }, "matmul");
        }
    }

    private static IEnumerable<GradCase> Views()
    {
        Tensor[] X(long[] shape, Layout layout = Layout.Contiguous) => new[] { Samples.Uniform(shape, -2, 2, 5000 + shape.Length, layout) };
        long[] s234 = { 2, 3, 4 };
        yield return new GradCase("View [2,3,4] as [6,4]", x => x[0].View(6, 4), () => X(s234), "view");
        yield return new GradCase("Reshape transposed [2,3,4] as [4,6] (copies)", x => x[0].Reshape(4, 6), () => X(s234, Layout.Transposed), "reshape");
        yield return new GradCase("Reshape [2,3,4] as [-1] (view)", x => x[0].Reshape(-1), () => X(s234), "reshape");
        yield return new GradCase("Transpose(0, 2) of [2,3,4]", x => x[0].Transpose(0, 2), () => X(s234), "transpose");
        yield return new GradCase("T of transposed [3,4]", x => x[0].T, () => X(new long[] { 3, 4 }, Layout.Transposed), "permute");
        yield return new GradCase("Permute(2, 0, 1) of strided [2,3,4]", x => x[0].Permute(2, 0, 1), () => X(s234, Layout.Strided), "permute");
        yield return new GradCase("Expand [3,1] to [2,3,4]", x => x[0].Expand(2, 3, 4), () => X(new long[] { 3, 1 }), "expand");
        yield return new GradCase("ExpandAs 0-d to [2,2]", x => x[0].Expand(2, 2), () => X(Array.Empty<long>()), "expand");
        yield return new GradCase("Slice(1, 0, 3, 2) of [2,3,4]", x => x[0].Slice(1, 0, 3, 2), () => X(s234), "slice");
        yield return new GradCase("Slice(-1, -3, end) of transposed [2,3,4]", x => x[0].Slice(-1, -3, long.MaxValue), () => X(s234, Layout.Transposed), "slice");
        yield return new GradCase("Narrow(2, 1, 2) of [2,3,4]", x => x[0].Narrow(2, 1, 2), () => X(s234), "slice");
        yield return new GradCase("Select(1, -1) of [2,3,4]", x => x[0].Select(1, -1), () => X(s234), "select");
        yield return new GradCase("Squeeze of [1,3,1]", x => x[0].Squeeze(), () => X(new long[] { 1, 3, 1 }), "squeeze");
        yield return new GradCase("Squeeze(0) of [1,3]", x => x[0].Squeeze(0), () => X(new long[] { 1, 3 }), "squeeze");
        yield return new GradCase("Unsqueeze(1) of strided [2,3]", x => x[0].Unsqueeze(1), () => X(new long[] { 2, 3 }, Layout.Strided), "unsqueeze");
        yield return new GradCase("Flatten(1) of transposed [2,3,4]", x => x[0].Flatten(1), () => X(s234, Layout.Transposed), "flatten");
        yield return new GradCase("Indexer [.., 1.., ^1] of [2,3,4]", x => x[0][.., 1.., ^1], () => X(s234), "index");
        yield return new GradCase("Contiguous of transposed [3,4]", x => x[0].Contiguous(), () => X(new long[] { 3, 4 }, Layout.Transposed), "contiguous");
        yield return new GradCase("Clone of strided [2,3]", x => x[0].Clone(), () => X(new long[] { 2, 3 }, Layout.Strided), "clone");
        yield return new GradCase("View chain: Select of Transpose of Expand", x => x[0].Expand(2, 3, 4).Transpose(0, 1).Select(2, 1) * x[0].Select(1, 0).Unsqueeze(1),
            () => X(new long[] { 3, 4 }), "view");
    }

    private static IEnumerable<GradCase> InPlaceOps()
    {
        Tensor[] Two(long[] a, long[] b) => new[] { Samples.Uniform(a, -2, 2, 6000, Layout.Contiguous), Samples.AwayFromZero(b, 0.5, 2, 6001, Layout.Contiguous) };
        long[] s34 = { 3, 4 }, s4 = { 4 };
        yield return new GradCase("AddInPlace(tensor) on a non-leaf", x => { var y = x[0] * 1.0; y.AddInPlace(x[1]); return y * x[0]; }, () => Two(s34, s4), "inplace:add");
        yield return new GradCase("SubInPlace(tensor) on a non-leaf", x => { var y = x[0] * 1.0; y.SubInPlace(x[1]); return y * y; }, () => Two(s34, s4), "inplace:sub");
        yield return new GradCase("MulInPlace(tensor) on a non-leaf", x => { var y = x[0] * 1.0; y.MulInPlace(x[1]); return y * x[0]; }, () => Two(s34, s4), "inplace:mul");
        yield return new GradCase("DivInPlace(tensor) on a non-leaf", x => { var y = x[0] * 1.0; y.DivInPlace(x[1]); return y; }, () => Two(s34, s34), "inplace:div");
        yield return new GradCase("MulInPlace(scalar) twice", x => { var y = x[0] + 0.0; y.MulInPlace(3.0).MulInPlace(-2.0); return y * y; }, () => Two(s34, s4)[..1], "inplace:mul");
        yield return new GradCase("DivInPlace(scalar), AddInPlace(scalar)", x => { var y = x[0] * x[1]; y.DivInPlace(2.0).AddInPlace(1.0); return y.Exp(); }, () => Two(s34, s34), "inplace:div");
        yield return new GradCase("ExpInPlace (saves its output)", x => { var y = x[0] * 1.0; Kernels.Unary(y, wk_unary_op.WK_UNARY_EXP, 0, 0, y); return y * x[0]; }, () => Two(s34, s4)[..1], "inplace:unary");
        yield return new GradCase("SinInPlace (saves its input)", x => { var y = x[0] * 2.0; Kernels.Unary(y, wk_unary_op.WK_UNARY_SIN, 0, 0, y); return y; }, () => Two(s34, s4)[..1], "inplace:unary");
        yield return new GradCase("AddInPlace into a tensor that does not require grad", x => { var b = Here(Tensor.Zeros(new long[] { 3, 4 }, DType.Float64)); b.AddInPlace(x[1]); b.MulInPlace(x[0]); return b; }, () => Two(s34, s4), "inplace:rebase");
        yield return new GradCase("CopyFrom (broadcast) into a non-leaf", x => { var y = x[0] * 2.0; y.CopyFrom(x[1]); return y * x[0]; }, () => Two(s34, s4), "inplace:copy");
        yield return new GradCase("MulInPlace through a strided view of a non-leaf", x => { var y = x[0] * 1.0; y[.., 1..].MulInPlace(x[1]); return y * y; },
            () => new[] { Samples.Uniform(s34, -2, 2, 6002, Layout.Transposed), Samples.Uniform(new long[] { 3 }, -2, 2, 6003) }, "inplace:view", gradGrad: false);
        yield return new GradCase("Indexer assignment into a buffer", x => { var b = Here(Tensor.Zeros(new long[] { 3, 4 }, DType.Float64)); b[1] = x[1]; b[.., 0] = x[0][.., 2] * 2.0; return b * x[0]; },
            () => Two(s34, s4), "inplace:view", gradGrad: false);
        yield return new GradCase("Fill of a non-leaf", x => { var y = x[0] * 2.0; y.Fill(3); return y * x[0] + x[0]; }, () => Two(s34, s4)[..1], "inplace:fill");
    }

    private static IEnumerable<GradCase> Composites()
    {
        yield return new GradCase("Softmax from Exp, Sum and Div", x => { var e = x[0].Exp(); return e / e.Sum(1, keepDim: true); },
            () => new[] { Samples.Uniform(new long[] { 3, 4 }, -2, 2, 7000, Layout.Transposed) }, "composite");
        yield return new GradCase("Tensor reused on many paths", x => x[0] * x[0].Exp() - x[0].Sum() * x[0].Mean(0) / (x[0] * x[0] + 1.0),
            () => new[] { Samples.Uniform(new long[] { 2, 3 }, -1, 1, 7001, Layout.Strided) }, "composite");
        yield return new GradCase("Mixed precision: float64 times float32 constant", x => { using var c = Const(new float[] { 1.5f, -2f, 0.25f }); return x[0] * c; },
            () => new[] { Samples.Uniform(new long[] { 2, 3 }, -1, 1, 7002) }, "composite");
    }

    private static string Pascal(string upperSnake, string prefix)
    {
        var parts = upperSnake[prefix.Length..].Split('_');
        for (int i = 0; i < parts.Length; ++i) parts[i] = parts[i][..1] + parts[i][1..].ToLowerInvariant();
        return string.Concat(parts);
    }
}
