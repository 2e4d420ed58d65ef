using System;
using System.Linq;
using Wick.NN;
using Wick.Native;
using Wick.Onnx.Proto;
using static Wick.Onnx.Export.GraphBuilder;

namespace Wick.Onnx.Export;

// The translation of each reported op (see OpTracer and the Kernels choke points) into opset-17 nodes. Each returns
// one Value per reported output. Shapes that ONNX needs as data (Reshape, Expand, Slice) are written so that they stay
// right for any batch size: the batch axis is -1 or INT64_MAX there, never the traced size.
internal sealed partial class Tracer
{
    private Value?[] Translate(string op, Value?[] x, Tensor?[] outs, object?[] a) => op switch
    {
        "Unary" => One(outs, Unary(x[0]!, outs[0]!, (wk_unary_op)a[0]!, (double)a[1]!, (double)a[2]!)),
        "Binary" => One(outs, Binary(x[0]!, x[1]!, outs[0]!, (wk_binary_op)a[0]!)),
        "BinaryScalar" => One(outs, BinaryScalar(x[0]!, outs[0]!, (wk_binary_op)a[0]!, (wk_scalar)a[1]!, (bool)a[2]!)),
        "Reduce" => One(outs, Reduce(x[0]!, outs[0]!, (wk_reduce_op)a[0]!, (int[])a[1]!, (bool)a[2]!, (double)a[3]!)),
        "ReduceIndices" => ReduceIndices(x[0]!, outs, (wk_reduce_op)a[0]!, (int)a[1]!, (bool)a[2]!),
        "MatMul" or "Bmm" or "Mv" or "Dot" => One(outs, Out(outs[0]!, _g.Op("MatMul", new[] { x[0]!.Name, x[1]!.Name }), MatMulBatch(x[0]!, x[1]!, outs[0]!))),
        "Outer" => One(outs, Outer(x[0]!, x[1]!, outs[0]!)),
        "AddMM" => One(outs, Out(outs[0]!, _g.Op("Gemm", new[] { x[1]!.Name, x[2]!.Name, Cast(x[0]!, outs[0]!.DType) },
            Float("alpha", (double)a[1]!), Float("beta", (double)a[0]!)), x[1]!.Batch == 0 ? 0 : x[2]!.Batch == 1 ? 1 : Broadcast(outs[0]!, x[0]!))),
        "Ternary" => One(outs, Ternary(x, outs[0]!, (wk_ternary_op)a[0]!, (wk_scalar?)a[1])),
        "Scan" => One(outs, Scan(x[0]!, outs[0]!, (wk_scan_op)a[0]!, (int)a[1]!)),
        "Softmax" => One(outs, Out(outs[0]!, _g.Op((bool)a[1]! ? "LogSoftmax" : "Softmax", new[] { x[0]!.Name }, Int("axis", (long)a[0]!)), x[0]!.Batch)),
        "Conv1d" => One(outs, Conv(x, outs[0]!, 1, new[] { (long)a[0]! }, new[] { (long)a[1]! }, new[] { (long)a[2]! }, (long)a[3]!)),
        "Conv2d" => One(outs, Conv(x, outs[0]!, 2, Pair(a[0]), Pair(a[1]), Pair(a[2]), (long)a[3]!)),
        "ConvTranspose2d" => One(outs, ConvTranspose(x, outs[0]!, Pair(a[0]), Pair(a[1]), Pair(a[2]), (long)a[3]!, Pair(a[4]))),
        "MaxPool2d" => MaxPool(x[0]!, outs, Pair(a[0]), Pair(a[1]), Pair(a[2]), Pair(a[3]), (bool)a[4]!),
        "AvgPool2d" => One(outs, AvgPool(x[0]!, outs[0]!, Pair(a[0]), Pair(a[1]), Pair(a[2]), (bool)a[3]!, (bool)a[4]!, (long)a[5]!)),
        "AdaptiveAvgPool2d" => One(outs, AdaptiveAvgPool(x[0]!, outs[0]!, Pair(a[0]))),
        "BatchNorm" => Stats(outs, "BatchNorm", BatchNorm(x, outs[0]!, (bool)a[0]!, (double)a[2]!)),
        "LayerNorm" => Stats(outs, "LayerNorm", LayerNorm(x, outs[0]!, (long[])a[0]!, (double)a[1]!)),
        "GroupNorm" => Stats(outs, "GroupNorm", GroupNorm(x, outs[0]!, (long)a[0]!, (double)a[1]!)),
        "Dropout" => Dropout(x[0]!, outs, (double)a[0]!, (bool)a[1]!),
        "Embedding" => One(outs, Out(outs[0]!, _g.Op("Gather", new[] { x[0]!.Name, x[1]!.Name }, Int("axis", 0)), x[1]!.Batch)),
        "Detach" or "Contiguous" or "Clone" => new Value?[] { x[0] },
        "To" => One(outs, Out(outs[0]!, Cast(x[0]!, (DType)a[0]!), x[0]!.Batch)),
        "View" or "Reshape" or "Flatten" or "Squeeze" or "Unsqueeze" => One(outs, Reshape(x[0]!, outs[0]!)),
        "Expand" => One(outs, Expand(x[0]!, outs[0]!)),
        "Transpose" => One(outs, Transpose(x[0]!, outs[0]!, (int)a[0]!, (int)a[1]!)),
        "Permute" => One(outs, Permute(x[0]!, outs[0]!, (int[])a[0]!)),
        "Slice" => One(outs, Slice(x[0]!, outs[0]!, (int)a[0]!, (long)a[1]!, (long)a[2]!, (long)a[3]!)),
        "Select" => One(outs, Select(x[0]!, outs[0]!, (int)a[0]!, (long)a[1]!)),
        "Cat" => One(outs, Cat(x, outs[0]!, (int)a[0]!)),
        "Stack" => One(outs, Stack(x, outs[0]!, (int)a[0]!)),
        "Split" => Split(x[0]!, outs, (long[])a[0]!, (int)a[1]!),
        "IndexSelect" => One(outs, IndexSelect(x[0]!, x[1]!, outs[0]!, (int)a[0]!)),
        "Gather" => One(outs, Out(outs[0]!, _g.Op("GatherElements", new[] { x[0]!.Name, x[1]!.Name }, Int("axis", Norm((int)a[0]!, x[0]!.Rank))),
            x[0]!.Batch >= 0 ? x[0]!.Batch : x[1]!.Batch)),
        "Pad" => One(outs, Pad(x[0]!, outs[0]!, (long[])a[0]!, (PaddingMode)a[1]!, (wk_scalar?)a[2])),
        "LSTM" or "GRU" => Recurrent(op, x, outs, a),
        "Full" => One(outs, Full(outs[0]!, (long[])a[0]!, (wk_scalar)a[1]!, (DType)a[2]!)),
        "Upsample" => One(outs, Upsample(x[0]!, outs[0]!, ((long, long))a[0]!, (bool)a[1]!, (bool)a[2]!, ((double, double))a[3]!)),
        "NllLoss" => NllLoss(x, outs, (Reduction)a[0]!, (long)a[1]!),
        "MaskedFill" => One(outs, MaskedFill(x[0]!, x[1]!, x[2], outs[0]!, (wk_scalar)a[0]!)),
        _ => throw Unsupported(op, "there is no ONNX translation for it"),
    };

