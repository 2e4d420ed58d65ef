// A NativeAOT app that trains a small model with Wick: linear regression with three features, fitted by
// hand-written gradient steps (d loss/d w = 2/n X^T (Xw + b - y)). `--first-op` prints the time from
// process start to the first op's result and exits (bench/Startup measures it).
using System;
using System.Diagnostics;
using Wick;

double firstOpMs;
float firstValue;
using (Tensor one = Tensor.Ones(2))
using (Tensor two = one + one)
{
    firstValue = two.ToArray<float>()[0];
    firstOpMs = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
}
Console.WriteLine($"first op: 1 + 1 = {firstValue}, {firstOpMs:F1} ms after process start");
if (args.Length > 0 && args[0] == "--first-op")
{
    Console.WriteLine($"startup_ms={firstOpMs:F2}");
    return firstValue == 2f ? 0 : 1;
}

Tensor.ManualSeed(1);
const int n = 512, features = 3;
float[] trueW = { 2f, -1f, 0.5f };
const float trueB = 0.25f;
using Tensor x = Tensor.RandN(n, features);
using Tensor wTrue = Tensor.FromArray(trueW, features, 1);
using Tensor y = MakeTargets(x, wTrue, trueB);

Tensor w = Tensor.Zeros(features, 1);
Tensor b = Tensor.Zeros(1);
const double lr = 0.1;
var clock = Stopwatch.StartNew();
for (int step = 1; step <= 300; ++step)
{
    using var scope = DisposeScope.Begin();
    Tensor err = x.MatMul(w) + b - y;                       // (n, 1)
    Tensor gw = x.T.MatMul(err) * (2.0 / n);                // (features, 1)
    Tensor gb = err.Sum(0) * (2.0 / n);                     // (1)
    Tensor newW = scope.MoveOut(w - gw * lr), newB = scope.MoveOut(b - gb * lr);
    w.Dispose();
    b.Dispose();
    (w, b) = (newW, newB);
    if (step % 100 == 0)
    {
        float loss = (err * err).Mean().Item<float>();
        Console.WriteLine($"step {step,3}  loss {loss:F6}");
    }
}
float[] fitted = w.ToArray<float>();
float fittedB = b.Item<float>();
Console.WriteLine($"fitted w = [{string.Join(", ", Array.ConvertAll(fitted, v => v.ToString("F3")))}], b = {fittedB:F3} " +
                  $"(true [{string.Join(", ", trueW)}], {trueB}) in {clock.ElapsedMilliseconds} ms");
w.Dispose();
b.Dispose();
for (int i = 0; i < features; ++i)
    if (Math.Abs(fitted[i] - trueW[i]) > 0.01f) return 1;
return Math.Abs(fittedB - trueB) > 0.01f ? 1 : 0;

static Tensor MakeTargets(Tensor x, Tensor w, float bias)
{
    using Tensor xw = x.MatMul(w);
    return xw + bias;
}
