using System;
using System.Linq;
using Wick.NN;
using Wick.Tests.Support;

namespace Wick.Tests.NN;

public class LossTests
{
    private static readonly long[] Shape = { 3, 5 };

    private static double Reduce(double[] v, Reduction r) => r == Reduction.Sum ? v.Sum() : v.Average();

    private static void CheckLoss(Loss loss, double[] input, double[] target, Func<double, double, double> f, double tol = 1e-12)
    {
        using var x = Check.Tensor(input, Shape, DType.Float64);
        using var t = Check.Tensor(target, Shape, DType.Float64);
        using var l = loss.Forward(x, t);
        double[] per = input.Select((v, i) => f(v, target[i])).ToArray();
        if (loss.Reduction == Reduction.None) Check.Close(l, new Reference(per, Shape), tol, tol);
        else Check.Close(l, new Reference(new[] { Reduce(per, loss.Reduction) }), tol, tol);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(xs => loss.Forward(xs[0], t), new[] { x }));
    }

    private static double[] Inputs => Check.Values(15, 1, 4.0);
    private static double[] Targets => Check.Values(15, 2, 4.0);
    private static double[] Probabilities(int seed) => Check.Values(15, seed, 0.9).Select(v => v + 0.5).ToArray();

    [Test]
    public void MseIsTheSquaredDifference([Values] Reduction r) => CheckLoss(new MSELoss(r), Inputs, Targets, (x, t) => (x - t) * (x - t));

    [Test]
    public void L1IsTheAbsoluteDifference([Values] Reduction r) => CheckLoss(new L1Loss(r), Inputs, Targets, (x, t) => Math.Abs(x - t));

    [Test]
    public void HuberIsQuadraticInsideDeltaAndLinearOutside([Values] Reduction r, [Values(0.5, 1.5)] double delta) =>
        CheckLoss(new HuberLoss(r, delta), Inputs, Targets, (x, t) =>
        {
            double d = Math.Abs(x - t);
            return d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
        });

    [Test]
    public void SmoothL1DividesTheQuadraticPartByBeta([Values] Reduction r, [Values(0.0, 0.5, 2.0)] double beta) =>
        CheckLoss(new SmoothL1Loss(r, beta), Inputs, Targets, (x, t) =>
        {
            double d = Math.Abs(x - t);
            return d < beta ? 0.5 * d * d / beta : d - 0.5 * beta;
        });

    [Test]
    public void BceIsTheCrossEntropyOfProbabilities([Values] Reduction r) =>
        CheckLoss(new BCELoss(reduction: r), Probabilities(3), Probabilities(4), (x, t) => -(t * Math.Log(x) + (1 - t) * Math.Log(1 - x)), 1e-11);

    [Test]
    public void BceClampsTheLogarithmAtMinus100()
    {
        using var loss = new BCELoss();
        using var x = Tensor.FromArray(new double[] { 0, 1 });
        using var t = Tensor.FromArray(new double[] { 1, 0 });
        using var l = loss.Forward(x, t);
        Assert.That(l.Item<double>(), Is.EqualTo(100));
    }

    [Test]
    public void BceWithLogitsComputesTheWeightedFormula([Values] Reduction r)
    {
        double[] xs = Inputs.Select(v => v * 10).ToArray(), ts = Probabilities(6);
        double[] w = Check.Values(15, 5).Select(v => v + 1.5).ToArray();
        double[] pw = { 0.5, 1, 2, 3, 4 };
        using var weight = Check.Tensor(w, Shape, DType.Float64);
        using var posWeight = Check.Tensor(pw, new long[] { 5 }, DType.Float64);
        using var loss = new BCEWithLogitsLoss(weight, r, posWeight);
        double LogSigmoid(double z) => z >= 0 ? -Math.Log(1 + Math.Exp(-z)) : z - Math.Log(1 + Math.Exp(z));
        var per = xs.Select((x, i) => -w[i] * (pw[i % 5] * ts[i] * LogSigmoid(x) + (1 - ts[i]) * LogSigmoid(-x))).ToArray();
        using var x = Check.Tensor(xs, Shape, DType.Float64);
        using var t = Check.Tensor(ts, Shape, DType.Float64);
        using var l = loss.Forward(x, t);
        if (r == Reduction.None) Check.Close(l, new Reference(per, Shape), 1e-9, 1e-9);
        else Check.Close(l, new Reference(new[] { Reduce(per, r) }), 1e-9, 1e-9);
        x.RequiresGrad = true;
        Assert.That(Wick.Autograd.GradCheck(a => loss.Forward(a[0], t), new[] { x }));
    }

    [Test]
    public void KlDivergenceOfLogProbabilities([Values] Reduction r, [Values] bool logTarget)
    {
        double[] logp = Probabilities(7).Select(v => Math.Log(v)).ToArray();
        double[] q = Probabilities(8);
        q[3] = 0;  // t log t is 0 there
        double[] target = logTarget ? q.Select(v => v == 0 ? -1e300 : Math.Log(v)).ToArray() : q;
        if (logTarget) target[3] = double.NegativeInfinity;
        using var loss = new KLDivLoss(r, logTarget);
        using var x = Check.Tensor(logp, Shape, DType.Float64);
        using var t = Check.Tensor(target, Shape, DType.Float64);
        using var l = loss.Forward(x, t);
        double[] per = logp.Select((lp, i) => q[i] == 0 ? 0 : q[i] * (Math.Log(q[i]) - lp)).ToArray();
        if (r == Reduction.None) Check.Close(l, new Reference(per, Shape), 1e-12, 1e-12);
        else Check.Close(l, new Reference(new[] { Reduce(per, r) }), 1e-12, 1e-12);
    }

    [Test]
    public void KlDivergenceBatchMeanDividesTheSumByTheBatchSize()
    {
        using var loss = new KLDivLoss(batchMean: true);
        using var x = Tensor.FromArray(new double[,] { { -1, -2 }, { -0.5, -3 } });
        using var t = Tensor.FromArray(new double[,] { { 0.25, 0.75 }, { 0.5, 0.5 } });
        double expected = (0.25 * (Math.Log(0.25) + 1) + 0.75 * (Math.Log(0.75) + 2) + 0.5 * (Math.Log(0.5) + 0.5) + 0.5 * (Math.Log(0.5) + 3)) / 2;
        using var l = loss.Forward(x, t);
        Assert.That(l.Item<double>(), Is.EqualTo(expected).Within(1e-12));
        Assert.That(loss.ToString(), Is.EqualTo("KLDivLoss(reduction='batchmean')"));
    }

    [Test]
    public void MismatchedShapesNameTheLossAndBothShapes()
    {
        using var loss = new MSELoss();
        using var x = Tensor.Zeros(4, 3);
        using var t = Tensor.Zeros(4);
        var e = Assert.Throws<ShapeMismatchException>(() => loss.Forward(x, t));
        Assert.That(e!.Message, Is.EqualTo("MSELoss: the input has shape [4, 3] but the target has shape [4]; they must be the same"));
    }

    [Test]
    public void IntegerTargetsForBceAreRejected()
    {
        using var loss = new BCELoss();
        using var x = Tensor.Zeros(2);
        using var t = Tensor.Zeros(new long[] { 2 }, DType.Int64);
        var e = Assert.Throws<DTypeException>(() => loss.Forward(x, t));
        Assert.That(e!.Message, Does.Contain("BCELoss: the target is Int64"));
    }
}
