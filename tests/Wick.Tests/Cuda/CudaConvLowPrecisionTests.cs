using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>
/// The 16-bit convolution kernels of the CUDA backend (float16 / bfloat16 operands and GEMMs, float32 accumulation),
/// against float64 loops on the rounded inputs: every case of <see cref="ConvLowPrecisionTestsBase"/>.
/// </summary>
[Category("Cuda")]
public class CudaConvLowPrecisionTests : ConvLowPrecisionTestsBase
{
    protected override Device Dev => Gpu;
    protected override void Require() => RequireCuda();
}

/// <summary>
/// That CUDA convolutions of 16-bit tensors really run in 16 bits (no float32 copies of their operands), and that autocast
/// sends a CNN's convolutions there, forward and backward, with float32 parameter gradients close to a float32 run.
/// </summary>
[Category("Cuda")]
[NonParallelizable]
public class CudaConvAutocastTests
{
    private static Tensor Uniform(int seed, DType dtype, params long[] shape) => Values(seed, shape, DType.Float32, -1, 1).To(dtype).To(Gpu);

    /// <summary>Device bytes allocated at the peak of <paramref name="op"/>, above what was allocated before it.</summary>
    private static long PeakBytesOf(Func<object> op)
    {
        Memory.ResetPeak(Gpu);
        long before = Memory.Stats(Gpu).AllocatedBytes;
        op();
        return Memory.Stats(Gpu).PeakBytes - before;
    }

