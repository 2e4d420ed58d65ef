// Training-step bench (issue 5). Times one training step — zero grad, forward, cross-entropy, backward, SGD step —
// of an MLP 784-512-512-10 at batch 128 and of a CNN (conv-bn-relu-pool twice, then linear) at batch 64 on 28x28
// inputs, written the documented way (a DisposeScope per step), and the same steps in Debian's PyTorch (python3-torch,
// bench/TrainStep/peer_torch.py) in the same run. Reports median step times, the ratio, the managed bytes allocated
// per step, and (with --memory-steps N) live tensors and native bytes over a long run.
// Usage: TrainStep [--threads 2] [--steps 200] [--memory-steps 10000] [--no-peer] [--case mlp|cnn] [--cpu-time] [--out artifacts/bench/train_step.json]
// --cpu-time: process CPU time per step instead of wall time, for both Wick and the peer (one thread only; on a
// loaded shared machine it leaves out the time spent waiting for a core).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Wick;
using Wick.NN;
using Wick.Optim;

int threads = 2, steps = 200, memorySteps = 0;
bool peer = true, cpuTime = false;
string? outPath = null, only = null;
for (int i = 0; i < args.Length; ++i)
{
    switch (args[i])
    {
        case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--memory-steps": memorySteps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--no-peer": peer = false; break;
        case "--out": outPath = args[++i]; break;
        case "--case": only = args[++i]; break;
        case "--cpu-time": cpuTime = true; break;
        default:
            Console.Error.WriteLine("usage: TrainStep [--threads 2] [--steps 200] [--memory-steps 10000] [--no-peer] [--case mlp|cnn] [--cpu-time] [--out FILE]");
            return 2;
    }
}
if (cpuTime && threads != 1)
{
    Console.Error.WriteLine("--cpu-time measures one thread's work: use it with --threads 1");
    return 2;
}
string root = RepoRoot();
outPath ??= Path.Combine(root, "artifacts", "bench", "train_step.json");
Threads.Count = threads;
Console.WriteLine($"TrainStep: {steps} timed steps per case, {threads} threads, {Environment.ProcessorCount} CPUs, {CpuDispatch.Active}, clock: {(cpuTime ? "process CPU time" : "wall")}");
using var self = Process.GetCurrentProcess();
double NowMs()
{
    if (!cpuTime) return Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
    self.Refresh();
    return self.TotalProcessorTime.TotalMilliseconds;
}

var cases = new List<(string Name, Func<Sequential> Model, long[] Input, long Batch)>
{
    ("mlp_784_512_512_10_b128", () => new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10)),
     new long[] { 128, 784 }, 128),
    ("cnn_conv_bn_relu_pool_x2_b64", () => new Sequential(
        new Conv2d(1, 32, 3, padding: 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 3, padding: 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(64 * 7 * 7, 10)), new long[] { 64, 1, 28, 28 }, 64),
};

var results = new List<(string Name, double Ms, double Bytes)>();
foreach (var (name, make, input, batch) in cases)
{
    if (only is not null && !name.StartsWith(only, StringComparison.Ordinal)) continue;
    Tensor.ManualSeed(0);
    using var model = make();
    using var opt = new SGD(model.Parameters(), lr: 0.01, momentum: 0.9);
    using var lossFn = new CrossEntropyLoss();
    using var x = Tensor.RandN(input);
    using var y = Tensor.RandInt(0, 10, new[] { batch });
    void Step()
    {
        using var scope = DisposeScope.Begin();
        opt.ZeroGrad();
        var loss = lossFn.Forward(model.Forward(x), y);
        loss.Backward();
        opt.Step();
    }
    // Warm-up long enough for tiered JIT to promote the hot managed paths (tier 0 -> tier 1 needs 30 calls plus a
    // background delay): at least 50 steps and 2 seconds, so the timed steps measure steady state.
    var warmClock = Stopwatch.StartNew();
    for (int i = 0; i < Math.Max(50, steps / 10) || warmClock.Elapsed.TotalSeconds < 2; ++i) Step();
    var times = new double[steps];
    long bytes0 = GC.GetAllocatedBytesForCurrentThread();
    for (int i = 0; i < steps; ++i)
    {
        double t0 = NowMs();
        Step();
        times[i] = NowMs() - t0;
    }
    double bytes = (GC.GetAllocatedBytesForCurrentThread() - bytes0) / (double)steps;
    Array.Sort(times);
    results.Add((name, times[steps / 2], bytes));
    Console.WriteLine($"  {name,-30} median {times[steps / 2],8:F3} ms  (p10 {times[steps / 10]:F3}, p90 {times[steps * 9 / 10]:F3})  managed {bytes / 1024:F1} KiB/step");
}

// The peer: Debian's PyTorch, same shapes and steps, with this thread count and with 1 thread (Debian's build
// oversubscribes with several threads on this 2-CPU machine, so its best is usually 1 thread).
var peers = new Dictionary<string, Dictionary<string, double>>();
if (peer)
{
    foreach (int t in threads == 1 ? new[] { 1 } : new[] { threads, 1 })
    {
        var r = RunPeer(Path.Combine(root, "bench", "TrainStep", "peer_torch.py"), t, steps, cpuTime);
        if (r is not null) peers[$"{t}T"] = r;
    }
}

