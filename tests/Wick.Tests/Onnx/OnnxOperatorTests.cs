using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Onnx;
using Wick.Onnx.Proto;
using Wick.Tests.Support;
using static Wick.Tests.Onnx.OnnxModels;

namespace Wick.Tests.Onnx;

/// <summary>
/// The imported operators and operator variants the ONNX node cases do not reach (1-D windows, asymmetric and wide pads,
/// output_padding, legacy Softmax, the extra unary/variadic/reduction operators), each a one-node model compared with a
/// float64 plain-loop reference computed here; and the specific errors for what Wick refuses.
/// </summary>
public class OnnxOperatorTests
{
    private const double Tol = 1e-5;

    /// <summary>Runs one node on the given inputs (names x0, x1, ...) and returns its outputs.</summary>
    private static Tensor[] RunNode(string op, Tensor[] inputs, int outputs = 1, long opset = 17, params AttributeProto[] attributes)
    {
        var g = new GraphProto { Name = op };
        // A null input is an omitted optional one (an empty name).
        string[] inNames = inputs.Select((t, i) => t is null ? "" : $"x{i}").ToArray();
        string[] outNames = Enumerable.Range(0, outputs).Select(i => $"y{i}").ToArray();
        for (int i = 0; i < inputs.Length; ++i)
            if (inputs[i] is not null) g.Input.Add(Untyped(inNames[i], inputs[i].DType));
        foreach (string o in outNames) g.Output.Add(new ValueInfoProto { Name = o });
        g.Node.Add(Node(op, inNames, outNames, "n", attributes));
        using OnnxModule m = Wick.Onnx.Onnx.Load(Model(g, opset).Bytes());
        return m.Run(inputs.Where(t => t is not null).ToArray());
    }

