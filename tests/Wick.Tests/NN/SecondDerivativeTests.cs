using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using Wick.Tests.Autograd;
using SampleLayout = Wick.Tests.Autograd.Layout;

namespace Wick.Tests.NN;

/// <summary>One layer (or loss) applied to sample inputs; Inputs are the tensors checked (parameters included).</summary>
public sealed class LayerCase
{
    public LayerCase(string name, Func<(Func<Tensor[], Tensor> F, Tensor[] Inputs)> make)
    {
        Name = name;
        Make = make;
    }

    public string Name { get; }
    public Func<(Func<Tensor[], Tensor> F, Tensor[] Inputs)> Make { get; }

    public override string ToString() => Name;
}

/// <summary>
/// Second derivatives through the nn layers whose first backward is a fused native kernel: a backward pass with
/// createGraph records a differentiable form of the same gradient, so GradGradCheck (float64, central differences)
/// passes for every layer, and a Hessian-vector product through a small CNN matches finite differences of its gradient.
/// Without createGraph the fused kernels run as before; both paths give the same first derivatives.
/// </summary>
public class SecondDerivativeTests
{
    private static Tensor X(long[] shape, int seed, SampleLayout layout = SampleLayout.Contiguous, double lo = -2, double hi = 2) =>
        Samples.Uniform(shape, lo, hi, seed, layout);

    /// <summary>Overwrites a layer's parameter with seeded non-trivial values (weights of ones and biases of zeros hide terms).</summary>
    private static Tensor Randomise(Tensor p, int seed)
    {
        using (Wick.Autograd.NoGrad())
        using (Tensor v = Samples.Uniform(p.Shape, 0.5, 1.5, seed))
            p.CopyFrom(v);
        return p;
    }

    private static Tensor Targets(params long[] t) => Tensor.FromArray(t);

