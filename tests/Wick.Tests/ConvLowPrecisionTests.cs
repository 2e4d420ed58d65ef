using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using Wick.Tests.Support;

namespace Wick.Tests;

/// <summary>
/// conv1d, conv2d and conv_transpose2d on float16 and bfloat16 tensors, forward and every gradient (input, weight, bias),
/// against the float64 loops of <see cref="ConvRef"/> run on the same 16-bit-rounded inputs: each result must be the exact
/// value rounded once to the 16-bit dtype, within a few of its units in the last place (normalised error). Geometries
/// cover the im2col + GEMM path and the direct kernels, stride, padding, dilation, groups (depthwise too), batches split
/// into column chunks and non-contiguous operands; mixed dtypes raise errors that name the op and both dtypes. Runs on
/// the CPU here (16-bit convolutions compute in float32 and round) and on CUDA in CudaConvLowPrecisionTests (16-bit
/// kernels with float32 accumulation).
/// </summary>
public abstract class ConvLowPrecisionTestsBase
{
    protected abstract Device Dev { get; }

    protected virtual void Require() { }

    [SetUp]
    public void SetUpDevice() => Require();

    public static readonly DType[] LowTypes = { DType.Float16, DType.BFloat16 };

    private static readonly (string Name, ConvGeo G)[] Geometries =
    {
        ("3x3 padding 1", new(2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1)),
        ("3x2 stride 2 dilation 2", new(2, 3, 9, 8, 5, 3, 2, 2, 2, 0, 0, 2, 2, 1)),
        ("two groups padding 2", new(1, 4, 5, 5, 6, 3, 3, 1, 1, 2, 2, 1, 1, 2)),
        ("1x1 (direct kernels)", new(2, 3, 4, 4, 2, 1, 1, 1, 1, 0, 0, 1, 1, 1)),
        ("depthwise 3x3 (direct kernels)", new(2, 4, 6, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4)),
        // The emulator build's small column budget splits this batch into chunks, the last one partial (the weight
        // gradient then carries its float32 sum from chunk to chunk).
        ("batch of 5 in column chunks", new(5, 4, 6, 6, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1)),
        // Few taps (direct forward and input gradient) over 6 * 56 * 56 output positions: the weight gradient takes the
        // GEMM path and the bias gradient sums each channel in parts.
        ("one input channel over many positions", new(6, 1, 56, 56, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1)),
        ("16 to 24 channels", new(3, 16, 13, 11, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1)),
    };

    public static IEnumerable<TestCaseData> Conv2dCases()
    {
        foreach (DType dt in LowTypes)
            for (int i = 0; i < Geometries.Length; ++i)
                yield return new TestCaseData(dt, i).SetArgDisplayNames(dt.ToString(), Geometries[i].Name);
    }

    /// <summary>Seeded uniform values in [-1, 1) rounded to <paramref name="dt"/>, on Dev, and those rounded values as doubles.</summary>
    private (Tensor T, double[] V) Input(ulong seed, DType dt, params long[] shape)
    {
        using Tensor f = KernelRef.Uniform(seed, -1, 1, DType.Float32, shape);
        using Tensor low = f.To(dt);
        return (low.To(Dev), KernelRef.Values(low));
    }

    private static double[] Doubles(Tensor t)
    {
        using Tensor c = t.Cpu();
        return KernelRef.Values(c);
    }

    /// <summary>A result must be on Dev, in the 16-bit dtype, and the exact value rounded once (a few units in the last place).</summary>
    private void AssertRounded(Tensor? got, double[] want, long[] shape, DType dt, string what)
    {
        Assert.That(got, Is.Not.Null, $"{what}: missing");
        Assert.That(got!.Device, Is.EqualTo(Dev), $"{what}: device");
        Assert.That(got.DType, Is.EqualTo(dt), $"{what}: dtype");
        Assert.That(got.Shape, Is.EqualTo(shape), $"{what}: shape");
        KernelRef.AssertNormalisedClose(Doubles(got), want, Cuda.CudaTestSupport.Tolerance(dt), what);
    }

    /// <summary>The input, weight and bias gradients of the convolution g against the float64 loops.</summary>
    private void AssertGradients((Tensor? GradInput, Tensor? GradWeight, Tensor? GradBias) got, ConvGeo g, double[] xv, double[] wv, double[] gyv,
        long[] xShape, long[] wShape, DType dt)
    {
        var (ex, ew, eb) = ConvRef.ConvBackward(g, xv, wv, gyv);
        AssertRounded(got.GradInput, ex, xShape, dt, "grad input");
        AssertRounded(got.GradWeight, ew, wShape, dt, "grad weight");
        AssertRounded(got.GradBias, eb, new[] { g.OC }, dt, "grad bias");
    }

