using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using Wick.Optim;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>
/// Fused optimizer steps on CUDA against the CPU (the same parameters and gradients for three steps, every option
/// that changes the update), and a small CNN (conv, ReLU, max pooling, linear, cross-entropy) whose training steps on
/// CUDA match the CPU's, so the GPU path of a real training loop is covered end to end.
/// </summary>
[Category("Cuda")]
public class CudaOptimTests
{
    public static IEnumerable<TestCaseData> Optimizers()
    {
        var cases = new (string Name, Func<IEnumerable<Tensor>, Optimizer> Make)[]
        {
            ("SGD", p => new SGD(p, lr: 0.1)),
            ("SGD momentum weight decay", p => new SGD(p, lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)),
            ("SGD Nesterov maximize", p => new SGD(p, lr: 0.05, momentum: 0.8, nesterov: true, maximize: true)),
            ("Adam", p => new Adam(p, lr: 0.01)),
            ("Adam AMSGrad weight decay", p => new Adam(p, lr: 0.01, weightDecay: 0.1, amsgrad: true)),
            ("AdamW", p => new AdamW(p, lr: 0.01, weightDecay: 0.1)),
            ("RMSprop centered momentum", p => new RMSprop(p, lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.01)),
            ("RMSprop", p => new RMSprop(p, lr: 0.01)),
            ("Adagrad", p => new Adagrad(p, lr: 0.1, lrDecay: 0.01, weightDecay: 0.01)),
        };
        foreach (DType dtype in new[] { DType.Float32, DType.Float64 })
            foreach (var c in cases)
                yield return new TestCaseData(c.Make, dtype).SetName($"{c.Name} {dtype} steps on cuda match the cpu");
    }

    [TestCaseSource(nameof(Optimizers))]
    public void Optimizer_steps_match_cpu(Func<IEnumerable<Tensor>, Optimizer> make, DType dtype)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        // 300 elements: more than one block of the update kernel.
        Tensor start = Values(1, new long[] { 20, 15 }, dtype);
        Tensor c = Values(2, new long[] { 20, 15 }, dtype);
        Tensor pc = start.Detach().SetRequiresGrad(), pg = start.Detach().To(Gpu).SetRequiresGrad();
        Tensor cg = c.To(Gpu);
        using Optimizer oc = make(new[] { pc }), og = make(new[] { pg });
        double tol = dtype == DType.Float32 ? 1e-5 : 1e-11;
        for (int step = 0; step < 3; step++)
        {
            // loss = sum(c * p^2): the gradient 2 c p changes with every step.
            foreach (var (p, k, opt) in new[] { (pc, c, oc), (pg, cg, og) })
            {
                opt.ZeroGrad();
                using (Tensor sq = p * p)
                using (Tensor weighted = sq * k)
                using (Tensor loss = weighted.Sum())
                    loss.Backward();
                opt.Step();
            }
            AssertMatchesCpu(pg.Detach(), pc.Detach(), $"parameter after step {step + 1}", tol);
        }
    }

    private static Sequential Cnn() => new(
        new Conv2d(1, 4, 3, padding: 1, generator: new Generator(11)),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(4 * 4 * 4, 10, generator: new Generator(12)));

    public static IEnumerable<TestCaseData> TrainingOptimizers()
    {
        yield return new TestCaseData((Func<IEnumerable<Tensor>, Optimizer>)(p => new SGD(p, lr: 0.1, momentum: 0.9))).SetName("A small CNN trained with SGD momentum on cuda matches the cpu step for step");
        yield return new TestCaseData((Func<IEnumerable<Tensor>, Optimizer>)(p => new AdamW(p, lr: 0.01))).SetName("A small CNN trained with AdamW on cuda matches the cpu step for step");
    }

    [TestCaseSource(nameof(TrainingOptimizers))]
    public void A_small_cnn_training_step_matches_cpu(Func<IEnumerable<Tensor>, Optimizer> make)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        using Sequential cpu = Cnn();
        using Sequential gpu = Cnn().To(Gpu);
        using Optimizer oc = make(cpu.Parameters()), og = make(gpu.Parameters());
        using var lossFn = new CrossEntropyLoss();
        Tensor x = Values(3, new long[] { 8, 1, 8, 8 }, DType.Float32);
        var random = new Random(4);
        Tensor target = Tensor.FromArray(Enumerable.Range(0, 8).Select(_ => random.NextInt64(10)).ToArray());
        Tensor xg = x.To(Gpu), tg = target.To(Gpu);
        var losses = new List<(double Cpu, double Gpu)>();
        for (int step = 0; step < 3; step++)
        {
            double Step(Sequential model, Optimizer opt, Tensor input, Tensor t)
            {
                opt.ZeroGrad();
                using Tensor logits = model.Forward(input);
                using Tensor loss = lossFn.Forward(logits, t);
                loss.Backward();
                opt.Step();
                using Tensor l = loss.Detach().Cpu();
                return l.Item<float>();
            }
            losses.Add((Step(cpu, oc, x, target), Step(gpu, og, xg, tg)));
            Assert.That(losses[^1].Gpu, Is.EqualTo(losses[^1].Cpu).Within(1e-5).Percent, $"loss at step {step + 1}");
            foreach (var ((name, pc), (_, pg)) in cpu.NamedParameters().Zip(gpu.NamedParameters()))
                AssertMatchesCpu(pg.Detach(), pc.Detach(), $"{name} after step {step + 1}", 1e-5);
        }
        Assert.That(losses[^1].Cpu, Is.LessThan(losses[0].Cpu), "the loss goes down (the step does train)");
    }
}
