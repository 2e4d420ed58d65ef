using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Wick.NN;
using Wick.Onnx;

namespace Wick.Tests.Onnx;

/// <summary>
/// ONNX export: each model is exported from one batch size, run in ONNX Runtime at two others, and compared with Wick's
/// own forward (max abs diff at most 1e-5 in float32).
/// </summary>
public class ExportTests
{
    private const double Tolerance = 1e-5;

    /// <summary>A module made of a forward function over tensors (for the tensor-op graphs).</summary>
    private sealed class Fn : Module<Tensor, Tensor>
    {
        private readonly Func<Fn, Tensor, Tensor> _f;

        public Fn(Func<Fn, Tensor, Tensor> f, params (string, Tensor)[] parameters)
        {
            _f = f;
            foreach (var (n, t) in parameters) RegisterParameter(n, t);
        }

        public override Tensor Forward(Tensor input) => _f(this, input);
    }

    private static Generator Gen(ulong seed) => new(seed);

    private static Tensor Input(long[] shape, ulong seed)
    {
        using var g = Gen(seed);
        return Tensor.RandN(shape, generator: g);
    }

    private static Tensor Indices(long[] shape, long high, ulong seed)
    {
        using var g = Gen(seed);
        return Tensor.RandInt(0, high, shape, generator: g);
    }

    private static OrtValue ToOrt(Tensor x) => x.DType switch
    {
        DType.Float32 => OrtValue.CreateTensorValueFromMemory(x.ToArray<float>(), x.Shape),
        DType.Int64 => OrtValue.CreateTensorValueFromMemory(x.ToArray<long>(), x.Shape),
        _ => throw new NotSupportedException(x.DType.ToString()),
    };

