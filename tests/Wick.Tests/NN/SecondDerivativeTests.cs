using System;
using Wick.NN;

namespace Wick.Tests.NN;

/// <summary>
/// Layers whose gradient is a fused native kernel (not recorded by autograd) refuse a backward pass with createGraph,
/// instead of returning second derivatives that silently miss their terms; layers whose gradient is built from
/// Tensor ops (Dropout) stay twice differentiable.
/// </summary>
public class SecondDerivativeTests
{
    [Test]
    public void CreateGraphThroughSoftmaxIsRefusedByName()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.RandN(new long[] { 3, 4 }, DType.Float64, generator: new Generator(1)).SetRequiresGrad();
        var y = new Softmax(1).Forward(x);
        var loss = (y * y).Sum();
        var e = Assert.Throws<NotSupportedException>(() => Wick.Autograd.Grad(loss, x, createGraph: true));
        Assert.That(e!.Message, Does.Contain("Softmax").And.Contain("createGraph"));
    }

    [Test]
    public void CreateGraphThroughConv2dIsRefusedButAPlainBackwardWorks()
    {
        using var scope = DisposeScope.Begin();
        using var conv = new Conv2d(2, 3, 3, dtype: DType.Float64, generator: new Generator(2));
        var x = Tensor.RandN(new long[] { 1, 2, 5, 5 }, DType.Float64, generator: new Generator(3)).SetRequiresGrad();
        var e = Assert.Throws<NotSupportedException>(() => Wick.Autograd.Grad(conv.Forward(x).Square().Sum(), x, createGraph: true));
        Assert.That(e!.Message, Does.Contain("Conv"));
        conv.Forward(x).Square().Sum().Backward();
        Assert.That(x.Grad, Is.Not.Null);
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
