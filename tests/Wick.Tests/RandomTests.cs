using System;
using System.Linq;

namespace Wick.Tests;

public class RandomTests
{
    [Test]
    public void TheSameSeedGivesTheSameNumbers()
    {
        using var g1 = new Generator(1234);
        using var g2 = new Generator(1234);
        using var a = Tensor.RandN(new long[] { 1000 }, generator: g1);
        using var b = Tensor.RandN(new long[] { 1000 }, generator: g2);
        Assert.That(a.ToArray<float>(), Is.EqualTo(b.ToArray<float>()));
        using var c = Tensor.RandN(new long[] { 1000 }, generator: g1);
        Assert.That(c.ToArray<float>(), Is.Not.EqualTo(a.ToArray<float>()), "the offset advances");
    }

    [Test]
    public void ElementIDependsOnlyOnSeedOffsetAndI()
    {
        // Two fills of 10 then 20 elements equal one fill of 30: counters are consecutive.
        using var g = new Generator(99);
        using var first = Tensor.Rand(new long[] { 10 }, generator: g);
        using var second = Tensor.Rand(new long[] { 20 }, generator: g);
        g.SetState(99, 0);
        using var whole = Tensor.Rand(new long[] { 30 }, generator: g);
        Assert.That(first.ToArray<float>().Concat(second.ToArray<float>()), Is.EqualTo(whole.ToArray<float>()));
    }

    [Test]
    public void NonContiguousFillsFollowTheLogicalOrder()
    {
        using var g = new Generator(5);
        using var m = Tensor.Zeros(4, 3);
        using var t = m.T;
        t.UniformInPlace(generator: g);
        g.SetState(5, 0);
        using var expected = Tensor.Rand(new long[] { 3, 4 }, generator: g);
        Assert.That(t.ToArray<float>(), Is.EqualTo(expected.ToArray<float>()));
    }

    [Test]
    public void UniformIsInRangeWithTheRightMoments()
    {
        using var g = new Generator(7);
        using var u = Tensor.Rand(new long[] { 200_000 }, DType.Float64, generator: g);
        double[] v = u.ToArray<double>();
        Assert.That(v.Min(), Is.GreaterThanOrEqualTo(0));
        Assert.That(v.Max(), Is.LessThan(1));
        Assert.That(v.Average(), Is.EqualTo(0.5).Within(0.005));
        Assert.That(v.Select(x => (x - 0.5) * (x - 0.5)).Average(), Is.EqualTo(1.0 / 12).Within(0.002));
    }

    [Test]
    public void NormalHasTheRightMoments()
    {
        using var g = new Generator(8);
        using var n = Tensor.RandN(new long[] { 200_000 }, generator: g);
        float[] v = n.ToArray<float>();
        double mean = v.Average(x => (double)x);
        double var = v.Average(x => (x - mean) * (x - mean));
        Assert.That(mean, Is.EqualTo(0).Within(0.01));
        Assert.That(var, Is.EqualTo(1).Within(0.02));
        Assert.That(v.Count(x => Math.Abs(x) > 3) / (double)v.Length, Is.EqualTo(0.0027).Within(0.001));
    }

    [Test]
    public void RandIntCoversTheRangeUniformly()
    {
        using var g = new Generator(9);
        using var r = Tensor.RandInt(-3, 4, new long[] { 70_000 }, generator: g);
        long[] v = r.ToArray<long>();
        Assert.That(v.Min(), Is.EqualTo(-3));
        Assert.That(v.Max(), Is.EqualTo(3));
        foreach (var group in v.GroupBy(x => x)) Assert.That(group.Count(), Is.EqualTo(10_000).Within(500));
    }

    [Test]
    public void BernoulliHasTheRequestedProbability()
    {
        using var g = new Generator(10);
        using var b = Tensor.Bernoulli(0.3, new long[] { 100_000 }, generator: g);
        Assert.That(b.ToArray<float>().Average(), Is.EqualTo(0.3).Within(0.01));
    }

    [Test]
    public void ManualSeedMakesTheDefaultGeneratorReproducible()
    {
        Tensor.ManualSeed(42);
        using var a = Tensor.Rand(5);
        Tensor.ManualSeed(42);
        using var b = Tensor.Rand(5);
        Assert.That(a.ToArray<float>(), Is.EqualTo(b.ToArray<float>()));
    }

    [Test]
    public void BadParametersAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Tensor.RandInt(5, 5, new long[] { 2 }));
        Assert.Throws<ArgumentException>(() => Tensor.Bernoulli(1.5, new long[] { 2 }));
        using var t = Tensor.Zeros(2);
        Assert.Throws<ArgumentException>(() => t.NormalInPlace(0, -1));
        using var i = Tensor.Zeros(new long[] { 2 }, DType.Int64);
        Assert.That(Assert.Throws<DTypeException>(() => i.UniformInPlace())!.Message, Does.Contain("RandInt"));
    }
}
