using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>
/// Neural-network kernels on CUDA against the CPU: each op runs forward on CPU inputs and on GPU copies, and
/// backward through autograd with the same output gradient (through the differentiable Functions the layers use), so every forward and backward kernel (softmax, NLL,
/// convolution, pooling, batch, layer and group norm, dropout, embedding, upsampling) is compared. Sizes stay small (the CI runs these
/// on the CPU emulator) but cross the kernels' block sizes where that matters (rows longer than 256 threads).
/// </summary>
[Category("Cuda")]
public class CudaNNTests
{
    public static IEnumerable<DType> FloatKinds() => new[] { DType.Float32, DType.Float64 };

    private static double Tol(DType dtype) => dtype == DType.Float32 ? 1e-5 : 1e-11;

    /// <summary>
    /// Runs <paramref name="f"/> on the CPU inputs and on GPU copies, then the gradients of the inputs marked in
    /// <paramref name="differentiable"/> for one seeded output gradient; outputs and gradients must agree.
    /// </summary>
    private static void SameWithGradients(string what, Func<Tensor[], Tensor> f, Tensor[] inputs, bool[] differentiable, double tolerance)
    {
        Tensor[] cpu = inputs.Select((x, i) => differentiable[i] ? x.Detach().SetRequiresGrad() : x).ToArray();
        Tensor[] gpu = inputs.Select((x, i) => differentiable[i] ? x.Detach().To(Gpu).SetRequiresGrad() : x.To(Gpu)).ToArray();
        Tensor yc = f(cpu), yg = f(gpu);
        AssertMatchesCpu(yg, yc, $"{what}: output", tolerance);
        int[] wanted = Enumerable.Range(0, inputs.Length).Where(i => differentiable[i]).ToArray();
        if (wanted.Length == 0) return;
        Tensor g = Values(77, yc.Shape, yc.DType);
        Tensor?[] want = Wick.Autograd.Grad(new[] { yc }, wanted.Select(i => cpu[i]).ToArray(), new[] { g }, allowUnused: true);
        Tensor?[] got = Wick.Autograd.Grad(new[] { yg }, wanted.Select(i => gpu[i]).ToArray(), new[] { g.To(Gpu) }, allowUnused: true);
        for (int k = 0; k < wanted.Length; k++)
        {
            Assert.That(got[k] is null, Is.EqualTo(want[k] is null), $"{what}: gradient presence of input {wanted[k]}");
            if (want[k] is { } w) AssertMatchesCpu(got[k]!, w, $"{what}: gradient of input {wanted[k]}", tolerance);
        }
    }

