using System;
using System.Linq;

namespace Wick.Tests;

// Pad (constant, reflect, replicate, circular) over 1 to 3 trailing dimensions, and its gradient.
public class PadTests
{
    // Source position along one dimension of size n for output position j (before = padding
    // before), or -1 for the constant value.
    private static long Source(PaddingMode mode, long j, long before, long n)
    {
        long i = j - before;
        return mode switch
        {
            PaddingMode.Constant => i >= 0 && i < n ? i : -1,
            PaddingMode.Reflect => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i,
            PaddingMode.Replicate => Math.Clamp(i, 0, n - 1),
            _ => ((i % n) + n) % n,
        };
    }

    private static long[] PaddedShape(long[] shape, long[] pad)
    {
        var r = (long[])shape.Clone();
        for (int k = 0; k < pad.Length / 2; ++k) r[shape.Length - 1 - k] += pad[2 * k] + pad[2 * k + 1];
        return r;
    }

    private static Nd PadRef(Nd x, long[] pad, PaddingMode mode, double value)
    {
        var shape = PaddedShape(x.Shape, pad);
        var r = Nd.Zeros(shape);
        for (long i = 0; i < r.Data.Length; ++i)
        {
            long[] idx = Nd.Unravel(i, shape);
            var src = (long[])idx.Clone();
            bool fill = false;
            for (int k = 0; k < pad.Length / 2; ++k)
            {
                int d = x.Ndim - 1 - k;
                src[d] = Source(mode, idx[d], pad[2 * k], x.Shape[d]);
                fill |= src[d] < 0;
            }
            r.Data[i] = fill ? value : x[src];
        }
        return r;
    }

    private static readonly long[][] Paddings =
    {
        new long[] { 1, 2 },
        new long[] { 0, 3, 2, 1 },
        new long[] { 2, 1, 1, 0, 1, 2 },
        new long[] { -1, 2 },
        new long[] { 3, -2, 0, 0 },
    };