    public static IEnumerable<LayerCase> Cases()
    {
        // Softmax and log-softmax: their gradients depend on the saved output.
        yield return new("Softmax dim 1 [3,4] transposed", () => (a => new Softmax(1).Forward(a[0]), new[] { X(new long[] { 3, 4 }, 1, SampleLayout.Transposed) }));
        yield return new("Softmax dim -1 [2,3,4] strided", () => (a => new Softmax(-1).Forward(a[0]), new[] { X(new long[] { 2, 3, 4 }, 2, SampleLayout.Strided) }));
        yield return new("LogSoftmax dim 0 [4,3]", () => (a => new LogSoftmax(0).Forward(a[0]), new[] { X(new long[] { 4, 3 }, 3) }));
        yield return new("LogSoftmax dim 1 [2,5] transposed", () => (a => new LogSoftmax(1).Forward(a[0]), new[] { X(new long[] { 2, 5 }, 4, SampleLayout.Transposed) }));

        // NLL (linear in its input: the second derivative is in the output gradient) and cross-entropy.
        yield return new("NLLLoss mean, class weights, ignore index", () =>
        {
            var t = Targets(0, 2, 1, 2);
            var loss = new NLLLoss(Tensor.FromArray(new[] { 0.5, 2.0, 1.5 }), ignoreIndex: 1);
            return (a => loss.Forward(a[0], t), new[] { X(new long[] { 4, 3 }, 5) });
        });
        yield return new("NLLLoss none, (N, C, d) input transposed", () =>
        {
            var t = Tensor.FromArray(new long[] { 0, 2, 1, 1 }, 2, 2);
            var loss = new NLLLoss(reduction: Reduction.None);
            return (a => loss.Forward(a[0], t), new[] { X(new long[] { 2, 3, 2 }, 6, SampleLayout.Transposed) });
        });
        yield return new("NLLLoss sum, unbatched", () =>
        {
            var t = Tensor.Scalar(2L);
            var loss = new NLLLoss(reduction: Reduction.Sum);
            return (a => loss.Forward(a[0], t), new[] { X(new long[] { 4 }, 7) });
        });
        yield return new("CrossEntropyLoss mean, class weights, ignore index, label smoothing", () =>
        {
            var t = Targets(1, 0, 2, 1, 2);
            var loss = new CrossEntropyLoss(Tensor.FromArray(new[] { 1.0, 0.5, 2.0 }), ignoreIndex: 0, labelSmoothing: 0.1);
            return (a => loss.Forward(a[0], t), new[] { X(new long[] { 5, 3 }, 8) });
        });
        yield return new("CrossEntropyLoss with probability targets", () =>
        {
            var t = Tensor.FromArray(new[] { 0.2, 0.5, 0.3, 0.6, 0.1, 0.3 }, 2, 3);
            var loss = new CrossEntropyLoss();
            return (a => loss.Forward(a[0], t), new[] { X(new long[] { 2, 3 }, 9) });
        });

        // Convolutions: bilinear in input and weight, so the cross terms d(grad_x)/dw and d(grad_w)/dx are checked.
        yield return new("Conv1d stride 2, padding 1, dilation 2, groups 2, bias", () =>
        {
            var conv = new Conv1d(4, 4, 3, stride: 2, padding: 1, dilation: 2, groups: 2, dtype: DType.Float64, generator: new Generator(10));
            return (a => conv.Forward(a[0]), new[] { X(new long[] { 2, 4, 7 }, 11, SampleLayout.Strided), conv.Weight, conv.Bias! });
        });
        yield return new("Conv2d stride (2,1), padding (1,0), groups 2, bias, transposed input", () =>
        {
            var conv = new Conv2d(2, 4, (3, 2), (2, 1), (1, 0), (1, 1), groups: 2, dtype: DType.Float64, generator: new Generator(12));
            return (a => conv.Forward(a[0]), new[] { X(new long[] { 1, 2, 5, 4 }, 13, SampleLayout.Transposed), conv.Weight, conv.Bias! });
        });
        yield return new("Conv2d unbatched, dilation 2, no bias", () =>
        {
            var conv = new Conv2d(2, 3, 2, dilation: 2, bias: false, dtype: DType.Float64, generator: new Generator(14));
            return (a => conv.Forward(a[0]), new[] { X(new long[] { 2, 5, 5 }, 15), conv.Weight });
        });
        yield return new("ConvTranspose2d stride 2, padding 1, output padding 1, groups 2, bias", () =>
        {
            var conv = new ConvTranspose2d(2, 4, 3, stride: 2, padding: 1, outputPadding: 1, groups: 2, dtype: DType.Float64, generator: new Generator(16));
            return (a => conv.Forward(a[0]), new[] { X(new long[] { 1, 2, 3, 3 }, 17), conv.Weight, conv.Bias! });
        });

        // Pooling.
        yield return new("MaxPool2d 2x2", () => (a => new MaxPool2d(2).Forward(a[0]), new[] { X(new long[] { 1, 2, 4, 4 }, 18, SampleLayout.Transposed) }));
        yield return new("MaxPool2d kernel 3, stride 2, padding 1, ceil mode, of a square", () =>
        {
            var pool = new MaxPool2d(3, 2, 1, ceilMode: true);
            return (a => pool.Forward(a[0] * a[0]), new[] { X(new long[] { 2, 1, 5, 4 }, 19) });
        });
        yield return new("AvgPool2d kernel 3, stride 2, padding 1, ceil mode, padding not counted", () =>
        {
            var pool = new AvgPool2d(3, 2, 1, ceilMode: true, countIncludePad: false);
            return (a => pool.Forward(a[0]), new[] { X(new long[] { 1, 2, 5, 6 }, 20, SampleLayout.Strided) });
        });
        yield return new("AvgPool2d divisor override, unbatched", () =>
        {
            var pool = new AvgPool2d(2, divisorOverride: 3);
            return (a => pool.Forward(a[0]), new[] { X(new long[] { 2, 4, 4 }, 21) });
        });
        yield return new("AdaptiveAvgPool2d 5x7 to 3x2", () => (a => new AdaptiveAvgPool2d((3, 2)).Forward(a[0]), new[] { X(new long[] { 1, 2, 5, 7 }, 22) }));

        // Normalisation: the statistics depend on the input, except for batch norm in evaluation.
        yield return new("BatchNorm2d training", () =>
        {
            var bn = new BatchNorm2d(2, dtype: DType.Float64);
            return (a => bn.Forward(a[0]), new[] { X(new long[] { 3, 2, 2, 2 }, 23), Randomise(bn.Weight!, 24), Randomise(bn.Bias!, 25) });
        });
        yield return new("BatchNorm1d training, (N, C)", () =>
        {
            var bn = new BatchNorm1d(3, dtype: DType.Float64);
            return (a => bn.Forward(a[0]), new[] { X(new long[] { 5, 3 }, 26, SampleLayout.Transposed), Randomise(bn.Weight!, 27), Randomise(bn.Bias!, 28) });
        });
        yield return new("BatchNorm1d training, (N, C, L), no affine", () =>
        {
            var bn = new BatchNorm1d(2, affine: false, dtype: DType.Float64);
            return (a => bn.Forward(a[0]), new[] { X(new long[] { 2, 2, 3 }, 29, SampleLayout.Strided) });
        });
        yield return new("BatchNorm2d evaluation with running statistics", () =>
        {
            var bn = new BatchNorm2d(2, momentum: 0.5, dtype: DType.Float64);
            using (Tensor warm = X(new long[] { 4, 2, 2, 2 }, 30, lo: 1, hi: 3)) bn.Forward(warm).Dispose();
            bn.Eval();
            return (a => bn.Forward(a[0]), new[] { X(new long[] { 2, 2, 2, 2 }, 31), Randomise(bn.Weight!, 32), Randomise(bn.Bias!, 33) });
        });
        yield return new("LayerNorm over the last two dimensions, transposed input", () =>
        {
            var ln = new LayerNorm(new long[] { 3, 4 }, dtype: DType.Float64);
            return (a => ln.Forward(a[0]), new[] { X(new long[] { 2, 3, 4 }, 34, SampleLayout.Transposed), Randomise(ln.Weight!, 35), Randomise(ln.Bias!, 36) });
        });
        yield return new("LayerNorm without elementwise affine", () =>
        {
            var ln = new LayerNorm(5, elementwiseAffine: false, dtype: DType.Float64);
            return (a => ln.Forward(a[0]), new[] { X(new long[] { 3, 5 }, 37) });
        });
        yield return new("GroupNorm 2 groups of 2 channels", () =>
        {
            var gn = new GroupNorm(2, 4, dtype: DType.Float64);
            return (a => gn.Forward(a[0]), new[] { X(new long[] { 2, 4, 3 }, 38, SampleLayout.Strided), Randomise(gn.Weight!, 39), Randomise(gn.Bias!, 40) });
        });

        // Upsampling: linear in the input.
        yield return new("Upsample nearest, scale 2", () => (a => new Upsample(2.0).Forward(a[0]), new[] { X(new long[] { 1, 2, 2, 3 }, 44, SampleLayout.Transposed) }));
        yield return new("Upsample bilinear to (5, 4), corners aligned", () =>
            (a => new Upsample((5, 4), mode: InterpolateMode.Bilinear, alignCorners: true).Forward(a[0]), new[] { X(new long[] { 1, 2, 3, 2 }, 45) }));
        yield return new("Upsample bilinear, scale (1.5, 2)", () =>
            (a => new Upsample(scaleFactor: (1.5, 2.0), mode: InterpolateMode.Bilinear).Forward(a[0]), new[] { X(new long[] { 2, 1, 2, 3 }, 46) }));

        // Embedding: linear in the table; the padding row gets no gradient.
        yield return new("Embedding with a padding index, cubed", () =>
        {
            var emb = new Embedding(5, 3, paddingIdx: 1, dtype: DType.Float64, generator: new Generator(41));
            var idx = Tensor.FromArray(new long[] { 0, 1, 4, 2, 1, 0 }, 2, 3);
            return (a => emb.Forward(idx).Pow(3.0), new[] { emb.Weight });
        });

        // Layers built on these functions.
        yield return new("MultiheadAttention self-attention", () =>
        {
            var mha = new MultiheadAttention(4, 2, dtype: DType.Float64, generator: new Generator(42));
            return (a => mha.Forward(a[0], a[0], a[0], needWeights: false).Output, new[] { X(new long[] { 3, 1, 4 }, 43, lo: -1, hi: 1) });
        });
        yield return new("TransformerEncoderLayer (pre-norm, gelu)", () =>
        {
            var layer = new TransformerEncoderLayer(4, 2, dimFeedforward: 6, dropout: 0, activation: "gelu", normFirst: true, dtype: DType.Float64,
                                                    generator: new Generator(47));
            return (a => layer.Forward(a[0]), new[] { X(new long[] { 2, 1, 4 }, 48, lo: -1, hi: 1) });
        });
        yield return new("LSTM and GRU", () =>
        {
            var lstm = new LSTM(2, 2, batchFirst: true, dtype: DType.Float64, generator: new Generator(49));
            var gru = new GRU(2, 2, dtype: DType.Float64, generator: new Generator(50));
            return (a =>
            {
                var (y, (h, c)) = lstm.Forward(a[0]);
                var (z, hz) = gru.Forward(y);
                return z * h.Sum();
            }, new[] { X(new long[] { 1, 3, 2 }, 51, lo: -1, hi: 1) });
        });
    }