    [TestCaseSource(nameof(Conv2dCases))]
    public void Conv2d_and_its_three_gradients_are_the_exact_values_rounded_once(DType dt, int which)
    {
        using var scope = DisposeScope.Begin();
        ConvGeo g = Geometries[which].G;
        var (x, xv) = Input(10, dt, g.XShape);
        var (w, wv) = Input(11, dt, g.WShape);
        var (b, bv) = Input(12, dt, g.OC);
        var (gy, gyv) = Input(13, dt, g.YShape);
        (long, long) s = (g.SH, g.SW), p = (g.PH, g.PW), d = (g.DH, g.DW);
        AssertRounded(Functional.Conv2d(x, w, b, s, p, d, g.G), ConvRef.Conv(g, xv, wv, bv), g.YShape, dt, "conv2d with bias");
        AssertRounded(Functional.Conv2d(x, w, null, s, p, d, g.G), ConvRef.Conv(g, xv, wv, null), g.YShape, dt, "conv2d without bias");
        AssertGradients(Functional.Conv2dBackward(gy, x, w, s, p, d, g.G), g, xv, wv, gyv, g.XShape, g.WShape, dt);
    }

    [TestCaseSource(nameof(LowTypes))]
    public void Conv2d_reads_transposed_and_strided_operands(DType dt)
    {
        using var scope = DisposeScope.Begin();
        ConvGeo g = new(2, 4, 6, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2);
        // x and grad_output stored (N, C, W, H) and transposed; w every other output channel of a larger weight.
        var (xt, _) = Input(20, dt, g.N, g.C, g.W, g.H);
        var (wAll, _) = Input(21, dt, 2 * g.OC, g.Cg, g.KH, g.KW);
        var (gyt, _) = Input(22, dt, g.N, g.OC, g.OW, g.OH);
        var (b, bv) = Input(23, dt, g.OC);
        Tensor x = xt.Transpose(2, 3), w = wAll.Slice(0, 0, 2 * g.OC, 2), gy = gyt.Transpose(2, 3);
        Assert.That(x.IsContiguous || w.IsContiguous || gy.IsContiguous, Is.False);
        double[] xv = Doubles(x), wv = Doubles(w), gyv = Doubles(gy);
        AssertRounded(Functional.Conv2d(x, w, b, padding: 1, groups: 2), ConvRef.Conv(g, xv, wv, bv), g.YShape, dt, "conv2d");
        AssertGradients(Functional.Conv2dBackward(gy, x, w, padding: 1, groups: 2), g, xv, wv, gyv, g.XShape, g.WShape, dt);
    }

    [TestCaseSource(nameof(LowTypes))]
    public void Conv1d_with_stride_padding_dilation_and_groups_and_its_gradients_are_rounded_once(DType dt)
    {
        using var scope = DisposeScope.Begin();
        ConvGeo g = new(2, 4, 1, 17, 6, 1, 3, 1, 2, 0, 2, 1, 3, 2);  // (N, C, L) as height 1
        var (x, xv) = Input(30, dt, g.N, g.C, g.W);
        var (w, wv) = Input(31, dt, g.OC, g.Cg, g.KW);
        var (b, bv) = Input(32, dt, g.OC);
        var (gy, gyv) = Input(33, dt, g.N, g.OC, g.OW);
        AssertRounded(Functional.Conv1d(x, w, b, stride: 2, padding: 2, dilation: 3, groups: 2), ConvRef.Conv(g, xv, wv, bv),
            new[] { g.N, g.OC, g.OW }, dt, "conv1d");
        AssertGradients(Functional.Conv1dBackward(gy, x, w, 2, 2, 3, 2), g, xv, wv, gyv, x.Shape, w.Shape, dt);
    }

    public static IEnumerable<TestCaseData> TransposeCases()
    {
        foreach (DType dt in LowTypes)
        {
            yield return new TestCaseData(dt, new long[] { 2, 4, 5, 3, 3, 3, 3, 2, 2, 1, 1, 1, 0, 1, 1 }).SetArgDisplayNames(dt.ToString(), "3x3 stride 2");
            yield return new TestCaseData(dt, new long[] { 1, 4, 3, 4, 2, 2, 3, 3, 2, 0, 1, 2, 1, 2, 2 })
                .SetArgDisplayNames(dt.ToString(), "output padding dilation groups");
        }
    }