    private static Tensor Classes(int seed, long[] shape, long classes, long? ignoreIndex = null)
    {
        var random = new Random(seed);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new long[n];
        for (long i = 0; i < n; i++) data[i] = random.NextInt64(classes);
        if (ignoreIndex is { } ignore && n > 1) data[1] = ignore;
        return Tensor.FromSpan<long>(data, shape);
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Softmax_and_log_softmax_match_cpu_along_every_dimension(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Values(1, new long[] { 3, 5, 7 }, dtype);
        foreach (int dim in new[] { 0, 1, 2 })
        {
            SameWithGradients($"Softmax {dtype} dim {dim}", t => new SoftmaxFunction(dim, false).Run(t[0]), new[] { x }, new[] { true }, Tol(dtype));
            SameWithGradients($"LogSoftmax {dtype} dim {dim}", t => new SoftmaxFunction(dim, true).Run(t[0]), new[] { x }, new[] { true }, Tol(dtype));
        }
        // A row longer than a thread block, with large values (the row maximum must be subtracted).
        Tensor wide = Values(2, new long[] { 2, 300 }, dtype, -80, 80);
        SameWithGradients($"Softmax {dtype} of 300-wide rows", t => new SoftmaxFunction(1, false).Run(t[0]), new[] { wide }, new[] { true }, Tol(dtype));
        SameWithGradients($"LogSoftmax {dtype} of 300-wide rows", t => new SoftmaxFunction(-1, true).Run(t[0]), new[] { wide }, new[] { true }, Tol(dtype));
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Nll_loss_and_cross_entropy_match_cpu_for_every_reduction(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor logits = Values(3, new long[] { 6, 5 }, dtype);
        Tensor target = Classes(4, new long[] { 6 }, 5, ignoreIndex: -100);
        Tensor weight = Values(5, new long[] { 5 }, dtype, 0.5, 2);
        Tensor spatial = Values(6, new long[] { 2, 4, 3 }, dtype);
        Tensor spatialTarget = Classes(7, new long[] { 2, 3 }, 4);
        foreach (Reduction r in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
        {
            SameWithGradients($"NllLoss {dtype} {r}", t => new NllLossFunction(t[1], null, -100, r).Run(new SoftmaxFunction(1, true).Run(t[0])),
                new[] { logits, target }, new[] { true, false }, Tol(dtype));
            SameWithGradients($"NllLoss {dtype} {r} weighted", t => new NllLossFunction(t[1], t[2], -100, r).Run(new SoftmaxFunction(1, true).Run(t[0])),
                new[] { logits, target, weight }, new[] { true, false, false }, Tol(dtype));
            SameWithGradients($"CrossEntropy {dtype} {r} over (N, C, S)", t => new NllLossFunction(t[1], null, -100, r).Run(new SoftmaxFunction(1, true).Run(t[0])),
                new[] { spatial, spatialTarget }, new[] { true, false }, Tol(dtype));
        }
    }

    [Test]
    public void Nll_loss_rejects_an_out_of_range_target_with_the_cpu_message()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor input = Values(8, new long[] { 3, 5 }, DType.Float32).To(Gpu);
        Tensor target = Tensor.FromArray(new long[] { 1, 7, 0 }).To(Gpu);
        AssertIndexErrorInBothModes(() => Functional.NllLoss(input, target),
            "nll_loss: target 7 is out of bounds for 5 classes (expected 0 to 4, or ignore_index -100)");
    }

    public static IEnumerable<TestCaseData> ConvCases()
    {
        foreach (DType dtype in FloatKinds())
        {
            yield return new TestCaseData(dtype, new long[] { 2, 3, 7, 6 }, new long[] { 4, 3, 3, 3 }, 1L, 1L, 1L, 1L, true).SetName($"Conv2d {dtype} 3x3 padding 1 with bias matches cpu");
            yield return new TestCaseData(dtype, new long[] { 2, 3, 9, 8 }, new long[] { 5, 3, 3, 2 }, 2L, 0L, 2L, 1L, false).SetName($"Conv2d {dtype} stride 2 dilation 2 matches cpu");
            yield return new TestCaseData(dtype, new long[] { 1, 4, 5, 5 }, new long[] { 6, 2, 3, 3 }, 1L, 2L, 1L, 2L, true).SetName($"Conv2d {dtype} two groups padding 2 matches cpu");
            yield return new TestCaseData(dtype, new long[] { 2, 3, 4, 4 }, new long[] { 2, 3, 1, 1 }, 1L, 0L, 1L, 1L, true).SetName($"Conv2d {dtype} 1x1 (direct kernels) matches cpu");
            // im2col + GEMM over a batch that the emulator build splits into chunks, the last one partial.
            yield return new TestCaseData(dtype, new long[] { 5, 4, 6, 6 }, new long[] { 3, 4, 3, 3 }, 1L, 1L, 1L, 1L, true).SetName($"Conv2d {dtype} batch of 5 in column chunks matches cpu");
            // Few taps (direct forward and input gradient) over 6 * 56 * 56 >= 16384 output positions: the weight
            // gradient takes the GEMM path (one image per column chunk in the emulator build) and the bias gradient
            // sums each channel in parts.
            yield return new TestCaseData(dtype, new long[] { 6, 1, 56, 56 }, new long[] { 4, 1, 3, 3 }, 1L, 1L, 1L, 1L, true).SetName($"Conv2d {dtype} one input channel over many positions matches cpu");
            // The direct forward's unrolled 3x3 taps with stride and dilation (depthwise: windows inside and across the
            // edges), and its any-size taps (2x3).
            yield return new TestCaseData(dtype, new long[] { 2, 4, 9, 8 }, new long[] { 4, 1, 3, 3 }, 2L, 1L, 2L, 4L, true).SetName($"Conv2d {dtype} depthwise 3x3 stride 2 dilation 2 (direct) matches cpu");
            yield return new TestCaseData(dtype, new long[] { 2, 1, 7, 9 }, new long[] { 3, 1, 2, 3 }, 2L, 1L, 1L, 1L, true).SetName($"Conv2d {dtype} 2x3 taps stride 2 (direct) matches cpu");
        }
    }

    private static ConvFunction Conv(bool bias, long stride, long padding, long dilation, long groups) =>
        new(2, false, bias, new[] { stride, stride }, new[] { padding, padding }, new[] { dilation, dilation }, new long[] { 0, 0 }, groups);

    [TestCaseSource(nameof(ConvCases))]
    public void Conv2d_and_its_gradients_match_cpu(DType dtype, long[] xShape, long[] wShape, long stride, long padding, long dilation, long groups, bool bias)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Values(9, xShape, dtype);
        Tensor w = Values(10, wShape, dtype, -1, 1);
        Tensor b = Values(11, new[] { wShape[0] }, dtype);
        if (bias)
            SameWithGradients("Conv2d", t => Conv(bias, stride, padding, dilation, groups).Run(t[0], t[1], t[2]), new[] { x, w, b },
                new[] { true, true, true }, Tol(dtype));
        else
            SameWithGradients("Conv2d", t => Conv(bias, stride, padding, dilation, groups).Run(t[0], t[1]), new[] { x, w },
                new[] { true, true }, Tol(dtype));
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Pooling_and_its_gradients_match_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Values(12, new long[] { 2, 3, 7, 6 }, dtype);
        bool[] d = { true };
        SameWithGradients("MaxPool2d 2", t => new MaxPool2dFunction((2, 2), (2, 2), (0, 0), (1, 1), false).Run(t[0]), new[] { x }, d, Tol(dtype));
        SameWithGradients("MaxPool2d 3 stride 2 padding 1 (overlapping windows)", t => new MaxPool2dFunction((3, 3), (2, 2), (1, 1), (1, 1), false).Run(t[0]), new[] { x }, d, Tol(dtype));
        SameWithGradients("MaxPool2d 2 dilation 2 ceil mode", t => new MaxPool2dFunction((2, 2), (2, 2), (0, 0), (2, 2), true).Run(t[0]), new[] { x }, d, Tol(dtype));
        SameWithGradients("AvgPool2d 2", t => new AvgPool2dFunction((2, 2), (2, 2), (0, 0), false, true, null).Run(t[0]), new[] { x }, d, Tol(dtype));
        SameWithGradients("AvgPool2d 3 stride 2 padding 1 without the padding", t => new AvgPool2dFunction((3, 3), (2, 2), (1, 1), false, false, null).Run(t[0]),
            new[] { x }, d, Tol(dtype));
        SameWithGradients("AvgPool2d 3 stride 1 ceil mode divisor 4", t => new AvgPool2dFunction((3, 3), (1, 1), (1, 1), true, true, 4).Run(t[0]),
            new[] { x }, d, Tol(dtype));
        SameWithGradients("AdaptiveAvgPool2d (3, 4)", t => new AdaptiveAvgPool2dFunction((3, 4)).Run(t[0]), new[] { x }, d, Tol(dtype));
        SameWithGradients("AdaptiveAvgPool2d 1", t => new AdaptiveAvgPool2dFunction((1, 1)).Run(t[0]), new[] { x }, d, Tol(dtype));
    }

    [Test]
    public void Max_pool2d_propagates_nan_like_the_cpu()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        var data = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        data[5] = float.NaN;
        Tensor x = Tensor.FromSpan<float>(data, new long[] { 1, 1, 4, 4 });
        AssertMatchesCpu(Functional.MaxPool2d(x.To(Gpu), 2), Functional.MaxPool2d(x, 2), "MaxPool2d with a NaN");
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Batch_norm_matches_cpu_in_training_and_evaluation(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Values(13, new long[] { 4, 3, 5 }, dtype, -2, 4);
        Tensor w = Values(14, new long[] { 3 }, dtype, 0.5, 2), b = Values(15, new long[] { 3 }, dtype);
        Tensor rmC = Values(16, new long[] { 3 }, dtype), rvC = Values(17, new long[] { 3 }, dtype, 0.5, 2);
        Tensor rmG = rmC.To(Gpu), rvG = rvC.To(Gpu);
        SameWithGradients("BatchNorm training", t => new NormFunction(NormFunction.Kind.Batch, true, 1e-5, true,
            t[0].Device == Gpu ? rmG : rmC, t[0].Device == Gpu ? rvG : rvC, 0.2).Run(t[0], t[1], t[2]), new[] { x, w, b }, new[] { true, true, true }, Tol(dtype));
        // The forward ran once on each device, so the running statistics were updated once on each.
        AssertMatchesCpu(rmG, rmC, "BatchNorm running mean", Tol(dtype));
        AssertMatchesCpu(rvG, rvC, "BatchNorm running variance", Tol(dtype));
        SameWithGradients("BatchNorm evaluation", t => new NormFunction(NormFunction.Kind.Batch, true, 1e-5, false,
            t[0].Device == Gpu ? rmG : rmC, t[0].Device == Gpu ? rvG : rvC).Run(t[0], t[1], t[2]), new[] { x, w, b }, new[] { true, true, true }, Tol(dtype));
        // 5 * 64 * 64 >= 16384 elements per channel: each channel is split into parts of whole images (one image per
        // part here), reduced in part order, then normalised plane by plane.
        Tensor big = Values(23, new long[] { 5, 3, 64, 64 }, dtype, -2, 4);
        Tensor rmBigC = Values(24, new long[] { 3 }, dtype), rvBigC = Values(25, new long[] { 3 }, dtype, 0.5, 2);
        Tensor rmBigG = rmBigC.To(Gpu), rvBigG = rvBigC.To(Gpu);
        SameWithGradients("BatchNorm training over many elements per channel", t => new NormFunction(NormFunction.Kind.Batch, true, 1e-5, true,
            t[0].Device == Gpu ? rmBigG : rmBigC, t[0].Device == Gpu ? rvBigG : rvBigC, 0.2).Run(t[0], t[1], t[2]), new[] { big, w, b }, new[] { true, true, true }, Tol(dtype));
        AssertMatchesCpu(rmBigG, rmBigC, "BatchNorm over many elements: running mean", Tol(dtype));
        AssertMatchesCpu(rvBigG, rvBigC, "BatchNorm over many elements: running variance", Tol(dtype));
        SameWithGradients("BatchNorm evaluation over many elements per channel", t => new NormFunction(NormFunction.Kind.Batch, true, 1e-5, false,
            t[0].Device == Gpu ? rmBigG : rmBigC, t[0].Device == Gpu ? rvBigG : rvBigC).Run(t[0], t[1], t[2]), new[] { big, w, b }, new[] { true, true, true }, Tol(dtype));
        SameWithGradients("BatchNorm training over many elements per channel without affine parameters",
            t => new NormFunction(NormFunction.Kind.Batch, false, 1e-5, true).Run(t[0]), new[] { big }, new[] { true }, Tol(dtype));
        Tensor image = Values(18, new long[] { 2, 3, 4, 4 }, dtype);
        SameWithGradients("BatchNorm (N, C, H, W) without affine parameters", t => new NormFunction(NormFunction.Kind.Batch, false, 1e-5, true).Run(t[0]),
            new[] { image }, new[] { true }, Tol(dtype));
    }

    /// <summary>Row lengths around the edges of the register-row kernels (softmax and layer norm along the last dimension).</summary>
    private static long[] RegisterRowLengths(DType dtype)
    {
        // 16-byte vectors hold 4 float32 / 2 float64; one block holds at most 8 vectors per thread x 256 threads.
        long longest = dtype == DType.Float32 ? 8192 : 4096;
        // 1; not a multiple of the vector; one warp; several warps; 1, 2 and 4 vectors per thread; the longest
        // register row; the first length that falls back to the general kernel.
        return new[] { 1L, 3, 4, 33, 257, 1024, 1030, 2051, longest, longest + 1 };
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Softmax_rows_held_in_registers_match_cpu_at_every_length_edge(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        foreach (long n in RegisterRowLengths(dtype))
        {
            Tensor x = Values(30, new long[] { 3, n }, dtype, -8, 8);
            SameWithGradients($"Softmax {dtype} of {n}-wide rows", t => new SoftmaxFunction(-1, false).Run(t[0]), new[] { x }, new[] { true }, Tol(dtype));
            SameWithGradients($"LogSoftmax {dtype} of {n}-wide rows", t => new SoftmaxFunction(1, true).Run(t[0]), new[] { x }, new[] { true }, Tol(dtype));
        }
        // Rows of whole vectors starting one element past a 16-byte boundary (a view into its device storage) take
        // the element-wise loads.
        Tensor flat = Values(31, new long[] { 1 + 2 * 8 }, dtype, -5, 5);
        SameWithGradients($"Softmax {dtype} of a misaligned view", t => new SoftmaxFunction(1, false).Run(t[0].Narrow(0, 1, 16).View(2, 8)),
            new[] { flat }, new[] { true }, Tol(dtype));
        SameWithGradients($"LogSoftmax {dtype} of a misaligned view", t => new SoftmaxFunction(1, true).Run(t[0].Narrow(0, 1, 16).View(2, 8)),
            new[] { flat }, new[] { true }, Tol(dtype));
        // A row holding -inf and a row of one very large value: the maximum is taken over the padding correctly.
        Tensor edges = Tensor.FromSpan<double>(new[] { double.NegativeInfinity, 0, 1, 2, 3, 1e30, -1e30, 0, 5, 5 }, new long[] { 2, 5 }).To(dtype);
        SameWithGradients($"Softmax {dtype} with infinite and huge values", t => new SoftmaxFunction(1, false).Run(t[0]), new[] { edges }, new[] { true }, Tol(dtype));
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Layer_norm_rows_held_in_registers_match_cpu_at_every_length_edge(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        foreach (long n in RegisterRowLengths(dtype))
        {
            Tensor x = Values(32, new long[] { 3, n }, dtype, -2, 4);
            Tensor w = Values(33, new long[] { n }, dtype, 0.5, 2), b = Values(34, new long[] { n }, dtype);
            // A 1-wide row has variance 0, so rstd = 1 / sqrt(eps) and the CPU's x * rstd - mean * rstd cancels to about
            // one rounding of x * rstd: a larger eps keeps that below the tolerance (the GPU computes (x - mean) * rstd).
            double eps = n == 1 ? 0.5 : 1e-5;
            SameWithGradients($"LayerNorm {dtype} of {n}-wide rows", t => new NormFunction(NormFunction.Kind.Layer, true, eps, normalizedShape: new long[] { n }).Run(t[0], t[1], t[2]),
                new[] { x, w, b }, new[] { true, true, true }, Tol(dtype));
        }
        // Rows of whole vectors starting one element past a 16-byte boundary (a view into its device storage).
        Tensor flat = Values(35, new long[] { 1 + 2 * 8 }, dtype);
        Tensor w8 = Values(36, new long[] { 8 }, dtype, 0.5, 2), b8 = Values(37, new long[] { 8 }, dtype);
        SameWithGradients($"LayerNorm {dtype} of a misaligned view",
            t => new NormFunction(NormFunction.Kind.Layer, true, 1e-5, normalizedShape: new long[] { 8 }).Run(t[0].Narrow(0, 1, 16).View(2, 8), t[1], t[2]),
            new[] { flat, w8, b8 }, new[] { true, true, true }, Tol(dtype));
        SameWithGradients($"LayerNorm {dtype} of a misaligned view without affine parameters",
            t => new NormFunction(NormFunction.Kind.Layer, false, 1e-5, normalizedShape: new long[] { 8 }).Run(t[0].Narrow(0, 1, 16).View(2, 8)),
            new[] { flat }, new[] { true }, Tol(dtype));
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Layer_norm_of_rows_far_from_zero_matches_cpu(DType dtype)
    {
        // Values 1000 + [0, 0.01): the mean rounded to the element type is off by up to half an ulp of 1000 (3e-5 in
        // float32), which is not small against the spread: the variance must be taken about the mean, not about its
        // rounding. 1024-wide rows take the register kernel; 3 rows of a 9000-wide one the general kernel.
        RequireCuda();
        using var scope = DisposeScope.Begin();
        foreach (long n in new long[] { 1024, 9000 })
        {
            Tensor x = Values(38, new long[] { 3, n }, dtype, 1000, 1000.01);
            SameWithGradients($"LayerNorm {dtype} of {n}-wide rows far from zero",
                t => new NormFunction(NormFunction.Kind.Layer, false, 1e-12, normalizedShape: new long[] { n }).Run(t[0]),
                new[] { x }, new[] { true }, Tol(dtype));
        }
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Layer_norm_matches_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Values(19, new long[] { 3, 4, 5 }, dtype, -2, 4);
        Tensor w = Values(20, new long[] { 4, 5 }, dtype, 0.5, 2), b = Values(21, new long[] { 4, 5 }, dtype);
        SameWithGradients("LayerNorm over the last two dimensions", t => new NormFunction(NormFunction.Kind.Layer, true, 1e-5, normalizedShape: new long[] { 4, 5 }).Run(t[0], t[1], t[2]),
            new[] { x, w, b }, new[] { true, true, true }, Tol(dtype));
        SameWithGradients("LayerNorm over the last dimension without affine parameters", t => new NormFunction(NormFunction.Kind.Layer, false, 1e-5, normalizedShape: new long[] { 5 }).Run(t[0]),
            new[] { x }, new[] { true }, Tol(dtype));
        Tensor wide = Values(22, new long[] { 2, 300 }, dtype);
        SameWithGradients("LayerNorm of 300-wide rows", t => new NormFunction(NormFunction.Kind.Layer, false, 1e-5, normalizedShape: new long[] { 300 }).Run(t[0]), new[] { wide }, new[] { true }, Tol(dtype));
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Group_norm_matches_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Values(28, new long[] { 2, 6, 3, 2 }, dtype, -2, 4);
        Tensor w = Values(29, new long[] { 6 }, dtype, 0.5, 2), b = Values(30, new long[] { 6 }, dtype);
        SameWithGradients("GroupNorm 3 groups", t => new NormFunction(NormFunction.Kind.Group, true, 1e-5, groups: 3).Run(t[0], t[1], t[2]),
            new[] { x, w, b }, new[] { true, true, true }, Tol(dtype));
        SameWithGradients("GroupNorm 1 group without affine parameters", t => new NormFunction(NormFunction.Kind.Group, false, 1e-5, groups: 1).Run(t[0]),
            new[] { x }, new[] { true }, Tol(dtype));
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Upsampling_and_its_gradient_match_cpu(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        long[] shape = { 2, 2, 3, 4 };
        Tensor x = Values(31, shape, dtype);
        var cases = new ((long H, long W)? Size, (double H, double W)? Scale, InterpolateMode Mode, bool Align)[]
        {
            ((7, 5), null, InterpolateMode.Nearest, false),
            (null, (2.0, 1.5), InterpolateMode.Nearest, false),
            ((7, 9), null, InterpolateMode.Bilinear, false),
            ((7, 9), null, InterpolateMode.Bilinear, true),
            (null, (1.7, 2.0), InterpolateMode.Bilinear, false),
        };
        foreach (var c in cases)
        {
            string what = $"Interpolate {c.Mode} size {c.Size} scale {c.Scale} alignCorners {c.Align}";
            Tensor want = Functional.Interpolate(x, c.Size, c.Scale, c.Mode, c.Align);
            AssertMatchesCpu(Functional.Interpolate(x.To(Gpu), c.Size, c.Scale, c.Mode, c.Align), want, what, Tol(dtype));
            Tensor g = Values(32, want.Shape, dtype);
            AssertMatchesCpu(Functional.InterpolateBackward(g.To(Gpu), shape, c.Size, c.Scale, c.Mode, c.Align),
                Functional.InterpolateBackward(g, shape, c.Size, c.Scale, c.Mode, c.Align), what + " backward", Tol(dtype));
        }
    }

    [Test]
    public void Dropout_draws_the_cpu_mask_for_the_same_seed()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = Values(23, new long[] { 7, 9 }, DType.Float32);
        var (outC, maskC) = Functional.DropoutWithMask(x, 0.3, generator: new Generator(42));
        var (outG, maskG) = Functional.DropoutWithMask(x.To(Gpu), 0.3, generator: new Generator(42));
        AssertMatchesCpu(maskG!, maskC!, "Dropout mask");
        AssertMatchesCpu(outG, outC, "Dropout output");
        Assert.That(maskC!.Sum().Item<long>(), Is.InRange(20, 60), "about 70% kept");
    }

    [TestCaseSource(nameof(FloatKinds))]
    public void Embedding_and_its_gradient_match_cpu_with_repeated_ids(DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor weight = Values(24, new long[] { 6, 4 }, dtype);
        Tensor ids = Tensor.FromArray(new long[] { 1, 5, 1, 0, 1, 3 }).Reshape(2, 3);
        SameWithGradients("Embedding", t => new EmbeddingFunction(t[1], null).Run(t[0]), new[] { weight, ids }, new[] { true, false }, Tol(dtype));
        SameWithGradients("EmbeddingBackward with a padding index", t => Functional.EmbeddingBackward(t[0], t[1], 6, 1),
            new[] { Values(25, new long[] { 2, 3, 4 }, dtype), ids }, new[] { false, false }, Tol(dtype));
    }

    [Test]
    public void Embedding_rejects_an_out_of_range_id_with_the_cpu_message()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor weight = Values(26, new long[] { 6, 4 }, DType.Float32).To(Gpu);
        Tensor ids = Tensor.FromArray(new long[] { 1, 6 }).To(Gpu);
        AssertIndexErrorInBothModes(() => Functional.Embedding(ids, weight),
            "embedding: index 6 is out of range for an embedding of 6 rows (expected 0 to 5)");
    }
}
