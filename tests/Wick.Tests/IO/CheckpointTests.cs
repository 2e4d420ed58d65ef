using System;
using System.Collections.Generic;
using System.IO;
using Wick.IO;
using Wick.NN;
using Wick.Optim;

namespace Wick.Tests.IO;

/// <summary>Checkpoint.Save / Load: one file holding model, optimizer, scheduler, step and generator state.</summary>
public class CheckpointTests
{
    private sealed class Run : IDisposable
    {
        public readonly Generator Gen;
        public readonly Sequential Model;
        public readonly Adam Opt;
        public readonly LRScheduler Sched;

        public Run(ulong initSeed)
        {
            // The dropout generator's seed differs from the saved one on purpose: Load must restore it.
            Gen = new Generator(initSeed + 100);
            var init = new Generator(initSeed);
            Model = new Sequential(new Linear(6, 16, generator: init), new BatchNorm1d(16), new ReLU(), new Dropout(0.25, Gen),
                new Linear(16, 3, generator: init));
            Opt = new Adam(Model.Parameters(), lr: 1e-2, weightDecay: 1e-3);
            Sched = new StepLR(Opt, stepSize: 3, gamma: 0.5);
        }

        public void Dispose()
        {
            Opt.Dispose();
            Model.Dispose();
            Gen.Dispose();
        }
    }

    private static (Tensor X, Tensor Y) Data()
    {
        using var g = new Generator(7);
        var x = Tensor.RandN(new long[] { 12, 6 }, generator: g);
        var y = Tensor.RandInt(0, 3, new long[] { 12 }, generator: g);
        return (x, y);
    }

    private static void TrainSteps(Run r, Tensor x, Tensor y, int steps, List<float> losses)
    {
        using var lossFn = new CrossEntropyLoss();
        for (int i = 0; i < steps; ++i)
        {
            using var scope = DisposeScope.Begin();
            r.Opt.ZeroGrad();
            var loss = lossFn.Forward(r.Model.Forward(x), y);
            loss.Backward();
            r.Opt.Step();
            r.Sched.Step();
            losses.Add(loss.Item<float>());
        }
    }

    [Test]
    public void ResumingFromACheckpointGivesTheSameLossCurveAsTrainingStraight()
    {
        const int n = 10;
        var (x, y) = Data();
        using var xd = x;
        using var yd = y;
        var straight = new List<float>();
        using (var r = new Run(1)) TrainSteps(r, x, y, n, straight);

        string path = Path.Combine(Path.GetTempPath(), $"wick-ckpt-{Guid.NewGuid():N}.safetensors");
        var resumed = new List<float>();
        try
        {
            using (var first = new Run(1))
            {
                TrainSteps(first, x, y, n / 2, resumed);
                Checkpoint.Save(path, first.Model, first.Opt, first.Sched, step: n / 2, generator: first.Gen,
                    metadata: new Dictionary<string, string> { ["note"] = "half way" });
            }
            using var second = new Run(99);  // other weights, other generator state: everything must come from the file
            var info = Checkpoint.Load(path, second.Model, second.Opt, second.Sched, second.Gen);
            Assert.That(info.Step, Is.EqualTo(n / 2));
            Assert.That(info.Metadata["note"], Is.EqualTo("half way"));
            Assert.That(second.Sched.LastEpoch, Is.EqualTo(n / 2));
            TrainSteps(second, x, y, n - n / 2, resumed);
        }
        finally
        {
            File.Delete(path);
        }
        // The learning rate halves every 3 steps, Adam's moments and BatchNorm's running statistics carry over,
        // and dropout masks continue the generator's sequence: any of them lost would change the losses.
        Assert.That(resumed, Is.EqualTo(straight), $"straight: {string.Join(", ", straight)}\nresumed: {string.Join(", ", resumed)}");
        Assert.That(straight[^1], Is.LessThan(straight[0]));
    }

    [Test]
    public void LoadingWithoutTheSavedOptimizerStateNamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wick-ckpt-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var r = new Run(1);
            Checkpoint.Save(path, r.Model);
            var ex = Assert.Throws<ArgumentException>(() => Checkpoint.Load(path, r.Model, r.Opt));
            Assert.That(ex!.Message, Does.Contain("holds no optimizer state"));
            ex = Assert.Throws<ArgumentException>(() => Checkpoint.Load(path, r.Model, scheduler: r.Sched));
            Assert.That(ex!.Message, Does.Contain("holds no scheduler state"));
            Assert.That(Checkpoint.Load(path, r.Model).Step, Is.EqualTo(0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void APlainSafetensorsFileIsNotACheckpoint()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wick-ckpt-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var r = new Run(1);
            using (var sd = r.Model.StateDict()) Safetensors.SaveFile(sd, path);
            var ex = Assert.Throws<ArgumentException>(() => Checkpoint.Load(path, r.Model));
            Assert.That(ex!.Message, Does.Contain("not a Wick checkpoint"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ReservedMetadataKeysAreRefused()
    {
        using var r = new Run(1);
        var ex = Assert.Throws<ArgumentException>(() => Checkpoint.Save("unused.safetensors", r.Model,
            metadata: new Dictionary<string, string> { ["wick.step"] = "3" }));
        Assert.That(ex!.Message, Does.Contain("is reserved"));
    }

    [Test]
    public void ReduceLROnPlateauStateRoundTrips()
    {
        using var r = new Run(1);
        var plateau = new ReduceLROnPlateau(r.Opt, patience: 1, cooldown: 2);
        foreach (double m in new[] { 1.0, 0.9, 0.95, 0.97, 0.99 }) plateau.Step(m);
        var state = plateau.StateDict();
        using var r2 = new Run(1);
        var fresh = new ReduceLROnPlateau(r2.Opt, patience: 1, cooldown: 2);
        fresh.LoadStateDict(state);
        Assert.That(fresh.StateDict(), Is.EqualTo(state));
        Assert.That(fresh.Best, Is.EqualTo(0.9));
        var ex = Assert.Throws<ArgumentException>(() => fresh.LoadStateDict(new Dictionary<string, double> { ["last_epoch"] = 1 }));
        Assert.That(ex!.Message, Does.Contain("missing key \"last_lrs.0\""));
    }
}
