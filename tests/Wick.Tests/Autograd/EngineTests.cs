using System;
using System.Collections.Generic;
using System.Threading;

namespace Wick.Tests.Autograd;

public class EngineTests
{
    [Test]
    public void A150000NodeChainRunsBackwardAndIsFreedWithoutRecursion()
    {
        const int n = 150_000;
        // Earlier tests' unreachable tensors are freed by finalizers; let them run first, or they are freed during
        // this test and the count below drops under `before`.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = Memory.Stats().LiveTensors;
        using (var scope = DisposeScope.Begin())
        {
            var x = Tensor.FromArray(new double[] { 1.0 }).SetRequiresGrad();
            Tensor y = x;
            for (int i = 0; i < n; ++i) y = y * 1.00001;
            y.Sum().Backward();
            Assert.That(x.Grad!.Item<double>(), Is.EqualTo(Math.Pow(1.00001, n)).Within(1e-9));
        }
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(before));
    }

    [Test]
    public void SavedTensorsAreReleasedByBackwardAndSurviveTheUsersDispose()
    {
        using var scope = DisposeScope.Begin();
        const long n = 1 << 20;
        var x = Tensor.FromArray(new double[] { 3 }).SetRequiresGrad();
        var a = x.Expand(n) * 2.0;  // 8 MiB that only the graph keeps once the user disposes it
        var loss = (a * a).Sum();   // MulBackward saves two references to a
        a.Dispose();
        long withGraph = Memory.Stats().AllocatedBytes;
        loss.Backward();
        Assert.That(x.Grad!.Item<double>(), Is.EqualTo(8.0 * 3 * n));  // d/dx sum((2x)^2) over n copies
        Assert.That(Memory.Stats().AllocatedBytes, Is.LessThanOrEqualTo(withGraph - n * sizeof(double) + 64), "a is freed once its node ran (x.Grad takes 8 bytes)");
    }

    [Test]
    public void ATrainingLoopInADisposeScopeKeepsTheLiveTensorCountFlat()
    {
        var w = Tensor.FromArray(new double[,] { { 0.1, -0.2 }, { 0.3, 0.05 } }).SetRequiresGrad();
        var b = Tensor.FromArray(new double[] { 0.0, 0.1 }).SetRequiresGrad();
        var input = Tensor.FromArray(new double[,] { { 1, 2 }, { -1, 0.5 }, { 0.3, -0.7 } });
        var target = Tensor.FromArray(new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } });
        long[] counts = new long[1000];
        for (int it = 0; it < 1000; ++it)
        {
            using (var scope = DisposeScope.Begin())
            {
                var h = (input.MatMul(w) + b).Exp();
                var loss = ((h / (h + 1.0) - target) * (h - target)).Mean();
                loss.Backward();
                using (Wick.Autograd.NoGrad())
                {
                    w.SubInPlace(w.Grad! * 0.01);
                    b.SubInPlace(b.Grad! * 0.01);
                }
                w.Grad = null;
                b.Grad = null;
            }
            counts[it] = Memory.Stats().LiveTensors;
        }
        Assert.That(counts[999], Is.EqualTo(counts[10]), "no tensor leaks per iteration");
        foreach (var t in new[] { w, b, input, target }) t.Dispose();
    }

    [Test]
    public void GradTensorsSurviveTheScopeTheyWereComputedInAndDieWithTheirLeaf()
    {
        var w = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        using (var scope = DisposeScope.Begin()) (w * w).Sum().Backward();
        Tensor g = w.Grad!;
        Assert.That(g.IsDisposed, Is.False);
        Assert.That(g.ToArray<double>(), Is.EqualTo(new double[] { 2, 4 }));
        w.Dispose();
        Assert.That(g.IsDisposed, Is.True);
    }

    [Test]
    public void TwoThreadsRunIndependentBackwardPassesAtOnce()
    {
        const int rounds = 200;
        var errors = new List<Exception>();
        var results = new double[2];
        var threads = new Thread[2];
        using var go = new ManualResetEventSlim();
        for (int k = 0; k < 2; ++k)
        {
            int id = k;
            threads[k] = new Thread(() =>
            {
                try
                {
                    go.Wait();
                    using var scope = DisposeScope.Begin();
                    var x = Tensor.FromArray(new double[] { id + 1.0 }).SetRequiresGrad();
                    for (int r = 0; r < rounds; ++r)
                    {
                        using var inner = DisposeScope.Begin();
                        Tensor y = x;
                        for (int i = 0; i < 50; ++i) y = (y * 1.01).Exp().Log();
                        y.Sum().Backward();
                    }
                    results[id] = x.Grad!.Item<double>();
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add(e);
                }
            });
            threads[k].Start();
        }
        go.Set();
        foreach (var t in threads) t.Join();
        Assert.That(errors, Is.Empty);
        double expected = rounds * Math.Pow(1.01, 50);
        Assert.That(results[0], Is.EqualTo(expected).Within(1e-9 * expected));
        Assert.That(results[1], Is.EqualTo(expected).Within(1e-9 * expected));
    }

    [Test]
    public void NodesRunInADeterministicOrderLatestCreatedFirst()
    {
        static List<string> Run()
        {
            using var scope = DisposeScope.Begin();
            var order = new List<string>();
            var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
            var a = x * 2.0;
            var b = x * 3.0;
            var c = a + b;
            a.RegisterHook(g => { order.Add("a"); return null; });
            b.RegisterHook(g => { order.Add("b"); return null; });
            c.RegisterHook(g => { order.Add("c"); return null; });
            c.Sum().Backward();
            return order;
        }
        var first = Run();
        Assert.That(first, Is.EqualTo(new[] { "c", "b", "a" }));
        Assert.That(Run(), Is.EqualTo(first));
    }

    [Test]
    public void EachNodeRunsOnceWithTheSumOfItsIncomingGradients()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 2 }).SetRequiresGrad();
        var h = x * 1.0;
        var calls = 0;
        h.RegisterHook(g => { calls++; return null; });
        var y = h * 3.0 + h * 4.0 + h * 5.0;  // three paths into h
        y.Sum().Backward();
        Assert.That(calls, Is.EqualTo(1));
        Assert.That(x.Grad!.Item<double>(), Is.EqualTo(12));
    }

    [Test]
    public void AnomalyModeNamesTheForwardOpWhoseBackwardProducedNaN()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 0, 1 }).SetRequiresGrad();
        InvalidOperationException? e;
        using (Wick.Autograd.DetectAnomaly())
        {
            var y = Kernels.Unary(x, Wick.Native.wk_unary_op.WK_UNARY_SQRT);  // dy/dx = 1 / (2 sqrt x): infinite at 0
            e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        }
        Assert.That(e!.Message, Does.Contain("SqrtBackward").And.Contain("NaN or infinite").And.Contain(nameof(AnomalyModeNamesTheForwardOpWhoseBackwardProducedNaN)));
        Assert.That(Wick.Autograd.IsAnomalyEnabled, Is.False);
    }

    [Test]
    public void WithoutAnomalyModeNaNGradientsPassSilentlyAsInPyTorch()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 0, 1 }).SetRequiresGrad();
        Kernels.Unary(x, Wick.Native.wk_unary_op.WK_UNARY_SQRT).Sum().Backward();
        Assert.That(double.IsInfinity(x.Grad!.ToArray<double>()[0]), Is.True);
    }

    [Test]
    public void HessianVectorProductThroughDoubleBackward()
    {
        // f(x) = sum(x^3) + x0 * x1: H = diag(6 x) + [[0, 1], [1, 0]]; Hv computed as d/dx (grad f . v).
        using var scope = DisposeScope.Begin();
        double[] xv = { 1.5, -2 }, v = { 0.3, 0.7 };
        var x = Tensor.FromArray(xv).SetRequiresGrad();
        var f = (x * x * x).Sum() + x[0] * x[1];
        Tensor g = Wick.Autograd.Grad(f, x, createGraph: true)!;
        Assert.That(g.RequiresGrad, Is.True);
        Tensor hv = Wick.Autograd.Grad((g * Tensor.FromArray(v)).Sum(), x)!;
        double[] expected = { 6 * xv[0] * v[0] + v[1], 6 * xv[1] * v[1] + v[0] };
        Assert.That(hv.ToArray<double>(), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void BackwardWithCreateGraphAccumulatesAGradThatCanBeDifferentiatedAgain()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 2 }).SetRequiresGrad();
        (x * x * x).Sum().Backward(createGraph: true);  // x.Grad = 3x^2 with history
        Tensor g = x.Grad!;
        Assert.That(g.GradFn, Is.Not.Null);
        Tensor second = Wick.Autograd.Grad(g.Sum(), x)!;  // 6x
        Assert.That(second.Item<double>(), Is.EqualTo(12));
    }
}
