// The main job: trains a small CNN on Fashion-MNIST when it is installed (Debian: apt install
// dataset-fashion-mnist; or set WICK_DATA to a folder with the four IDX files), else on the 8x8 digits
// embedded in Wick. A progress bar shows the loss and accuracy; the test accuracy is printed and the
// weights are saved as safetensors. The C# twin is examples/Train.
// Settings through environment variables (fsi scripts take no arguments under `dotnet cake`):
//   WICK_MODEL=cnn|mlp  WICK_EPOCHS=N  WICK_DATA=DIR  WICK_DIGITS=1  WICK_LIMIT=N  WICK_OUT=FILE
//   WICK_MIN_ACCURACY=0.9 (fail below this test accuracy; by default the targets: 90% CNN, 87% MLP on
//   Fashion-MNIST after 5 epochs, 90% on the digits)
#r "nuget: Wick.Cpu, 0.1.0"

open System
open System.Diagnostics
open Wick
open Wick.Data
open Wick.IO
open Wick.NN
open Wick.Optim

let env name = Environment.GetEnvironmentVariable name |> Option.ofObj |> Option.filter (fun s -> s <> "")
let modelKind = env "WICK_MODEL" |> Option.defaultValue "cnn"
let dataDir = env "WICK_DATA"
let useFashion = env "WICK_DIGITS" |> Option.isNone && FashionMnist.IsAvailable(Option.toObj dataDir)
let seed = 1UL
Tensor.ManualSeed seed

// ---- data: (images [N, 1, side, side] in [0, 1], labels [N])
let train, test, dataName =
    if useFashion then
        FashionMnist.Load(Option.toObj dataDir, train = true), FashionMnist.Load(Option.toObj dataDir, train = false), "Fashion-MNIST"
    else
        let struct (tr, te) = Digits.LoadSplit(testCount = 360, seed = seed)
        tr, te, "8x8 digits (embedded)"
// WICK_LIMIT=N trains on the first N images only (a quick run).
let trainSet : Dataset<Tensor[]> =
    match env "WICK_LIMIT" |> Option.map int64 with
    | Some n when n < train.Count -> Subset<Tensor[]>(train, [| 0L .. n - 1L |])
    | _ -> train
let side = train.Tensors.[0].Size(-1)
let epochs = env "WICK_EPOCHS" |> Option.map int |> Option.defaultValue (if useFashion then 5 else 30)

// ---- model: conv-bn-relu-pool twice, then a linear classifier (or an MLP)
let model =
    if modelKind = "mlp" then
        new Sequential(new Flatten(), new Linear(side * side, 256L), new ReLU(), new Linear(256L, 128L), new ReLU(), new Linear(128L, 10L))
    else
        new Sequential(
            new Conv2d(1L, 32L, 3L, padding = 1L), new BatchNorm2d(32L), new ReLU(), new MaxPool2d(2L),
            new Conv2d(32L, 64L, 3L, padding = 1L), new BatchNorm2d(64L), new ReLU(), new MaxPool2d(2L),
            new Flatten(), new Dropout(0.25), new Linear(64L * (side / 4L) * (side / 4L), 10L))
let optimizer = new Adam(model.Parameters(), lr = 1e-3)
let lossFn = new CrossEntropyLoss()
printfn "Data: %s: %d training and %d test images of %dx%d" dataName trainSet.Count test.Count side side
printfn "%O" model
printfn "%s parameters; %d epochs with Adam and a cosine learning-rate schedule" ((model.Parameters() |> Seq.sumBy (fun p -> p.NumberOfElements)).ToString("N0")) epochs

/// A one-line progress bar, redrawn in place.
let bar (label: string) (done': int64) (total: int64) (rate: float) (status: string) =
    let width = 24
    let filled = int (int64 width * done' / max 1L total)
    sprintf "%s [%s%s] %d/%d %.0f batch/s  %s   " label (String('#', filled)) (String('.', width - filled)) done' total rate status

let evaluate (data: TensorDataset) =
    model.Eval()
    use _ = Autograd.NoGrad()
    let mutable correct = 0L
    for batch in new DataLoader(data, batchSize = 1000) do
        use _ = DisposeScope.Begin()
        correct <- correct + (model.Forward(batch.[0]).ArgMax(1).Eq(batch.[1]).Sum().Item<int64>())
    model.Train()
    float correct / float data.Count

let loader = new DataLoader(trainSet, batchSize = 64, shuffle = true, seed = seed, numWorkers = 1)
// The learning rate follows a cosine from 1e-3 down to 0 over the whole run, stepped once per batch.
let schedule = CosineAnnealingLR(optimizer, tMax = epochs * int loader.Count)
let interactive = not Console.IsOutputRedirected
let clock = Stopwatch.StartNew()
for epoch in 1 .. epochs do
    let label = sprintf "epoch %d/%d" epoch epochs
    let epochClock = Stopwatch.StartNew()
    let mutable lossSum, correct, seen, step = 0.0, 0L, 0L, 0L
    for batch in loader do
        use _ = DisposeScope.Begin()                 // frees this step's tensors
        let x, y = batch.[0], batch.[1]
        optimizer.ZeroGrad()
        let logits = model.Forward x
        let loss = lossFn.Forward(logits, y)
        loss.Backward()
        optimizer.Step()
        schedule.Step()
        step <- step + 1L
        lossSum <- lossSum + float (loss.Item<float32>()) * float (x.Size 0)
        use _ = Autograd.NoGrad()
        correct <- correct + logits.ArgMax(1).Eq(y).Sum().Item<int64>()
        seen <- seen + x.Size 0
        if interactive && (step % 10L = 0L || step = loader.Count) then
            let rate = float step / epochClock.Elapsed.TotalSeconds
            Console.Write("\r" + bar label step loader.Count rate (sprintf "loss %.4f  acc %.2f%%" (lossSum / float seen) (100.0 * float correct / float seen)))
    let status = sprintf "loss %.4f  acc %.2f%%  test %.2f%%" (lossSum / float seen) (100.0 * float correct / float seen) (100.0 * evaluate test)
    printfn "%s%s" (if interactive then "\r" else "") (bar label step loader.Count (float step / epochClock.Elapsed.TotalSeconds) status)

let accuracy = evaluate test
printfn "Test accuracy: %.2f%% (%.1f s)" (100.0 * accuracy) clock.Elapsed.TotalSeconds
let outPath =
    env "WICK_OUT" |> Option.defaultValue (IO.Path.Combine(IO.Path.GetTempPath(), sprintf "wick-%s-%s.safetensors" modelKind (if useFashion then "fashion-mnist" else "digits")))
do
    use state = model.StateDict()
    Safetensors.SaveFile(state, outPath, readOnlyDict [ "model", modelKind; "test_accuracy", sprintf "%.4f" accuracy ])
printfn "Weights saved to %s" outPath
let threshold =
    match env "WICK_MIN_ACCURACY" with
    | Some v -> Some (float v)
    | None when env "WICK_LIMIT" |> Option.isNone && epochs >= (if useFashion then 5 else 30) ->
        Some (if useFashion then (if modelKind = "mlp" then 0.87 else 0.90) else 0.90)
    | None -> None
match threshold with
| Some t when accuracy < t -> failwithf "train: test accuracy %.2f%% is below the target %.0f%%" (100.0 * accuracy) (100.0 * t)
| Some t -> printfn "train: ok (target %.0f%%)" (100.0 * t)
| None -> ()
model.Dispose(); optimizer.Dispose(); train.Dispose(); test.Dispose()