    private static OnnxNotSupportedException Unsupported(string op, string why) => new($"ONNX export: {op} is not supported: {why}.");

    private static Value?[] One(Tensor?[] outs, Value v)
    {
        var r = new Value?[outs.Length];
        r[0] = v;
        return r;
    }

    private static long[] Pair(object? o)
    {
        var (h, w) = ((long, long))o!;
        return new[] { h, w };
    }

    private static int Norm(int dim, int rank) => dim < 0 ? dim + rank : dim;

    private static Value Out(Tensor t, string name, int batch) => new(name, t.Shape, t.DType, batch);

    // The batch axis of a broadcast result: where the first operand's batch axis lands (right-aligned).
    private static int Broadcast(Tensor result, params Value?[] ins)
    {
        foreach (var v in ins)
            if (v is { Batch: >= 0 }) return v.Batch + (result.Dim - v.Rank);
        return -1;
    }

    private string Cast(Value v, DType to) =>
        v.DType == to ? v.Name : _g.Op("Cast", new[] { v.Name }, Int("to", Loading.OnnxDTypes.FromWick(to)));

    private static DType Common(DType a, DType b)
    {
        if (a == b) return a;
        bool fa = a.IsFloatingPoint(), fb = b.IsFloatingPoint();
        if (fa != fb) return fa ? a : b;
        if (fa) return a == DType.Float64 || b == DType.Float64 ? DType.Float64 : DType.Float32;
        return a == DType.Bool ? b : b == DType.Bool ? a : DType.Int64;
    }

    // ---- elementwise ------------------------------------------------------------------------------------------------

    private Value Unary(Value x, Tensor y, wk_unary_op op, double p0, double p1)
    {
        DType dt = y.DType.IsFloatingPoint() ? y.DType : x.DType;
        string xi = Cast(x, dt);
        string U(string type, string input, params AttributeProto[] at) => _g.Op(type, new[] { input }, at);
        string B(string type, string l, string r) => _g.Op(type, new[] { l, r });
        string C(double v) => _g.Scalar(v, dt);
        string r = op switch
        {
            wk_unary_op.WK_UNARY_NEG => U("Neg", xi),
            wk_unary_op.WK_UNARY_ABS => U("Abs", xi),
            wk_unary_op.WK_UNARY_SIGN => U("Sign", xi),
            wk_unary_op.WK_UNARY_EXP => U("Exp", xi),
            wk_unary_op.WK_UNARY_EXPM1 => B("Sub", U("Exp", xi), C(1)),
            wk_unary_op.WK_UNARY_LOG => U("Log", xi),
            wk_unary_op.WK_UNARY_LOG1P => U("Log", B("Add", xi, C(1))),
            wk_unary_op.WK_UNARY_LOG2 => B("Div", U("Log", xi), C(Math.Log(2))),
            wk_unary_op.WK_UNARY_LOG10 => B("Div", U("Log", xi), C(Math.Log(10))),
            wk_unary_op.WK_UNARY_EXP2 => B("Pow", C(2), xi),
            wk_unary_op.WK_UNARY_SQRT => U("Sqrt", xi),
            wk_unary_op.WK_UNARY_RSQRT => U("Reciprocal", U("Sqrt", xi)),
            wk_unary_op.WK_UNARY_RECIPROCAL => U("Reciprocal", xi),
            wk_unary_op.WK_UNARY_SQUARE => B("Mul", xi, xi),
            wk_unary_op.WK_UNARY_SIN => U("Sin", xi),
            wk_unary_op.WK_UNARY_COS => U("Cos", xi),
            wk_unary_op.WK_UNARY_TAN => U("Tan", xi),
            wk_unary_op.WK_UNARY_ASIN => U("Asin", xi),
            wk_unary_op.WK_UNARY_ACOS => U("Acos", xi),
            wk_unary_op.WK_UNARY_ATAN => U("Atan", xi),
            wk_unary_op.WK_UNARY_SINH => U("Sinh", xi),
            wk_unary_op.WK_UNARY_COSH => U("Cosh", xi),
            wk_unary_op.WK_UNARY_TANH => U("Tanh", xi),
            wk_unary_op.WK_UNARY_SIGMOID => U("Sigmoid", xi),
            wk_unary_op.WK_UNARY_RELU => U("Relu", xi),
            wk_unary_op.WK_UNARY_ERF => U("Erf", xi),
            wk_unary_op.WK_UNARY_FLOOR => U("Floor", xi),
            wk_unary_op.WK_UNARY_CEIL => U("Ceil", xi),
            wk_unary_op.WK_UNARY_ROUND => U("Round", xi),
            wk_unary_op.WK_UNARY_TRUNC => dt.IsFloatingPoint() ? _g.Op("Where", new[] { B("Less", xi, C(0)), U("Ceil", xi), U("Floor", xi) }) : xi,
            // Opset 17 has no Gelu: 0.5 x (1 + erf(x / sqrt 2)), or the tanh form.
            wk_unary_op.WK_UNARY_GELU => B("Mul", B("Mul", xi, C(0.5)), B("Add", U("Erf", B("Div", xi, C(Math.Sqrt(2)))), C(1))),
            wk_unary_op.WK_UNARY_GELU_TANH => B("Mul", B("Mul", xi, C(0.5)), B("Add", C(1), U("Tanh",
                B("Mul", C(Math.Sqrt(2 / Math.PI)), B("Add", xi, B("Mul", C(0.044715), B("Mul", xi, B("Mul", xi, xi)))))))),
            wk_unary_op.WK_UNARY_SILU => B("Mul", xi, U("Sigmoid", xi)),
            wk_unary_op.WK_UNARY_SOFTPLUS => Softplus(xi, dt, p0, p1),
            wk_unary_op.WK_UNARY_ELU => U("Elu", xi, Float("alpha", p0)),
            wk_unary_op.WK_UNARY_LEAKY_RELU => U("LeakyRelu", xi, Float("alpha", p0)),
            wk_unary_op.WK_UNARY_CLAMP => _g.Op("Clip", new[] { xi, double.IsNaN(p0) ? "" : C(p0), double.IsNaN(p1) ? "" : C(p1) }),
            wk_unary_op.WK_UNARY_ISNAN => U("IsNaN", xi),
            wk_unary_op.WK_UNARY_ISINF => U("IsInf", xi),
            wk_unary_op.WK_UNARY_ISFINITE => U("Not", B("Or", U("IsNaN", xi), U("IsInf", xi))),
            wk_unary_op.WK_UNARY_LOGICAL_NOT => U("Not", Cast(x, DType.Bool)),
            _ => throw Unsupported($"the unary op {OpName(op)}", "opset 17 has no matching operator"),
        };
        return Out(y, Cast(new Value(r, y.Shape, op is wk_unary_op.WK_UNARY_ISNAN or wk_unary_op.WK_UNARY_ISINF or wk_unary_op.WK_UNARY_ISFINITE
            or wk_unary_op.WK_UNARY_LOGICAL_NOT ? DType.Bool : dt, -1), y.DType), x.Batch);
    }