    [Test]
    public void PadMatchesTheDefinitionForEveryMode([Values] PaddingMode mode, [Values] Layout layout, [Values(0, 1, 2, 3, 4)] int which)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Random(1, -5, 5, 2, 3, 4, 5);
        long[] pad = Paddings[which];
        double value = mode == PaddingMode.Constant ? 2.5 : 0;
        Expect.Same(layout.Make(x).Pad(pad, mode, value), PadRef(x, pad, mode, value));
    }

    [Test]
    public void ConstantPadOfOneDimensionalAndIntegerTensors()
    {
        using var scope = DisposeScope.Begin();
        Assert.That(Tensor.FromArray(new[] { 0.0, 1, 2 }).Pad(new long[] { 1, 1 }, value: 9).ToArray<double>(),
                    Is.EqualTo(new[] { 9.0, 0, 1, 2, 9 }));
        Assert.That(Tensor.Arange(3).Pad(new long[] { 2, 0 }, value: -4).ToArray<long>(), Is.EqualTo(new long[] { -4, -4, 0, 1, 2 }));
        Assert.That(Tensor.Arange(5).Pad(new long[] { -2, -3 }).Shape, Is.EqualTo(new long[] { 0 }));
        var reflected = Tensor.Arange(5).Reshape(1, 5).Pad(new long[] { 4, 4 }, PaddingMode.Reflect);
        Assert.That(reflected.ToArray<long>(), Is.EqualTo(new long[] { 4, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1, 0 }));
        Assert.That(Tensor.Arange(5).Reshape(1, 5).Pad(new long[] { -1, 2 }, PaddingMode.Reflect).ToArray<long>(),
                    Is.EqualTo(new long[] { 1, 2, 3, 4, 3, 2 }));
        Assert.That(Tensor.Arange(5).Reshape(1, 5).Pad(new long[] { 2, 3 }, PaddingMode.Circular).ToArray<long>(),
                    Is.EqualTo(new long[] { 3, 4, 0, 1, 2, 3, 4, 0, 1, 2 }));
        Assert.That(Tensor.Scalar(1.0).Pad(Array.Empty<long>()).Item<float>(), Is.EqualTo(1f));
    }

    [Test]
    public void PadRefusesBadPaddings()
    {
        using var scope = DisposeScope.Begin();
        var x = Tensor.Ones(1, 1, 5);
        var ae = Assert.Throws<ArgumentException>(() => x.Pad(new long[] { 1 }));
        Assert.That(ae!.Message, Does.Contain("pad: the padding length must be even"));
        ae = Assert.Throws<ArgumentException>(() => x.Pad(new long[] { 1, 1, 1, 1, 1, 1, 1, 1 }));
        Assert.That(ae!.Message, Does.Contain("pad: 8 padding values pad 4 dimensions but the tensor has only 3"));
        ae = Assert.Throws<ArgumentException>(() => x.Pad(new long[] { 5, 0 }, PaddingMode.Reflect));
        Assert.That(ae!.Message, Does.Contain("pad: reflect padding must be less than the size of the padded dimension: padding (5, 0) at dimension 2"));
        ae = Assert.Throws<ArgumentException>(() => x.Pad(new long[] { 6, 0 }, PaddingMode.Circular));
        Assert.That(ae!.Message, Does.Contain("pad: circular padding (6, 0) wraps around dimension 2 (size 5) more than once"));
        ae = Assert.Throws<ArgumentException>(() => Tensor.Zeros(1, 0).Pad(new long[] { 1, 1 }, PaddingMode.Replicate));
        Assert.That(ae!.Message, Does.Contain("pad: replicate padding needs a non-empty dimension"));
        ae = Assert.Throws<ArgumentException>(() => x.Pad(new long[] { 1, 1 }, PaddingMode.Reflect, value: 3));
        Assert.That(ae!.Message, Does.Contain("pad: padding mode reflect does not take a value"));
        var sh = Assert.Throws<ShapeMismatchException>(() => x.Pad(new long[] { -3, -3 }));
        Assert.That(sh!.Message, Does.Contain("pad: padding (-3, -3) makes dimension 2 (size 5) negative (-1)"));
    }

    // The gradient: every output position adds into the input position it read (a loop over PadRef's map).
    [Test]
    public void PadBackwardAccumulatesIntoTheSourcePositions([Values] PaddingMode mode, [Values(0, 1, 2)] int which)
    {
        using var scope = DisposeScope.Begin();
        var x = Nd.Zeros(2, 3, 4, 5);
        long[] pad = Paddings[which];
        var outShape = PaddedShape(x.Shape, pad);
        var grad = Nd.Random(3, -1, 1, outShape);
        var expected = Nd.Zeros(x.Shape);
        for (long i = 0; i < grad.Data.Length; ++i)
        {
            long[] idx = Nd.Unravel(i, outShape);
            bool skip = false;
            for (int k = 0; k < pad.Length / 2; ++k)
            {
                int d = x.Ndim - 1 - k;
                idx[d] = Source(mode, idx[d], pad[2 * k], x.Shape[d]);
                skip |= idx[d] < 0;
            }
            if (!skip) expected[idx] += grad.Data[i];
        }
        var g = Kernels.PadBackward(grad.ToStrided(), x.Shape, pad, mode);
        Assert.That(g.Shape, Is.EqualTo(x.Shape));
        Assert.That(Nd.Of(g).Data, Is.EqualTo(expected.Data).Within(1e-12));
    }

    [Test]
    public void PadBackwardRefusesAGradientOfTheWrongShape()
    {
        using var scope = DisposeScope.Begin();
        var sh = Assert.Throws<ShapeMismatchException>(() => Kernels.PadBackward(Tensor.Ones(2, 3), new long[] { 2, 3 }, new long[] { 1, 1 }, PaddingMode.Constant));
        Assert.That(sh!.Message, Does.Contain("pad_backward: grad has shape [2, 3] but padding [2, 3] gives [2, 5]"));
        var dt = Assert.Throws<DTypeException>(() => Kernels.PadBackward(Tensor.Arange(3), new long[] { 3 }, Array.Empty<long>(), PaddingMode.Constant));
        Assert.That(dt!.Message, Does.Contain("pad_backward: gradients must be floating point"));
    }
}