    public static IEnumerable<TestCaseData> GradGradCases() => Cases().Select(c => new TestCaseData(c).SetName($"GradGradCheck {c.Name}"));

    public static IEnumerable<TestCaseData> SameGradientCases() =>
        Cases().Select(c => new TestCaseData(c).SetName($"createGraph gives the fused first derivatives: {c.Name}"));

    [TestCaseSource(nameof(GradGradCases))]
    public void SecondDerivativesMatchCentralDifferences(LayerCase c)
    {
        using var scope = DisposeScope.Begin();
        var (f, inputs) = c.Make();
        Assert.That(Wick.Autograd.GradCheck(f, inputs), Is.True);
        Assert.That(Wick.Autograd.GradGradCheck(f, inputs), Is.True);
    }

    [TestCaseSource(nameof(SameGradientCases))]
    public void ABackwardPassWithCreateGraphGivesTheSameFirstDerivatives(LayerCase c)
    {
        using var scope = DisposeScope.Begin();
        var (f, inputs) = c.Make();
        Tensor y = f(inputs);
        var v = Tensor.RandN(y.Shape, DType.Float64, generator: new Generator(7)).SetRequiresGrad();
        Tensor?[] fused = Wick.Autograd.Grad(new[] { y }, inputs, new[] { v }, retainGraph: true);
        Tensor?[] recorded = Wick.Autograd.Grad(new[] { y }, inputs, new[] { v }, createGraph: true);
        for (int i = 0; i < inputs.Length; ++i)
        {
            Assert.That(fused[i], Is.Not.Null);
            Assert.That(fused[i]!.GradFn, Is.Null, "without createGraph the gradient is not recorded");
            Assert.That(recorded[i]!.RequiresGrad, Is.True, $"input {i}: with createGraph the gradient is recorded (it depends on v at least)");
            Assert.That(recorded[i]!.ToArray<double>(), Is.EqualTo(fused[i]!.ToArray<double>()).Within(1e-10), $"input {i}");
        }
    }