    private static string OpName<T>(T op) where T : Enum => op.ToString().Split('_', 3).Last().ToLowerInvariant();

    // PyTorch's softplus: log(1 + exp(beta x)) / beta, and x itself where beta x > threshold.
    private string Softplus(string x, DType dt, double beta, double threshold)
    {
        string bx = beta == 1 ? x : _g.Op("Mul", new[] { x, _g.Scalar(beta, dt) });
        string sp = _g.Op("Softplus", new[] { bx });
        if (beta != 1) sp = _g.Op("Div", new[] { sp, _g.Scalar(beta, dt) });
        string above = _g.Op("Greater", new[] { bx, _g.Scalar(threshold, dt) });
        return _g.Op("Where", new[] { above, x, sp });
    }

    private static bool IsComparison(wk_binary_op op) => op is wk_binary_op.WK_BINARY_EQ or wk_binary_op.WK_BINARY_NE or wk_binary_op.WK_BINARY_LT
        or wk_binary_op.WK_BINARY_LE or wk_binary_op.WK_BINARY_GT or wk_binary_op.WK_BINARY_GE;

    private static bool IsLogical(wk_binary_op op) =>
        op is wk_binary_op.WK_BINARY_LOGICAL_AND or wk_binary_op.WK_BINARY_LOGICAL_OR or wk_binary_op.WK_BINARY_LOGICAL_XOR;

    private Value Binary(Value a, Value b, Tensor y, wk_binary_op op)
    {
        DType dt = IsLogical(op) ? DType.Bool : IsComparison(op) ? Common(a.DType, b.DType) : y.DType;
        string r = BinaryCore(Cast(a, dt), Cast(b, dt), dt, op);
        return Out(y, r, Broadcast(y, a, b));
    }

    private Value BinaryScalar(Value a, Tensor y, wk_binary_op op, wk_scalar s, bool reverse)
    {
        bool floatScalar = s.kind == (int)wk_scalar_kind.WK_SCALAR_FLOAT;
        double value = floatScalar ? s.f : s.i;
        DType dt = IsLogical(op) ? DType.Bool
            : IsComparison(op) ? (a.DType.IsFloatingPoint() || !floatScalar ? a.DType : DType.Float64)
            : y.DType;
        string ai = Cast(a, dt), c = _g.Scalar(value, dt);
        string r = reverse ? BinaryCore(c, ai, dt, op) : BinaryCore(ai, c, dt, op);
        return Out(y, r, a.Batch);
    }

    private string BinaryCore(string l, string r, DType dt, wk_binary_op op)
    {
        string B(string type, string x, string z, params AttributeProto[] at) => _g.Op(type, new[] { x, z }, at);
        bool fp = dt.IsFloatingPoint();
        return op switch
        {
            wk_binary_op.WK_BINARY_ADD => B("Add", l, r),
            wk_binary_op.WK_BINARY_SUB => B("Sub", l, r),
            wk_binary_op.WK_BINARY_MUL => B("Mul", l, r),
            wk_binary_op.WK_BINARY_DIV => B("Div", l, r),
            wk_binary_op.WK_BINARY_FLOOR_DIV when fp => _g.Op("Floor", new[] { B("Div", l, r) }),
            // Integers: ONNX's Div truncates; a - (a mod b), with Python's remainder, is an exact multiple of b.
            wk_binary_op.WK_BINARY_FLOOR_DIV when dt != DType.Bool => B("Div", B("Sub", l, B("Mod", l, r)), r),
            // Python's remainder takes the divisor's sign: a - floor(a / b) b for floats, Mod(fmod=0) for integers.
            wk_binary_op.WK_BINARY_REMAINDER when fp => B("Sub", l, B("Mul", _g.Op("Floor", new[] { B("Div", l, r) }), r)),
            wk_binary_op.WK_BINARY_REMAINDER => B("Mod", l, r),
            wk_binary_op.WK_BINARY_FMOD => B("Mod", l, r, GraphBuilder.Int("fmod", 1)),
            wk_binary_op.WK_BINARY_POW => B("Pow", l, r),
            wk_binary_op.WK_BINARY_MAXIMUM => B("Max", l, r),
            wk_binary_op.WK_BINARY_MINIMUM => B("Min", l, r),
            wk_binary_op.WK_BINARY_ATAN2 when fp => Atan2(l, r, dt),
            wk_binary_op.WK_BINARY_EQ => B("Equal", l, r),
            wk_binary_op.WK_BINARY_NE => _g.Op("Not", new[] { B("Equal", l, r) }),
            wk_binary_op.WK_BINARY_LT => B("Less", l, r),
            wk_binary_op.WK_BINARY_LE => B("LessOrEqual", l, r),
            wk_binary_op.WK_BINARY_GT => B("Greater", l, r),
            wk_binary_op.WK_BINARY_GE => B("GreaterOrEqual", l, r),
            wk_binary_op.WK_BINARY_LOGICAL_AND => B("And", l, r),
            wk_binary_op.WK_BINARY_LOGICAL_OR => B("Or", l, r),
            wk_binary_op.WK_BINARY_LOGICAL_XOR => B("Xor", l, r),
            // Opset 17 has bitwise operators only for booleans (the logical ones); BitwiseAnd & co. came in opset 18.
            wk_binary_op.WK_BINARY_BITWISE_AND when dt == DType.Bool => B("And", l, r),
            wk_binary_op.WK_BINARY_BITWISE_OR when dt == DType.Bool => B("Or", l, r),
            wk_binary_op.WK_BINARY_BITWISE_XOR when dt == DType.Bool => B("Xor", l, r),
            _ => throw Unsupported($"the binary op {OpName(op)} on {dt}", "opset 17 has no matching operator"),
        };
    }

