using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Wick.Data;
using Wick.NN;
using Wick.Optim;

namespace Wick.Tests.NN;

/// <summary>End-to-end training written the documented way (DisposeScope per step, loader-owned batches).</summary>
public class TrainingTests
{
    private static Sequential SmallCnn(ulong seed)
    {
        var g = new Generator(seed);
        return new Sequential(
            new Conv2d(1, 16, 3, padding: 1, generator: g), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
            new Conv2d(16, 32, 3, padding: 1, generator: g), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(32 * 2 * 2, 10, generator: g));
    }

    private static double Accuracy(Module<Tensor, Tensor> model, TensorDataset data)
    {
        model.Eval();
        long correct = 0;
        using (Wick.Autograd.NoGrad())
        {
            foreach (var (x, y) in new DataLoader(data, batchSize: 500))
            {
                using var scope = DisposeScope.Begin();
                correct += model.Forward(x).ArgMax(1).Eq(y).Sum().Item<long>();
            }
        }
        model.Train();
        return (double)correct / data.Count;
    }

    private static List<float> Train(Module<Tensor, Tensor> model, TensorDataset train, int epochs, ulong seed, int workers = 0)
    {
        using var opt = new Adam(model.Parameters(), lr: 3e-3);
        using var lossFn = new CrossEntropyLoss();
        var loader = new DataLoader(train, batchSize: 32, shuffle: true, seed: seed, numWorkers: workers);
        var losses = new List<float>();
        for (int e = 0; e < epochs; ++e)
        {
            foreach (var (x, y) in loader)
            {
                using var scope = DisposeScope.Begin();
                opt.ZeroGrad();
                var loss = lossFn.Forward(model.Forward(x), y);
                loss.Backward();
                opt.Step();
                losses.Add(loss.Item<float>());
            }
        }
        return losses;
    }

    [Test]
    public void ASmallCnnLearnsTheEmbeddedDigitsToOver95Percent()
    {
        var (train, test) = Digits.LoadSplit(testCount: 360, seed: 0);
        using (train)
        using (test)
        using (var model = SmallCnn(1))
        {
            var clock = Stopwatch.StartNew();
            var losses = Train(model, train, epochs: 8, seed: 2, workers: 1);
            double acc = Accuracy(model, test);
            TestContext.Out.WriteLine($"digits CNN: test accuracy {acc:P2} after 8 epochs, {clock.Elapsed.TotalSeconds:F1} s; loss {losses[0]:F3} -> {losses[^1]:F3}");
            Assert.That(acc, Is.GreaterThan(0.95));
        }
    }

    [Test]
    public void TheSameSeedGivesABitwiseIdenticalLossCurve()
    {
        var (train, test) = Digits.LoadSplit(testCount: 360, seed: 0);
        using (train)
        using (test)
        {
            List<float> Run()
            {
                Tensor.ManualSeed(5);
                using var model = new Sequential(SmallCnn(3), new Dropout(0.2, new Generator(4)));
                return Train(model, train, epochs: 1, seed: 6, workers: 2);
            }
            var a = Run();
            var b = Run();
            Assert.That(a.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(b.Select(BitConverter.SingleToInt32Bits)));
        }
    }

    [Test]
    public void LiveTensorsAndNativeBytesStayFlatOverATrainingLoop()
    {
        var (train, test) = Digits.LoadSplit(testCount: 360, seed: 0);
        using (train)
        using (test)
        using (var model = SmallCnn(7))
        using (var opt = new SGD(model.Parameters(), lr: 0.01, momentum: 0.9))
        using (var lossFn = new CrossEntropyLoss())
        {
            var loader = new DataLoader(train, batchSize: 16, shuffle: true, seed: 1, numWorkers: 1);
            long liveAfterWarmup = 0, bytesAfterWarmup = 0;
            int step = 0;
            for (int epoch = 0; epoch < 3; ++epoch)
            {
                foreach (var (x, y) in loader)
                {
                    using (var scope = DisposeScope.Begin())
                    {
                        opt.ZeroGrad();
                        var loss = lossFn.Forward(model.Forward(x), y);
                        loss.Backward();
                        opt.Step();
                    }
                    if (++step == 20)
                    {
                        liveAfterWarmup = Memory.Stats().LiveTensors;
                        bytesAfterWarmup = Memory.Stats().AllocatedBytes;
                    }
                }
            }
            opt.ZeroGrad();
            var stats = Memory.Stats();
            TestContext.Out.WriteLine($"{step} steps: live tensors {liveAfterWarmup} -> {stats.LiveTensors}, bytes {bytesAfterWarmup} -> {stats.AllocatedBytes}");
            Assert.That(stats.LiveTensors, Is.LessThanOrEqualTo(liveAfterWarmup));
            Assert.That(stats.AllocatedBytes, Is.LessThanOrEqualTo(bytesAfterWarmup));
        }
    }
}
