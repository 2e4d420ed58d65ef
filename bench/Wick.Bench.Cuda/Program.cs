// GPU benchmarks of Wick, timed with CUDA events (median of repeated runs after warm-up), written
// as JSON for bench/cuda/report.py, which sets them beside PyTorch's numbers from the same run
// (bench/cuda/torch_bench.py). Usage: Wick.Bench.Cuda [--json path] [--quick] [--only SECTION] [--iters N]
// Sections: elementwise, matmul, rows (softmax, layer_norm), steps, cnn-layers, conv; --only runs one (for a
// profiler run, with a small --iters).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Wick;
using Wick.NN;
using Wick.Optim;

internal static class Program
{
    private sealed record Result(string Case, string Unit, double Value, double Ms);

    private static int Main(string[] args)
    {
        string? json = null, only = null;
        bool quick = args.Contains("--quick");
        int? itersArg = null;
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--json") json = args[i + 1];
            if (args[i] == "--only") only = args[i + 1];
            if (args[i] == "--iters") itersArg = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }
        string[] sections = { "elementwise", "matmul", "rows", "steps", "cnn-layers", "conv" };
        if (only != null && !sections.Contains(only))
        {
            Console.Error.WriteLine($"Wick.Bench.Cuda: unknown section '{only}' (sections: {string.Join(", ", sections)})");
            return 2;
        }
        bool Want(string section) => only == null || only == section;
        if (!Cuda.IsAvailable)
        {
            Console.Error.WriteLine("Wick.Bench.Cuda: no CUDA device: " + Cuda.UnavailableReason);
            return 2;
        }
        CudaDeviceProperties p = Cuda.GetDeviceProperties(0);
        Console.WriteLine($"device: {p.Name} (sm_{p.Major}{p.Minor}, {p.MultiprocessorCount} SMs, {p.TotalMemory / (1L << 30)} GiB)");
        var results = new List<Result>();
        Device gpu = Device.Cuda(0);
        long n = quick ? 1L << 24 : 1L << 28;  // 256M floats: 1 GiB per tensor
        int iters = itersArg ?? (quick ? 5 : 20);

        if (Want("elementwise"))
        using (Tensor a = Tensor.Rand(new[] { n }, DType.Float32, gpu))
        using (Tensor b = Tensor.Rand(new[] { n }, DType.Float32, gpu))
        using (Tensor c = Tensor.Empty(new[] { n }, DType.Float32, gpu))
        {
            double bytes = n * 4.0;
            double copy = MedianMs(() => c.CopyFrom(a), iters);
            results.Add(new Result($"copy {n >> 20}M f32 (device to device)", "GB/s", 2 * bytes / copy / 1e6, copy));
            double add = MedianMs(() => { using Tensor r = a + b; }, iters);
            results.Add(new Result($"add {n >> 20}M f32", "GB/s", 3 * bytes / add / 1e6, add));
            double sum = MedianMs(() => { using Tensor r = a.Sum(); }, iters);
            results.Add(new Result($"sum {n >> 20}M f32", "GB/s", bytes / sum / 1e6, sum));
        }
        Memory.EmptyCache(gpu);

        long m = quick ? 2048 : 8192;
        double flops = 2.0 * m * m * m;
        foreach ((string name, DType dt, bool tf32) in Want("matmul") ? new[] { ("f32", DType.Float32, false), ("tf32", DType.Float32, true), ("bf16", DType.BFloat16, false) } : Array.Empty<(string, DType, bool)>())
        {
            bool before = Cuda.AllowTF32;
            Cuda.AllowTF32 = tf32;
            try
            {
                using Tensor x = Tensor.RandN(new[] { m, m }, dt, gpu);
                using Tensor y = Tensor.RandN(new[] { m, m }, dt, gpu);
                double ms = MedianMs(() => { using Tensor r = x.MatMul(y); }, iters);
                results.Add(new Result($"matmul {m}^3 {name}", "TFLOP/s", flops / ms / 1e9, ms));
            }
            finally
            {
                Cuda.AllowTF32 = before;
            }
        }
        Memory.EmptyCache(gpu);

        // softmax and layer_norm over rows of 4096 floats: one read and one write of the tensor.
        const long cols = 4096;
        long rows = n / 4 / cols;
        if (Want("rows"))
        using (Tensor x = Tensor.RandN(new[] { rows, cols }, DType.Float32, gpu))
        {
            double moved = 2.0 * rows * cols * 4;
            double sm = MedianMs(() => { using Tensor r = Functional.Softmax(x, 1); }, iters);
            results.Add(new Result($"softmax {rows}x{cols} f32", "GB/s", moved / sm / 1e6, sm));
            double ln = MedianMs(() => { using Tensor r = Functional.LayerNorm(x, new[] { cols }); }, iters);
            results.Add(new Result($"layer_norm {rows}x{cols} f32", "GB/s", moved / ln / 1e6, ln));
        }
        Memory.EmptyCache(gpu);