    private static ValueInfoProto Untyped(string name, DType d) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = Wick.Onnx.Loading.OnnxDTypes.FromWick(d) } } };

    private static AttributeProto Float(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };
    private static AttributeProto Str(string name, string v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(v) };

    private static Tensor Input(params long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        // Distinct values of both signs, not sorted: -1.3, 0.4, 2.1, ...
        double[] v = Enumerable.Range(0, (int)n).Select(i => Math.Round(Math.Sin(i * 1.7 + 0.3) * 3, 3)).ToArray();
        using Tensor t = Tensor.FromArray(v, shape);
        return t.To(DType.Float32);
    }

    private static void Same(Tensor actual, Reference expected)
    {
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape));
        double[] a = Reference.Of(actual).Data;
        for (int i = 0; i < a.Length; ++i)
            Assert.That(a[i], Is.EqualTo(expected.Data[i]).Within(Tol + Tol * Math.Abs(expected.Data[i])), $"element {i}");
    }

    public static IEnumerable<TestCaseData> UnaryCases()
    {
        yield return new TestCaseData("Abs", (Func<double, double>)Math.Abs).SetName("Abs_IsTheMagnitude");
        yield return new TestCaseData("Sign", (Func<double, double>)(x => Math.Sign(x))).SetName("Sign_IsMinusOneZeroOrOne");
        yield return new TestCaseData("Reciprocal", (Func<double, double>)(x => 1 / x)).SetName("Reciprocal_IsOneOverX");
        yield return new TestCaseData("Floor", (Func<double, double>)Math.Floor).SetName("Floor_RoundsDown");
        yield return new TestCaseData("Ceil", (Func<double, double>)Math.Ceiling).SetName("Ceil_RoundsUp");
        yield return new TestCaseData("Sin", (Func<double, double>)Math.Sin).SetName("Sin_IsTheSine");
        yield return new TestCaseData("Cos", (Func<double, double>)Math.Cos).SetName("Cos_IsTheCosine");
        yield return new TestCaseData("Erf", (Func<double, double>)DoubleMath.Erf).SetName("Erf_IsTheErrorFunction");
        yield return new TestCaseData("Softplus", (Func<double, double>)(x => Math.Log(1 + Math.Exp(x)))).SetName("Softplus_IsLogOnePlusExp");
        yield return new TestCaseData("Softsign", (Func<double, double>)(x => x / (1 + Math.Abs(x)))).SetName("Softsign_IsXOverOnePlusMagnitude");
        yield return new TestCaseData("HardSwish", (Func<double, double>)(x => x * Math.Clamp(x / 6 + 0.5, 0, 1))).SetName("HardSwish_GatesXByAHardSigmoid");
        yield return new TestCaseData("Selu", (Func<double, double>)(x => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.Exp(x) - 1)))).SetName("Selu_IsAScaledElu");
        yield return new TestCaseData("HardSigmoid", (Func<double, double>)(x => Math.Clamp(0.2 * x + 0.5, 0, 1))).SetName("HardSigmoid_ClampsALine");
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryOperatorMatchesTheReference(string op, Func<double, double> f)
    {
        using Tensor x = Input(3, 4);
        Tensor[] y = RunNode(op, new[] { x });
        using Tensor y0 = y[0];
        Same(y0, Reference.Of(x).Map(f));
    }

    [TestCase("Max"), TestCase("Min"), TestCase("Mean")]
    public void VariadicOperatorBroadcastsThreeInputs(string op)
    {
        using Tensor a = Input(2, 3), b = Input(3), c = Input(2, 1);
        Func<double, double, double, double> f = op switch
        {
            "Max" => (p, q, r) => Math.Max(p, Math.Max(q, r)),
            "Min" => (p, q, r) => Math.Min(p, Math.Min(q, r)),
            _ => (p, q, r) => (p + q + r) / 3,
        };
        Reference ra = Reference.Of(a), rb = Reference.Of(b), rc = Reference.Of(c);
        var expected = new double[6];
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 3; ++j) expected[i * 3 + j] = f(ra.Data[i * 3 + j], rb.Data[j], rc.Data[i]);
        Tensor[] y = RunNode(op, new[] { a, b, c });
        using Tensor y0 = y[0];
        Same(y0, new Reference(expected, 2, 3));
    }

    public static IEnumerable<TestCaseData> ReduceCases()
    {
        yield return new TestCaseData("ReduceMax", (Func<double[], double>)(v => v.Max())).SetName("ReduceMax_KeepsTheLargest");
        yield return new TestCaseData("ReduceMin", (Func<double[], double>)(v => v.Min())).SetName("ReduceMin_KeepsTheSmallest");
        yield return new TestCaseData("ReduceProd", (Func<double[], double>)(v => v.Aggregate(1.0, (a, b) => a * b))).SetName("ReduceProd_MultipliesTwoAxes");
        yield return new TestCaseData("ReduceL1", (Func<double[], double>)(v => v.Sum(Math.Abs))).SetName("ReduceL1_SumsMagnitudes");
        yield return new TestCaseData("ReduceL2", (Func<double[], double>)(v => Math.Sqrt(v.Sum(x => x * x)))).SetName("ReduceL2_IsTheEuclideanNorm");
        yield return new TestCaseData("ReduceSumSquare", (Func<double[], double>)(v => v.Sum(x => x * x))).SetName("ReduceSumSquare_SumsSquares");
        yield return new TestCaseData("ReduceLogSumExp", (Func<double[], double>)(v => Math.Log(v.Sum(Math.Exp)))).SetName("ReduceLogSumExp_IsLogOfSummedExp");
    }

    [TestCaseSource(nameof(ReduceCases))]
    public void ReductionOverAxesZeroAndTwoMatchesTheReference(string op, Func<double[], double> f)
    {
        using Tensor x = Input(2, 3, 4);
        using Tensor axes = Tensor.FromArray(new long[] { 0, -1 }, 2);
        Tensor[] y = RunNode(op, new[] { x, axes }, opset: 18, attributes: Int("keepdims", 0));
        using Tensor y0 = y[0];
        Same(y0, Reference.Of(x).Reduce(new[] { 0, 2 }, false, f));
    }

    [Test]
    public void PReluScalesNegativesByABroadcastSlope()
    {
        using Tensor x = Input(2, 3), slope = Input(3);
        Tensor[] y = RunNode("PRelu", new[] { x, slope });
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x), rs = Reference.Of(slope);
        Same(y0, new Reference(rx.Data.Select((v, i) => v < 0 ? v * rs.Data[i % 3] : v).ToArray(), 2, 3));
    }

    [TestCase(false, false), TestCase(true, false), TestCase(false, true), TestCase(true, true)]
    public void CumSumHonoursExclusiveAndReverse(bool exclusive, bool reverse)
    {
        using Tensor x = Input(2, 4);
        using Tensor axis = Tensor.FromArray(new long[] { 1 }, 1);
        Tensor[] y = RunNode("CumSum", new[] { x, axis }, attributes: new[] { Int("exclusive", exclusive ? 1 : 0), Int("reverse", reverse ? 1 : 0) });
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x);
        var expected = new double[8];
        for (int r = 0; r < 2; ++r)
            for (int i = 0; i < 4; ++i)
                for (int j = 0; j < 4; ++j)
                {
                    bool counted = reverse ? (exclusive ? j > i : j >= i) : (exclusive ? j < i : j <= i);
                    if (counted) expected[r * 4 + i] += rx.Data[r * 4 + j];
                }
        Same(y0, new Reference(expected, 2, 4));
    }

    [Test]
    public void ModWithFmodZeroTakesTheDivisorsSign()
    {
        using Tensor a = Tensor.FromArray(new long[] { 7, -7, 7, -7 }, 4), b = Tensor.FromArray(new long[] { 3, 3, -3, -3 }, 4);
        Tensor[] y = RunNode("Mod", new[] { a, b });
        using Tensor y0 = y[0];
        Assert.That(y0.ToArray<long>(), Is.EqualTo(new long[] { 1, 2, -2, -1 }));
        using Tensor f = Input(3);
        var e = Assert.Throws<Wick.Onnx.OnnxExecutionException>(() => RunNode("Mod", new[] { f, f }));
        Assert.That(e!.Message, Does.Contain("Mod with fmod 0 takes integer tensors"));
    }

    [TestCase("constant"), TestCase("reflect"), TestCase("edge"), TestCase("wrap")]
    public void PadOnTheLastAxisFollowsTheMode(string mode)
    {
        using Tensor x = Input(2, 4);
        using Tensor pads = Tensor.FromArray(new long[] { 0, 2, 0, 1 }, 4);
        using Tensor value = Tensor.FromArray(new float[] { 9f }, 1);
        Tensor[] y = mode == "constant"
            ? RunNode("Pad", new[] { x, pads, value }, opset: 19, attributes: Str("mode", mode))
            : RunNode("Pad", new[] { x, pads }, opset: 19, attributes: Str("mode", mode));
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x);
        var expected = new List<double>();
        for (int r = 0; r < 2; ++r)
            for (int j = -2; j < 5; ++j)
            {
                int k = mode switch
                {
                    "reflect" => j < 0 ? -j : j > 3 ? 6 - j : j,
                    "edge" => Math.Clamp(j, 0, 3),
                    "wrap" => (j + 4) % 4,
                    _ => j,
                };
                expected.Add(k is >= 0 and < 4 ? rx.Data[r * 4 + k] : 9);
            }
        Same(y0, new Reference(expected.ToArray(), 2, 7));
    }

    [Test]
    public void PadWithNegativePadsCropsAndAxesPickTheDimension()
    {
        using Tensor x = Input(3, 4);
        using Tensor pads = Tensor.FromArray(new long[] { -1, 1 }, 2);
        using Tensor axes = Tensor.FromArray(new long[] { 0 }, 1);
        Tensor[] y = RunNode("Pad", new[] { x, pads, null!, axes }, opset: 18);
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x);
        Same(y0, new Reference(rx.Data.Skip(4).Concat(new double[4]).ToArray(), 3, 4));
    }

    [Test]
    public void ResizeNearestAsymmetricFloorPicksTheFloorOfTheScaledCoordinate()
    {
        using Tensor x = Input(1, 2, 2, 3);
        using Tensor scales = Tensor.FromArray(new float[] { 1, 1, 2, 1.5f }, 4);
        Tensor[] y = RunNode("Resize", new[] { x, null!, scales }, opset: 13,
            attributes: new[] { Str("mode", "nearest"), Str("coordinate_transformation_mode", "asymmetric"), Str("nearest_mode", "floor") });
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x);
        var expected = new List<double>();
        for (int ch = 0; ch < 2; ++ch)
            for (int i = 0; i < 4; ++i)
                for (int j = 0; j < 4; ++j)
                    expected.Add(rx.Data[(ch * 2 + Math.Min((int)Math.Floor(i / 2.0), 1)) * 3 + Math.Min((int)Math.Floor(j / 1.5), 2)]);
        Same(y0, new Reference(expected.ToArray(), 1, 2, 4, 4));
    }

    [Test]
    public void ResizeLinearAlignCornersToSizesInterpolatesBetweenTheCorners()
    {
        using Tensor x = Input(1, 1, 2, 3);
        using Tensor sizes = Tensor.FromArray(new long[] { 1, 1, 3, 5 }, 4);
        Tensor[] y = RunNode("Resize", new[] { x, null!, null!, sizes }, opset: 13,
            attributes: new[] { Str("mode", "linear"), Str("coordinate_transformation_mode", "align_corners") });
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x);
        var expected = new List<double>();
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 5; ++j)
            {
                double r = i * (2 - 1) / 2.0, q = j * (3 - 1) / 4.0;
                int r0 = (int)Math.Floor(r), q0 = (int)Math.Floor(q), r1 = Math.Min(r0 + 1, 1), q1 = Math.Min(q0 + 1, 2);
                double fr = r - r0, fq = q - q0;
                double top = rx.Data[r0 * 3 + q0] * (1 - fq) + rx.Data[r0 * 3 + q1] * fq;
                double bottom = rx.Data[r1 * 3 + q0] * (1 - fq) + rx.Data[r1 * 3 + q1] * fq;
                expected.Add(top * (1 - fr) + bottom * fr);
            }
        Same(y0, new Reference(expected.ToArray(), 1, 1, 3, 5));
    }

    [Test]
    public void ResizeCubicIsRefusedByName()
    {
        using Tensor x = Input(1, 1, 2, 2);
        var e = Assert.Throws<OnnxNotSupportedException>(() => RunNode("Resize", new[] { x }, opset: 13, attributes: Str("mode", "cubic")));
        Assert.That(e!.Message, Does.Contain("mode 'cubic' is not implemented (nearest and linear are)"));
    }

    [TestCase("ArgMax"), TestCase("ArgMin")]
    public void ArgReductionGivesInt64IndicesAlongTheAxis(string op)
    {
        using Tensor x = Input(3, 5);
        Tensor[] y = RunNode(op, new[] { x }, attributes: new[] { Int("axis", 1), Int("keepdims", 1) });
        using Tensor y0 = y[0];
        Assert.That(y0.DType, Is.EqualTo(DType.Int64));
        Reference rx = Reference.Of(x);
        var expected = new double[3];
        for (int i = 0; i < 3; ++i)
        {
            double[] row = rx.Data.Skip(i * 5).Take(5).ToArray();
            expected[i] = Array.IndexOf(row, op == "ArgMax" ? row.Max() : row.Min());
        }
        Same(y0, new Reference(expected, 3, 1));
    }

    /// <summary>Plain-loop N-d convolution of (N, C, L) with (OC, C, K) and explicit begin/end pads, stride and dilation.</summary>
    private static Reference Conv1dRef(Reference x, Reference w, long padBegin, long padEnd, long stride, long dilation)
    {
        long n = x.Shape[0], c = x.Shape[1], l = x.Shape[2], oc = w.Shape[0], k = w.Shape[2];
        long outL = (l + padBegin + padEnd - (k - 1) * dilation - 1) / stride + 1;
        var y = new double[n * oc * outL];
        for (long b = 0; b < n; ++b)
            for (long o = 0; o < oc; ++o)
                for (long p = 0; p < outL; ++p)
                {
                    double s = 0;
                    for (long ci = 0; ci < c; ++ci)
                        for (long j = 0; j < k; ++j)
                        {
                            long at = p * stride + j * dilation - padBegin;
                            if (at >= 0 && at < l) s += x.Data[(b * c + ci) * l + at] * w.Data[(o * c + ci) * k + j];
                        }
                    y[(b * oc + o) * outL + p] = s;
                }
        return new Reference(y, n, oc, outL);
    }

    [Test]
    public void Conv1dWithAsymmetricPadsStrideAndDilationMatchesTheLoop()
    {
        using Tensor x = Input(2, 3, 9), w = Input(4, 3, 3);
        Tensor[] y = RunNode("Conv", new[] { x, w }, attributes: new[] { Ints("pads", 2, 1), Ints("strides", 2), Ints("dilations", 2) });
        using Tensor y0 = y[0];
        Same(y0, Conv1dRef(Reference.Of(x), Reference.Of(w), 2, 1, 2, 2));
    }

    [Test]
    public void ConvWithSameUpperPadsPutsTheOddCellAtTheEnd()
    {
        using Tensor x = Input(1, 2, 6), w = Input(3, 2, 4);
        // out = ceil(6 / 1) = 6, total pad = 3: 1 before, 2 after.
        Tensor[] y = RunNode("Conv", new[] { x, w }, attributes: Str("auto_pad", "SAME_UPPER"));
        using Tensor y0 = y[0];
        Same(y0, Conv1dRef(Reference.Of(x), Reference.Of(w), 1, 2, 1, 1));
    }

    [Test]
    public void ConvTransposeWithPadsAndOutputPaddingMatchesTheScatterLoop()
    {
        using Tensor x = Input(1, 2, 3, 3), w = Input(2, 3, 3, 3), b = Input(3);
        Tensor[] y = RunNode("ConvTranspose", new[] { x, w, b },
            attributes: new[] { Ints("strides", 2, 2), Ints("pads", 1, 0, 1, 1), Ints("output_padding", 1, 1) });
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x), rw = Reference.Of(w), rb = Reference.Of(b);
        // Full output (3 - 1) * 2 + 3 = 7 per axis (+1 output_padding), then pads cropped: rows [1, 8 - 1), cols [0, 8 - 1).
        const int full = 8;
        var acc = new double[3, full, full];
        for (int ci = 0; ci < 2; ++ci)
            for (int i = 0; i < 3; ++i)
                for (int j = 0; j < 3; ++j)
                    for (int co = 0; co < 3; ++co)
                        for (int ki = 0; ki < 3; ++ki)
                            for (int kj = 0; kj < 3; ++kj)
                                acc[co, i * 2 + ki, j * 2 + kj] += rx.Data[(ci * 3 + i) * 3 + j] * rw.Data[((ci * 3 + co) * 3 + ki) * 3 + kj];
        var expected = new List<double>();
        for (int co = 0; co < 3; ++co)
            for (int r = 1; r < full - 1; ++r)
                for (int c = 0; c < full - 1; ++c) expected.Add(acc[co, r, c] + rb.Data[co]);
        Same(y0, new Reference(expected.ToArray(), 1, 3, 6, 7));
    }

    [Test]
    public void MaxPoolWithAsymmetricPadsIgnoresThePaddingAndGivesWholeTensorIndices()
    {
        using Tensor x = Input(2, 2, 7);
        Tensor[] y = RunNode("MaxPool", new[] { x }, attributes: new[] { Ints("kernel_shape", 3), Ints("pads", 0, 2), Ints("strides", 2) });
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x);
        var expected = new List<double>();
        for (int plane = 0; plane < 4; ++plane)
            for (int p = 0; p < 4; ++p)
                expected.Add(Enumerable.Range(p * 2, 3).Where(i => i < 7).Max(i => rx.Data[plane * 7 + i]));
        Same(y0, new Reference(expected.ToArray(), 2, 2, 4));

        Tensor[] z = RunNode("MaxPool", new[] { x }, outputs: 2, attributes: new[] { Ints("kernel_shape", 3), Ints("strides", 2) });
        using Tensor values = z[0], indices = z[1];
        double[] flat = rx.Data, got = Reference.Of(values).Data, at = Reference.Of(indices).Data;
        Assert.That(indices.DType, Is.EqualTo(DType.Int64));
        for (int i = 0; i < got.Length; ++i) Assert.That(flat[(long)at[i]], Is.EqualTo(got[i]), $"index {i} points at the maximum in the whole tensor");
        Assert.That(at[^1], Is.GreaterThanOrEqualTo(21), "the last plane's indices count the three planes before it");
    }

    [Test]
    public void AveragePoolExcludingWidePaddingDividesByTheRealCells()
    {
        using Tensor x = Input(1, 1, 3, 3);
        Tensor[] y = RunNode("AveragePool", new[] { x }, attributes: new[] { Ints("kernel_shape", 3, 3), Ints("pads", 2, 2, 2, 2) });
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x);
        var expected = new List<double>();
        for (int i = -2; i <= 2; ++i)
            for (int j = -2; j <= 2; ++j)
            {
                var cells = new List<double>();
                for (int a = i; a < i + 3; ++a)
                    for (int b = j; b < j + 3; ++b)
                        if (a is >= 0 and < 3 && b is >= 0 and < 3) cells.Add(rx.Data[a * 3 + b]);
                expected.Add(cells.Average());
            }
        Same(y0, new Reference(expected.ToArray(), 1, 1, 5, 5));
    }

    [Test]
    public void LegacySoftmaxNormalisesOverTheFlattenedTrailingAxes()
    {
        using Tensor x = Input(2, 3, 2);
        Tensor[] y = RunNode("Softmax", new[] { x }, opset: 11, attributes: Int("axis", 1));
        using Tensor y0 = y[0];
        Reference rx = Reference.Of(x);
        var expected = new double[12];
        for (int r = 0; r < 2; ++r)
        {
            double[] row = rx.Data.Skip(r * 6).Take(6).ToArray();
            double m = row.Max(), s = row.Sum(v => Math.Exp(v - m));
            for (int i = 0; i < 6; ++i) expected[r * 6 + i] = Math.Exp(row[i] - m) / s;
        }
        Same(y0, new Reference(expected, 2, 3, 2));
    }

    [Test]
    public void ConstantOfShapeAskingForTerabytesIsRefusedBeforeAllocating()
    {
        using Tensor shape = Tensor.FromArray(new long[] { 1_000_000, 1_000_000 }, 2);
        var e = Assert.Throws<OnnxExecutionException>(() => RunNode("ConstantOfShape", new[] { shape }));
        Assert.That(e!.Message, Does.Contain("shape [1000000, 1000000] would have more than 4294967296 elements (OnnxLoadOptions.MaxTensorElements)"));
    }

    [Test]
    public void PoolingPadsOfATrillionCellsAreRefusedBeforePadding()
    {
        using Tensor x = Input(1, 1, 4);
        var e = Assert.Throws<OnnxExecutionException>(() => RunNode("MaxPool", new[] { x }, attributes: new[] { Ints("kernel_shape", 2), Ints("pads", 1_000_000_000_000, 0) }));
        Assert.That(e!.Message, Does.Contain("the padded input [1, 1, 1, 1000000000004] would have more than 4294967296 elements"));
    }

    [Test]
    public void ConvTransposeWithAHugeStrideIsRefusedBeforeAllocating()
    {
        using Tensor x = Input(1, 1, 3, 3), w = Input(1, 1, 2, 2);
        var e = Assert.Throws<OnnxExecutionException>(() => RunNode("ConvTranspose", new[] { x, w }, attributes: Ints("strides", 1L << 40, 1L << 40)));
        Assert.That(e!.Message, Does.Contain("the full output"));
    }

    [Test]
    public void ConvOnA3dInputIsRefusedAsNotImplemented()
    {
        using Tensor x = Input(1, 1, 3, 3, 3), w = Input(1, 1, 2, 2, 2);
        var e = Assert.Throws<OnnxNotSupportedException>(() => RunNode("Conv", new[] { x, w }));
        Assert.That(e!.Message, Does.Contain("Wick implements Conv on 1-D and 2-D inputs"));
    }

    [Test]
    public void AnUnknownAutoPadIsAFormatError()
    {
        using Tensor x = Input(1, 1, 4);
        var e = Assert.Throws<OnnxFormatException>(() => RunNode("MaxPool", new[] { x }, attributes: new[] { Ints("kernel_shape", 2), Str("auto_pad", "SAME_MIDDLE") }));
        Assert.That(e!.Message, Does.Contain("attribute 'auto_pad' is 'SAME_MIDDLE'; valid: NOTSET, VALID, SAME_UPPER, SAME_LOWER"));
    }

    [Test]
    public void AnAttributeWickWouldIgnoreIsRefused()
    {
        using Tensor x = Input(2, 2);
        var e = Assert.Throws<OnnxNotSupportedException>(() => RunNode("Relu", new[] { x }, attributes: Float("slope", 0.5f)));
        Assert.That(e!.Message, Does.Contain("attribute 'slope' is not one Wick implements for Relu"));
    }

    [Test]
    public void AnOperatorWickLacksIsNamedInTheError()
    {
        using Tensor x = Input(2, 2);
        var e = Assert.Throws<OnnxNotSupportedException>(() => RunNode("Einsum", new[] { x }));
        Assert.That(e!.Message, Does.Contain("the operator Einsum is not implemented by Wick"));
    }

    [Test]
    public void CastToAnElementTypeWickLacksIsRefusedWithTheTypeName()
    {
        using Tensor x = Input(2);
        var e = Assert.Throws<OnnxNotSupportedException>(() => RunNode("Cast", new[] { x }, attributes: Int("to", 12)));
        Assert.That(e!.Message, Does.Contain("'to' is the element type UINT32, which Wick cannot hold"));
    }
}
