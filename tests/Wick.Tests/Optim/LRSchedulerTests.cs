using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Optim;

namespace Wick.Tests.Optim;

/// <summary>
/// Schedulers against their closed forms (PyTorch docs) and against sequences printed by Debian's PyTorch 1.13
/// (torch.optim.lr_scheduler, recorded once: lr read from param_groups before each optimizer.step(), then scheduler.step()).
/// </summary>
public class LRSchedulerTests
{
    private Tensor _p = null!;

    [SetUp]
    public void MakeParameter() => _p = Tensor.Zeros(1).SetRequiresGrad();

    [TearDown]
    public void FreeParameter() => _p.Dispose();

    private SGD Sgd(double lr = 0.1, double momentum = 0.9) => new(new[] { _p }, lr: lr, momentum: momentum);

    private static List<double> Run(Optimizer opt, Action step, int n, Func<double>? momentum = null)
    {
        var lrs = new List<double>();
        for (int i = 0; i < n; ++i)
        {
            lrs.Add(opt.ParamGroups[0].LearningRate);
            step();
        }
        return lrs;
    }

    private static void Same(IReadOnlyList<double> actual, IReadOnlyList<double> expected, double tol = 1e-12)
    {
        Assert.That(actual.Count, Is.EqualTo(expected.Count));
        for (int i = 0; i < expected.Count; ++i)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(tol + tol * Math.Abs(expected[i])), $"epoch {i}");
    }

    [Test]
    public void StepLRDecaysEveryStepSizeEpochs()
    {
        using var opt = Sgd();
        var s = new StepLR(opt, stepSize: 3, gamma: 0.5);
        Same(Run(opt, s.Step, 10), Enumerable.Range(0, 10).Select(e => 0.1 * Math.Pow(0.5, e / 3)).ToList());
    }

    [Test]
    public void MultiStepLRDecaysAtEachMilestone()
    {
        int[] milestones = { 2, 5, 5, 7 };
        using var opt = Sgd();
        var s = new MultiStepLR(opt, milestones, gamma: 0.1);
        Same(Run(opt, s.Step, 10), Enumerable.Range(0, 10).Select(e => 0.1 * Math.Pow(0.1, milestones.Count(m => m <= e))).ToList());
    }

    [Test]
    public void ExponentialLRDecaysEveryEpoch()
    {
        using var opt = Sgd();
        var s = new ExponentialLR(opt, gamma: 0.9);
        Same(Run(opt, s.Step, 12), Enumerable.Range(0, 12).Select(e => 0.1 * Math.Pow(0.9, e)).ToList());
    }

    [Test]
    public void CosineAnnealingFollowsTheClosedFormThroughSeveralPeriods()
    {
        using var opt = Sgd();
        var s = new CosineAnnealingLR(opt, tMax: 4, etaMin: 0.01);
        var expected = Enumerable.Range(0, 14).Select(e => 0.01 + (0.1 - 0.01) * (1 + Math.Cos(Math.PI * e / 4)) / 2).ToList();
        Same(Run(opt, s.Step, 14), expected, 1e-12);
    }

    [Test]
    public void CosineAnnealingMatchesPyTorch()
    {
        using var opt = Sgd();
        var s = new CosineAnnealingLR(opt, tMax: 4, etaMin: 0.01);
        Same(Run(opt, s.Step, 14), new[] { 0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363, 0.01, 0.023180194846605363,
            0.05500000000000002, 0.08681980515339469, 0.10000000000000006, 0.0868198051533947, 0.05500000000000005, 0.023180194846605412, 0.01,
            0.023180194846605363 }, 1e-15);
    }

    [Test]
    public void LinearLRWarmsUpToTheBaseRate()
    {
        using var opt = Sgd();
        var s = new LinearLR(opt, startFactor: 0.25, totalIters: 4);
        var closed = Enumerable.Range(0, 8).Select(e => 0.1 * (0.25 + 0.75 * Math.Min(e, 4) / 4.0)).ToList();
        Same(Run(opt, s.Step, 8), closed);
    }

    [Test]
    public void OneCycleCosineMatchesPyTorchForRateAndMomentum()
    {
        using var opt = Sgd();
        var s = new OneCycleLR(opt, maxLr: 1.0, totalSteps: 20);
        var lrs = new List<double>();
        var moms = new List<double>();
        for (int i = 0; i < 20; ++i)
        {
            lrs.Add(opt.ParamGroups[0].LearningRate);
            moms.Add(((SGDOptions)opt.ParamGroups[0].Options).Momentum);
            if (i < 19) s.Step();
        }
        Same(lrs, new[] { 0.040000000000000036, 0.1316718427000253, 0.3716718427000253, 0.6683281572999747, 0.9083281572999747, 1.0,
            0.9874640062350873, 0.9504846320134737, 0.89091617757105, 0.8117456539497631, 0.7169430017913008, 0.6112620219362893, 0.500002,
            0.38874197806371075, 0.28306099820869923, 0.18825834605023697, 0.10908782242895004, 0.049519367986526286, 0.012539993764912554, 4e-06 });
        Same(moms, new[] { 0.95, 0.9404508497187474, 0.9154508497187474, 0.8845491502812526, 0.8595491502812526, 0.85, 0.8512536043909088,
            0.854951556604879, 0.8609084258765984, 0.8688255099070633, 0.878305813044122, 0.8888739533021842, 0.8999999999999999, 0.9111260466978157,
            0.9216941869558779, 0.9311744900929366, 0.9390915741234015, 0.945048443395121, 0.9487463956090911, 0.95 });
    }

    [Test]
    public void OneCycleLinearThreePhaseMatchesPyTorchAndCyclesAdamsBeta1()
    {
        using var opt = new Adam(new[] { _p }, lr: 0.1);
        var s = new OneCycleLR(opt, maxLr: 1.0, totalSteps: 20, annealStrategy: AnnealStrategy.Linear, threePhase: true);
        var lrs = new List<double>();
        var betas = new List<double>();
        for (int i = 0; i < 20; ++i)
        {
            lrs.Add(opt.ParamGroups[0].LearningRate);
            betas.Add(((AdamOptions)opt.ParamGroups[0].Options).Beta1);
            if (i < 19) s.Step();
        }
        Same(lrs, new[] { 0.04, 0.232, 0.424, 0.616, 0.808, 1.0, 0.808, 0.616, 0.42400000000000004, 0.23199999999999998, 0.040000000000000036,
            0.035556000000000004, 0.031112, 0.026668, 0.022224, 0.017779999999999997, 0.013336, 0.008891999999999997, 0.0044480000000000006,
            3.9999999999970615e-06 }, 1e-9);
        Same(betas, new[] { 0.95, 0.93, 0.91, 0.89, 0.87, 0.85, 0.87, 0.89, 0.91, 0.93, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95 }, 1e-12);
    }

    [Test]
    public void OneCycleRefusesToStepPastItsLength()
    {
        using var opt = Sgd();
        var s = new OneCycleLR(opt, maxLr: 1.0, totalSteps: 3);
        s.Step();
        s.Step();
        s.Step();
        var e = Assert.Throws<InvalidOperationException>(() => s.Step());
        Assert.That(e!.Message, Does.Contain("3 steps"));
    }

    [Test]
    public void OneCycleNeedsALength()
    {
        using var opt = Sgd();
        var e = Assert.Throws<ArgumentException>(() => new OneCycleLR(opt, maxLr: 1.0));
        Assert.That(e!.Message, Does.Contain("totalSteps"));
    }

    [Test]
    public void ReduceLROnPlateauMatchesPyTorch()
    {
        double[] metric = { 1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85 };
        using var opt = Sgd();
        var s = new ReduceLROnPlateau(opt, patience: 2, cooldown: 1, factor: 0.5);
        var lrs = new List<double>();
        foreach (double m in metric)
        {
            lrs.Add(opt.ParamGroups[0].LearningRate);
            s.Step(m);
        }
        Same(lrs, new[] { 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025 });
    }

    [Test]
    public void ReduceLROnPlateauInMaxModeWaitsForARiseAndRespectsMinLr()
    {
        using var opt = Sgd(lr: 1.0);
        var s = new ReduceLROnPlateau(opt, mode: PlateauMode.Max, patience: 0, factor: 0.1, minLr: 0.05, thresholdMode: ThresholdMode.Abs, threshold: 0.01);
        s.Step(0.5);   // best
        s.Step(0.505); // not better by 0.01: reduce to 0.1
        Assert.That(opt.ParamGroups[0].LearningRate, Is.EqualTo(0.1).Within(1e-15));
        s.Step(0.6);   // better
        Assert.That(opt.ParamGroups[0].LearningRate, Is.EqualTo(0.1).Within(1e-15));
        s.Step(0.6);   // reduce, bounded by minLr
        Assert.That(opt.ParamGroups[0].LearningRate, Is.EqualTo(0.05).Within(1e-15));
    }

    [Test]
    public void SchedulersDriveEachGroupFromItsOwnBaseRate()
    {
        using var q = Tensor.Zeros(1).SetRequiresGrad();
        using var opt = new SGD(new[] { new ParamGroup(new[] { _p }), new ParamGroup(new[] { q }, lr: 1.0) }, new SGDOptions { LearningRate = 0.1 });
        var s = new StepLR(opt, stepSize: 1, gamma: 0.5);
        s.Step();
        Assert.That(opt.ParamGroups.Select(g => g.LearningRate), Is.EqualTo(new[] { 0.05, 0.5 }).Within(1e-15));
        Assert.That(s.BaseLearningRates, Is.EqualTo(new[] { 0.1, 1.0 }));
    }

    [Test]
    public void ChainedSchedulersMultiplyTheirFactorsAsInPyTorch()
    {
        using var opt = Sgd(lr: 1.0);
        var warm = new LinearLR(opt, startFactor: 0.5, totalIters: 2);
        var decay = new ExponentialLR(opt, gamma: 0.9);
        var lrs = new List<double>();
        for (int e = 0; e < 5; ++e)
        {
            lrs.Add(opt.ParamGroups[0].LearningRate);
            warm.Step();
            decay.Step();
        }
        var expected = Enumerable.Range(0, 5).Select(e => (0.5 + 0.5 * Math.Min(e, 2) / 2.0) * Math.Pow(0.9, e)).ToList();
        Same(lrs, expected);
    }

    [Test]
    public void InvalidArgumentsAreRejected()
    {
        using var opt = Sgd();
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(opt, stepSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(opt, tMax: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearLR(opt, startFactor: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(opt, factor: 1.0));
    }
}
