using System;
using System.Linq;
using Wick.Native;
using Wick.Optim;
using Wick.Tests.Support;

namespace Wick.Tests.Optim;

/// <summary>
/// The fused native steps against float64 plain-loop references of PyTorch's documented algorithms
/// (torch.optim docs, "Algorithm" boxes), over several steps with changing gradients.
/// </summary>
public class OptimKernelTests
{
    private const int N = 37;  // odd, so vector loops have a remainder
    private const int Steps = 5;

    private static double[] Grad(int step) => Check.Values(N, 100 + step, 4.0);

    private static Tensor T(double[] v, DType dtype) => Check.Tensor(v, new long[] { N }, dtype);

    // ---- SGD -------------------------------------------------------------------------------

    private static double[] SgdReference(double lr, double mom, double damp, double wd, bool nesterov, bool maximize)
    {
        double[] p = Check.Values(N, 1);
        double[]? buf = null;
        for (int s = 0; s < Steps; ++s)
        {
            double[] g = Grad(s).Select(x => maximize ? -x : x).ToArray();
            for (int i = 0; i < N; ++i) g[i] += wd * p[i];
            if (mom != 0)
            {
                if (buf is null) buf = (double[])g.Clone();
                else for (int i = 0; i < N; ++i) buf[i] = mom * buf[i] + (1 - damp) * g[i];
                for (int i = 0; i < N; ++i) g[i] = nesterov ? g[i] + mom * buf[i] : buf[i];
            }
            for (int i = 0; i < N; ++i) p[i] -= lr * g[i];
        }
        return p;
    }

    [Test]
    public void SgdMatchesPyTorchsAlgorithm(
        [Values(0.0, 0.9)] double momentum, [Values(0.0, 0.3)] double dampening, [Values(0.0, 0.01)] double weightDecay,
        [Values] bool nesterov, [Values] bool maximize, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        if (nesterov && (momentum == 0 || dampening != 0)) return;  // rejected combination, tested below
        using var p = T(Check.Values(N, 1), dtype);
        using var buf = Tensor.Zeros(new long[] { N }, dtype);
        for (int s = 0; s < Steps; ++s)
        {
            using var g = T(Grad(s), dtype);
            var o = new wk_sgd_options
            {
                lr = 0.1, momentum = momentum, dampening = dampening, weight_decay = weightDecay,
                nesterov = nesterov ? 1 : 0, maximize = maximize ? 1 : 0, first_step = s == 0 ? 1 : 0,
            };
            OptimKernels.Sgd(p, g, momentum != 0 ? buf : null, o);
        }
        double[] expected = SgdReference(0.1, momentum, dampening, weightDecay, nesterov, maximize);
        Check.Close(p, new Reference(expected, N), dtype == DType.Float64 ? 1e-12 : 2e-5, dtype == DType.Float64 ? 1e-12 : 2e-5);
    }

    // ---- Adam / AdamW ------------------------------------------------------------------------

    private static double[] AdamReference(double lr, double b1, double b2, double eps, double wd, bool amsgrad, bool decoupled, bool maximize)
    {
        double[] p = Check.Values(N, 2);
        var m = new double[N];
        var v = new double[N];
        var vmax = new double[N];
        for (int s = 1; s <= Steps; ++s)
        {
            double[] g = Grad(s).Select(x => maximize ? -x : x).ToArray();
            if (decoupled) for (int i = 0; i < N; ++i) p[i] *= 1 - lr * wd;
            else for (int i = 0; i < N; ++i) g[i] += wd * p[i];
            for (int i = 0; i < N; ++i)
            {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mhat = m[i] / (1 - Math.Pow(b1, s));
                double vv = v[i];
                if (amsgrad)
                {
                    vmax[i] = Math.Max(vmax[i], v[i]);
                    vv = vmax[i];
                }
                double vhat = vv / (1 - Math.Pow(b2, s));
                p[i] -= lr * mhat / (Math.Sqrt(vhat) + eps);
            }
        }
        return p;
    }