    [Test]
    public void HessianVectorProductThroughACnnMatchesFiniteDifferencesOfItsGradient()
    {
        // conv -> batch norm (training) -> relu -> max pool -> linear -> cross-entropy; H v for all parameters at once,
        // against (grad(θ + eps v) - grad(θ - eps v)) / 2 eps with plain (fused) backward passes.
        using var scope = DisposeScope.Begin();
        using var conv = new Conv2d(1, 2, 3, padding: 1, dtype: DType.Float64, generator: new Generator(50));
        using var bn = new BatchNorm2d(2, dtype: DType.Float64);
        using var lin = new Linear(8, 3, dtype: DType.Float64, generator: new Generator(51));
        Randomise(bn.Weight!, 52);
        Randomise(bn.Bias!, 53);
        using var pool = new MaxPool2d(2);
        using var ce = new CrossEntropyLoss();
        var x = Samples.Uniform(new long[] { 4, 1, 4, 4 }, -2, 2, 54);
        x.RequiresGrad = false;
        var target = Tensor.FromArray(new long[] { 0, 2, 1, 2 });
        Tensor[] ps = { conv.Weight, conv.Bias!, bn.Weight!, bn.Bias!, lin.Weight, lin.Bias! };
        Tensor Loss()
        {
            using Tensor c = conv.Forward(x);
            using Tensor b = bn.Forward(c);
            using Tensor r = b.Relu();
            using Tensor p = pool.Forward(r);
            using Tensor f = p.Flatten(1);
            using Tensor logits = lin.Forward(f);
            return ce.Forward(logits, target);
        }
        var gen = new Generator(55);
        Tensor[] vs = ps.Select(p => Tensor.RandN(p.Shape, DType.Float64, generator: gen)).ToArray();

        Tensor?[] g = Wick.Autograd.Grad(new[] { Loss() }, ps, createGraph: true);
        Tensor dot = Tensor.Zeros(Array.Empty<long>(), DType.Float64);
        for (int i = 0; i < ps.Length; ++i) dot = dot + (g[i]! * vs[i]).Sum();
        Tensor?[] hv = Wick.Autograd.Grad(new[] { dot }, ps);

        const double eps = 1e-5;
        double[][] GradAt(double sign)
        {
            using (Wick.Autograd.NoGrad())
                for (int i = 0; i < ps.Length; ++i) ps[i].AddInPlace(vs[i] * (sign * eps));
            Tensor?[] gr = Wick.Autograd.Grad(new[] { Loss() }, ps);
            using (Wick.Autograd.NoGrad())
                for (int i = 0; i < ps.Length; ++i) ps[i].SubInPlace(vs[i] * (sign * eps));
            return gr.Select(t => t!.ToArray<double>()).ToArray();
        }
        double[][] plus = GradAt(1), minus = GradAt(-1);
        double norm = 0;
        for (int i = 0; i < ps.Length; ++i)
        {
            double[] analytical = hv[i]!.ToArray<double>();
            for (int j = 0; j < analytical.Length; ++j)
            {
                double numerical = (plus[i][j] - minus[i][j]) / (2 * eps);
                norm += Math.Abs(numerical);
                Assert.That(analytical[j], Is.EqualTo(numerical).Within(1e-6 + 1e-4 * Math.Abs(numerical)), $"parameter {i}, element {j}");
            }
        }
        Assert.That(norm, Is.GreaterThan(1e-3), "the Hessian-vector product is not trivially zero");
    }

