using System;
using System.Linq;
using Wick.NN;

namespace Wick.Tests.NN;

public class InitTests
{
    private static double[] Values(Tensor t)
    {
        using var d = t.To(DType.Float64);
        return d.ToArray<double>();
    }

    private static double Variance(double[] v)
    {
        double m = v.Average();
        return v.Sum(x => (x - m) * (x - m)) / v.Length;
    }

    [Test]
    public void GainsAreThoseOfPyTorch()
    {
        Assert.That(Init.CalculateGain(Nonlinearity.Linear), Is.EqualTo(1));
        Assert.That(Init.CalculateGain(Nonlinearity.Conv), Is.EqualTo(1));
        Assert.That(Init.CalculateGain(Nonlinearity.Sigmoid), Is.EqualTo(1));
        Assert.That(Init.CalculateGain(Nonlinearity.Tanh), Is.EqualTo(5.0 / 3));
        Assert.That(Init.CalculateGain(Nonlinearity.ReLU), Is.EqualTo(Math.Sqrt(2)));
        Assert.That(Init.CalculateGain(Nonlinearity.LeakyReLU), Is.EqualTo(Math.Sqrt(2 / (1 + 0.01 * 0.01))));
        Assert.That(Init.CalculateGain(Nonlinearity.LeakyReLU, Math.Sqrt(5)), Is.EqualTo(Math.Sqrt(1.0 / 3)).Within(1e-15));
        Assert.That(Init.CalculateGain(Nonlinearity.SELU), Is.EqualTo(0.75));
    }

    [Test]
    public void FansOfAConvolutionWeightIncludeTheReceptiveField()
    {
        using var w = Tensor.Empty(16, 3, 5, 5);
        Assert.That(Init.CalculateFanInAndFanOut(w), Is.EqualTo((3L * 25, 16L * 25)));
        using var v = Tensor.Empty(4);
        var e = Assert.Throws<ArgumentException>(() => Init.CalculateFanInAndFanOut(v));
        Assert.That(e!.Message, Does.Contain("fewer than 2 dimensions"));
    }

