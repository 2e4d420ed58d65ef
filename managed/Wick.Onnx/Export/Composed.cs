using System;
using System.Linq;
using Wick.NN;
using Wick.Native;
using Wick.Onnx.Proto;
using static Wick.Onnx.Export.GraphBuilder;

namespace Wick.Onnx.Export;

// Translations of ops that opset 17 has no single operator for, or whose operator needs care to match PyTorch:
// interpolation (Resize), NLL loss, masked fill, atan2, cumulative product (a Scan), circular padding.
internal sealed partial class Tracer
{
    // PyTorch's interpolate: nearest is asymmetric with floor, bilinear is half_pixel (align_corners=False; unlike
    // pytorch_half_pixel this is also right for an output of length 1) or align_corners. With a scale factor the output is
    // floor(in * scale) and the coordinates use the factor itself, as Resize does with 'scales'; with a size, Resize gets
    // the sizes, N and C taken from the input's shape so the batch stays dynamic.
    private Value Upsample(Value x, Tensor y, (long H, long W) size, bool bilinear, bool alignCorners, (double H, double W) scale)
    {
        NeedBatch("interpolate", x, 4);
        string[] inputs;
        if (scale.H > 0 && scale.W > 0)
        {
            string scales = _g.Floats(1, 1, scale.H, scale.W);
            inputs = new[] { x.Name, "", scales };
        }
        else
        {
            string nc = _g.Op("Slice", new[] { _g.Op("Shape", new[] { x.Name }), _g.Int64s(0), _g.Int64s(2), _g.Int64s(0) });
            string sizes = _g.Op("Concat", new[] { nc, _g.Int64s(size.H, size.W) }, Int("axis", 0));
            inputs = new[] { x.Name, "", "", sizes };
        }
        var attributes = bilinear
            ? new[] { Str("mode", "linear"), Str("coordinate_transformation_mode", alignCorners ? "align_corners" : "half_pixel") }
            : new[] { Str("mode", "nearest"), Str("coordinate_transformation_mode", "asymmetric"), Str("nearest_mode", "floor") };
        return Out(y, _g.Op("Resize", inputs, attributes), x.Batch);
    }

    // NegativeLogLikelihoodLoss has PyTorch's weights, ignore_index and reductions. Wick also reports the summed weight
    // of the counted targets (the mean's divisor, which CrossEntropyLoss's label smoothing reuses): sum of w[t] over
    // the targets that are not ignored.
    private Value?[] NllLoss(Value?[] x, Tensor?[] outs, Reduction reduction, long ignoreIndex)
    {
        Value input = x[0]!, target = x[1]!;
        Value? weight = x[2];
        DType dt = input.DType;
        bool single = input.Rank == 1;  // (C) with a 0-d target
        string inp = single ? _g.Op("Unsqueeze", new[] { input.Name, _g.Int64s(0) }) : input.Name;
        string tgt = target.DType is DType.Int64 or DType.Int32 ? target.Name : Cast(target, DType.Int64);
        if (single) tgt = _g.Op("Unsqueeze", new[] { tgt, _g.Int64s(0) });
        var ins = weight is null ? new[] { inp, tgt } : new[] { inp, tgt, weight.Name };
        string mode = reduction switch { Reduction.None => "none", Reduction.Sum => "sum", _ => "mean" };
        string loss = _g.Op("NegativeLogLikelihoodLoss", ins, Str("reduction", mode), Int("ignore_index", ignoreIndex));
        if (single && reduction == Reduction.None) loss = _g.Op("Squeeze", new[] { loss, _g.Int64s(0) });

        string tt = target.DType == DType.Int64 ? tgt : _g.Op("Cast", new[] { tgt }, Int("to", Loading.OnnxDTypes.FromWick(DType.Int64)));
        string counted = _g.Op("Not", new[] { _g.Op("Equal", new[] { tt, _g.Int64Scalar(ignoreIndex) }) });
        string w = Cast(new Value(counted, Array.Empty<long>(), DType.Bool, -1), dt);
        if (weight is not null)
        {
            string safe = _g.Op("Where", new[] { counted, tt, _g.Int64Scalar(0) });
            w = _g.Op("Mul", new[] { w, _g.Op("Gather", new[] { weight.Name, safe }, Int("axis", 0)) });
        }
        string total = _g.Op("ReduceSum", new[] { w }, Int("keepdims", 0));
        var r = new Value?[outs.Length];
        r[0] = Out(outs[0]!, loss, reduction == Reduction.None ? target.Batch : -1);
        if (outs.Length > 1 && outs[1] is { } t) r[1] = Out(t, total, -1);
        return r;
    }

    // A factory (Zeros, Ones, Full, a scalar) inside the forward. A dimension equal to an input's batch size is taken
    // from that input's shape at run time; the second trace (one more sample) confirms that it follows the batch: a size
    // that only happened to equal it stays fixed there, the graphs differ and the export is refused.
    private Value Full(Tensor y, long[] shape, wk_scalar value, DType dtype)
    {
        double v = value.kind == (int)wk_scalar_kind.WK_SCALAR_FLOAT ? value.f : value.i;
        int batch = -1;
        var dims = new string[shape.Length];
        for (int i = 0; i < shape.Length; ++i)
        {
            int k = _batchInputs.FindIndex(b => b.Size == shape[i]);
            if (k < 0)
            {
                dims[i] = _g.Int64s(shape[i]);
                continue;
            }
            dims[i] = _g.Op("Slice", new[] { _g.Op("Shape", new[] { _batchInputs[k].Name }), _g.Int64s(0), _g.Int64s(1), _g.Int64s(0) });
            if (batch < 0) batch = i;
        }
        long count = shape.Aggregate(1L, (p, d) => p * d);
        if (batch < 0 && count <= 64) return Out(y, _g.Filled(v, dtype, shape), -1);
        if (batch < 0) return Out(y, _g.Op("Expand", new[] { _g.Scalar(v, dtype), _g.Int64s(shape) }), -1);
        string size = _g.Op("Concat", dims, Int("axis", 0));
        return Out(y, _g.Op("Expand", new[] { _g.Scalar(v, dtype), size }), batch);
    }