    private Value Ternary(Value?[] x, Tensor y, wk_ternary_op op, wk_scalar? s)
    {
        DType dt = y.DType;
        string A(Value? v) => v is null ? throw Unsupported($"the ternary op {OpName(op)} with a missing operand", "the exporter needs all three") : Cast(v, dt);
        string B(string type, string l, string r) => _g.Op(type, new[] { l, r });
        double sv = s is { } sc ? (sc.kind == (int)wk_scalar_kind.WK_SCALAR_FLOAT ? sc.f : sc.i) : 1;
        string r = op switch
        {
            wk_ternary_op.WK_TERNARY_WHERE => _g.Op("Where", new[] { Cast(x[0]!, DType.Bool), A(x[1]), A(x[2]) }),
            wk_ternary_op.WK_TERNARY_LERP => B("Add", A(x[0]), B("Mul", x[2] is null ? _g.Scalar(sv, dt) : A(x[2]), B("Sub", A(x[1]), A(x[0])))),
            wk_ternary_op.WK_TERNARY_ADDCMUL => B("Add", A(x[0]), B("Mul", _g.Scalar(sv, dt), B("Mul", A(x[1]), A(x[2])))),
            wk_ternary_op.WK_TERNARY_ADDCDIV => B("Add", A(x[0]), B("Mul", _g.Scalar(sv, dt), B("Div", A(x[1]), A(x[2])))),
            wk_ternary_op.WK_TERNARY_CLAMP => ClampTensors(A(x[0]), x[1] is null ? null : A(x[1]), x[2] is null ? null : A(x[2])),
            _ => throw Unsupported($"the ternary op {OpName(op)}", "there is no ONNX translation for it"),
        };
        return Out(y, r, Broadcast(y, x));
    }

    private string ClampTensors(string a, string? lo, string? hi)
    {
        if (lo is not null) a = _g.Op("Max", new[] { a, lo });
        if (hi is not null) a = _g.Op("Min", new[] { a, hi });
        return a;
    }

    private Value Scan(Value x, Tensor y, wk_scan_op op, int dim)
    {
        if (op == wk_scan_op.WK_SCAN_CUMPROD) return CumProd(x, y, dim);
        if (op != wk_scan_op.WK_SCAN_CUMSUM) throw Unsupported($"the scan {OpName(op)}", "opset 17 has no matching operator");
        return Out(y, _g.Op("CumSum", new[] { Cast(x, y.DType), _g.Int64Scalar(Norm(dim, x.Rank)) }), x.Batch);
    }

    // ---- reductions ---------------------------------------------------------------------------------------------------

