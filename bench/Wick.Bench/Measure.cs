using System;
using System.Diagnostics;
using System.Linq;

namespace Wick.Bench;

/// <summary>Warm-up, then the median of several timed samples.</summary>
public static class Measure
{
    /// <summary>
    /// Measure CPU time of the process instead of wall-clock time (--cpu-time): on a shared, loaded
    /// machine this leaves out the time the benchmark waited for a CPU. Meaningful for one thread.
    /// </summary>
    public static bool UseCpuTime { get; set; }

    private static double Now() => UseCpuTime
        ? Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds
        : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    /// <summary>Median seconds per call of <paramref name="body"/>, each sample timing <paramref name="calls"/> calls.</summary>
    public static double SecondsPerCall(Action body, int calls = 1, int warmup = 3, int samples = 11)
    {
        for (int i = 0; i < warmup; i++)
            for (int j = 0; j < calls; j++) body();
        var times = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            double t0 = Now();
            for (int j = 0; j < calls; j++) body();
            times[s] = (Now() - t0) / calls;
        }
        Array.Sort(times);
        return times[samples / 2];
    }

    public static double Median(double[] xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s[s.Length / 2];
    }
}
