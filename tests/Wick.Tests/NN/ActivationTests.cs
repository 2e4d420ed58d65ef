using System;
using System.Linq;
using Wick.NN;
using Wick.Tests.Support;

namespace Wick.Tests.NN;

public class ActivationTests
{
    private static double Erf(double x)
    {
        // Abramowitz-Stegun 7.1.26 is too coarse for 1e-12; integrate the series instead (|x| <= 4 here).
        double sum = 0, term = x;
        for (int n = 0; n < 200; ++n)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    private static readonly (string Name, Func<Module<Tensor, Tensor>> Make, Func<double, double> F)[] Cases =
    {
        ("ReLU", () => new ReLU(), x => Math.Max(x, 0)),
        ("LeakyReLU", () => new LeakyReLU(0.2), x => x >= 0 ? x : 0.2 * x),
        ("GELU", () => new GELU(), x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)))),
        ("GELU tanh", () => new GELU("tanh"), x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        ("SiLU", () => new SiLU(), x => x / (1 + Math.Exp(-x))),
        ("Sigmoid", () => new Sigmoid(), x => 1 / (1 + Math.Exp(-x))),
        ("Tanh", () => new Tanh(), Math.Tanh),
        ("ELU", () => new ELU(0.7), x => x > 0 ? x : 0.7 * (Math.Exp(x) - 1)),
        ("Softplus", () => new Softplus(2, 3), x => 2 * x > 3 ? x : Math.Log(1 + Math.Exp(2 * x)) / 2),
    };

    private static string[] Names => Cases.Select(c => c.Name).ToArray();

    [TestCaseSource(nameof(Names))]
    public void ActivationsMatchTheirFormulasAndGradients(string name)
    {
        var (_, make, f) = Cases.Single(c => c.Name == name);
        using var m = make();
        double[] xd = Check.Values(24, 7, 6.0).Select(v => Math.Abs(v) < 1e-3 ? v + 0.01 : v).ToArray();  // away from kinks
        using var x = Check.Tensor(xd, new long[] { 2, 3, 4 }, DType.Float64);
        using var y = m.Forward(x);
        Check.Close(y, new Reference(xd.Select(f).ToArray(), 2, 3, 4), 1e-7, 1e-9);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(xs => m.Forward(xs[0]), new[] { x }));
    }

    [Test]
    public void ActivationsShowTheirArgumentsLikePyTorch()
    {
        Assert.That(new LeakyReLU(0.2).ToString(), Is.EqualTo("LeakyReLU(negative_slope=0.2)"));
        Assert.That(new GELU("tanh").ToString(), Is.EqualTo("GELU(approximate='tanh')"));
        Assert.That(new ReLU().ToString(), Is.EqualTo("ReLU()"));
        Assert.That(new Dropout(0.25).ToString(), Is.EqualTo("Dropout(p=0.25, inplace=False)"));
        Assert.Throws<ArgumentException>(() => new GELU("fast"));
    }

    [Test]
    public void DropoutZeroesAboutPAndScalesTheRestInTrainingOnly()
    {
        using var d = new Dropout(0.3, new Generator(1));
        using var x = Tensor.Ones(100_000);
        using (var y = d.Forward(x))
        {
            float[] v = y.ToArray<float>();
            double zeros = v.Count(e => e == 0) / (double)v.Length;
            Assert.That(zeros, Is.EqualTo(0.3).Within(0.01));
            Assert.That(v.Where(e => e != 0), Has.All.EqualTo((float)(1 / 0.7)).Within(1e-6));
        }
        d.Eval();
        using (var y = d.Forward(x)) Assert.That(y, Is.SameAs(x), "evaluation mode returns the input");
    }

    [Test]
    public void DropoutPassesGradientsThroughTheKeptElementsOnly()
    {
        using var d = new Dropout(0.5, new Generator(2));
        using var x = Tensor.Ones(new long[] { 1000 }, DType.Float64).SetRequiresGrad();
        using var scope = DisposeScope.Begin();
        var y = d.Forward(x);
        y.Sum().Backward();
        double[] g = x.Grad!.ToArray<double>(), v = y.ToArray<double>();
        for (int i = 0; i < g.Length; ++i) Assert.That(g[i], Is.EqualTo(v[i]), "d/dx (x m / (1 - p)) = m / (1 - p) = y for x = 1");
    }

    [Test]
    public void DropoutWithTheSameSeedDropsTheSameElements()
    {
        using var a = new Dropout(0.5, new Generator(9));
        using var b = new Dropout(0.5, new Generator(9));
        using var x = Tensor.Ones(64);
        using var ya = a.Forward(x);
        using var yb = b.Forward(x);
        Assert.That(ya.ToArray<float>(), Is.EqualTo(yb.ToArray<float>()));
    }
}