        // The nn issue's training steps (bench/TrainStep) with larger batches: SGD with momentum, cross-entropy.
        long mlpBatch = quick ? 512 : 4096, cnnBatch = quick ? 64 : 512;
        if (Want("steps"))
        {
            results.Add(TrainStep($"mlp 784-512-512-10 b{mlpBatch} train step",
                () => new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10)),
                new[] { mlpBatch, 784L }, gpu, iters));
            results.Add(TrainStep($"cnn conv-bn-relu-pool x2 b{cnnBatch} train step",
                () => new Sequential(
                    new Conv2d(1, 32, 3, padding: 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                    new Conv2d(32, 64, 3, padding: 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                    new Flatten(), new Linear(64 * 7 * 7, 10)),
                new[] { cnnBatch, 1L, 28, 28 }, gpu, iters));
            // The same step with the forward and the loss under float16 autocast (convolutions and the linear layer in float16).
            results.Add(TrainStep($"cnn conv-bn-relu-pool x2 b{cnnBatch} autocast f16 train step",
                () => new Sequential(
                    new Conv2d(1, 32, 3, padding: 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                    new Conv2d(32, 64, 3, padding: 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                    new Flatten(), new Linear(64 * 7 * 7, 10)),
                new[] { cnnBatch, 1L, 28, 28 }, gpu, iters, autocast: DType.Float16));
        }
        Memory.EmptyCache(gpu);
        if (Want("cnn-layers")) results.AddRange(CnnLayers(cnnBatch, gpu, iters));
        Memory.EmptyCache(gpu);
        if (Want("conv")) results.AddRange(ConvDtypes(quick ? 8 : 64, gpu, iters));
        Memory.EmptyCache(gpu);

        foreach (Result r in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Case,-40} {r.Value,10:F1} {r.Unit,-8} ({r.Ms:F3} ms)"));
        if (json != null) File.WriteAllText(json, ToJson(p.Name, results));
        return 0;
    }

    // Steps per second of one forward, backward and optimizer step of the model on input (inputShape) and 10 classes;
    // autocast: the forward and the loss run under CUDA autocast with that dtype.
    private static Result TrainStep(string name, Func<Sequential> make, long[] inputShape, Device gpu, int iters, DType? autocast = null)
    {
        Tensor.ManualSeed(0);
        using Sequential model = make().To(gpu);
        using var opt = new SGD(model.Parameters(), lr: 0.01, momentum: 0.9);
        using var lossFn = new CrossEntropyLoss();
        using Tensor x = Tensor.RandN(inputShape, DType.Float32, gpu);
        using Tensor y = Tensor.RandInt(0, 10, new[] { inputShape[0] }, DType.Int64, gpu);
        double ms = MedianMs(() =>
        {
            using var scope = DisposeScope.Begin();
            opt.ZeroGrad();
            Tensor loss;
            using (autocast is DType low ? Autocast.Enable(DeviceType.Cuda, low) : null)
                loss = lossFn.Forward(model.Forward(x), y);
            loss.Backward();
            opt.Step();
        }, iters);
        return new Result(name, "steps/s", 1000 / ms, ms);
    }

    // Where the CNN step's time goes: each layer of the model alone on the activations it sees at this batch size,
    // forward as in training, and forward + backward (input and parameter gradients) against a fixed gradient.
    private static List<Result> CnnLayers(long batch, Device gpu, int iters)
    {
        var layers = new (string Name, Func<Module<Tensor, Tensor>> Make, long[] Input)[]
        {
            ("conv1 1->32 28x28", () => new Conv2d(1, 32, 3, padding: 1), new[] { batch, 1L, 28, 28 }),
            ("bn1 32ch 28x28", () => new BatchNorm2d(32), new[] { batch, 32L, 28, 28 }),
            ("relu 32ch 28x28", () => new ReLU(), new[] { batch, 32L, 28, 28 }),
            ("pool1 32ch 28x28", () => new MaxPool2d(2), new[] { batch, 32L, 28, 28 }),
            ("conv2 32->64 14x14", () => new Conv2d(32, 64, 3, padding: 1), new[] { batch, 32L, 14, 14 }),
            ("bn2 64ch 14x14", () => new BatchNorm2d(64), new[] { batch, 64L, 14, 14 }),
            ("pool2 64ch 14x14", () => new MaxPool2d(2), new[] { batch, 64L, 14, 14 }),
            ("linear 3136->10", () => new Linear(64 * 7 * 7, 10), new[] { batch, 64L * 7 * 7 }),
        };
        var results = new List<Result>();
        Tensor.ManualSeed(0);
        foreach (var (name, make, input) in layers)
        {
            using Module<Tensor, Tensor> layer = make().To(gpu);
            using Tensor x = Tensor.RandN(input, DType.Float32, gpu).SetRequiresGrad();
            long[] outShape;
            using (Tensor probe = layer.Forward(x)) outShape = probe.Shape;
            using Tensor g = Tensor.RandN(outShape, DType.Float32, gpu);
            double fwd = MedianMs(() => { using Tensor y = layer.Forward(x); }, iters);
            double both = FwdBwdMs(layer, x, g, iters);
            results.Add(new Result($"cnn b{batch} {name} fwd", "calls/s", 1000 / fwd, fwd));
            results.Add(new Result($"cnn b{batch} {name} fwd+bwd", "calls/s", 1000 / both, both));
        }
        using (Tensor logits = Tensor.RandN(new[] { batch, 10L }, DType.Float32, gpu).SetRequiresGrad())
        using (Tensor target = Tensor.RandInt(0, 10, new[] { batch }, DType.Int64, gpu))
        using (var ce = new CrossEntropyLoss())
        {
            double both = MedianMs(() =>
            {
                using var scope = DisposeScope.Begin();
                logits.Grad = null;
                ce.Forward(logits, target).Backward();
            }, iters);
            results.Add(new Result($"cnn b{batch} cross-entropy fwd+bwd", "calls/s", 1000 / both, both));
        }
        return results;
    }

    // One 3x3 convolution of a ResNet stage (64 -> 64 channels, 56x56), forward + backward (input and parameter
    // gradients) with its input, weights and output gradient in each floating dtype.
    private static List<Result> ConvDtypes(long batch, Device gpu, int iters)
    {
        var results = new List<Result>();
        foreach ((string name, DType dt) in new[] { ("f32", DType.Float32), ("f16", DType.Float16), ("bf16", DType.BFloat16) })
        {
            Tensor.ManualSeed(0);
            using Conv2d conv = new Conv2d(64, 64, 3, padding: 1).To(gpu, dt);
            using Tensor x32 = Tensor.RandN(new[] { batch, 64L, 56, 56 }, DType.Float32, gpu);
            using Tensor x = x32.To(dt).SetRequiresGrad();
            using Tensor g = x32.To(dt);
            double both = FwdBwdMs(conv, x, g, iters);
            results.Add(new Result($"conv 64->64 3x3 56x56 b{batch} {name} fwd+bwd", "calls/s", 1000 / both, both));
        }
        return results;
    }

    // Median milliseconds of the layer's forward on x and backward from g (input and parameter gradients).
    private static double FwdBwdMs(Module<Tensor, Tensor> layer, Tensor x, Tensor g, int iters) => MedianMs(() =>
    {
        using var scope = DisposeScope.Begin();
        layer.ZeroGrad();
        x.Grad = null;
        layer.Forward(x).Backward(g);
    }, iters);

    // Median milliseconds of one call of op, each run timed with its own pair of events.
    private static double MedianMs(Action op, int iters)
    {
        for (int i = 0; i < 3; i++) op();
        Cuda.Synchronize();
        using var start = new CudaEvent(0, enableTiming: true);
        using var end = new CudaEvent(0, enableTiming: true);
        var times = new List<double>();
        for (int i = 0; i < iters; i++)
        {
            start.Record();
            op();
            end.Record();
            end.Synchronize();
            times.Add(start.ElapsedMilliseconds(end));
        }
        times.Sort();
        return times[times.Count / 2];
    }

    private static string ToJson(string device, List<Result> results)
    {
        var sb = new StringBuilder();
        sb.Append("{\"device\":\"").Append(device.Replace("\"", "'")).Append("\",\"results\":[");
        for (int i = 0; i < results.Count; i++)
        {
            Result r = results[i];
            if (i > 0) sb.Append(',');
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{{\"case\":\"{r.Case}\",\"unit\":\"{r.Unit}\",\"value\":{r.Value:R},\"ms\":{r.Ms:R}}}"));
        }
        return sb.Append("]}").ToString();
    }
}
