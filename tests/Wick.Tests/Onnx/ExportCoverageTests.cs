using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Wick.NN;
using Wick.Onnx;

namespace Wick.Tests.Onnx;

/// <summary>
/// ONNX export of the recurrent layers, interpolation, the losses, attention masks and the composed ops (atan2,
/// cumulative product, circular padding): each graph is exported at one batch size, run in ONNX Runtime at two others
/// and compared output by output with Wick's own forward (max abs diff at most 1e-5 in float32).
/// </summary>
public class ExportCoverageTests
{
    private const double Tolerance = 1e-5;

    private static Tensor RandN(long[] shape, ulong seed)
    {
        using var g = new Generator(seed);
        return Tensor.RandN(shape, generator: g);
    }

    private static Tensor RandInt(long[] shape, long high, ulong seed)
    {
        using var g = new Generator(seed);
        return Tensor.RandInt(0, high, shape, generator: g);
    }

    private static OrtValue ToOrt(Tensor x) => x.DType switch
    {
        DType.Float32 => OrtValue.CreateTensorValueFromMemory(x.ToArray<float>(), x.Shape),
        DType.Int64 => OrtValue.CreateTensorValueFromMemory(x.ToArray<long>(), x.Shape),
        DType.Bool => OrtValue.CreateTensorValueFromMemory(x.ToArray<bool>(), x.Shape),
        _ => throw new NotSupportedException(x.DType.ToString()),
    };

