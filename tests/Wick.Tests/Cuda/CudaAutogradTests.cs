using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Tests.Autograd;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>
/// Autograd on CUDA tensors: every row of the gradient spec computes the same gradients on the GPU as on the CPU
/// (float64, a fixed random output gradient), a small training loop matches the CPU, and keeps memory flat.
/// </summary>
[Category("Cuda")]
public class CudaAutogradTests
{
    public static IEnumerable<TestCaseData> Rows() =>
        OpSpecs.All.Select(c => new TestCaseData(c).SetName($"Cuda gradients match the cpu: {c.Name}"));

    [TestCaseSource(nameof(Rows))]
    public void GradientsMatchTheCpu(GradCase c)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor[] cpu = c.Inputs();
        Tensor[] gpu = cpu.Select(x => x.Detach().To(Gpu).SetRequiresGrad()).ToArray();
        Tensor yc = c.F(cpu);
        Tensor yg;
        using (OpSpecs.ConstantsOn(Gpu)) yg = c.F(gpu);  // the case's own indices, masks and buffers on the GPU too
        if (!yc.RequiresGrad)
        {
            Assert.That(yg.RequiresGrad, Is.False);
            return;
        }
        Tensor g = Values(77, yc.Shape, yc.DType);
        Tensor?[] want = Wick.Autograd.Grad(new[] { yc }, cpu, new[] { g }, allowUnused: true);
        Tensor?[] got = Wick.Autograd.Grad(new[] { yg }, gpu, new[] { g.To(Gpu) }, allowUnused: true);
        for (int i = 0; i < want.Length; ++i)
        {
            Assert.That(got[i] is null, Is.EqualTo(want[i] is null), $"input {i}: gradient presence");
            if (want[i] is { } w) AssertMatchesCpu(got[i]!, w, $"{c.Name}: gradient of input {i}", 1e-9);
        }
    }

    [Test]
    public void ATwoLayerTrainingStepMatchesTheCpuAndKeepsMemoryFlat()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor w1c = Values(1, new long[] { 8, 16 }, DType.Float32, -0.5, 0.5).SetRequiresGrad();
        Tensor w2c = Values(2, new long[] { 16, 4 }, DType.Float32, -0.5, 0.5).SetRequiresGrad();
        Tensor xc = Values(3, new long[] { 32, 8 }, DType.Float32), tc = Values(4, new long[] { 32, 4 }, DType.Float32);
        Tensor w1g = w1c.Detach().To(Gpu).SetRequiresGrad(), w2g = w2c.Detach().To(Gpu).SetRequiresGrad();
        Tensor xg = xc.To(Gpu), tg = tc.To(Gpu);

        static void Step(Tensor x, Tensor t, Tensor w1, Tensor w2)
        {
            using var s = DisposeScope.Begin();
            Tensor h = x.MatMul(w1);
            Tensor a = h * (h.Gt(0.0).To(h.DType));  // relu from elementwise ops
            Tensor d = a.MatMul(w2) - t;
            (d * d).Mean().Backward();
        }

        Step(xc, tc, w1c, w2c);
        Step(xg, tg, w1g, w2g);
        AssertMatchesCpu(w1g.Grad!, w1c.Grad!, "w1.Grad", 1e-4);
        AssertMatchesCpu(w2g.Grad!, w2c.Grad!, "w2.Grad", 1e-4);

        long live = Memory.Stats().LiveTensors, bytes = Memory.Stats(Gpu).AllocatedBytes;
        for (int i = 0; i < 50; ++i)
        {
            Step(xg, tg, w1g, w2g);
            using (DisposeScope.Begin())
            using (Wick.Autograd.NoGrad())
            {
                w1g.SubInPlace(w1g.Grad! * 0.01);
                w2g.SubInPlace(w2g.Grad! * 0.01);
            }
        }
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(live), "live tensors");
        Assert.That(Memory.Stats(Gpu).AllocatedBytes, Is.EqualTo(bytes), "GPU bytes in use");
    }
}
