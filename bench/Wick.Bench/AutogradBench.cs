using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Wick.Bench;

/// <summary>
/// Autograd overheads against PyTorch 1.13 (Debian, CPU) measured in the same run: a recorded 1-element add (the
/// cost of recording a node, next to the same add without gradients) and Backward over a 1,000-node chain of
/// 1-element multiplications (engine cost per node). The peer runs the same cases in bench/peers/torch_cpu.py.
/// </summary>
public static class AutogradBench
{
    public const int ChainLength = 1000;

    public static IReadOnlyList<BenchResult> Run()
    {
        Dictionary<string, double> torch = BenchReport.RunTorchPeer("autograd");
        const string peer = "PyTorch 1.13 (Debian)";
        double plain = AddNoGrad(), recorded = AddRecorded();
        return new[]
        {
            new BenchResult("add, 1 element, no grad (reference)", "ns", plain, peer, torch["add_no_grad"], false),
            new BenchResult("add, 1 element, recorded (requires grad)", "ns", recorded, peer, torch["add_recorded"], false),
            new BenchResult("  recording overhead (recorded - no grad)", "ns", recorded - plain, peer, torch["add_recorded"] - torch["add_no_grad"], false),
            new BenchResult($"Backward over a {ChainLength}-node chain (mul by scalar)", "us", ChainBackward() / 1000, peer, torch["chain_backward"] / 1000, false),
        };
    }

    private static double AddNoGrad()
    {
        using var a = Tensor.FromArray(new float[] { 1 });
        using var b = Tensor.FromArray(new float[] { 2 });
        return TimeAdds(a, b);
    }

    private static double AddRecorded()
    {
        using var a = Tensor.FromArray(new float[] { 1 }).SetRequiresGrad();
        using var b = Tensor.FromArray(new float[] { 2 }).SetRequiresGrad();
        using (var c = a + b)
            if (c.GradFn is null) throw new InvalidOperationException("the add was not recorded");
        return TimeAdds(a, b);
    }

    private static double TimeAdds(Tensor a, Tensor b)
    {
        const int perRound = 20_000;
        void Body()
        {
            for (int i = 0; i < perRound; ++i)
            {
                using var c = a + b;
            }
        }
        for (int w = 0; w < 5; ++w) Body();  // JIT tiers, caches
        return BenchReport.MedianNs(31, perRound, Body);
    }

    /// <summary>Median time of Backward over a freshly built chain y = x * 1.0001 * 1.0001 ... (the build is not timed), in ns.</summary>
    private static double ChainBackward()
    {
        using var x = Tensor.FromArray(new float[] { 1 }).SetRequiresGrad();
        var samples = new List<double>();
        for (int r = 0; r < 230; ++r)
        {
            using var scope = DisposeScope.Begin();
            Tensor y = x;
            for (int i = 0; i < ChainLength; ++i) y = y * 1.0001;
            long t0 = Stopwatch.GetTimestamp();
            y.Backward();
            double ns = Stopwatch.GetElapsedTime(t0).TotalNanoseconds;
            if (r >= 30) samples.Add(ns);  // after warm-up
            double g = x.Grad!.Item<float>();
            if (Math.Abs(g - Math.Pow(1.0001, ChainLength)) > 1e-4) throw new InvalidOperationException($"wrong gradient {g}");
            x.Grad = null;
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }
}
