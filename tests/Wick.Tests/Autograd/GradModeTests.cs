using System;
using System.Threading;
using System.Threading.Tasks;

namespace Wick.Tests.Autograd;

public class GradModeTests
{
    [Test]
    public void NoGradStopsRecordingAndRestoresOnDispose()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        Tensor y;
        using (Wick.Autograd.NoGrad())
        {
            Assert.That(Wick.Autograd.IsGradEnabled, Is.False);
            y = x * 2.0;
        }
        Assert.That(Wick.Autograd.IsGradEnabled, Is.True);
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(y.GradFn, Is.Null);
        Assert.That((x * 2.0).RequiresGrad, Is.True);
    }

    [Test]
    public void ScopesNest()
    {
        using (Wick.Autograd.NoGrad())
        {
            using (Wick.Autograd.EnableGrad())
            {
                Assert.That(Wick.Autograd.IsGradEnabled, Is.True);
                using (Wick.Autograd.SetGradEnabled(false)) Assert.That(Wick.Autograd.IsGradEnabled, Is.False);
                Assert.That(Wick.Autograd.IsGradEnabled, Is.True);
            }
            Assert.That(Wick.Autograd.IsGradEnabled, Is.False);
            using (Wick.Autograd.NoGrad()) Assert.That(Wick.Autograd.IsGradEnabled, Is.False);
            Assert.That(Wick.Autograd.IsGradEnabled, Is.False);
        }
        Assert.That(Wick.Autograd.IsGradEnabled, Is.True);
    }

    [Test]
    public void DisposingAScopeTwiceRestoresOnlyOnce()
    {
        var outer = Wick.Autograd.NoGrad();
        var inner = Wick.Autograd.EnableGrad();
        inner.Dispose();
        inner.Dispose();
        Assert.That(Wick.Autograd.IsGradEnabled, Is.False);
        outer.Dispose();
        Assert.That(Wick.Autograd.IsGradEnabled, Is.True);
    }

    [Test]
    public async Task NoGradFlowsAcrossAwait()
    {
        using (Wick.Autograd.NoGrad())
        {
            await Task.Delay(5).ConfigureAwait(false);  // resumes on a thread-pool thread
            Assert.That(Wick.Autograd.IsGradEnabled, Is.False);
            bool inTask = await Task.Run(() => Wick.Autograd.IsGradEnabled).ConfigureAwait(false);
            Assert.That(inTask, Is.False, "a task started inside the scope inherits it");
        }
        Assert.That(Wick.Autograd.IsGradEnabled, Is.True);
    }

    [Test]
    public async Task ScopeSetInsideAnAsyncMethodDoesNotLeakToItsCaller()
    {
        static async Task<bool> InnerAsync()
        {
            var s = Wick.Autograd.NoGrad();  // deliberately left open: must not reach the caller
            await Task.Yield();
            GC.KeepAlive(s);
            return Wick.Autograd.IsGradEnabled;
        }
        bool inner = await InnerAsync();
        Assert.That(inner, Is.False);
        Assert.That(Wick.Autograd.IsGradEnabled, Is.True);
    }

    [Test]
    public void NoGradDoesNotReachAThreadStartedElsewhere()
    {
        using var started = new ManualResetEventSlim();
        using var check = new ManualResetEventSlim();
        bool seen = false;
        var thread = new Thread(() =>
        {
            started.Set();
            check.Wait();
            seen = Wick.Autograd.IsGradEnabled;
        });
        thread.Start();  // before the scope exists: it does not inherit it
        started.Wait();
        using (Wick.Autograd.NoGrad())
        {
            check.Set();
            thread.Join();
        }
        Assert.That(seen, Is.True);
    }

    [Test]
    public void InPlaceUpdateOfAParameterIsAllowedInsideNoGrad()
    {
        using var scope = DisposeScope.Begin();
        var w = Tensor.FromArray(new double[] { 1, 2 }).SetRequiresGrad();
        (w * w).Sum().Backward();
        using (Wick.Autograd.NoGrad()) w.SubInPlace(w.Grad! * 0.5);
        Assert.That(w.ToArray<double>(), Is.EqualTo(new double[] { 0, 0 }));
        Assert.That(w.IsLeaf && w.RequiresGrad, Is.True);
    }
}
