using System.Collections.Generic;

namespace Wick.Tests.Autograd;

public class HookTests
{
    [Test]
    public void AHookOnANonLeafSeesItsGradientAndMayReplaceIt()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        var h = x * 3.0;
        double[]? seen = null;
        h.RegisterHook(g => { seen = g.ToArray<double>(); return g * 10.0; });
        (h * h).Sum().Backward();  // dL/dh = 2h = (6, 12); replaced by (60, 120); dL/dx = 3 * that
        Assert.That(seen, Is.EqualTo(new double[] { 6, 12 }));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 180, 360 }));
    }

    [Test]
    public void AHookOnALeafRunsBeforeAccumulation()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        x.RegisterHook(g => -g);
        (x * 2.0).Sum().Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { -2, -2 }));
    }

    [Test]
    public void AHookThatReturnsNullKeepsTheGradient()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        int calls = 0;
        x.RegisterHook(_ => { calls++; return null; });
        (x * 2.0).Sum().Backward();
        Assert.That(calls, Is.EqualTo(1));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, 2 }));
    }

    [Test]
    public void RemovedHooksNoLongerRunAndHooksRunInRegistrationOrder()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1 }).SetRequiresGrad();
        var order = new List<string>();
        var first = x.RegisterHook(g => { order.Add("first"); return g + 1.0; });
        x.RegisterHook(g => { order.Add("second"); return g * 2.0; });
        (x * 1.0).Sum().Backward();
        Assert.That(order, Is.EqualTo(new[] { "first", "second" }));
        Assert.That(x.Grad!.Item<double>(), Is.EqualTo(4));  // (1 + 1) * 2
        first.Remove();
        x.Grad = null;
        (x * 1.0).Sum().Backward();
        Assert.That(x.Grad!.Item<double>(), Is.EqualTo(2));
    }

    [Test]
    public void RetainGradKeepsANonLeafsGradient()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        var h = x * 3.0;
        var other = x * 4.0;
        h.RetainGrad();
        Assert.That(h.RetainsGrad, Is.True);
        (h * h).Sum().Backward();
        Assert.That(h.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 6, 12 }));
        Assert.That(other.Grad, Is.Null, "non-leaves keep no gradient unless asked");
    }

    [Test]
    public void RetainedGradientsAccumulateAcrossBackwardPasses()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1 }).SetRequiresGrad();
        var h = x * 3.0;
        h.RetainGrad();
        var loss = (h * 2.0).Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        Assert.That(h.Grad!.Item<double>(), Is.EqualTo(4));
    }

    [Test]
    public void HooksAndRetainGradRequireATensorThatRequiresGrad()
    {
        using var t = Tensor.FromArray(new double[] { 1 });
        Assert.That(() => t.RegisterHook(g => g), Throws.InvalidOperationException.With.Message.Contains("does not require grad"));
        Assert.That(() => t.RetainGrad(), Throws.InvalidOperationException.With.Message.Contains("does not require grad"));
    }
}
