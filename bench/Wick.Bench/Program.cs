using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Wick.Bench;

/// <summary>
/// Runs every case with each thread count, measures the same cases with Debian's PyTorch in the
/// same run (bench/peers/torch_cpu.py through /usr/bin/python3), prints a table with ratios and
/// writes artifacts/bench/&lt;group&gt;.json. Usage: Wick.Bench [--threads 1,2] [--filter text] [--no-peer]
/// [--cpu-time] (process CPU time instead of wall-clock: for one thread on a loaded machine; the peer
/// then measures CPU time too). `Wick.Bench autograd` runs the autograd suite instead (peer:
/// bench/peers/torch_autograd.py).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // `Wick.Bench autograd`: the autograd overheads (recorded add, 1,000-node chain backward) and their peer.
        if (args is ["autograd"])
        {
            IReadOnlyList<BenchResult> results = AutogradBench.Run();
            BenchReport.Print("autograd", results);
            BenchReport.WriteJson("autograd", results);
            return 0;
        }
        int[] threadCounts = { 1, 2 };
        string? filter = null;
        bool peer = true;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threadCounts = args[++i].Split(',').Select(int.Parse).ToArray(); break;
                case "--filter": filter = args[++i]; break;
                case "--no-peer": peer = false; break;
                case "--cpu-time": Measure.UseCpuTime = true; break;
                default:
                    Console.Error.WriteLine("usage: Wick.Bench [--threads 1,2] [--filter text] [--no-peer] [--cpu-time] | Wick.Bench autograd");
                    return 2;
            }
        }
        string root = RepoRoot();
        List<BenchCase> cases = CoreCases.All().Where(c => filter is null || c.Name.Contains(filter, StringComparison.Ordinal)).ToList();
        Console.WriteLine($"Wick.Bench: {cases.Count} cases, threads {string.Join(",", threadCounts)}, ISA {CpuDispatch.Active}, " +
                          $"{Environment.ProcessorCount} CPUs; peer: {(peer ? "PyTorch (Debian python3-torch) in the same run" : "none")}");

        var rows = new List<(BenchCase Case, int Threads, double Wick, double? Peer)>();
        foreach (int t in threadCounts)
        {
            Threads.Count = t;
            Dictionary<string, double?> peerValues = peer ? RunPeer(root, cases, t) : new();
            foreach (BenchCase c in cases)
            {
                double v = c.Run();
                peerValues.TryGetValue(c.Name, out double? p);
                rows.Add((c, t, v, p));
                Console.WriteLine(Row(c, t, v, p));
            }
        }
        WriteJson(root, rows);
        return 0;
    }

    private static string Row(BenchCase c, int t, double wick, double? peer)
    {
        string ratio = peer is double p ? (c.HigherIsBetter ? wick / p : p / wick).ToString("F2", CultureInfo.InvariantCulture) + "x" : "-";
        string pv = peer is double q ? q.ToString("G4", CultureInfo.InvariantCulture) : "-";
        return $"  {c.Name + "_" + t + "T",-28} {wick.ToString("G4", CultureInfo.InvariantCulture),10} {c.Unit,-4}  torch {pv,10}  " +
               $"speedup {ratio,7}  (>1: Wick faster)";
    }

    // The peer measures the same case names; it prints one JSON object {case: value or null}.
    private static Dictionary<string, double?> RunPeer(string root, List<BenchCase> cases, int threads)
    {
        var result = new Dictionary<string, double?>();
        string script = Path.Combine(root, "bench", "peers", "torch_cpu.py");
        string cpu = Measure.UseCpuTime ? " --cpu-time" : "";
        var psi = new ProcessStartInfo("/usr/bin/python3", $"\"{script}\" --threads {threads}{cpu} --cases {string.Join(",", cases.Select(c => c.Name))}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["OPENBLAS_CORETYPE"] = "SkylakeX";
        psi.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        try
        {
            using Process p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.WriteLine($"  (peer failed: {stderr.Trim().Split('\n').LastOrDefault()})");
                return result;
            }
            using JsonDocument doc = JsonDocument.Parse(stdout);
            foreach (JsonProperty prop in doc.RootElement.EnumerateObject())
                result[prop.Name] = prop.Value.ValueKind == JsonValueKind.Number ? prop.Value.GetDouble() : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException or IOException)
        {
            Console.WriteLine($"  (peer unavailable: {e.Message})");
        }
        return result;
    }

    private static void WriteJson(string root, List<(BenchCase Case, int Threads, double Wick, double? Peer)> rows)
    {
        string dir = Path.Combine(root, "artifacts", "bench");
        Directory.CreateDirectory(dir);
        foreach (var group in rows.GroupBy(r => r.Case.Group))
        {
            string path = Path.Combine(dir, group.Key + (Measure.UseCpuTime ? "_cputime" : "") + ".json");
            using var stream = File.Create(path);
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartArray();
            foreach (var r in group)
            {
                w.WriteStartObject();
                w.WriteString("case", $"{r.Case.Name}_{r.Threads}T");
                w.WriteString("unit", r.Case.Unit);
                w.WriteNumber("wick", r.Wick);
                w.WriteString("peer", "torch " + TorchVersion + " (Debian python3-torch)");
                if (r.Peer is double p) w.WriteNumber("peer_value", p);
                else w.WriteNull("peer_value");
                w.WriteBoolean("higher_is_better", r.Case.HigherIsBetter);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Console.WriteLine($"  wrote {Path.GetRelativePath(root, path)}");
        }
    }

    private const string TorchVersion = "1.13";

    private static string RepoRoot()
    {
        for (string? d = Directory.GetCurrentDirectory(); d != null; d = Path.GetDirectoryName(d))
            if (File.Exists(Path.Combine(d, "Wick.slnx"))) return d;
        for (string? d = AppContext.BaseDirectory; d != null; d = Path.GetDirectoryName(d))
            if (File.Exists(Path.Combine(d, "Wick.slnx"))) return d;
        throw new InvalidOperationException("run Wick.Bench from inside the repository (Wick.slnx not found)");
    }
}