Console.WriteLine();
Console.WriteLine($"{"case",-32} {"Wick (ms)",10} {"peer",-32} {"peer (ms)",10} {"speedup",8}");
var json = new List<Dictionary<string, object?>>();
foreach (var (name, ms, bytes) in results)
{
    string shortName = name.StartsWith("mlp", StringComparison.Ordinal) ? "mlp" : "cnn";
    foreach (var (label, values) in peers)
    {
        if (!values.TryGetValue(shortName, out double p)) continue;
        string peerName = $"PyTorch {TorchVersion ?? "?"} (Debian, {label}) same run";
        Console.WriteLine($"{name,-32} {ms,10:F3} {peerName,-32} {p,10:F3} {p / ms,7:F2}x");
        json.Add(Row($"{name}_{threads}T", "ms", ms, peerName, p));
    }
    if (shortName == "mlp")
    {
        // Not measurable here (TorchSharp does not load on Debian 12): the figure measured on this machine class, from the issue.
        Console.WriteLine($"{name,-32} {ms,10:F3} {"libtorch 2.10 via TorchSharp (issue)",-32} {2.66,10:F3} {2.66 / ms,7:F2}x");
        json.Add(Row($"{name}_{threads}T", "ms", ms, "libtorch 2.10 via TorchSharp, 2 threads (issue 5, not measured in this run)", 2.66));
    }
    if (peers.Count == 0) json.Add(Row($"{name}_{threads}T", "ms", ms, "none (--no-peer)", null));
    json.Add(Row($"{name}_{threads}T managed bytes per step", "bytes", bytes, "none", null));
}

if (memorySteps > 0)
{
    // A long run written the documented way: live tensors and native bytes after warm-up and at the end.
    Tensor.ManualSeed(1);
    using var model = cases[0].Model();
    using var opt = new SGD(model.Parameters(), lr: 0.01, momentum: 0.9);
    using var lossFn = new CrossEntropyLoss();
    using var x = Tensor.RandN(128, 784);
    using var y = Tensor.RandInt(0, 10, new long[] { 128 });
    MemoryStats warm = default;
    var clock = Stopwatch.StartNew();
    for (int i = 1; i <= memorySteps; ++i)
    {
        using (var scope = DisposeScope.Begin())
        {
            opt.ZeroGrad();
            var loss = lossFn.Forward(model.Forward(x), y);
            loss.Backward();
            opt.Step();
        }
        if (i == 100) warm = Memory.Stats();
    }
    var end = Memory.Stats();
    Console.WriteLine($"\nmemory over {memorySteps} MLP steps ({clock.Elapsed.TotalSeconds:F0} s): live tensors {warm.LiveTensors} at step 100 -> {end.LiveTensors}; " +
                      $"native bytes {warm.AllocatedBytes:N0} -> {end.AllocatedBytes:N0}; GC heap {GC.GetTotalMemory(false):N0} bytes");
    json.Add(Row($"memory {memorySteps} steps: live tensors at end (at step 100: {warm.LiveTensors})", "tensors", end.LiveTensors, "none", null));
    json.Add(Row($"memory {memorySteps} steps: native bytes at end (at step 100: {warm.AllocatedBytes})", "bytes", end.AllocatedBytes, "none", null));
}

Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
File.WriteAllText(outPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {outPath}");
return 0;

static Dictionary<string, object?> Row(string name, string unit, double wick, string peerName, double? peerValue) => new()
{
    ["case"] = name, ["unit"] = unit, ["wick"] = Math.Round(wick, 4), ["peer"] = peerName,
    ["peer_value"] = peerValue is double p ? Math.Round(p, 4) : null, ["higher_is_better"] = false,
};

static string RepoRoot()
{
    string? dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Wick.slnx"))) dir = Path.GetDirectoryName(dir);
    return dir ?? Directory.GetCurrentDirectory();
}

static Dictionary<string, double>? RunPeer(string script, int threads, int steps, bool cpuTime)
{
    if (!File.Exists("/usr/bin/python3")) return null;
    var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    psi.ArgumentList.Add(script);
    psi.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
    psi.ArgumentList.Add(steps.ToString(CultureInfo.InvariantCulture));
    psi.ArgumentList.Add(cpuTime ? "cpu" : "wall");
    // OpenBLAS misdetects recent CPUs; name the kernel set the CPU really has (SkylakeX needs AVX-512, which the
    // Haswell kernels do not: naming SkylakeX on an AVX2-only machine dies with an illegal instruction).
    psi.Environment["OPENBLAS_CORETYPE"] = File.ReadAllText("/proc/cpuinfo").Contains(" avx512f", StringComparison.Ordinal) ? "SkylakeX" : "Haswell";
    psi.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
    try
    {
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Console.WriteLine($"peer (PyTorch, {threads}T) failed with exit code {p.ExitCode}: {error.Trim().Split('\n').LastOrDefault()}");
            return null;
        }
        var r = new Dictionary<string, double>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ');
            if (parts[0] == "version") TorchVersion = parts[1];
            else if (parts.Length == 2) r[parts[0]] = double.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return r;
    }
    catch (Exception e)
    {
        Console.WriteLine($"peer (PyTorch) not measured: {e.Message}");
        return null;
    }
}

partial class Program
{
    static string? TorchVersion;
}