    [TestCaseSource(nameof(TransposeCases))]
    public void Conv_transpose2d_and_its_three_gradients_are_rounded_once(DType dt, long[] a)
    {
        using var scope = DisposeScope.Begin();
        long N = a[0], Cin = a[1], H = a[2], W = a[3], Coutg = a[4], KH = a[5], KW = a[6], sh = a[7], sw = a[8], ph = a[9], pw = a[10],
            oph = a[11], opw = a[12], d = a[13], G = a[14];
        var (x, xv) = Input(40, dt, N, Cin, H, W);
        var (w, wv) = Input(41, dt, Cin, Coutg, KH, KW);
        var (b, bv) = Input(42, dt, Coutg * G);
        double[] ey = ConvRef.ConvTranspose(xv, wv, bv, N, Cin, H, W, Coutg, KH, KW, sh, sw, ph, pw, oph, opw, d, d, G, out long OH, out long OW);
        long Cout = Coutg * G;
        AssertRounded(Functional.ConvTranspose2d(x, w, b, (sh, sw), (ph, pw), (oph, opw), G, (d, d)), ey, new[] { N, Cout, OH, OW }, dt,
            "conv_transpose2d");
        // The transposed convolution is the input gradient of the convolution gc: (N, Cout, OH, OW) -> (N, Cin, H, W) with the
        // same weight, so its input gradient is gc itself, its weight gradient gc's with the roles of input and output exchanged.
        var (gy, gyv) = Input(43, dt, N, Cout, OH, OW);
        ConvGeo gc = new(N, Cout, OH, OW, Cin, KH, KW, sh, sw, ph, pw, d, d, G);
        var (gx, gw, gb) = Kernels.ConvTranspose2dBackward(gy, x, w, (sh, sw), (ph, pw), (d, d), G, true, true, true);
        AssertRounded(gx, ConvRef.Conv(gc, gyv, wv, null), x.Shape, dt, "grad input");
        AssertRounded(gw, ConvRef.ConvBackward(gc, gyv, wv, xv).gw, w.Shape, dt, "grad weight");
        AssertRounded(gb, ConvRef.ChannelSums(gyv, Cout, OH * OW), new[] { Cout }, dt, "grad bias");
    }

    [Test]
    public void Mixed_dtypes_outside_autocast_raise_errors_that_name_the_op_and_both_dtypes()
    {
        using var scope = DisposeScope.Begin();
        var (x16, _) = Input(50, DType.Float16, 1, 2, 5, 5);
        var (w16, _) = Input(51, DType.Float16, 3, 2, 3, 3);
        var (xb, _) = Input(52, DType.BFloat16, 1, 2, 5, 5);
        var (wb, _) = Input(53, DType.BFloat16, 3, 2, 3, 3);
        Tensor w32 = w16.To(DType.Float32), b16 = Tensor.Zeros(new long[] { 3 }, DType.Float16, Dev), b32 = b16.To(DType.Float32);

        void Refused(TestDelegate call, string message) =>
            Assert.That(Assert.Throws<DTypeException>(call)!.Message, Does.Contain(message));

        Refused(() => Functional.Conv2d(x16, w32), "conv2d: the input is float16 but the weight is float32; convert one of them so both have the same dtype");
        Refused(() => Functional.Conv2d(xb, wb, b16), "conv2d: the input is bfloat16 but the bias is float16");
        Refused(() => Functional.Conv2d(x16, wb), "conv2d: the input is float16 but the weight is bfloat16");
        Refused(() => Functional.Conv2dBackward(Tensor.Zeros(new long[] { 1, 3, 3, 3 }, DType.Float32, Dev), x16, w16),
            "conv2d_backward: the input is float16 but grad_output is float32");
        Tensor x1 = x16.Select(2, 0), w1 = w32.Select(2, 0);  // (1, 2, 5) and (3, 2, 3)
        Refused(() => Functional.Conv1d(x1, w1), "conv1d: the input is float16 but the weight is float32");
        Tensor wt16 = Tensor.Zeros(new long[] { 2, 3, 3, 3 }, DType.Float16, Dev);
        Refused(() => Functional.ConvTranspose2d(x16, wt16, b32), "conv_transpose2d: the input is float16 but the bias is float32");
        Refused(() => Functional.ConvTranspose2d(x16, wt16.To(DType.BFloat16)), "conv_transpose2d: the input is float16 but the weight is bfloat16");
        Tensor xi = Tensor.Zeros(new long[] { 1, 2, 5, 5 }, DType.Int64, Dev);
        Refused(() => Functional.Conv2d(xi, Tensor.Zeros(new long[] { 3, 2, 3, 3 }, DType.Int64, Dev)), "conv2d: needs a floating-point input, got int64");
    }
}

/// <summary>16-bit convolutions on the CPU: computed in float32 and rounded once.</summary>
public class ConvLowPrecisionCpuTests : ConvLowPrecisionTestsBase
{
    protected override Device Dev => Device.Cpu;
}