    private Value Reduce(Value x, Tensor y, wk_reduce_op op, int[] dims, bool keepDim, double param)
    {
        int[] axes = dims.Length == 0 ? Enumerable.Range(0, x.Rank).ToArray() : dims.Select(d => Norm(d, x.Rank)).ToArray();
        int batch = x.Batch < 0 || axes.Contains(x.Batch) ? -1 : keepDim ? x.Batch : x.Batch - axes.Count(d => d < x.Batch);
        if (x.Rank == 0) return Out(y, Cast(x, y.DType), -1);  // a 0-d tensor reduces to itself
        var keep = Int("keepdims", keepDim ? 1 : 0);
        var ax = Ints("axes", axes.Select(d => (long)d));
        string Attr(string type, string input) => _g.Op(type, new[] { input }, ax, keep);
        string r;
        switch (op)
        {
            case wk_reduce_op.WK_REDUCE_SUM:
                r = _g.Op("ReduceSum", new[] { Cast(x, y.DType), _g.Int64s(axes.Select(d => (long)d).ToArray()) }, keep);
                break;
            case wk_reduce_op.WK_REDUCE_MEAN: r = Attr("ReduceMean", Cast(x, y.DType)); break;
            case wk_reduce_op.WK_REDUCE_PROD: r = Attr("ReduceProd", Cast(x, y.DType)); break;
            case wk_reduce_op.WK_REDUCE_MAX: r = Attr("ReduceMax", Cast(x, y.DType)); break;
            case wk_reduce_op.WK_REDUCE_MIN: r = Attr("ReduceMin", Cast(x, y.DType)); break;
            case wk_reduce_op.WK_REDUCE_LOGSUMEXP: r = Attr("ReduceLogSumExp", Cast(x, y.DType)); break;
            case wk_reduce_op.WK_REDUCE_NORM when param == 1: r = Attr("ReduceL1", Cast(x, y.DType)); break;
            case wk_reduce_op.WK_REDUCE_NORM when param == 2: r = Attr("ReduceL2", Cast(x, y.DType)); break;
            case wk_reduce_op.WK_REDUCE_NORM when double.IsInfinity(param):
                r = Attr(param > 0 ? "ReduceMax" : "ReduceMin", _g.Op("Abs", new[] { Cast(x, y.DType) }));
                break;
            case wk_reduce_op.WK_REDUCE_NORM when param == 0:  // the count of non-zeros
            {
                string xi = Cast(x, y.DType);
                string nonZero = Cast(new Value(_g.Op("Not", new[] { _g.Op("Equal", new[] { xi, _g.Scalar(0, y.DType) }) }), x.Shape, DType.Bool, -1), y.DType);
                r = _g.Op("ReduceSum", new[] { nonZero, _g.Int64s(axes.Select(d => (long)d).ToArray()) }, keep);
                break;
            }
            case wk_reduce_op.WK_REDUCE_NORM:  // (sum |x|^p)^(1/p)
            {
                string powered = _g.Op("Pow", new[] { _g.Op("Abs", new[] { Cast(x, y.DType) }), _g.Scalar(param, y.DType) });
                string sum = _g.Op("ReduceSum", new[] { powered, _g.Int64s(axes.Select(d => (long)d).ToArray()) }, keep);
                r = _g.Op("Pow", new[] { sum, _g.Scalar(1 / param, y.DType) });
                break;
            }
            case wk_reduce_op.WK_REDUCE_ALL or wk_reduce_op.WK_REDUCE_ANY:
                r = Cast(new Value(Attr(op == wk_reduce_op.WK_REDUCE_ALL ? "ReduceMin" : "ReduceMax", Cast(new Value(Cast(x, DType.Bool), x.Shape, DType.Bool, -1), DType.Int32)),
                    y.Shape, DType.Int32, -1), DType.Bool);
                break;
            case wk_reduce_op.WK_REDUCE_VAR or wk_reduce_op.WK_REDUCE_STD:
            {
                if (x.Batch >= 0 && axes.Contains(x.Batch) && param != 0)
                    throw Unsupported("Var/Std with a correction over the batch dimension", "the correction depends on the batch size");
                long count = axes.Aggregate(1L, (p, d) => p * x.Shape[d]);
                string xi = Cast(x, y.DType);
                string mean = _g.Op("ReduceMean", new[] { xi }, ax, Int("keepdims", 1));
                string d = _g.Op("Sub", new[] { xi, mean });
                r = _g.Op("ReduceMean", new[] { _g.Op("Mul", new[] { d, d }) }, ax, keep);
                if (param != 0) r = _g.Op("Mul", new[] { r, _g.Scalar(count / Math.Max(count - param, 0), y.DType) });
                if (op == wk_reduce_op.WK_REDUCE_STD) r = _g.Op("Sqrt", new[] { r });
                break;
            }
            case wk_reduce_op.WK_REDUCE_ARGMAX or wk_reduce_op.WK_REDUCE_ARGMIN:
            {
                string type = op == wk_reduce_op.WK_REDUCE_ARGMAX ? "ArgMax" : "ArgMin";
                if (dims.Length == 0)
                {
                    string flat = _g.Op("Reshape", new[] { x.Name, _g.Int64s(-1) });
                    r = _g.Op(type, new[] { flat }, Int("axis", 0), Int("keepdims", 0));
                    if (keepDim) r = _g.Op("Reshape", new[] { r, _g.Int64s(Enumerable.Repeat(1L, x.Rank).ToArray()) });
                }
                else r = _g.Op(type, new[] { x.Name }, Int("axis", axes[0]), keep);
                break;
            }
            default: throw Unsupported($"the reduction {OpName(op)}{(op == wk_reduce_op.WK_REDUCE_NORM ? $" (p = {param})" : "")}", "opset 17 has no matching operator");
        }
        return Out(y, r, batch);
    }

    private Value?[] ReduceIndices(Value x, Tensor?[] outs, wk_reduce_op op, int dim, bool keepDim)
    {
        int d = Norm(dim, x.Rank);
        int batch = x.Batch < 0 || x.Batch == d ? -1 : keepDim || x.Batch < d ? x.Batch : x.Batch - 1;
        bool max = op == wk_reduce_op.WK_REDUCE_MAX;
        string v = _g.Op(max ? "ReduceMax" : "ReduceMin", new[] { x.Name }, Ints("axes", new long[] { d }), Int("keepdims", keepDim ? 1 : 0));
        string i = _g.Op(max ? "ArgMax" : "ArgMin", new[] { x.Name }, Int("axis", d), Int("keepdims", keepDim ? 1 : 0));
        return new Value?[] { Out(outs[0]!, v, batch), Out(outs[1]!, i, batch) };
    }

    // ---- products -----------------------------------------------------------------------------------------------------

    private static int MatMulBatch(Value a, Value b, Tensor y)
    {
        int ro = y.Dim;
        if (a.Batch >= 0)
        {
            if (a.Rank == 1) return -1;
            if (a.Batch == a.Rank - 1) return -1;  // contracted
            if (a.Batch == a.Rank - 2) return b.Rank == 1 ? ro - 1 : ro - 2;
            return a.Batch + (ro - a.Rank);
        }
        if (b.Batch >= 0)
        {
            if (b.Rank == 1 || b.Batch == b.Rank - 2) return -1;
            if (b.Batch == b.Rank - 1) return ro - 1;
            return b.Batch + (ro - b.Rank);
        }
        return -1;
    }

    private Value Outer(Value a, Value b, Tensor y)
    {
        string ua = _g.Op("Unsqueeze", new[] { a.Name, _g.Int64s(1) });
        string ub = _g.Op("Unsqueeze", new[] { b.Name, _g.Int64s(0) });
        return Out(y, _g.Op("Mul", new[] { ua, ub }), a.Batch == 0 ? 0 : b.Batch == 0 ? 1 : -1);
    }

    // ---- neural-network ops -------------------------------------------------------------------------------------------

    private static void NeedBatch(string op, Value x, int rank)
    {
        if (x.Rank != rank)
            throw Unsupported($"{op} of a rank-{x.Rank} input", $"ONNX needs the batched form (rank {rank}); add a batch dimension of size 1 with Unsqueeze(0)");
    }