    [TestCase(DType.Float16)]
    [TestCase(DType.BFloat16)]
    public void Convolutions_of_16_bit_tensors_make_no_float32_copies_of_their_operands(DType dt)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        // x and grad_output (4, 32, 16, 16) take 64 KiB each in 16 bits. float32 copies of an operand and of the result
        // alone would take 4x that; the 16-bit kernels need the 16-bit result and a column buffer (1x1: the input's size
        // per image, float32 for the input gradient's columns).
        Tensor x = Uniform(1, dt, 4, 32, 16, 16), w = Uniform(2, dt, 32, 32, 1, 1), b = Uniform(3, dt, 32), gy = Uniform(4, dt, 4, 32, 16, 16);
        long limit = 4 * (4 * 32 * 16 * 16 * 2);
        Assert.That(PeakBytesOf(() => Functional.Conv2d(x, w, b)), Is.LessThan(limit), "forward");
        Assert.That(PeakBytesOf(() => Functional.Conv2dBackward(gy, x, w, weightGrad: false, biasGrad: false).GradInput!), Is.LessThan(limit),
            "input gradient");
        Assert.That(PeakBytesOf(() => Functional.Conv2dBackward(gy, x, w, inputGrad: false, biasGrad: false).GradWeight!), Is.LessThan(limit),
            "weight gradient");
        Assert.That(PeakBytesOf(() => Functional.Conv2dBackward(gy, x, w, inputGrad: false, weightGrad: false).GradBias!), Is.LessThan(limit),
            "bias gradient");
    }

    /// <summary>Records the dtypes of every convolution's operands and result.</summary>
    private sealed class ConvRecorder : OpTracer
    {
        public readonly List<(string Op, DType[] Inputs, DType Output)> Convs = new();

        public override void Op(string op, Tensor?[] inputs, Tensor?[] outputs, params object?[] args)
        {
            if (op.StartsWith("Conv", StringComparison.Ordinal))
                Convs.Add((op, inputs.Where(t => t is not null).Select(t => t!.DType).ToArray(), outputs[0]!.DType));
        }

        public override void Created(Tensor t) { }
    }

    private sealed class SmallCnn
    {
        public readonly Conv2d Conv1 = new(3, 8, 3, padding: 1, generator: new Generator(1));
        public readonly Conv2d Conv2 = new(8, 8, 3, stride: 2, padding: 1, groups: 2, generator: new Generator(2));
        public readonly ConvTranspose2d Up = new(8, 4, 2, stride: 2, generator: new Generator(3));
        public readonly Conv1d Rows = new(4 * 8, 6, 3, padding: 1, generator: new Generator(4));
        public readonly Linear Head = new(6 * 8, 5, generator: new Generator(5));

        public SmallCnn()
        {
            foreach (Module m in Modules) m.To(Gpu);
        }

        private Module[] Modules => new Module[] { Conv1, Conv2, Up, Rows, Head };

        public Tensor[] Parameters => Modules.SelectMany(m => m.Parameters()).ToArray();

        // x (N, 3, 8, 8) -> conv 3x3 -> relu -> grouped conv stride 2 (N, 8, 4, 4) -> relu -> transposed conv (N, 4, 8, 8) ->
        // rows as a sequence (N, 32, 8) -> conv1d (N, 6, 8) -> linear (N, 5) -> cross-entropy. hook: sees each conv output.
        public Tensor Loss(Tensor x, Tensor target, Action<Tensor> hook)
        {
            Tensor h = Conv1.Forward(x);
            hook(h);
            h = h.Relu();
            h = Conv2.Forward(h);
            hook(h);
            h = h.Relu();
            h = Up.Forward(h);
            hook(h);
            h = h.Reshape(x.Shape[0], 4 * 8, 8);
            h = Rows.Forward(h);
            hook(h);
            h = Head.Forward(h.Reshape(x.Shape[0], 6 * 8));
            return Functional.CrossEntropy(h, target);
        }
    }

    [TestCase(DType.Float16, 1e-2)]
    [TestCase(DType.BFloat16, 5e-2)]
    public void A_cnn_under_autocast_runs_its_convolutions_in_16_bits_and_gets_float32_gradients_close_to_a_float32_run(DType low, double tol)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        var model = new SmallCnn();
        Tensor x = Uniform(10, DType.Float32, 6, 3, 8, 8);
        Tensor target = Tensor.FromArray(new long[] { 0, 4, 2, 1, 3, 2 }).To(Gpu);

        Tensor loss32 = model.Loss(x, target, _ => { });
        loss32.Backward();
        double[][] want = model.Parameters.Select(p => AsDoubles(p.Grad!)).ToArray();
        foreach (Tensor p in model.Parameters) p.Grad = null;

        var recorder = new ConvRecorder();
        var gradDtypes = new List<DType>();
        Tensor loss;
        using (OpTracer.Begin(recorder))
        using (Autocast.Enable(DeviceType.Cuda, low))
            loss = model.Loss(x, target, h => h.RegisterHook(g => { gradDtypes.Add(g.DType); return null; }));
        loss.Backward();

        Assert.That(recorder.Convs.Select(c => c.Op), Is.EqualTo(new[] { "Conv2d", "Conv2d", "ConvTranspose2d", "Conv1d" }));
        foreach (var (op, inputs, output) in recorder.Convs)
        {
            Assert.That(inputs, Has.Length.EqualTo(3).And.All.EqualTo(low), $"{op}: input, weight and bias dtypes");
            Assert.That(output, Is.EqualTo(low), $"{op}: output dtype");
        }
        Assert.That(gradDtypes, Has.Count.EqualTo(4).And.All.EqualTo(low), "the gradients the convolutions' backward received");
        Assert.That(loss.DType, Is.EqualTo(DType.Float32));
        Assert.That(loss.Item<float>(), Is.EqualTo(loss32.Item<float>()).Within(tol * Math.Abs(loss32.Item<float>())), "loss");
        Tensor[] ps = model.Parameters;
        for (int i = 0; i < ps.Length; ++i)
        {
            Assert.That(ps[i].Grad!.DType, Is.EqualTo(DType.Float32), $"parameter {i}: gradient dtype");
            KernelRef.AssertNormalisedClose(AsDoubles(ps[i].Grad!), want[i], tol, $"parameter {i} {string.Join("x", ps[i].Shape)}: gradient");
        }
    }
}