    [Test]
    public void AdamAndAdamWMatchPyTorchsAlgorithms(
        [Values(0.0, 0.1)] double weightDecay, [Values] bool amsgrad, [Values] bool decoupled, [Values] bool maximize,
        [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        using var p = T(Check.Values(N, 2), dtype);
        using var m = Tensor.Zeros(new long[] { N }, dtype);
        using var v = Tensor.Zeros(new long[] { N }, dtype);
        using var vmax = Tensor.Zeros(new long[] { N }, dtype);
        for (int s = 1; s <= Steps; ++s)
        {
            using var g = T(Grad(s), dtype);
            var o = new wk_adam_options
            {
                lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = weightDecay, step = s,
                amsgrad = amsgrad ? 1 : 0, decoupled_weight_decay = decoupled ? 1 : 0, maximize = maximize ? 1 : 0,
            };
            OptimKernels.Adam(p, g, m, v, amsgrad ? vmax : null, o);
        }
        double[] expected = AdamReference(0.01, 0.9, 0.999, 1e-8, weightDecay, amsgrad, decoupled, maximize);
        Check.Close(p, new Reference(expected, N), dtype == DType.Float64 ? 1e-12 : 2e-5, dtype == DType.Float64 ? 1e-12 : 2e-5);
    }

    [Test]
    public void AdamWithASmallBeta1UsesTheOtherLerpFormAndStillMatches()
    {
        using var p = T(Check.Values(N, 2), DType.Float64);
        using var m = Tensor.Zeros(new long[] { N }, DType.Float64);
        using var v = Tensor.Zeros(new long[] { N }, DType.Float64);
        for (int s = 1; s <= Steps; ++s)
        {
            using var g = T(Grad(s), DType.Float64);
            OptimKernels.Adam(p, g, m, v, null, new wk_adam_options { lr = 0.01, beta1 = 0.2, beta2 = 0.5, eps = 1e-8, step = s });
        }
        Check.Close(p, new Reference(AdamReference(0.01, 0.2, 0.5, 1e-8, 0, false, false, false), N), 1e-12, 1e-12);
    }

    // ---- RMSprop ---------------------------------------------------------------------------

    private static double[] RmsReference(double lr, double alpha, double eps, double wd, double mom, bool centered, bool maximize)
    {
        double[] p = Check.Values(N, 3);
        var sq = new double[N];
        var ga = new double[N];
        var buf = new double[N];
        for (int s = 0; s < Steps; ++s)
        {
            double[] g = Grad(s).Select(x => maximize ? -x : x).ToArray();
            for (int i = 0; i < N; ++i)
            {
                g[i] += wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * g[i] * g[i];
                double vt = sq[i];
                if (centered)
                {
                    ga[i] = alpha * ga[i] + (1 - alpha) * g[i];
                    vt -= ga[i] * ga[i];
                }
                double denom = Math.Sqrt(vt) + eps;
                if (mom > 0)
                {
                    buf[i] = mom * buf[i] + g[i] / denom;
                    p[i] -= lr * buf[i];
                }
                else
                {
                    p[i] -= lr * g[i] / denom;
                }
            }
        }
        return p;
    }

    [Test]
    public void RmsPropMatchesPyTorchsAlgorithm(
        [Values(0.0, 0.05)] double weightDecay, [Values(0.0, 0.8)] double momentum, [Values] bool centered, [Values] bool maximize,
        [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        using var p = T(Check.Values(N, 3), dtype);
        using var sq = Tensor.Zeros(new long[] { N }, dtype);
        using var ga = Tensor.Zeros(new long[] { N }, dtype);
        using var buf = Tensor.Zeros(new long[] { N }, dtype);
        for (int s = 0; s < Steps; ++s)
        {
            using var g = T(Grad(s), dtype);
            var o = new wk_rmsprop_options
            {
                lr = 0.01, alpha = 0.99, eps = 1e-8, weight_decay = weightDecay, momentum = momentum,
                centered = centered ? 1 : 0, maximize = maximize ? 1 : 0,
            };
            OptimKernels.RmsProp(p, g, sq, centered ? ga : null, momentum > 0 ? buf : null, o);
        }
        double[] expected = RmsReference(0.01, 0.99, 1e-8, weightDecay, momentum, centered, maximize);
        // Centered RMSprop divides by sqrt(E[g²] - E[g]²), which loses float32 digits on the first steps.
        double tol = dtype == DType.Float64 ? 1e-11 : 1e-4;
        Check.Close(p, new Reference(expected, N), tol, tol);
    }

    // ---- Adagrad ---------------------------------------------------------------------------

    private static double[] AdagradReference(double lr, double lrDecay, double wd, double init, double eps, bool maximize)
    {
        double[] p = Check.Values(N, 4);
        var sum = Enumerable.Repeat(init, N).ToArray();
        for (int s = 1; s <= Steps; ++s)
        {
            double[] g = Grad(s).Select(x => maximize ? -x : x).ToArray();
            double clr = lr / (1 + (s - 1) * lrDecay);
            for (int i = 0; i < N; ++i)
            {
                g[i] += wd * p[i];
                sum[i] += g[i] * g[i];
                p[i] -= clr * g[i] / (Math.Sqrt(sum[i]) + eps);
            }
        }
        return p;
    }

    [Test]
    public void AdagradMatchesPyTorchsAlgorithm(
        [Values(0.0, 0.1)] double lrDecay, [Values(0.0, 0.02)] double weightDecay, [Values(0.0, 0.5)] double initial,
        [Values] bool maximize, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        using var p = T(Check.Values(N, 4), dtype);
        using var sum = Tensor.Full(new long[] { N }, initial, dtype);
        for (int s = 1; s <= Steps; ++s)
        {
            using var g = T(Grad(s), dtype);
            var o = new wk_adagrad_options { lr = 0.1, lr_decay = lrDecay, weight_decay = weightDecay, eps = 1e-10, step = s, maximize = maximize ? 1 : 0 };
            OptimKernels.Adagrad(p, g, sum, o);
        }
        double[] expected = AdagradReference(0.1, lrDecay, weightDecay, initial, 1e-10, maximize);
        Check.Close(p, new Reference(expected, N), dtype == DType.Float64 ? 1e-12 : 2e-5, dtype == DType.Float64 ? 1e-12 : 2e-5);
    }

    // ---- layouts, sizes, errors ------------------------------------------------------------

    [Test]
    public void StridedParametersAndGradientsAreUpdatedInPlaceLikeContiguousOnes()
    {
        double[] pd = Check.Values(60, 11), gd = Check.Values(120, 12);
        using var pBase = Check.Tensor(pd, new long[] { 6, 10 }, DType.Float64);
        using var p = pBase.T;                    // [10, 6], transposed
        using var gBase = Check.Tensor(gd, new long[] { 10, 12 }, DType.Float64);
        using var g = gBase.Slice(1, 0, 12, 2);   // [10, 6], every other column
        using var m = Tensor.Zeros(new long[] { 10, 6 }, DType.Float64);
        using var v = Tensor.Zeros(new long[] { 10, 6 }, DType.Float64);
        using var pc = p.Contiguous();
        using var gc = g.Contiguous();
        using var m2 = Tensor.Zeros(new long[] { 10, 6 }, DType.Float64);
        using var v2 = Tensor.Zeros(new long[] { 10, 6 }, DType.Float64);
        var o = new wk_adam_options { lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, step = 1 };
        long version = pBase.Version;
        OptimKernels.Adam(p, g, m, v, null, o);
        OptimKernels.Adam(pc, gc, m2, v2, null, o);
        Check.Close(p, Reference.Of(pc), 0, 0);
        Assert.That(pBase.Version, Is.GreaterThan(version), "the update must bump the parameter's version");
    }

    [Test]
    public void LargeTensorsGiveTheSameResultAsTheReference()
    {
        const int n = 300_001;  // several chunks of the parallel loop
        double[] pd = Check.Values(n, 21), gd = Check.Values(n, 22);
        using var p = Check.Tensor(pd, new long[] { n }, DType.Float64);
        using var g = Check.Tensor(gd, new long[] { n }, DType.Float64);
        using var buf = Tensor.Zeros(new long[] { n }, DType.Float64);
        OptimKernels.Sgd(p, g, buf, new wk_sgd_options { lr = 0.5, momentum = 0.9, first_step = 1 });
        var expected = pd.Select((x, i) => x - 0.5 * gd[i]).ToArray();
        Check.Close(p, new Reference(expected, n), 1e-15, 1e-15);
    }

    [Test]
    public void EmptyParametersAreAccepted()
    {
        using var p = Tensor.Zeros(new long[] { 0, 3 });
        using var g = Tensor.Zeros(new long[] { 0, 3 });
        Assert.DoesNotThrow(() => OptimKernels.Sgd(p, g, null, new wk_sgd_options { lr = 0.1 }));
    }

    [Test]
    public void AGradientOfAnotherShapeIsRejectedNamingBothShapes()
    {
        using var p = Tensor.Zeros(3, 4);
        using var g = Tensor.Zeros(4, 3);
        var e = Assert.Throws<ShapeMismatchException>(() => OptimKernels.Sgd(p, g, null, new wk_sgd_options { lr = 0.1 }));
        Assert.That(e!.Message, Does.Contain("SGD").And.Contain("grad has shape [4, 3]").And.Contain("[3, 4]"));
    }

    [Test]
    public void AGradientOfAnotherDTypeIsRejected()
    {
        using var p = Tensor.Zeros(3);
        using var g = Tensor.Zeros(new long[] { 3 }, DType.Float64);
        var e = Assert.Throws<DTypeException>(() => OptimKernels.Sgd(p, g, null, new wk_sgd_options { lr = 0.1 }));
        Assert.That(e!.Message, Does.Contain("grad is float64").Or.Contain("grad is Float64").IgnoreCase);
    }

    [Test]
    public void IntegerParametersAreRejected()
    {
        using var p = Tensor.Zeros(new long[] { 3 }, DType.Int64);
        using var g = Tensor.Zeros(new long[] { 3 }, DType.Int64);
        var e = Assert.Throws<DTypeException>(() => OptimKernels.Sgd(p, g, null, new wk_sgd_options { lr = 0.1 }));
        Assert.That(e!.Message, Does.Contain("float32 or float64"));
    }

    [Test]
    public void AMissingStateBufferIsRejected()
    {
        using var p = Tensor.Zeros(3);
        using var g = Tensor.Zeros(3);
        var e = Assert.Throws<ArgumentException>(() => OptimKernels.Sgd(p, g, null, new wk_sgd_options { lr = 0.1, momentum = 0.9 }));
        Assert.That(e!.Message, Does.Contain("momentum_buffer is required"));
    }

    [Test]
    public void AStateBufferSharingMemoryWithTheParameterIsRejected()
    {
        using var p = Tensor.Zeros(3);
        using var g = Tensor.Zeros(3);
        using var v = Tensor.Zeros(3);
        var e = Assert.Throws<ArgumentException>(() => OptimKernels.Adam(p, g, p, v, null,
            new wk_adam_options { lr = 0.1, beta1 = 0.9, beta2 = 0.99, step = 1 }));
        Assert.That(e!.Message, Does.Contain("share memory"));
    }

    [Test]
    public void InvalidHyperparametersAreRejected()
    {
        using var p = Tensor.Zeros(3);
        using var g = Tensor.Zeros(3);
        using var m = Tensor.Zeros(3);
        using var v = Tensor.Zeros(3);
        Assert.That(Assert.Throws<ArgumentException>(() => OptimKernels.Sgd(p, g, null, new wk_sgd_options { lr = -1 }))!.Message, Does.Contain("lr"));
        Assert.That(Assert.Throws<ArgumentException>(() => OptimKernels.Adam(p, g, m, v, null, new wk_adam_options { lr = 0.1, beta1 = 1.0, beta2 = 0.9, step = 1 }))!.Message,
                    Does.Contain("beta1"));
        Assert.That(Assert.Throws<ArgumentException>(() => OptimKernels.Adam(p, g, m, v, null, new wk_adam_options { lr = 0.1, beta1 = 0.9, beta2 = 0.9, step = 0 }))!.Message,
                    Does.Contain("step"));
    }
}