    private Value Conv(Value?[] x, Tensor y, int spatial, long[] stride, long[] padding, long[] dilation, long groups)
    {
        NeedBatch($"Conv{spatial}d", x[0]!, spatial + 2);
        var inputs = x[2] is null ? new[] { x[0]!.Name, x[1]!.Name } : new[] { x[0]!.Name, x[1]!.Name, x[2]!.Name };
        string r = _g.Op("Conv", inputs, Ints("strides", stride), Ints("pads", padding.Concat(padding)), Ints("dilations", dilation), Int("group", groups),
            Ints("kernel_shape", x[1]!.Shape.Skip(2)));
        return Out(y, r, x[0]!.Batch);
    }

    private Value ConvTranspose(Value?[] x, Tensor y, long[] stride, long[] padding, long[] outputPadding, long groups, long[] dilation)
    {
        NeedBatch("ConvTranspose2d", x[0]!, 4);
        var inputs = x[2] is null ? new[] { x[0]!.Name, x[1]!.Name } : new[] { x[0]!.Name, x[1]!.Name, x[2]!.Name };
        string r = _g.Op("ConvTranspose", inputs, Ints("strides", stride), Ints("pads", padding.Concat(padding)), Ints("output_padding", outputPadding),
            Ints("dilations", dilation), Int("group", groups), Ints("kernel_shape", x[1]!.Shape.Skip(2)));
        return Out(y, r, x[0]!.Batch);
    }

    private Value?[] MaxPool(Value x, Tensor?[] outs, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceil)
    {
        NeedBatch("MaxPool2d", x, 4);
        var attributes = new[] { Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", padding.Concat(padding)), Ints("dilations", dilation),
            Int("ceil_mode", ceil ? 1 : 0) };
        string r = _g.Op("MaxPool", new[] { x.Name }, attributes);
        // The indices only when something uses them (a second MaxPool node with its Indices output). ONNX numbers them
        // over the whole (N, C, H, W) input, PyTorch within each (H, W) plane: the plane's offset is a multiple of H W,
        // so the remainder is PyTorch's index.
        Tensor idx = outs[1]!;
        string name = _g.Fresh("maxpool_indices");
        var indices = new Value(name, idx.Shape, idx.DType, x.Batch);
        indices.Emit = () =>
        {
            string raw = _g.Fresh("maxpool_raw_indices");
            _g.Node("MaxPool", new[] { x.Name }, new[] { _g.Fresh("maxpool_unused"), raw }, attributes);
            string planar = _g.Op("Mod", new[] { raw, _g.Int64Scalar(x.Shape[2] * x.Shape[3]) });
            _g.Node("Cast", new[] { planar }, new[] { name }, Int("to", Loading.OnnxDTypes.FromWick(idx.DType)));
        };
        return new Value?[] { Out(outs[0]!, r, x.Batch), indices };
    }

    private Value AvgPool(Value x, Tensor y, long[] kernel, long[] stride, long[] padding, bool ceil, bool countIncludePad, long divisorOverride)
    {
        NeedBatch("AvgPool2d", x, 4);
        if (divisorOverride != 0)
        {
            // The window sums (mean with the padding counted, times the window size) over the divisor: exact when no
            // window reaches past the padding, which only ceil_mode allows.
            if (ceil) throw Unsupported("AvgPool2d with a divisor override and ceil_mode", "ONNX AveragePool has no divisor parameter and its last windows would be clipped");
            string mean = _g.Op("AveragePool", new[] { x.Name }, Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", padding.Concat(padding)),
                Int("count_include_pad", 1));
            string sum = _g.Op("Mul", new[] { mean, _g.Scalar(kernel[0] * kernel[1], y.DType) });
            return Out(y, _g.Op("Div", new[] { sum, _g.Scalar(divisorOverride, y.DType) }), x.Batch);
        }
        string r = _g.Op("AveragePool", new[] { x.Name }, Ints("kernel_shape", kernel), Ints("strides", stride), Ints("pads", padding.Concat(padding)),
            Int("ceil_mode", ceil ? 1 : 0), Int("count_include_pad", countIncludePad ? 1 : 0));
        return Out(y, r, x.Batch);
    }

    private Value AdaptiveAvgPool(Value x, Tensor y, long[] size)
    {
        NeedBatch("AdaptiveAvgPool2d", x, 4);
        long h = x.Shape[2], w = x.Shape[3];
        if (size[0] == 1 && size[1] == 1) return Out(y, _g.Op("GlobalAveragePool", new[] { x.Name }), x.Batch);
        if (size[0] == 0 || size[1] == 0)
            throw Unsupported($"AdaptiveAvgPool2d from {h}x{w} to {size[0]}x{size[1]}", "an empty output has no ONNX pooling");
        if (h % size[0] != 0 || w % size[1] != 0) return Out(y, AdaptiveCells(x.Name, h, w, size[0], size[1]), x.Batch);
        long[] k = { h / size[0], w / size[1] };
        return Out(y, _g.Op("AveragePool", new[] { x.Name }, Ints("kernel_shape", k), Ints("strides", k)), x.Batch);
    }

    // PyTorch's adaptive cells, [floor(i H / oh), ceil((i + 1) H / oh)) by [floor(j W / ow), ceil((j + 1) W / ow)),
    // which overlap when the output does not divide the input: one ReduceMean per cell, concatenated back.
    private string AdaptiveCells(string x, long h, long w, long oh, long ow)
    {
        const long MaxCells = 4096;
        if (oh * ow > MaxCells)
            throw Unsupported($"AdaptiveAvgPool2d from {h}x{w} to {oh}x{ow}", $"the output does not divide the input and has more than {MaxCells} cells, one ONNX node each");
        static (long, long) Cell(long i, long n, long o) => (i * n / o, ((i + 1) * n + o - 1) / o);
        var rows = new string[oh];
        for (long i = 0; i < oh; ++i)
        {
            var (h0, h1) = Cell(i, h, oh);
            var cells = new string[ow];
            for (long j = 0; j < ow; ++j)
            {
                var (w0, w1) = Cell(j, w, ow);
                string cell = _g.Op("Slice", new[] { x, _g.Int64s(h0, w0), _g.Int64s(h1, w1), _g.Int64s(2, 3) });
                cells[j] = _g.Op("ReduceMean", new[] { cell }, Ints("axes", new long[] { 2, 3 }), Int("keepdims", 1));
            }
            rows[i] = ow == 1 ? cells[0] : _g.Op("Concat", cells, Int("axis", 3));
        }
        return oh == 1 ? rows[0] : _g.Op("Concat", rows, Int("axis", 2));
    }

