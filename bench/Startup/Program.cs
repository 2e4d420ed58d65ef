// Startup bench: launches published apps that print their first op's result and exit, and reports the
// median time from spawning the process to reading that result, and the wall time of the whole process
// (spawn to exit). Peers: PyTorch 1.13 (python3, import torch to the first
// add) measured in the same run where /usr/bin/python3 has torch, and TorchSharp's first-op time of about
// 200 ms as stated in issue 8 (TorchSharp does not load on this machine, so it cannot be measured here).
// Usage: Startup <out.json> <name>=<command line> ...
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;

const int Runs = 15;
const double TorchSharpFromIssueMs = 200;
string outPath = args[0];
var rows = new List<(string Case, double FirstOp, double Wall)>();
foreach (string spec in args.Skip(1))
{
    string name = spec[..spec.IndexOf('=')];
    string[] command = spec[(spec.IndexOf('=') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    Run(command); // warm the page cache once
    var firstOps = new List<double>();
    var walls = new List<double>();
    for (int i = 0; i < Runs; ++i)
    {
        (double firstOp, double wall) = Run(command);
        firstOps.Add(firstOp);
        walls.Add(wall);
    }
    rows.Add((name, Median(firstOps), Median(walls)));
}

double? torch = null;
if (File.Exists("/usr/bin/python3"))
{
    string[] py = { "/usr/bin/python3", "-c", "import torch; print(torch.ones(2) + torch.ones(2))" };
    try
    {
        Run(py);
        var walls = new List<double>();
        for (int i = 0; i < 5; ++i) walls.Add(Run(py).Wall);
        torch = Median(walls);
    }
    catch (Exception e) { Console.WriteLine($"PyTorch peer not measured: {e.Message}"); }
}

Console.WriteLine($"{"case",-28} {"first op (ms)",14} {"process wall (ms)",18} {"TorchSharp (issue)",19} {"ratio",7}");
var json = new List<Dictionary<string, object>>();
foreach ((string name, double firstOp, double wall) in rows)
{
    Console.WriteLine($"{name,-28} {firstOp,14:F1} {wall,18:F1} {TorchSharpFromIssueMs,19:F0} {firstOp / TorchSharpFromIssueMs,7:F2}");
    json.Add(Row($"{name} first op", firstOp, "TorchSharp first-op (issue 8, not measured here)", TorchSharpFromIssueMs));
    if (torch is double t)
        json.Add(Row($"{name} process wall", wall, "PyTorch 1.13 python3 import to first add (same run)", t));
}
if (torch is double tw) Console.WriteLine($"{"PyTorch 1.13 (python3) wall",-28} {"",14} {tw,18:F1}");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
File.WriteAllText(outPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {outPath}");
return 0;

static Dictionary<string, object> Row(string name, double wick, string peer, double peerValue) => new()
{
    ["case"] = name, ["unit"] = "ms", ["wick"] = Math.Round(wick, 2), ["peer"] = peer,
    ["peer_value"] = Math.Round(peerValue, 2), ["higher_is_better"] = false,
};

static double Median(List<double> v)
{
    v.Sort();
    return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
}

static (double FirstOp, double Wall) Run(string[] command)
{
    var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (string a in command.Skip(1)) psi.ArgumentList.Add(a);
    psi.Environment["OPENBLAS_CORETYPE"] = "SkylakeX";
    var clock = Stopwatch.StartNew();
    using Process p = Process.Start(psi)!;
    // First op: the moment the app's line with the op's result arrives (spawn included); the app's own
    // reading of its start time is too coarse (the kernel counts process start in 10 ms ticks).
    double firstOp = double.NaN;
    var output = new System.Text.StringBuilder();
    string? line;
    while ((line = p.StandardOutput.ReadLine()) != null)
    {
        if (double.IsNaN(firstOp) && line.StartsWith("first op:", StringComparison.Ordinal)) firstOp = clock.Elapsed.TotalMilliseconds;
        output.AppendLine(line);
    }
    p.StandardError.ReadToEnd();
    p.WaitForExit();
    double wall = clock.Elapsed.TotalMilliseconds;
    if (p.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', command)} exited with {p.ExitCode}: {output}");
    return (firstOp, wall);
}
