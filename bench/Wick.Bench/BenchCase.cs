using System;

namespace Wick.Bench;

/// <summary>
/// One benchmark: a name shared with the peer script (bench/peers/torch_cpu.py), a unit, and a
/// measurement that runs with the thread count already set. Lower is better for times.
/// </summary>
/// <param name="Name">Case id, also the key the peer script answers for (without the thread suffix).</param>
/// <param name="Unit">"ms", "us", "ns" (per call) or a rate such as "GFLOP/s".</param>
/// <param name="Group">Which artifacts/bench/&lt;group&gt;.json it goes to.</param>
/// <param name="Run">Returns the measured value in <paramref name="Unit"/>.</param>
/// <param name="HigherIsBetter">True for rates.</param>
public sealed record BenchCase(string Name, string Unit, string Group, Func<double> Run, bool HigherIsBetter = false);