    // Normalisations also report their statistics, which ONNX's operators do not give back as Wick does.
    private static Value?[] Stats(Tensor?[] outs, string op, Value y)
    {
        var r = new Value?[outs.Length];
        r[0] = y;
        for (int i = 1; i < outs.Length; ++i)
            if (outs[i] is { } t) r[i] = new Value(y.Name + $"_stat{i}", t.Shape, t.DType, -1) { Unusable = $"a saved statistic of {op}, which the exported graph does not compute" };
        return r;
    }

    private string Ones(Value? v, long[] shape, DType dt, double value) => v?.Name ?? _g.Filled(value, dt, shape);

    private Value BatchNorm(Value?[] x, Tensor y, bool training, double eps)
    {
        if (training) throw Unsupported("BatchNorm in training mode", "call Eval() on the module before exporting (the export uses the running statistics)");
        if (x[3] is null || x[4] is null) throw Unsupported("BatchNorm without running statistics (trackRunningStats: false)", "ONNX BatchNormalization needs running mean and variance");
        Value input = x[0]!;
        long c = input.Shape[1];
        string r = _g.Op("BatchNormalization", new[] { input.Name, Ones(x[1], new[] { c }, y.DType, 1), Ones(x[2], new[] { c }, y.DType, 0), x[3]!.Name, x[4]!.Name },
            Float("epsilon", eps));
        return Out(y, r, input.Batch);
    }

    private Value LayerNorm(Value?[] x, Tensor y, long[] normalizedShape, double eps)
    {
        Value input = x[0]!;
        int axis = input.Rank - normalizedShape.Length;
        if (input.Batch >= axis) throw Unsupported("LayerNorm over the batch dimension", "the normalized shape would depend on the batch size");
        var ins = x[2] is null
            ? new[] { input.Name, Ones(x[1], normalizedShape, y.DType, 1) }
            : new[] { input.Name, Ones(x[1], normalizedShape, y.DType, 1), x[2]!.Name };
        string r = _g.Op("LayerNormalization", ins, Int("axis", axis), Float("epsilon", eps));
        return Out(y, r, input.Batch);
    }

    // Opset 17 has no GroupNormalization: normalise each (sample, group) row of the (N, G, C/G * spatial) reshape, then
    // apply the per-channel scale and shift.
    private Value GroupNorm(Value?[] x, Tensor y, long groups, double eps)
    {
        Value input = x[0]!;
        if (input.Batch > 0 || input.Rank < 2) throw Unsupported("GroupNorm of this input", "the exporter expects the batch in dimension 0");
        DType dt = y.DType;
        string rows = _g.Op("Reshape", new[] { input.Name, _g.Int64s(input.Batch == 0 ? -1 : input.Shape[0], groups, input.Shape.Skip(1).Aggregate(1L, (p, d) => p * d) / groups) });
        var axes = Ints("axes", new long[] { 2 });
        string mean = _g.Op("ReduceMean", new[] { rows }, axes, Int("keepdims", 1));
        string d = _g.Op("Sub", new[] { rows, mean });
        string var = _g.Op("ReduceMean", new[] { _g.Op("Mul", new[] { d, d }) }, axes, Int("keepdims", 1));
        string n = _g.Op("Div", new[] { d, _g.Op("Sqrt", new[] { _g.Op("Add", new[] { var, _g.Scalar(eps, dt) }) }) });
        long[] back = input.Shape.ToArray();
        if (input.Batch == 0) back[0] = -1;
        string r = _g.Op("Reshape", new[] { n, _g.Int64s(back) });
        long c = input.Shape[1];
        long[] perChannel = new[] { c }.Concat(Enumerable.Repeat(1L, input.Rank - 2)).ToArray();
        if (x[1] is not null) r = _g.Op("Mul", new[] { r, _g.Op("Reshape", new[] { x[1]!.Name, _g.Int64s(perChannel) }) });
        if (x[2] is not null) r = _g.Op("Add", new[] { r, _g.Op("Reshape", new[] { x[2]!.Name, _g.Int64s(perChannel) }) });
        return Out(y, r, input.Batch);
    }

    private static Value?[] Dropout(Value x, Tensor?[] outs, double p, bool training)
    {
        if (training && p > 0) throw Unsupported("Dropout in training mode", "call Eval() on the module before exporting (dropout is then the identity)");
        var r = new Value?[outs.Length];
        r[0] = x;
        if (outs.Length > 1 && outs[1] is { } m) r[1] = new Value(x.Name + "_mask", m.Shape, m.DType, -1) { Unusable = "the dropout mask, which the exported graph does not compute" };
        return r;
    }

    // ---- shapes -------------------------------------------------------------------------------------------------------

    /// <summary>
    /// A Reshape to <paramref name="y"/>'s shape that holds for any batch size: the output axis that holds the input's
    /// batch axis becomes -1; every other size is the traced one.
    /// </summary>
    private Value Reshape(Value x, Tensor y)
    {
        long[] shape = y.Shape;
        if (shape.Contains(0)) throw Unsupported("Reshape of an empty tensor", "ONNX reads a 0 in a Reshape shape as 'copy this dimension'");
        int batch = -1;
        if (x.Batch >= 0)
        {
            // The output axis that holds the whole batch axis (with whole neighbours merged into it, if any): the
            // elements before it divide those before the batch axis, and it ends on a multiple of the batch's end.
            long before = 1;
            for (int i = 0; i < x.Batch; ++i) before *= x.Shape[i];
            long span = before * x.Shape[x.Batch];
            long p = 1;
            for (int k = 0; k < shape.Length && p <= before && span > 0; ++k)
            {
                long next = p * shape[k];
                if (before % p == 0 && next % span == 0)
                {
                    batch = k;
                    break;
                }
                p = next;
            }
            if (batch < 0)
                throw Unsupported($"Reshape from [{string.Join(", ", x.Shape)}] to [{string.Join(", ", shape)}] (batch dimension {x.Batch})",
                    "the batch dimension is split across output dimensions, so the graph would fix the batch size");
            shape = (long[])shape.Clone();
            shape[batch] = -1;
        }
        return Out(y, _g.Op("Reshape", new[] { x.Name, _g.Int64s(shape) }), batch);
    }

