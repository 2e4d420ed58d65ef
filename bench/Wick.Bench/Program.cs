using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.Bench;

/// <summary>Runs the benchmark suites named on the command line (all of them when none is named).</summary>
public static class Program
{
    private static readonly Dictionary<string, Func<IReadOnlyList<BenchResult>>> Suites = new(StringComparer.OrdinalIgnoreCase)
    {
        ["autograd"] = AutogradBench.Run,
    };

    public static int Main(string[] args)
    {
        var names = args.Length == 0 ? Suites.Keys.ToList() : args.ToList();
        foreach (string name in names)
        {
            if (!Suites.TryGetValue(name, out var run))
            {
                Console.Error.WriteLine($"unknown suite '{name}'; known: {string.Join(", ", Suites.Keys)}");
                return 2;
            }
            IReadOnlyList<BenchResult> results = run();
            BenchReport.Print(name, results);
            BenchReport.WriteJson(name, results);
        }
        return 0;
    }
}
