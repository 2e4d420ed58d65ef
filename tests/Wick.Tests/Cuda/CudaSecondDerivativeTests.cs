using System;
using System.Linq;
using Wick.NN;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>
/// Second derivatives through the nn layers on CUDA: a Hessian-vector product (a backward pass with createGraph, then a
/// second one through the recorded gradient) through models that use every layer with a fused backward matches the
/// CPU's (which SecondDerivativeTests checks against finite differences), in float64.
/// </summary>
[Category("Cuda")]
public class CudaSecondDerivativeTests
{
    /// <summary>H v for the parameters <paramref name="ps"/> of <paramref name="loss"/>, with v = <paramref name="vs"/>.</summary>
    private static Tensor[] HessianVector(Func<Tensor> loss, Tensor[] ps, Tensor[] vs)
    {
        Tensor?[] g = Wick.Autograd.Grad(new[] { loss() }, ps, createGraph: true);
        Tensor dot = (g[0]! * vs[0]).Sum();
        for (int i = 1; i < ps.Length; ++i) dot = dot + (g[i]! * vs[i]).Sum();
        return Wick.Autograd.Grad(new[] { dot }, ps).Select(t => t!).ToArray();
    }

    private static void SameOnBothDevices(Func<Module<Tensor, Tensor>> build, Tensor input, Func<Tensor, Tensor, Tensor> lossOf)
    {
        using var cpuModel = build();
        using var gpuModel = build().To(Gpu);
        Tensor[] pc = cpuModel.Parameters().ToArray(), pg = gpuModel.Parameters().ToArray();
        Tensor[] vc = pc.Select((p, i) => Values(100 + i, p.Shape, DType.Float64, -1, 1)).ToArray();
        Tensor[] vg = vc.Select(v => v.To(Gpu)).ToArray();
        Tensor inputGpu = input.To(Gpu);
        Tensor[] want = HessianVector(() => lossOf(cpuModel.Forward(input), input), pc, vc);
        Tensor[] got = HessianVector(() => lossOf(gpuModel.Forward(inputGpu), inputGpu), pg, vg);
        var names = cpuModel.NamedParameters().Select(kv => kv.Key).ToArray();
        for (int i = 0; i < want.Length; ++i) AssertMatchesCpu(got[i], want[i], $"H v for {names[i]}", 1e-9);
    }

    [Test]
    public void AHessianVectorProductThroughConvNormPoolAndUpsampleLayersMatchesTheCpu()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Module<Tensor, Tensor> Build()
        {
            var m = new Sequential(
                new Conv2d(1, 4, 3, padding: 1, dtype: DType.Float64, generator: new Generator(1)),
                new BatchNorm2d(4, dtype: DType.Float64),
                new ReLU(),
                new MaxPool2d(2),
                new Upsample(2.0, InterpolateMode.Bilinear),
                new ConvTranspose2d(4, 4, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2, dtype: DType.Float64, generator: new Generator(2)),
                new GroupNorm(2, 4, dtype: DType.Float64),
                new AvgPool2d(2),
                new AdaptiveAvgPool2d(2),
                new Flatten(),
                new Linear(16, 8, dtype: DType.Float64, generator: new Generator(3)),
                new LayerNorm(8, dtype: DType.Float64),
                new Linear(8, 3, dtype: DType.Float64, generator: new Generator(4)));
            return m;
        }
        Tensor x = Values(5, new long[] { 4, 1, 6, 6 }, DType.Float64, -2, 2);
        var target = Tensor.FromArray(new long[] { 0, 2, 1, 2 });
        SameOnBothDevices(Build, x, (logits, input) =>
        {
            using var ce = new CrossEntropyLoss(labelSmoothing: 0.1);
            return ce.Forward(logits, target.To(logits.Device));
        });
    }

    [Test]
    public void AHessianVectorProductThroughEmbeddingConv1dAndSoftmaxMatchesTheCpu()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Module<Tensor, Tensor> Build() => new EmbeddingConv();
        Tensor idx = Tensor.FromArray(new long[] { 0, 3, 5, 1, 0, 2, 4, 4, 1, 3 }, 2, 5);
        SameOnBothDevices(Build, idx, (y, _) => (y * y * y).Sum());
    }

    /// <summary>Embedding (padding row 0) → (N, D, L) → Conv1d → softmax over the channels.</summary>
    private sealed class EmbeddingConv : Module<Tensor, Tensor>
    {
        private readonly Embedding _emb = new(6, 4, paddingIdx: 0, dtype: DType.Float64, generator: new Generator(6));
        private readonly Conv1d _conv = new(4, 3, 2, padding: 1, dtype: DType.Float64, generator: new Generator(7));

        public EmbeddingConv()
        {
            RegisterModule("emb", _emb);
            RegisterModule("conv", _conv);
        }

        public override Tensor Forward(Tensor input)
        {
            using Tensor e = _emb.Forward(input);
            using Tensor t = e.Transpose(1, 2);
            using Tensor c = _conv.Forward(t);
            return new Softmax(1).Forward(c);
        }
    }
}