    private Value Expand(Value x, Tensor y)
    {
        long[] target = y.Shape.ToArray();
        int shift = y.Dim - x.Rank;
        // Bidirectional broadcasting: 1 keeps the input's own size, so the batch axis stays dynamic.
        for (int i = 0; i < x.Rank; ++i)
            if (x.Shape[i] == target[i + shift]) target[i + shift] = 1;
        return Out(y, _g.Op("Expand", new[] { x.Name, _g.Int64s(target) }), x.Batch < 0 ? -1 : x.Batch + shift);
    }

    private Value Permute(Value x, Tensor y, int[] dims)
    {
        long[] perm = dims.Select(d => (long)Norm(d, x.Rank)).ToArray();
        return Out(y, _g.Op("Transpose", new[] { x.Name }, Ints("perm", perm)), x.Batch < 0 ? -1 : Array.IndexOf(perm, (long)x.Batch));
    }

    private Value Transpose(Value x, Tensor y, int d0, int d1)
    {
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        if (x.Rank > 0) (perm[Norm(d0, x.Rank)], perm[Norm(d1, x.Rank)]) = (perm[Norm(d1, x.Rank)], perm[Norm(d0, x.Rank)]);
        return Permute(x, y, perm);
    }

    private Value Slice(Value x, Tensor y, int dim, long start, long end, long step)
    {
        int d = Norm(dim, x.Rank);
        long size = x.Shape[d];
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = Math.Clamp(start, 0, size);
        end = Math.Clamp(end, 0, size);
        int batch = x.Batch;
        if (d == x.Batch)
        {
            if (end >= size) end = long.MaxValue;  // up to the end, whatever the batch size
            else batch = -1;
        }
        string r = _g.Op("Slice", new[] { x.Name, _g.Int64s(start), _g.Int64s(end), _g.Int64s(d), _g.Int64s(step) });
        return Out(y, r, batch);
    }

    private Value Select(Value x, Tensor y, int dim, long index)
    {
        int d = Norm(dim, x.Rank);
        if (index < 0) index += x.Shape[d];
        int batch = x.Batch < 0 || x.Batch == d ? -1 : x.Batch > d ? x.Batch - 1 : x.Batch;
        return Out(y, _g.Op("Gather", new[] { x.Name, _g.Int64Scalar(index) }, Int("axis", d)), batch);
    }

    private Value Cat(Value?[] x, Tensor y, int dim)
    {
        var ins = x.Select(v => Cast(v!, y.DType)).ToArray();
        int d = Norm(dim, y.Dim);
        return Out(y, _g.Op("Concat", ins, Int("axis", d)), x.FirstOrDefault(v => v!.Batch >= 0)?.Batch ?? -1);
    }

    private Value Stack(Value?[] x, Tensor y, int dim)
    {
        int d = Norm(dim, y.Dim);
        var ins = x.Select(v => _g.Op("Unsqueeze", new[] { Cast(v!, y.DType), _g.Int64s(d) })).ToArray();
        int b = x.FirstOrDefault(v => v!.Batch >= 0)?.Batch ?? -1;
        return Out(y, _g.Op("Concat", ins, Int("axis", d)), b < 0 ? -1 : b >= d ? b + 1 : b);
    }

    private Value?[] Split(Value x, Tensor?[] outs, long[] sizes, int dim)
    {
        int d = Norm(dim, x.Rank);
        if (d == x.Batch) throw Unsupported("Split along the batch dimension", "the piece sizes would fix the batch size");
        long[] actual = outs.Select(o => o!.Shape[d]).ToArray();
        var names = actual.Select(_ => _g.Fresh("split")).ToArray();
        _g.Node("Split", new[] { x.Name, _g.Int64s(actual) }, names, Int("axis", d));
        return outs.Select((o, i) => (Value?)Out(o!, names[i], x.Batch)).ToArray();
    }

    private Value IndexSelect(Value x, Value index, Tensor y, int dim)
    {
        int d = Norm(dim, x.Rank);
        string idx = index.Rank == 0 ? _g.Op("Reshape", new[] { index.Name, _g.Int64s(1) }) : index.Name;
        return Out(y, _g.Op("Gather", new[] { x.Name, idx }, Int("axis", d)), x.Batch == d ? -1 : x.Batch);
    }

    private Value Pad(Value x, Tensor y, long[] pad, PaddingMode mode, wk_scalar? value)
    {
        int r = x.Rank;
        var begins = new long[r];
        var ends = new long[r];
        for (int i = 0; i < pad.Length / 2; ++i)
        {
            begins[r - 1 - i] = pad[2 * i];
            ends[r - 1 - i] = pad[2 * i + 1];
        }
        if (x.Batch >= 0 && (begins[x.Batch] != 0 || ends[x.Batch] != 0))
            throw Unsupported("Pad of the batch dimension", "the exporter keeps the batch dimension as it is");
        string m = mode switch
        {
            PaddingMode.Constant => "constant",
            PaddingMode.Reflect => "reflect",
            PaddingMode.Replicate => "edge",
            PaddingMode.Circular => "wrap",
            _ => throw Unsupported($"Pad in {mode} mode", "there is no ONNX translation for it"),
        };
        if (mode == PaddingMode.Circular) return Out(y, CircularPad(x, begins, ends), x.Batch);
        double v = value is { } s ? (s.kind == (int)wk_scalar_kind.WK_SCALAR_FLOAT ? s.f : s.i) : 0;
        var ins = mode == PaddingMode.Constant
            ? new[] { x.Name, _g.Int64s(begins.Concat(ends).ToArray()), _g.Scalar(v, x.DType) }
            : new[] { x.Name, _g.Int64s(begins.Concat(ends).ToArray()) };
        return Out(y, _g.Op("Pad", ins, Str("mode", m)), x.Batch);
    }
}
