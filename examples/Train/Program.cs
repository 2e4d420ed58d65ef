// Trains a small CNN (or an MLP) on Fashion-MNIST when it is installed (Debian: apt install dataset-fashion-mnist,
// or --data <dir> with the four IDX files), else on the 8x8 digits embedded in Wick; shows a progress bar with the
// loss and accuracy, prints the test accuracy and saves the weights. The C# twin of examples/train.fsx.
//   dotnet run --project examples/Train -c Release -- [--model cnn|mlp] [--epochs N] [--data DIR] [--digits]
//                                                    [--limit N] [--batch-size N] [--lr X] [--seed N] [--out FILE]
//                                                    [--loss-curve FILE] [--min-accuracy X]
using System.Diagnostics;
using System.Globalization;
using Wick;
using Wick.Data;
using Wick.IO;
using Wick.NN;
using Wick.Optim;

var options = Options.Parse(args);
if (options is null) return 2;
Tensor.ManualSeed(options.Seed);

// ---- data ---------------------------------------------------------------------------------------
TensorDataset train, test;
string dataName;
bool fashion = !options.Digits && FashionMnist.IsAvailable(options.Data);
if (fashion)
{
    train = FashionMnist.Load(options.Data, train: true);
    test = FashionMnist.Load(options.Data, train: false);
    dataName = $"Fashion-MNIST ({options.Data ?? FashionMnist.DefaultDirectory})";
}
else
{
    if (options.Data is not null && !options.Digits) Console.WriteLine($"No Fashion-MNIST files in {options.Data}: using the embedded digits.");
    (train, test) = Digits.LoadSplit(testCount: 360, seed: options.Seed);
    dataName = "8x8 digits (embedded)";
}
// --limit N trains on the first N images only (a quick run).
Dataset<Tensor[]> trainSet = options.Limit is int limit && limit < train.Count
    ? new Subset<Tensor[]>(train, Enumerable.Range(0, limit).Select(i => (long)i).ToArray())
    : train;
long side = train.Tensors[0].Size(-1);
int epochs = options.Epochs ?? (fashion ? 5 : 30);

// ---- model --------------------------------------------------------------------------------------
using Module<Tensor, Tensor> model = options.Model == "mlp" ? Models.Mlp(side) : Models.Cnn(side);
using var optimizer = new Adam(model.Parameters(), lr: options.LearningRate);
using var lossFn = new CrossEntropyLoss();
Console.WriteLine($"Data: {dataName}: {trainSet.Count} training and {test.Count} test images of {side}x{side}");
Console.WriteLine(model);
Console.WriteLine($"{model.Parameters().Sum(p => p.NumberOfElements):N0} parameters; {epochs} epochs of {options.Model.ToUpperInvariant()} with Adam (lr {options.LearningRate}, cosine schedule)");

// ---- training -----------------------------------------------------------------------------------
var loader = new DataLoader(trainSet, batchSize: options.BatchSize, shuffle: true, seed: options.Seed, numWorkers: 1);
// The learning rate follows a cosine from its start down to 0 over the whole run, stepped once per batch.
var schedule = new CosineAnnealingLR(optimizer, tMax: epochs * (int)loader.Count);
var lossCurve = new List<float>();
var clock = Stopwatch.StartNew();
for (int epoch = 1; epoch <= epochs; ++epoch)
{
    model.Train();
    var bar = new ProgressBar($"epoch {epoch}/{epochs}", loader.Count);
    double lossSum = 0;
    long correct = 0, seen = 0;
    foreach (var (x, y) in loader)
    {
        using var scope = DisposeScope.Begin();           // frees this step's tensors
        optimizer.ZeroGrad();
        Tensor logits = model.Forward(x);
        Tensor loss = lossFn.Forward(logits, y);
        loss.Backward();
        optimizer.Step();
        schedule.Step();

        float l = loss.Item<float>();
        lossCurve.Add(l);
        lossSum += l * x.Size(0);
        using (Autograd.NoGrad()) correct += logits.ArgMax(1).Eq(y).Sum().Item<long>();
        seen += x.Size(0);
        bar.Update($"loss {lossSum / seen:F4}  acc {100.0 * correct / seen:F2}%");
    }
    bar.Finish($"loss {lossSum / seen:F4}  acc {100.0 * correct / seen:F2}%  test {100 * Evaluate(model, test):F2}%");
}
double accuracy = Evaluate(model, test);
Console.WriteLine($"Test accuracy: {100 * accuracy:F2}% ({clock.Elapsed.TotalSeconds:F1} s)");