    private Value MaskedFill(Value x, Value mask, Value? valueTensor, Tensor y, wk_scalar value)
    {
        string v = valueTensor is not null ? Cast(valueTensor, y.DType)
            : _g.Scalar(value.kind == (int)wk_scalar_kind.WK_SCALAR_FLOAT ? value.f : value.i, y.DType);
        return Out(y, _g.Op("Where", new[] { Cast(mask, DType.Bool), v, Cast(x, y.DType) }), Broadcast(y, x, mask));
    }

    // atan2(y, x) from atan(y / x), corrected by ±pi where x is negative (or -0), as C's atan2: the sign of a zero counts
    // (1 / -0 is -inf), atan2(±0, ±0) is ±0 or ±pi, and two infinities give ±pi/4 or ±3pi/4.
    private string Atan2(string y, string x, DType dt)
    {
        string B(string type, string l, string r) => _g.Op(type, new[] { l, r });
        string U(string type, string a) => _g.Op(type, new[] { a });
        string zero = _g.Scalar(0, dt), one = _g.Scalar(1, dt), pi = _g.Scalar(Math.PI, dt);
        // The sign bit: negative, or -0 (whose reciprocal is -inf).
        string xNeg = B("Or", B("Less", x, zero), B("Less", B("Div", one, x), zero));
        string yNeg = B("Or", B("Less", y, zero), B("Less", B("Div", one, y), zero));
        string bothZero = B("And", B("Equal", x, zero), B("Equal", y, zero));
        string bothInf = B("And", U("IsInf", x), U("IsInf", y));
        string ratio = _g.Op("Where", new[] { bothInf, B("Div", U("Sign", y), U("Sign", x)), B("Div", y, x) });
        string base_ = _g.Op("Where", new[] { bothZero, y, U("Atan", ratio) });
        string turned = _g.Op("Where", new[] { yNeg, B("Sub", base_, pi), B("Add", base_, pi) });
        return _g.Op("Where", new[] { xNeg, turned, base_ });
    }

    // The cumulative product as a Scan whose body multiplies the running product by each slice along the axis: the same
    // products in the same order as Wick's kernel, for any length (the batch axis included). The initial product is
    // ones of one slice's shape, taken from the input's shape at run time.
    private Value CumProd(Value x, Tensor y, int dim)
    {
        int axis = Norm(dim, x.Rank);
        string xi = Cast(x, y.DType);
        if (x.Rank == 0) return Out(y, xi, -1);
        string first = _g.Op("Gather", new[] { xi, _g.Int64Scalar(0) }, Int("axis", axis));
        string ones = _g.Op("Expand", new[] { _g.Scalar(1, y.DType), _g.Op("Shape", new[] { first }) });

        int elem = Loading.OnnxDTypes.FromWick(y.DType);
        string stateIn = _g.Fresh("cumprod_state_in"), slice = _g.Fresh("cumprod_slice"), stateOut = _g.Fresh("cumprod_state_out"), scanOut = _g.Fresh("cumprod_scan_out");
        var body = new GraphProto { Name = _g.Fresh("cumprod_body") };
        body.Node.Add(Node("Mul", new[] { stateIn, slice }, stateOut));
        body.Node.Add(Node("Identity", new[] { stateOut }, scanOut));
        foreach (var n in new[] { stateIn, slice }) body.Input.Add(TensorInfo(n, elem));
        foreach (var n in new[] { stateOut, scanOut }) body.Output.Add(TensorInfo(n, elem));
        var attr = new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = body };
        string final = _g.Fresh("cumprod_final"), result = _g.Fresh("cumprod");
        _g.Node("Scan", new[] { ones, xi }, new[] { final, result }, attr, Int("num_scan_inputs", 1),
            Ints("scan_input_axes", new long[] { axis }), Ints("scan_output_axes", new long[] { axis }));
        return Out(y, result, x.Batch);
    }

    private static NodeProto Node(string type, string[] inputs, string output)
    {
        var n = new NodeProto { OpType = type, Name = output + "_node" };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        return n;
    }

    private static ValueInfoProto TensorInfo(string name, int elem) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elem } } };

    // Opset 17's Pad has no wrap mode: each padded axis becomes Concat(last b entries, x, first e entries).
    private string CircularPad(Value x, long[] begins, long[] ends)
    {
        string r = x.Name;
        for (int axis = 0; axis < x.Rank; ++axis)
        {
            long b = begins[axis], e = ends[axis], size = x.Shape[axis];
            if (b == 0 && e == 0) continue;
            if (b < 0 || e < 0 || b > size || e > size)
                throw Unsupported($"Pad in circular mode by ({b}, {e}) on an axis of size {size}", "the exporter wraps by at most the axis size and does not crop");
            var parts = new System.Collections.Generic.List<string>();
            if (b > 0) parts.Add(_g.Op("Slice", new[] { r, _g.Int64s(size - b), _g.Int64s(size), _g.Int64s(axis) }));
            parts.Add(r);
            if (e > 0) parts.Add(_g.Op("Slice", new[] { r, _g.Int64s(0), _g.Int64s(e), _g.Int64s(axis) }));
            r = _g.Op("Concat", parts.ToArray(), Int("axis", axis));
        }
        return r;
    }
}