    [Test]
    public void RepeatedHessianVectorProductsKeepLiveTensorsFlat()
    {
        // The recorded gradients (and the linear-map and convolution nodes they create) are freed with their scope and graph.
        using var conv = new Conv2d(1, 2, 3, padding: 1, dtype: DType.Float64, generator: new Generator(70));
        using var bn = new BatchNorm2d(2, dtype: DType.Float64);
        using var pool = new MaxPool2d(2);
        using var up = new Upsample(2.0);
        using var ce = new CrossEntropyLoss();
        using var x = Samples.Uniform(new long[] { 2, 1, 4, 4 }, -2, 2, 71).Detach();
        using var target = Tensor.FromArray(new long[] { 1, 0 });
        Tensor[] ps = { conv.Weight, conv.Bias!, bn.Weight!, bn.Bias! };
        void Step()
        {
            using var scope = DisposeScope.Begin();
            Tensor h = up.Forward(pool.Forward(bn.Forward(conv.Forward(x)).Relu()));
            Tensor logits = h.Flatten(1).Narrow(1, 0, 2);
            Tensor?[] g = Wick.Autograd.Grad(new[] { ce.Forward(logits, target) }, ps, createGraph: true);
            Tensor dot = (g[0]! * g[0]!).Sum() + (g[2]! * g[3]!).Sum();
            Wick.Autograd.Grad(new[] { dot }, ps);
        }
        long Live()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return Memory.Stats().LiveTensors;
        }
        for (int i = 0; i < 5; ++i) Step();
        long before = Live();
        for (int i = 0; i < 20; ++i) Step();
        Assert.That(Live(), Is.LessThanOrEqualTo(before));
    }

    [Test]
    public void ThirdDerivativesOfSoftmaxAndConv2dMatchCentralDifferences()
    {
        // GradGradCheck of a first derivative: the recorded gradients are themselves recorded-differentiable.
        using var scope = DisposeScope.Begin();
        var x = X(new long[] { 2, 3 }, 60);
        // GradGradCheck probes the function once under NoGrad; the inner Grad needs recording on.
        Assert.That(Wick.Autograd.GradGradCheck(a =>
        {
            using var on = Wick.Autograd.EnableGrad();
            Tensor y = new Softmax(1).Forward(a[0]);
            using Tensor y3 = y.Pow(3.0);
            using Tensor s = y3.Sum();
            return Wick.Autograd.Grad(s, a[0], createGraph: true)!;
        }, new[] { x }));
        using var conv = new Conv2d(1, 2, 2, dtype: DType.Float64, generator: new Generator(61));
        var xc = X(new long[] { 1, 1, 3, 3 }, 62);
        Assert.That(Wick.Autograd.GradGradCheck(a =>
        {
            using var on = Wick.Autograd.EnableGrad();
            using Tensor y = conv.Forward(a[0]);
            using Tensor y2 = y.Square();
            using Tensor s = y2.Sum();
            return Wick.Autograd.Grad(new[] { s }, new[] { a[1] }, createGraph: true)[0]!;
        }, new[] { xc, conv.Weight }));
    }

    [Test]
    public void DropoutStaysTwiceDifferentiable()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.RandN(new long[] { 4, 5 }, DType.Float64, generator: new Generator(4)).SetRequiresGrad();
        Assert.That(Wick.Autograd.GradGradCheck(a =>
        {
            using var dropout = new Dropout(0.3, generator: new Generator(5));
            return dropout.Forward(a[0]).Pow(3.0);
        }, new[] { x }));
    }
}