    [Test]
    public void KaimingUniformStaysWithinItsBoundWithTheMatchingVariance([Values] FanMode mode)
    {
        using var w = Tensor.Empty(200, 300);
        Init.KaimingUniform(w, a: 0, mode: mode, nonlinearity: Nonlinearity.ReLU, generator: new Generator(1));
        double fan = mode == FanMode.FanIn ? 300 : 200;
        double bound = Math.Sqrt(2) * Math.Sqrt(3 / fan);
        double[] v = Values(w);
        Assert.That(v.Max(), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.99 * bound));
        Assert.That(v.Min(), Is.GreaterThanOrEqualTo(-bound).And.LessThan(-0.99 * bound));
        Assert.That(Variance(v), Is.EqualTo(bound * bound / 3).Within(0.03 * bound * bound / 3));
    }

    [Test]
    public void KaimingNormalAndXavierHaveTheirStandardDeviations()
    {
        using var w = Tensor.Empty(300, 200);
        Init.KaimingNormal(w, nonlinearity: Nonlinearity.ReLU, generator: new Generator(2));
        Assert.That(Variance(Values(w)), Is.EqualTo(2.0 / 200).Within(0.03 * 2.0 / 200));
        Init.XavierNormal(w, gain: 2, generator: new Generator(3));
        Assert.That(Variance(Values(w)), Is.EqualTo(4 * 2.0 / 500).Within(0.03 * 4 * 2.0 / 500));
        Init.XavierUniform(w, generator: new Generator(4));
        double a = Math.Sqrt(6.0 / 500);
        Assert.That(Values(w).Max(), Is.LessThanOrEqualTo(a).And.GreaterThan(0.99 * a));
    }

    [Test]
    public void TheSameGeneratorSeedGivesTheSameValues()
    {
        using var a = Tensor.Empty(10, 10);
        using var b = Tensor.Empty(10, 10);
        Init.Normal(a, 1, 2, new Generator(42));
        Init.Normal(b, 1, 2, new Generator(42));
        Assert.That(Values(a), Is.EqualTo(Values(b)));
    }

    [Test]
    public void ConstantsFillParametersWithoutRecordingGradients()
    {
        using var p = Tensor.Empty(3).SetRequiresGrad();
        Init.Constant(p, 2.5);
        Assert.That(Values(p), Is.EqualTo(new[] { 2.5, 2.5, 2.5 }));
        Assert.That(p.IsLeaf && p.RequiresGrad);
        Init.Zeros(p);
        Init.Ones(p);
        Assert.That(Values(p), Has.All.EqualTo(1.0));
    }

    [TestCase(5, 3)]
    [TestCase(3, 5)]
    [TestCase(4, 4)]
    public void OrthogonalGivesOrthonormalRowsOrColumnsTimesTheGain(int rows, int cols)
    {
        using var w = Tensor.Empty(new long[] { rows, cols }, DType.Float64);
        Init.Orthogonal(w, gain: 2, generator: new Generator(5));
        double[] q = Values(w);
        int n = Math.Min(rows, cols);
        // Gram matrix of the smaller side: (Q/2)ᵀ(Q/2) = I for tall, (Q/2)(Q/2)ᵀ = I for wide.
        for (int i = 0; i < n; ++i)
        {
            for (int j = 0; j < n; ++j)
            {
                double dot = 0;
                if (rows >= cols) for (int k = 0; k < rows; ++k) dot += q[k * cols + i] * q[k * cols + j] / 4;
                else for (int k = 0; k < cols; ++k) dot += q[i * cols + k] * q[j * cols + k] / 4;
                Assert.That(dot, Is.EqualTo(i == j ? 1.0 : 0.0).Within(1e-12), $"({i}, {j})");
            }
        }
    }

    [Test]
    public void OrthogonalFlattensTrailingDimensions()
    {
        using var w = Tensor.Empty(4, 2, 3, 3);
        Init.Orthogonal(w, generator: new Generator(6));
        double[] q = Values(w);
        for (int i = 0; i < 4; ++i)
            Assert.That(Enumerable.Range(0, 18).Sum(k => q[i * 18 + k] * q[i * 18 + k]), Is.EqualTo(1.0).Within(1e-5));
    }

    [Test]
    public void HouseholderQRReconstructsTheMatrixWithAPositiveDiagonal()
    {
        const int m = 7, n = 4;
        var rng = new Random(3);
        double[] a = Enumerable.Range(0, m * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double[] q = Init.HouseholderQ((double[])a.Clone(), m, n);
        // R = Qᵀ A must be upper triangular with a positive diagonal, and Q R = A.
        var r = new double[n * n];
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                for (int k = 0; k < m; ++k) r[i * n + j] += q[k * n + i] * a[k * n + j];
        for (int i = 0; i < n; ++i)
        {
            Assert.That(r[i * n + i], Is.GreaterThan(0));
            for (int j = 0; j < i; ++j) Assert.That(r[i * n + j], Is.EqualTo(0).Within(1e-12));
        }
        for (int i = 0; i < m; ++i)
            for (int j = 0; j < n; ++j)
            {
                double v = 0;
                for (int k = 0; k < n; ++k) v += q[i * n + k] * r[k * n + j];
                Assert.That(v, Is.EqualTo(a[i * n + j]).Within(1e-12));
            }
    }

    [Test]
    public void LinearStartsWithPyTorchsDefaultBounds()
    {
        using var lin = new Linear(400, 30, generator: new Generator(7));
        double bound = 1 / Math.Sqrt(400);
        double[] w = Values(lin.Weight), b = Values(lin.Bias!);
        Assert.That(w.Max(), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.98 * bound));
        Assert.That(w.Min(), Is.GreaterThanOrEqualTo(-bound));
        Assert.That(b.Select(Math.Abs).Max(), Is.LessThanOrEqualTo(bound));
    }
}