// ---- saving -------------------------------------------------------------------------------------
string outPath = options.Output ?? Path.Combine(Path.GetTempPath(), $"wick-{options.Model}-{(fashion ? "fashion-mnist" : "digits")}.safetensors");
using (var state = model.StateDict())
    Safetensors.SaveFile(state, outPath, new Dictionary<string, string> { ["model"] = options.Model, ["test_accuracy"] = accuracy.ToString("F4", CultureInfo.InvariantCulture) });
Console.WriteLine($"Weights saved to {outPath}");
if (options.LossCurve is string curvePath)
    File.WriteAllLines(curvePath, lossCurve.Select(v => BitConverter.SingleToInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture)));
train.Dispose();
test.Dispose();
if (options.MinAccuracy is double min && accuracy < min)
{
    Console.WriteLine($"Train: test accuracy {100 * accuracy:F2}% is below the required {100 * min:F0}%");
    return 1;
}
return 0;

static double Evaluate(Module<Tensor, Tensor> model, TensorDataset data)
{
    model.Eval();
    long correct = 0;
    using (Autograd.NoGrad())
    {
        foreach (var (x, y) in new DataLoader(data, batchSize: 1000))
        {
            using var scope = DisposeScope.Begin();
            correct += model.Forward(x).ArgMax(1).Eq(y).Sum().Item<long>();
        }
    }
    model.Train();
    return (double)correct / data.Count;
}

static class Models
{
    /// <summary>conv-bn-relu-pool twice, then a linear classifier.</summary>
    public static Sequential Cnn(long side) => new(
        new Conv2d(1, 32, 3, padding: 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 3, padding: 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Dropout(0.25), new Linear(64 * (side / 4) * (side / 4), 10));

    public static Sequential Mlp(long side) => new(
        new Flatten(), new Linear(side * side, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
}

/// <summary>A one-line progress bar redrawn in place: label, bar, count, rate and a status text.</summary>
sealed class ProgressBar
{
    private readonly string _label;
    private readonly long _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private long _done;
    private double _lastDraw = -1;

    public ProgressBar(string label, long total)
    {
        _label = label;
        _total = total;
    }

    public void Update(string status)
    {
        ++_done;
        double now = _clock.Elapsed.TotalSeconds;
        if (_interactive && (now - _lastDraw > 0.1 || _done == _total))
        {
            _lastDraw = now;
            Console.Write("\r" + Line(status));
        }
    }

    public void Finish(string status) => Console.WriteLine((_interactive ? "\r" : "") + Line(status));

    private string Line(string status)
    {
        const int width = 24;
        int filled = (int)(width * _done / Math.Max(1, _total));
        double rate = _done / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
        return $"{_label} [{new string('#', filled)}{new string('.', width - filled)}] {_done}/{_total} {rate:F0} batch/s  {status}   ";
    }
}

sealed record Options(string Model, int? Epochs, string? Data, bool Digits, int? Limit, int BatchSize, double LearningRate,
                      ulong Seed, string? Output, string? LossCurve, double? MinAccuracy)
{
    public static Options? Parse(string[] args)
    {
        var o = new Options("cnn", null, null, false, null, 64, 1e-3, 1, null, null, null);
        for (int i = 0; i < args.Length; ++i)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--model": o = o with { Model = Next() }; break;
                case "--epochs": o = o with { Epochs = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--data": o = o with { Data = Next() }; break;
                case "--digits": o = o with { Digits = true }; break;
                case "--limit": o = o with { Limit = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--batch-size": o = o with { BatchSize = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--lr": o = o with { LearningRate = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--seed": o = o with { Seed = ulong.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--out": o = o with { Output = Next() }; break;
                case "--loss-curve": o = o with { LossCurve = Next() }; break;
                case "--min-accuracy": o = o with { MinAccuracy = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                default:
                    Console.WriteLine("usage: Train [--model cnn|mlp] [--epochs N] [--data DIR] [--digits] [--limit N] [--batch-size N] [--lr X] [--seed N] [--out FILE] [--loss-curve FILE] [--min-accuracy X]");
                    return args[i] is "--help" or "-h" ? null : throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Model is not ("cnn" or "mlp")) throw new ArgumentException($"--model must be cnn or mlp, not {o.Model}");
        return o;
    }
}