    /// <summary>
    /// Exports <paramref name="model"/> from a batch of 3, then for batches of 2 and 5 compares ONNX Runtime with Wick.
    /// Returns the largest difference seen.
    /// </summary>
    private static double ExportAndCompare(Module<Tensor, Tensor> model, Func<long, Tensor> makeInput, string name)
    {
        byte[] bytes;
        using (var example = makeInput(3)) bytes = OnnxExport.ToBytes(model, example);
        model.Eval();
        using var session = new InferenceSession(bytes);
        Assert.That(session.InputMetadata.Keys.Single(), Is.EqualTo("input"));
        Assert.That(session.InputMetadata["input"].Dimensions[0], Is.EqualTo(-1), "the batch dimension is dynamic");
        double worst = 0;
        foreach (long batch in new long[] { 2, 5 })
        {
            using var x = makeInput(batch);
            using var expected = Forward(model, x);
            using var input = ToOrt(x);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, new[] { "input" }, new[] { input }, new[] { "output" });
            var shape = results[0].GetTensorTypeAndShape().Shape;
            Assert.That(shape, Is.EqualTo(expected.Shape), $"{name}: output shape at batch {batch}");
            float[] got = results[0].GetTensorDataAsSpan<float>().ToArray();
            float[] want = expected.ToArray<float>();
            double diff = 0;
            for (int i = 0; i < want.Length; ++i) diff = Math.Max(diff, Math.Abs((double)got[i] - want[i]));
            Assert.That(diff, Is.LessThanOrEqualTo(Tolerance), $"{name}: max abs diff at batch {batch}");
            Assert.That(want.Any(v => v != 0), $"{name}: the reference output is not all zeros");
            worst = Math.Max(worst, diff);
        }
        TestContext.Out.WriteLine($"ORT vs Wick, {name}: max abs diff {worst:E2} (batches 2 and 5, exported at 3)");
        return worst;
    }

    private static Tensor Forward(Module<Tensor, Tensor> model, Tensor x)
    {
        using var noGrad = Wick.Autograd.NoGrad();
        return model.Forward(x);
    }

    // Puts non-trivial running statistics into the batch norms (a few training-mode passes).
    private static void Warm(Module<Tensor, Tensor> model, Tensor x)
    {
        model.Train();
        using (Wick.Autograd.NoGrad())
            for (int i = 0; i < 3; ++i) model.Forward(x).Dispose();
        model.Eval();
    }

    [Test]
    public void AnMlpWithEveryActivationMatchesOnnxRuntime()
    {
        var g = Gen(1);
        using var model = new Sequential(
            new Linear(8, 16, generator: g), new ReLU(), new Dropout(0.3), new Linear(16, 16, generator: g), new LeakyReLU(0.1),
            new GELU(), new SiLU(), new ELU(0.7), new Linear(16, 16, generator: g), new GELU("tanh"), new Softplus(2, 1), new Tanh(),
            new Linear(16, 16, generator: g), new Sigmoid(), new Linear(16, 5, generator: g), new Softmax(1), new Linear(5, 5, generator: g), new LogSoftmax(-1));
        ExportAndCompare(model, b => Input(new[] { b, 8 }, 10 + (ulong)b), "MLP (Linear, ReLU, Dropout, LeakyReLU, GELU, SiLU, ELU, GELU-tanh, Softplus, Tanh, Sigmoid, Softmax, LogSoftmax)");
    }

    [Test]
    public void EachActivationLayerMatchesOnnxRuntimeSideBySide()
    {
        // The activations side by side on the same pre-activation (spread over [-6, 6]), so that none hides another.
        var g = Gen(11);
        var lin = new Linear(8, 12, generator: g);
        Module<Tensor, Tensor>[] acts =
        {
            new ReLU(), new LeakyReLU(0.1), new GELU(), new GELU("tanh"), new SiLU(), new ELU(0.7), new Softplus(), new Softplus(2, 1),
            new Tanh(), new Sigmoid(), new Softmax(1), new LogSoftmax(-1), new Identity(),
        };
        using var model = new Fn((m, x) =>
        {
            using var scope = DisposeScope.Begin();
            var h = lin.Forward(x) * 3.0;
            return scope.MoveOut(Tensor.Cat(acts.Select(a => a.Forward(h)).ToArray(), 1));
        });
        model.RegisterModule("lin", lin);
        for (int i = 0; i < acts.Length; ++i) model.RegisterModule($"act{i}", acts[i]);
        ExportAndCompare(model, b => Input(new[] { b, 8 }, 70 + (ulong)b),
            "activations side by side (ReLU, LeakyReLU, GELU, GELU-tanh, SiLU, ELU, Softplus, Softplus(beta 2, threshold 1), Tanh, Sigmoid, Softmax, LogSoftmax, Identity)");
    }

    [Test]
    public void ACnnWithBatchNormAndPoolingMatchesOnnxRuntime()
    {
        var g = Gen(2);
        using var model = new Sequential(
            new Conv2d(3, 8, 3, padding: 1, generator: g), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 8, 3, stride: 2, padding: 1, groups: 2, generator: g), new AvgPool2d(2, padding: 1, countIncludePad: false),
            new Conv2d(8, 4, 1, dilation: 1, bias: false, generator: g), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 3, generator: g));
        using (var x = Input(new long[] { 6, 3, 16, 16 }, 3)) Warm(model, x);
        ExportAndCompare(model, b => Input(new[] { b, 3, 16, 16 }, 20 + (ulong)b), "CNN (Conv2d, BatchNorm2d, MaxPool2d, grouped strided Conv2d, AvgPool2d, AdaptiveAvgPool2d(1), Flatten, Linear)");
    }

    [Test]
    public void ADecoderWithConvTransposeGroupNormAndUnflattenMatchesOnnxRuntime()
    {
        var g = Gen(3);
        using var model = new Sequential(
            new Linear(6, 4 * 4 * 4, generator: g), new Unflatten(1, 4, 4, 4),
            new ConvTranspose2d(4, 6, 3, stride: 2, padding: 1, outputPadding: 1, generator: g), new GroupNorm(3, 6), new SiLU(),
            new ConvTranspose2d(6, 4, 2, stride: 2, groups: 2, generator: g), new AdaptiveAvgPool2d(4), new MaxPool2d(3, stride: 1, padding: 1));
        ExportAndCompare(model, b => Input(new[] { b, 6 }, 30 + (ulong)b), "decoder (Linear, Unflatten, ConvTranspose2d, GroupNorm, AdaptiveAvgPool2d(4), padded MaxPool2d)");
    }

    [Test]
    public void ASequenceModelWithConv1dBatchNorm1dAndLayerNormMatchesOnnxRuntime()
    {
        var g = Gen(4);
        using var model = new Sequential(
            new Conv1d(5, 8, 3, padding: 1, generator: g), new BatchNorm1d(8), new GELU(), new Conv1d(8, 8, 3, stride: 2, dilation: 2, padding: 2, generator: g),
            new LayerNorm(5), new Flatten(), new BatchNorm1d(40), new Linear(40, 4, generator: g));
        using (var x = Input(new long[] { 7, 5, 10 }, 5)) Warm(model, x);
        ExportAndCompare(model, b => Input(new[] { b, 5, 10 }, 40 + (ulong)b), "sequence (Conv1d, BatchNorm1d on 3-d and 2-d, LayerNorm, GELU, Flatten)");
    }

    [Test]
    public void AnEmbeddingModelWithIntegerInputsMatchesOnnxRuntime()
    {
        var g = Gen(5);
        var emb = new Embedding(20, 6, generator: g);
        var norm = new LayerNorm(6);
        var head = new Linear(6, 3, generator: g);
        using var model = new Fn((m, ids) =>
        {
            using var e = emb.Forward(ids);                // (N, T, 6)
            using var n = norm.Forward(e);
            using var pooled = n.Mean(1);                  // (N, 6)
            return head.Forward(pooled);
        });
        model.RegisterModule("emb", emb);
        model.RegisterModule("norm", norm);
        model.RegisterModule("head", head);
        ExportAndCompare(model, b => Indices(new[] { b, 7 }, 20, 50 + (ulong)b), "Embedding + LayerNorm + Mean over time");
    }

    [Test]
    public void TransformerEncoderLayersMatchOnnxRuntime()
    {
        // Multi-head attention (linear projections, head split by View/Transpose, scaled Bmm, Softmax), dropout in eval,
        // residuals, LayerNorm and the feed-forward block; post-norm ReLU and pre-norm GELU.
        using var post = new TransformerEncoderLayer(8, 2, 16, dropout: 0.1, batchFirst: true, generator: Gen(12));
        ExportAndCompare(post, b => Input(new[] { b, 5, 8 }, 100 + (ulong)b), "TransformerEncoderLayer (batch first, post-norm, ReLU)");
        using var pre = new TransformerEncoderLayer(8, 4, 16, dropout: 0.1, activation: "gelu", batchFirst: true, normFirst: true, generator: Gen(13));
        ExportAndCompare(pre, b => Input(new[] { b, 6, 8 }, 110 + (ulong)b), "TransformerEncoderLayer (batch first, pre-norm, GELU)");
    }

    [Test]
    public void TensorOpsMatchOnnxRuntime()
    {
        var g = Gen(6);
        var w = Tensor.RandN(new long[] { 4, 6 }, generator: g);
        var u = Tensor.RandN(new long[] { 6 }, generator: g);
        using var model = new Fn((m, x) =>                 // x: (N, 3, 4)
        {
            using var scope = DisposeScope.Begin();
            var h = x.MatMul(w);                            // (N, 3, 6)
            var t = h.Transpose(1, 2);                      // (N, 6, 3)
            var p = t.Permute(0, 2, 1).Reshape(-1, 18);     // (N, 18)
            var v = p.View(x.Size(0), 3, 6);                // (N, 3, 6)
            var c = Tensor.Cat(new[] { v, h * 2.0 - 1.0 }, 2);   // (N, 3, 12)
            var s = c.Slice(2, 1, 11, 2) + c.Select(1, 0).Unsqueeze(1).Slice(2, 0, 5);  // (N, 3, 5)
            var r = s.Sum(2, keepDim: true) / (s.Abs() + 1.0).Mean(new[] { 1, 2 }, keepDim: true);  // (N, 3, 1)
            var e = (s.Exp().Sqrt() + s.Max(2).Values.Unsqueeze(2)).Clamp(-3, 3) * r.Tanh();
            var z = Tensor.Stack(new[] { e, e.Neg().Sigmoid() }, 1).Flatten(1);       // (N, 30)
            var out1 = (z.Square() - z.Pow(3.0) / 3.0 + z.Max(1, keepDim: true).Values).Squeeze(-1);
            var q = x.Flatten(1).MatMul(x.Flatten(1).T.MatMul(x.Flatten(1))).Sum(1, keepDim: true);   // batch contracted: (N, 1)
            var merged = x.Transpose(0, 1).Reshape(-1, 4).Abs().Max(0).Values;   // the batch merged into (3 N, 4), then reduced: (4)
            var k = merged.Sum() + x.Transpose(1, 2).Contiguous().Clone().Gt(0.0).To(DType.Float32).Sum(new[] { 1, 2 }).Unsqueeze(1);  // (N, 1)
            var res = Tensor.Cat(new[] { out1, k, q * 1e-3, x.Reshape(x.Size(0), -1).MatMul(w.Reshape(12, 2)) + u.Sum() }, 1);
            return scope.MoveOut(res);
        }, ("w", w), ("u", u));
        ExportAndCompare(model, b => Input(new[] { b, 3, 4 }, 60 + (ulong)b), "tensor ops (MatMul, Transpose, Permute, Reshape, View, Cat, Stack, Slice, Select, Unsqueeze, Squeeze, Flatten, Sum, Mean, Max, Exp, Sqrt, Clamp, Abs, Neg, Sigmoid, Square, Pow, scalar ops, Contiguous, Clone, comparison, To(dtype))");
    }

    [Test]
    public void AForwardWithTwoInputsAndTwoOutputsMatchesOnnxRuntime()
    {
        var g = Gen(8);
        using var lin = new Linear(4, 3, generator: g);
        Tensor[] Forward2(Tensor[] xs) => new[] { lin.Forward(xs[0]) + xs[1], xs[0].Sum(1) * xs[1].Max(1).Values };
        Tensor A(long b) => Input(new[] { b, 4 }, 80 + (ulong)b);
        Tensor B(long b) => Input(new[] { b, 3 }, 90 + (ulong)b);
        byte[] bytes;
        using (var a3 = A(3))
        using (var b3 = B(3))
            bytes = OnnxExport.ToBytes(lin, Forward2, new[] { a3, b3 }, new OnnxExportOptions { InputNames = new[] { "a", "b" }, OutputNames = new[] { "y", "s" } });
        using var session = new InferenceSession(bytes);
        foreach (long batch in new long[] { 2, 6 })
        {
            using var a = A(batch);
            using var b = B(batch);
            Tensor[] want;
            using (Wick.Autograd.NoGrad()) want = Forward2(new[] { a, b });
            using var oa = ToOrt(a);
            using var ob = ToOrt(b);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, new[] { "a", "b" }, new[] { oa, ob }, new[] { "y", "s" });
            for (int k = 0; k < 2; ++k)
            {
                Assert.That(results[k].GetTensorTypeAndShape().Shape, Is.EqualTo(want[k].Shape));
                float[] got = results[k].GetTensorDataAsSpan<float>().ToArray();
                float[] w = want[k].ToArray<float>();
                Assert.That(got.Zip(w, (p, q) => Math.Abs((double)p - q)).Max(), Is.LessThanOrEqualTo(Tolerance), $"output {k} at batch {batch}");
                want[k].Dispose();
            }
        }
    }

    [Test]
    public void AnOpWithoutAnOnnxTranslationIsRefusedByName()
    {
        using var bitwise = new Fn((m, x) => { using var i = x.To(DType.Int64); using var b = i.BitwiseOr(i); return b.To(DType.Float32); });
        var ex = Assert.Throws<OnnxNotSupportedException>(() => { using var x = Input(new long[] { 2, 3 }, 1); OnnxExport.ToBytes(bitwise, x); });
        Assert.That(ex!.Message, Does.Contain("the binary op bitwise_or on Int64 is not supported: opset 17 has no matching operator"));

        using var made = new Fn((m, x) => { using var z = Tensor.RandN(x.Shape); return x + z; });
        ex = Assert.Throws<OnnxNotSupportedException>(() => { using var x = Input(new long[] { 2, 3 }, 1); OnnxExport.ToBytes(made, x); });
        // RandN forwards to a native fill; the JIT may inline it into the forward, so the message names the innermost method left.
        Assert.That(ex!.Message, Does.Match(@"ONNX export: (Tensor\.RandN|Tensor\.\w+|an op called from .*) is not supported: it made a tensor inside the traced forward \(used by Binary\)"));
    }

    [Test]
    public void AGraphThatWouldFixTheBatchSizeIsRefused()
    {
        // Taking the first 3 rows is "all rows" at batch 3 but not at batch 4: the two traces differ.
        using var model = new Fn((m, x) => x.Slice(0, 0, 3) * 2.0);
        var ex = Assert.Throws<OnnxNotSupportedException>(() => { using var x = Input(new long[] { 3, 2 }, 1); OnnxExport.ToBytes(model, x); });
        Assert.That(ex!.Message, Does.Contain("depends on the batch size"));
    }

    [Test]
    public void AnInPlaceWriteThroughAViewIsRefused()
    {
        using var model = new Fn((m, x) =>
        {
            using var y = x * 1.0;
            using var v = y.View(-1);
            v.MulInPlace(2.0);
            return y + 1.0;
        });
        var ex = Assert.Throws<OnnxNotSupportedException>(() => { using var x = Input(new long[] { 3, 2 }, 1); OnnxExport.ToBytes(model, x); });
        Assert.That(ex!.Message, Does.Contain("shares memory"));
    }

    [Test]
    public void ExportLeavesNoTensorBehindEvenWhenItFails()
    {
        var g = Gen(9);
        using var model = new Sequential(new Conv2d(2, 3, 3, generator: g), new BatchNorm2d(3), new ReLU(), new Flatten(), new Linear(12, 2, generator: g));
        using var bad = new Fn((m, x) => { using var z = Tensor.RandN(x.Shape); return x + z; });
        using var x = Input(new long[] { 2, 2, 4, 4 }, 1);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = Memory.Stats().LiveTensors;
        OnnxExport.ToBytes(model, x);
        Assert.Throws<OnnxNotSupportedException>(() => OnnxExport.ToBytes(bad, x));
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(before));
    }

    [Test]
    public void ExportLeavesTheModuleInItsTrainingModeAndTracingOff()
    {
        var g = Gen(7);
        using var model = new Sequential(new Linear(3, 2, generator: g), new Dropout(0.5));
        model.Train();
        using var x = Input(new long[] { 2, 3 }, 1);
        byte[] bytes = OnnxExport.ToBytes(model, x);
        Assert.That(model.Training, Is.True);
        Assert.That(OpTracer.Current, Is.Null);
        var proto = Wick.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes);
        Assert.That(proto.OpsetImport.Single().Version, Is.EqualTo(17));
        Assert.That(proto.Graph.Initializer.Select(i => i.Name), Is.SupersetOf(new[] { "0.weight", "0.bias" }));
    }
}