    /// <summary>
    /// Exports <paramref name="forward"/> at batch 3, then at batches 2 and 5 runs it in ONNX Runtime and compares every
    /// output with Wick's. Returns the largest difference.
    /// </summary>
    private static double Compare(Module owner, Func<Tensor[], Tensor[]> forward, Func<long, Tensor[]> inputs, string name)
    {
        byte[] bytes;
        Tensor[] example = inputs(3);
        try
        {
            bytes = OnnxExport.ToBytes(owner, forward, example);
        }
        finally
        {
            foreach (var t in example) t.Dispose();
        }
        owner.Eval();
        using var session = new InferenceSession(bytes);
        string[] inNames = session.InputMetadata.Keys.ToArray();
        string[] outNames = session.OutputMetadata.Keys.ToArray();
        foreach (var n in inNames) Assert.That(session.InputMetadata[n].Dimensions[0], Is.EqualTo(-1), $"{name}: input {n} has a dynamic batch");
        double worst = 0;
        foreach (long batch in new long[] { 2, 5 })
        {
            Tensor[] xs = inputs(batch);
            Tensor[] want;
            using (Wick.Autograd.NoGrad()) want = forward(xs);
            try
            {
                Assert.That(want.Length, Is.EqualTo(outNames.Length));
                var ort = xs.Select(ToOrt).ToArray();
                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, inNames, ort, outNames);
                foreach (var o in ort) o.Dispose();
                for (int k = 0; k < want.Length; ++k)
                {
                    Assert.That(results[k].GetTensorTypeAndShape().Shape, Is.EqualTo(want[k].Shape), $"{name}: shape of output {k} at batch {batch}");
                    float[] got = results[k].GetTensorDataAsSpan<float>().ToArray();
                    float[] w = want[k].ToArray<float>();
                    double diff = 0;
                    int at = -1;
                    for (int i = 0; i < w.Length; ++i)
                    {
                        if (got[i] == w[i] || (float.IsNaN(got[i]) && float.IsNaN(w[i]))) continue;
                        double d = Math.Abs((double)got[i] - w[i]);
                        if (double.IsNaN(d)) d = double.PositiveInfinity;
                        if (d > diff) (diff, at) = (d, i);
                    }
                    Assert.That(diff, Is.LessThanOrEqualTo(Tolerance),
                        $"{name}: max abs diff of output {k} at batch {batch} (element {at}: ONNX Runtime {(at >= 0 ? got[at] : 0)}, Wick {(at >= 0 ? w[at] : 0)})");
                    Assert.That(w.Any(v => v != 0), $"{name}: output {k} of the reference is not all zeros");
                    worst = Math.Max(worst, diff);
                }
            }
            finally
            {
                foreach (var t in xs) t.Dispose();
                foreach (var t in want) t.Dispose();
            }
        }
        TestContext.Out.WriteLine($"ORT vs Wick, {name}: max abs diff {worst:E2} (batches 2 and 5, exported at 3)");
        return worst;
    }

    private static Tensor[] Many(params Tensor[] ts) => ts;

    // ---- recurrent layers ---------------------------------------------------------------------------------------------

    [Test]
    public void LstmExportsAsOnnxLstmNodesAndMatchesOnnxRuntime()
    {
        using (var lstm = new LSTM(5, 7, batchFirst: true, generator: new Generator(1)))
        {
            Tensor[] F(Tensor[] xs)
            {
                var (y, (h, c)) = lstm.Forward(xs[0]);
                return Many(y, h, c);
            }
            Compare(lstm, F, b => Many(RandN(new[] { b, 4, 5 }, 10 + (ulong)b)), "LSTM (batch first)");
            byte[] bytes;
            using (var x = RandN(new long[] { 2, 4, 5 }, 1)) bytes = OnnxExport.ToBytes(lstm, F, new[] { x });
            var graph = Wick.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes).Graph;
            Assert.That(graph.Node.Count(n => n.OpType == "LSTM"), Is.EqualTo(1), "one ONNX LSTM node");
            Assert.That(graph.Initializer.Select(i => i.Name), Is.SupersetOf(new[] { "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0" }));
        }
        // Time-major: the first (dynamic) axis is the sequence.
        using (var deep = new LSTM(5, 6, numLayers: 2, bidirectional: true, dropout: 0.3, generator: new Generator(2)))
        {
            Tensor[] F(Tensor[] xs)
            {
                var (y, (h, c)) = deep.Forward(xs[0]);
                return Many(y, h, c);
            }
            Compare(deep, F, b => Many(RandN(new[] { b, 3, 5 }, 20 + (ulong)b)), "LSTM (2 layers, bidirectional, time-major, dropout)");
        }
        using (var plain = new LSTM(4, 3, numLayers: 2, bias: false, batchFirst: true, generator: new Generator(3)))
        {
            Tensor[] F(Tensor[] xs)
            {
                var (y, (h, c)) = plain.Forward(xs[0]);
                return Many(y, h, c);
            }
            Compare(plain, F, b => Many(RandN(new[] { b, 6, 4 }, 30 + (ulong)b)), "LSTM (2 layers, no bias)");
        }
    }

    [Test]
    public void GruExportsAsOnnxGruNodesAndMatchesOnnxRuntime()
    {
        using (var gru = new GRU(5, 7, batchFirst: true, generator: new Generator(4)))
        {
            Tensor[] F(Tensor[] xs)
            {
                var (y, h) = gru.Forward(xs[0]);
                return Many(y, h);
            }
            Compare(gru, F, b => Many(RandN(new[] { b, 4, 5 }, 40 + (ulong)b)), "GRU (batch first)");
        }
        using (var deep = new GRU(5, 6, numLayers: 3, bidirectional: true, batchFirst: true, generator: new Generator(5)))
        {
            Tensor[] F(Tensor[] xs)
            {
                var (y, h) = deep.Forward(xs[0]);
                return Many(y, h);
            }
            Compare(deep, F, b => Many(RandN(new[] { b, 5, 5 }, 50 + (ulong)b)), "GRU (3 layers, bidirectional)");
        }
        // Unbatched (L, features): the dynamic axis is the sequence.
        using (var single = new GRU(6, 4, bias: false, generator: new Generator(6)))
        {
            Tensor[] F(Tensor[] xs)
            {
                var (y, h) = single.Forward(xs[0]);
                return Many(y, h);
            }
            Compare(single, F, b => Many(RandN(new[] { b, 6 }, 60 + (ulong)b)), "GRU (unbatched, no bias)");
        }
    }

    [Test]
    public void AnLstmFeedingALinearHeadMatchesOnnxRuntime()
    {
        var g = new Generator(7);
        var lstm = new LSTM(3, 8, batchFirst: true, generator: g);
        var head = new Linear(8, 2, generator: g);
        using var model = new ModuleList();
        model.Add(lstm);
        model.Add(head);
        Tensor[] F(Tensor[] xs)
        {
            var (y, (h, c)) = lstm.Forward(xs[0]);
            using (y)
            using (c)
            using (h)
            using (var last = h.Select(0, 0))
                return Many(head.Forward(last));
        }
        Compare(model, F, b => Many(RandN(new[] { b, 9, 3 }, 70 + (ulong)b)), "LSTM + Linear on the last hidden state");
    }

    // ---- interpolation ------------------------------------------------------------------------------------------------

    [Test]
    public void InterpolateExportsAsResizeAndMatchesOnnxRuntime()
    {
        using var owner = new Identity();
        Tensor[] F(Tensor[] xs)
        {
            using var scope = DisposeScope.Begin();
            var x = xs[0];
            var parts = new[]
            {
                Functional.Interpolate(x, scaleFactor: (2, 2)),
                Functional.Interpolate(x, size: (7, 9)),
                Functional.Interpolate(x, size: (3, 4)),
                Functional.Interpolate(x, scaleFactor: (2, 3), mode: InterpolateMode.Bilinear),
                Functional.Interpolate(x, size: (8, 11), mode: InterpolateMode.Bilinear, alignCorners: true),
                Functional.Interpolate(x, size: (8, 11), mode: InterpolateMode.Bilinear),
                Functional.Interpolate(x, size: (1, 2), mode: InterpolateMode.Bilinear),
                Functional.Interpolate(x, scaleFactor: (1.5, 0.5), mode: InterpolateMode.Bilinear),
            };
            return Many(scope.MoveOut(Tensor.Cat(parts.Select(p => p.Flatten(1)).ToArray(), 1)));
        }
        Compare(owner, F, b => Many(RandN(new[] { b, 3, 5, 6 }, 80 + (ulong)b)),
            "interpolate (nearest by 2 and to 7x9 and 3x4; bilinear by (2, 3), to 8x11 with and without align_corners, to 1x2, by (1.5, 0.5))");
    }

    [Test]
    public void TheUpsampleLayerExportsAsResizeAndMatchesOnnxRuntime()
    {
        using var model = new Sequential(new Conv2d(3, 4, 3, padding: 1, generator: new Generator(9)),
            new Upsample(2.0, InterpolateMode.Bilinear), new Upsample((10, 12)));
        Tensor[] F(Tensor[] xs) => Many(model.Forward(xs[0]));
        Compare(model, F, b => Many(RandN(new[] { b, 3, 4, 5 }, 90 + (ulong)b)), "conv, then nn.Upsample bilinear by 2 and nearest to 10x12");
    }

    // ---- losses -------------------------------------------------------------------------------------------------------

    // A loss under its three reductions, on (input, target) made by the callers.
    private static void CompareLoss(Func<Reduction, Loss> make, Func<long, Tensor[]> inputs, string name)
    {
        var losses = new[] { Reduction.None, Reduction.Mean, Reduction.Sum }.Select(make).ToArray();
        using var owner = new ModuleList();
        foreach (var l in losses) owner.Add(l);
        Tensor[] F(Tensor[] xs) => losses.Select(l => l.Forward(xs[0], xs[1])).ToArray();
        try
        {
            Compare(owner, F, inputs, name + " (none, mean, sum)");
        }
        finally
        {
            foreach (var l in losses) l.Dispose();
        }
    }

    private static Tensor[] Regression(long b, ulong seed) => Many(RandN(new[] { b, 4, 3 }, seed + (ulong)b), RandN(new[] { b, 4, 3 }, seed + 100 + (ulong)b));

    [Test]
    public void RegressionLossesMatchOnnxRuntime()
    {
        CompareLoss(r => new MSELoss(r), b => Regression(b, 1), "MSELoss");
        CompareLoss(r => new L1Loss(r), b => Regression(b, 2), "L1Loss");
        CompareLoss(r => new HuberLoss(r, delta: 0.7), b => Regression(b, 3), "HuberLoss (delta 0.7)");
        CompareLoss(r => new SmoothL1Loss(r, beta: 0.5), b => Regression(b, 4), "SmoothL1Loss (beta 0.5)");
        CompareLoss(r => new SmoothL1Loss(r, beta: 0), b => Regression(b, 5), "SmoothL1Loss (beta 0)");
    }

    private static Tensor Probabilities(long[] shape, ulong seed, int dim)
    {
        using var x = RandN(shape, seed);
        return x.Softmax(dim);
    }

    [Test]
    public void BinaryAndDivergenceLossesMatchOnnxRuntime()
    {
        Tensor[] Bce(long b)
        {
            using var logits = RandN(new[] { b, 5 }, 200 + (ulong)b);
            using var t = RandN(new[] { b, 5 }, 300 + (ulong)b);
            return Many(logits.Sigmoid(), t.Sigmoid());
        }
        using var w = RandN(new long[] { 5 }, 9).Abs();
        using var pos = RandN(new long[] { 5 }, 10).Abs();
        CompareLoss(r => new BCELoss(w, r), Bce, "BCELoss (weights)");
        Tensor[] Logits(long b)
        {
            var xs = Bce(b);
            xs[0].Dispose();
            return Many(RandN(new[] { b, 5 }, 400 + (ulong)b), xs[1]);
        }
        CompareLoss(r => new BCEWithLogitsLoss(w, r, pos), Logits, "BCEWithLogitsLoss (weights, pos_weight)");
        Tensor[] Kl(long b)
        {
            using var p = Probabilities(new[] { b, 6 }, 500 + (ulong)b, 1);
            return Many(p.Log(), Probabilities(new[] { b, 6 }, 600 + (ulong)b, 1));
        }
        CompareLoss(r => new KLDivLoss(r), Kl, "KLDivLoss");
        Tensor[] KlLog(long b)
        {
            var xs = Kl(b);
            using (xs[1]) return Many(xs[0], xs[1].Log());
        }
        CompareLoss(r => new KLDivLoss(r, logTarget: true), KlLog, "KLDivLoss (log target)");
        using var batchMean = new KLDivLoss(batchMean: true);
        Compare(batchMean, xs => Many(batchMean.Forward(xs[0], xs[1])), b => Kl(b), "KLDivLoss (batchmean)");
    }

    private static Tensor Targets(long[] shape, long classes, ulong seed, long ignore)
    {
        using var t = RandInt(shape, classes, seed);
        using var some = RandInt(shape, 4, seed + 1);
        using var drop = some.Eq(0.0);
        return t.MaskedFill(drop, ignore);
    }

    [Test]
    public void ClassificationLossesMatchOnnxRuntime()
    {
        using var w = RandN(new long[] { 4 }, 11).Abs() + 0.1;
        // (N, C) logits with (N) targets, and (N, C, 5) with (N, 5) where an ignored class could empty a small batch.
        Tensor[] Logits(long b, ulong seed, long ignore) => ignore is -100 or 2
            ? Many(RandN(new[] { b, 4 }, seed + (ulong)b), Targets(new[] { b }, 4, seed + 50 + (ulong)b, ignore))
            : Many(RandN(new[] { b, 4, 5 }, seed + (ulong)b), Targets(new[] { b, 5 }, 4, seed + 50 + (ulong)b, ignore));
        CompareLoss(r => new CrossEntropyLoss(reduction: r), b => Logits(b, 700, 2), "CrossEntropyLoss");
        CompareLoss(r => new CrossEntropyLoss(w, ignoreIndex: 1, reduction: r), b => Logits(b, 710, 1), "CrossEntropyLoss (weights, ignore_index 1)");
        CompareLoss(r => new CrossEntropyLoss(w, ignoreIndex: -100, reduction: r, labelSmoothing: 0.2), b => Logits(b, 720, -100),
            "CrossEntropyLoss (weights, ignore_index -100 present, label smoothing 0.2)");
        // Spatial: (N, C, d) logits with (N, d) targets.
        CompareLoss(r => new CrossEntropyLoss(reduction: r, labelSmoothing: 0.1),
            b => Many(RandN(new[] { b, 4, 3 }, 730 + (ulong)b), Targets(new[] { b, 3 }, 4, 780 + (ulong)b, -100)), "CrossEntropyLoss (N, C, d), label smoothing");
        CompareLoss(r => new CrossEntropyLoss(w, reduction: r, labelSmoothing: 0.3),
            b => Many(RandN(new[] { b, 4 }, 740 + (ulong)b), Probabilities(new[] { b, 4 }, 790 + (ulong)b, 1)), "CrossEntropyLoss (class probabilities, weights, smoothing)");
        Tensor[] LogProbs(long b, ulong seed, long ignore)
        {
            var xs = Logits(b, seed, ignore);
            using (xs[0]) return Many(xs[0].LogSoftmax(1), xs[1]);
        }
        CompareLoss(r => new NLLLoss(reduction: r), b => LogProbs(b, 750, -100), "NLLLoss");
        CompareLoss(r => new NLLLoss(w, ignoreIndex: 3, reduction: r), b => LogProbs(b, 760, 3), "NLLLoss (weights, ignore_index 3)");
    }

    // ---- attention with masks -----------------------------------------------------------------------------------------

    [Test]
    public void MultiheadAttentionWithMasksMatchesOnnxRuntime()
    {
        using var mha = new MultiheadAttention(8, 2, batchFirst: true, generator: new Generator(12));
        // A causal attention mask (a constant) and a key-padding mask given as a graph input.
        using var causal = Tensor.Ones(new long[] { 5, 5 }, DType.Bool).Triu(1);
        Tensor[] F(Tensor[] xs)
        {
            var (y, weights) = mha.Forward(xs[0], xs[0], xs[0], keyPaddingMask: xs[1], attnMask: causal);
            return Many(y, weights!);
        }
        Tensor[] Inputs(long b)
        {
            using var r = RandInt(new[] { b, 4 }, 3, 900 + (ulong)b);
            using var pad = r.Eq(0.0);
            using var first = Tensor.Zeros(new[] { b, 1 }, DType.Bool);   // the first key is never masked, so no row is all -inf
            return Many(RandN(new[] { b, 5, 8 }, 950 + (ulong)b), Tensor.Cat(new[] { first, pad }, 1));
        }
        Compare(mha, F, Inputs, "MultiheadAttention (key padding mask input, causal attention mask, averaged weights)");
        using var plain = new MultiheadAttention(6, 3, bias: false, batchFirst: true, generator: new Generator(13));
        Tensor[] G(Tensor[] xs)
        {
            var (y, weights) = plain.Forward(xs[0], xs[1], xs[1], averageAttnWeights: false);
            return Many(y, weights!);
        }
        Compare(plain, G, b => Many(RandN(new[] { b, 2, 6 }, 960 + (ulong)b), RandN(new[] { b, 3, 6 }, 970 + (ulong)b)),
            "MultiheadAttention (cross attention of 2 queries over 3 keys, no bias, per-head weights)");
    }

    // ---- composed ops -------------------------------------------------------------------------------------------------

    [Test]
    public void Atan2ExportsWithTheRightQuadrantsAndZerosAndMatchesOnnxRuntime()
    {
        using var owner = new Identity();
        // Every pair of the special values (±0, ±inf, ±1) as a constant block, and the random y and x with zeros and
        // infinities of either sign made from them.
        float[] special = { 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, 1f, -1f };
        using var sy = Tensor.FromArray(special, 6, 1).Expand(6, 6).Contiguous();
        using var sx = Tensor.FromArray(special, 1, 6).Expand(6, 6).Contiguous();
        Tensor[] F(Tensor[] v)
        {
            using var scope = DisposeScope.Begin();
            var y = v[0];
            var x = v[1];
            var pairs = sy.Atan2(sx).Reshape(1, 36);
            var random = y.Atan2(x);
            var withZeros = y.Atan2(x * 0.0);                         // x = ±0 by the sign of x
            var yZero = (y * 0.0).Atan2(x);                           // y = ±0
            var both = (y * 0.0).Atan2(x * 0.0);                      // ±0 over ±0
            var inf = (y / 0.0).Atan2(x / 0.0);                       // ±inf over ±inf
            var yInf = (y / 0.0).Atan2(x);                            // ±inf over finite
            var block = y.Sum(1, keepDim: true) * 0.0 + pairs;        // (N, 36)
            return Many(scope.MoveOut(Tensor.Cat(new[] { random, withZeros, yZero, both, inf, yInf, block }, 1)));
        }
        Tensor[] Inputs(long b) => Many(RandN(new[] { b, 6 }, 1000 + (ulong)b), RandN(new[] { b, 6 }, 1100 + (ulong)b));
        Compare(owner, F, Inputs, "atan2 (random, x = ±0, y = ±0, ±0/±0, ±inf/±inf)");
    }

    [Test]
    public void CumProdExportsAsAScanAndMatchesOnnxRuntime()
    {
        using var owner = new Identity();
        Tensor[] F(Tensor[] v)
        {
            using var scope = DisposeScope.Begin();
            var x = v[0] * 0.5 + 1.0;   // around 1, so that the products stay moderate; zeros and negatives included below
            var z = v[0].Clamp(-0.3, 0.3).MaskedFill(v[0].Gt(1.2), 0.0);
            return Many(scope.MoveOut(Tensor.Cat(new[] { x.CumProd(1).Flatten(1), x.CumProd(-1).Flatten(1), z.CumProd(2).Flatten(1), x.CumProd(0).Flatten(1) }, 1)));
        }
        Compare(owner, F, b => Many(RandN(new[] { b, 4, 5 }, 1200 + (ulong)b)), "CumProd (along dims 1, -1 and 2 with zeros, and along the batch)");
    }

    [Test]
    public void CircularPadExportsAsSlicesAndMatchesOnnxRuntime()
    {
        using var owner = new Identity();
        Tensor[] F(Tensor[] v)
        {
            using var scope = DisposeScope.Begin();
            var a = v[0].Pad(new long[] { 1, 2, 3, 0 }, PaddingMode.Circular);
            var b = v[0].Pad(new long[] { 4, 4 }, PaddingMode.Circular);
            return Many(scope.MoveOut(Tensor.Cat(new[] { a.Flatten(1), b.Flatten(1) }, 1)));
        }
        Compare(owner, F, b => Many(RandN(new[] { b, 2, 3, 4 }, 1300 + (ulong)b)), "circular Pad (2-d and 1-d, up to the whole axis)");
    }

    [Test]
    public void TruncIntegerFloorDivisionBooleanBitwiseOpsAndEveryNormMatchOnnxRuntime()
    {
        using var owner = new Identity();
        Tensor[] F(Tensor[] v)
        {
            using var scope = DisposeScope.Begin();
            var x = v[0] * 3.0;
            var i = x.Trunc().To(DType.Int64);
            var j = (v[0].Abs() * 2.0 + 1.0).To(DType.Int64);                 // positive divisors
            var fd = i.FloorDivide(j).To(DType.Float32);                      // negative quotients round down
            var fdNeg = i.FloorDivide(j.Neg()).To(DType.Float32);
            var a = x.Gt(0.0);
            var b = x.Abs().Gt(1.0);
            var bits = Tensor.Cat(new[] { a.BitwiseAnd(b), a.BitwiseOr(b), a.BitwiseXor(b) }, 1).To(DType.Float32);
            var norms = Tensor.Stack(new[] { x.Norm(3, 1), x.Norm(double.PositiveInfinity, 1), x.Norm(double.NegativeInfinity, 1), x.Trunc().Norm(0, 1), v[0].Norm(0.5, 1) }, 1);
            return Many(scope.MoveOut(Tensor.Cat(new[] { x.Trunc(), fd, fdNeg, bits, norms }, 1)));
        }
        Compare(owner, F, b => Many(RandN(new[] { b, 6 }, 1400 + (ulong)b)), "Trunc, integer FloorDivide, bitwise and/or/xor of booleans, Norm with p = 3, inf, -inf, 0, 0.5");
    }

    // ---- what still refuses -------------------------------------------------------------------------------------------

    [Test]
    public void FactoriesInsideTheForwardFollowTheBatchAndMatchOnnxRuntime()
    {
        // Zeros/Ones/Full of a shape holding the batch size read it from the input's shape at run time; a shape without it
        // is a constant; a scalar operand of Where is a 0-d factory.
        using var owner = new Identity();
        Tensor[] F(Tensor[] v)
        {
            using var scope = DisposeScope.Begin();
            var x = v[0];
            var z = Tensor.Zeros(x.Shape) + x;
            var ones = Tensor.Ones(x.Size(0), 1);
            var full = Tensor.Full(new long[] { 1, 5 }, 2.5);
            var w = Tensor.Where(x.Gt(0.0), 2.0, x);
            return Many(scope.MoveOut(Tensor.Cat(new[] { z, ones, x * full, w }, 1)));
        }
        Compare(owner, F, b => Many(RandN(new[] { b, 5 }, 1500 + (ulong)b)), "Zeros(x.Shape), Ones(N, 1), Full(1, 5), Where with a scalar");
    }

    [Test]
    public void AnLstmAndAGruWithZeroInitialStatesMadeInTheForwardMatchOnnxRuntime()
    {
        using var lstm = new LSTM(3, 6, numLayers: 2, batchFirst: true, generator: new Generator(1));
        Tensor[] F(Tensor[] xs)
        {
            using var h = Tensor.Zeros(2, xs[0].Size(0), 6);
            using var c = Tensor.Ones(2, xs[0].Size(0), 6);
            var (y, (hn, cn)) = lstm.Forward(xs[0], (h, c));
            return Many(y, hn, cn);
        }
        Compare(lstm, F, b => Many(RandN(new[] { b, 5, 3 }, 1600 + (ulong)b)), "LSTM with h0 = Zeros(2, N, 6) and c0 = Ones(2, N, 6) made in the forward");
        using var gru = new GRU(3, 6, bidirectional: true, batchFirst: true, generator: new Generator(2));
        Tensor[] G(Tensor[] xs)
        {
            using var h = Tensor.Full(new[] { 2, xs[0].Size(0), 6 }, 0.5);
            var (y, hn) = gru.Forward(xs[0], h);
            return Many(y, hn);
        }
        Compare(gru, G, b => Many(RandN(new[] { b, 5, 3 }, 1700 + (ulong)b)), "GRU (bidirectional) with h0 = Full(2, N, 6, 0.5) made in the forward");
    }

    [Test]
    public void AFactoryWhoseSizeOnlyHappensToEqualTheBatchIsRefused()
    {
        // Exported at batch 3, Zeros(3, 2) looks batch-sized; the second trace (batch 4) keeps it at 3, so the graphs differ.
        using var owner = new Identity();
        Tensor[] F(Tensor[] xs)
        {
            using var z = Tensor.Zeros(3, 2);
            using var s = z.Sum(0, keepDim: true);
            return Many(xs[0] + s);
        }
        using var x = RandN(new long[] { 3, 2 }, 1);
        var ex = Assert.Throws<OnnxNotSupportedException>(() => OnnxExport.ToBytes(owner, F, new[] { x }));
        Assert.That(ex!.Message, Does.Contain("depends on the batch size"));
    }

    [Test]
    public void AFactoryOfTheTracedBatchSizePlusOneStillExports()
    {
        // Exported at batch 3 with a hidden size of 4: in the trace at batch 4 the state Zeros(1, 4, 4) has two
        // batch-sized dimensions; the traces at batches 5 and 6 agree with the one at 3, so the export goes ahead.
        using var gru = new GRU(3, 4, batchFirst: true, generator: new Generator(3));
        Tensor[] F(Tensor[] xs)
        {
            using var h = Tensor.Zeros(1, xs[0].Size(0), 4);
            var (y, hn) = gru.Forward(xs[0], h);
            return Many(y, hn);
        }
        Compare(gru, F, b => Many(RandN(new[] { b, 5, 3 }, 1900 + (ulong)b)), "GRU with h0 = Zeros(1, N, 4), exported at batch 3");
    }

    [Test]
    public void AnUntracedInPlaceWriteIntoAFactoryTensorIsRefused()
    {
        // IndexFill writes in place without being translated: the graph would still hold the zeros.
        using var owner = new Identity();
        using var index = Tensor.FromArray(new long[] { 1 }, 1);
        Tensor[] F(Tensor[] xs)
        {
            using var z = Tensor.Zeros(xs[0].Shape);
            z.IndexFillInPlace(1, index, 5.0);
            return Many(xs[0] + z);
        }
        using var x = RandN(new long[] { 3, 2 }, 1);
        var ex = Assert.Throws<OnnxNotSupportedException>(() => OnnxExport.ToBytes(owner, F, new[] { x }));
        Assert.That(ex!.Message, Does.Contain("wrote in place"));
    }

    [Test]
    public void PoolingCornerCasesMatchOnnxRuntime()
    {
        // AdaptiveAvgPool2d to sizes that do not divide the input (overlapping cells), AvgPool2d with a divisor override,
        // and MaxPool2d's indices (PyTorch's per-plane numbering).
        using var owner = new Identity();
        Tensor[] F(Tensor[] v)
        {
            using var scope = DisposeScope.Begin();
            var x = v[0];
            var adaptive = Functional.AdaptiveAvgPool2d(x, (3, 4)).Flatten(1);
            var adaptive1 = Functional.AdaptiveAvgPool2d(x, (5, 1)).Flatten(1);
            var divided = Functional.AvgPool2d(x, 3, stride: 2, padding: 1, divisorOverride: 5).Flatten(1);
            var (pooled, indices) = Functional.MaxPool2dWithIndices(x, (3, 3), (2, 2), (1, 1));
            return Many(scope.MoveOut(Tensor.Cat(new[] { adaptive, adaptive1, divided, pooled.Flatten(1), indices.To(DType.Float32).Flatten(1) }, 1)));
        }
        Compare(owner, F, b => Many(RandN(new[] { b, 2, 7, 6 }, 1800 + (ulong)b)),
            "AdaptiveAvgPool2d 7x6 to 3x4 and 5x1, AvgPool2d with divisor override 5, MaxPool2d indices");
    }

    [Test]
    public void AvgPoolWithADivisorOverrideAndCeilModeIsRefusedWithTheReason()
    {
        using var model = new AvgPool2d(2, ceilMode: true, divisorOverride: 3);
        using var x = RandN(new long[] { 2, 1, 5, 5 }, 1);
        var ex = Assert.Throws<OnnxNotSupportedException>(() => OnnxExport.ToBytes(model, x));
        Assert.That(ex!.Message, Does.Contain("AvgPool2d with a divisor override and ceil_mode is not supported: ONNX AveragePool has no divisor parameter"));
    }

    [Test]
    public void BitwiseOpsOnIntegersAreRefusedNamingTheOp()
    {
        using var owner = new Identity();
        Tensor[] F(Tensor[] xs)
        {
            using var a = xs[0].BitwiseAnd(xs[0]);
            return Many(a.To(DType.Float32));
        }
        using var x = RandInt(new long[] { 2, 3 }, 5, 1);
        var ex = Assert.Throws<OnnxNotSupportedException>(() => OnnxExport.ToBytes(owner, F, new[] { x }));
        Assert.That(ex!.Message, Does.Contain("the binary op bitwise_and on Int64 is not supported: opset 17 has no matching operator"));
    }
}
