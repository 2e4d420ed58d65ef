using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Wick.Bench;

/// <summary>One measured case: Wick's value and the peer's, measured in the same run.</summary>
public sealed record BenchResult(string Case, string Unit, double Wick, string Peer, double PeerValue, bool HigherIsBetter)
{
    /// <summary>How many times better Wick is (above 1: Wick wins).</summary>
    public double Advantage => HigherIsBetter ? Wick / PeerValue : PeerValue / Wick;
}

public static class BenchReport
{
    public static void Print(string suite, IReadOnlyList<BenchResult> results)
    {
        Console.WriteLine();
        Console.WriteLine($"{suite}: (ratio above 1 means Wick is better)");
        Console.WriteLine($"{"case",-58} {"unit",-6} {"wick",12} {"peer",12}  {"ratio",6}  peer");
        foreach (var r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Case,-58} {r.Unit,-6} {r.Wick,12:F1} {r.PeerValue,12:F1}  {r.Advantage,6:F2}  {r.Peer}"));
    }

    /// <summary>Writes artifacts/bench/&lt;suite&gt;.json at the repository root.</summary>
    public static void WriteJson(string suite, IReadOnlyList<BenchResult> results)
    {
        string dir = Path.Combine(RepoRoot(), "artifacts", "bench");
        Directory.CreateDirectory(dir);
        using var stream = File.Create(Path.Combine(dir, suite + ".json"));
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartArray();
        foreach (var r in results)
        {
            w.WriteStartObject();
            w.WriteString("case", r.Case);
            w.WriteString("unit", r.Unit);
            w.WriteNumber("wick", r.Wick);
            w.WriteString("peer", r.Peer);
            w.WriteNumber("peer_value", r.PeerValue);
            w.WriteBoolean("higher_is_better", r.HigherIsBetter);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Wick.slnx"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// Runs bench/peers/torch_autograd.py for <paramref name="suite"/> with Debian's python3 (PyTorch 1.13) and returns
    /// the values it prints as "case value" lines.
    /// </summary>
    public static Dictionary<string, double> RunTorchPeer(string suite)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3", $"{Path.Combine(RepoRoot(), "bench", "peers", "torch_autograd.py")} {suite}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.Environment["OPENBLAS_CORETYPE"] = "SkylakeX";
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        string output = p.StandardOutput.ReadToEnd();
        string errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"torch peer failed ({p.ExitCode}): {errors}");
        var values = new Dictionary<string, double>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int tab = line.LastIndexOf('\t');
            if (tab > 0) values[line[..tab]] = double.Parse(line[(tab + 1)..], CultureInfo.InvariantCulture);
        }
        return values;
    }

    /// <summary>The median of <paramref name="rounds"/> timings of <paramref name="body"/>, each divided by <paramref name="perRound"/>, in ns.</summary>
    public static double MedianNs(int rounds, int perRound, Action body)
    {
        var samples = new double[rounds];
        for (int r = 0; r < rounds; ++r)
        {
            long t0 = Stopwatch.GetTimestamp();
            body();
            samples[r] = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / perRound;
        }
        Array.Sort(samples);
        return samples[rounds / 2];
    }
}
