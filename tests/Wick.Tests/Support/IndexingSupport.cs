using System;
using System.Linq;

namespace Wick.Tests;

/// <summary>
/// A plain row-major array of doubles with a shape: the reference side of the indexing and shape
/// tests. References are computed with loops over these, never with the code under test.
/// </summary>
internal sealed class Nd
{
    public double[] Data { get; }
    public long[] Shape { get; }

    public Nd(double[] data, params long[] shape)
    {
        if (data.Length != Numel(shape)) throw new ArgumentException($"{data.Length} values for shape [{string.Join(", ", shape)}]");
        Data = data;
        Shape = shape;
    }

    public static long Numel(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    public static Nd Zeros(params long[] shape) => new(new double[Numel(shape)], shape);

    /// <summary>Distinct, non-integer-looking values so a misplaced element is always visible.</summary>
    public static Nd Sequence(params long[] shape) =>
        new(Enumerable.Range(0, checked((int)Numel(shape))).Select(i => i * 1.5 - 7.25).ToArray(), shape);

    public static Nd Random(int seed, double lo, double hi, params long[] shape)
    {
        var rng = new Random(seed);
        return new(Enumerable.Range(0, checked((int)Numel(shape))).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray(), shape);
    }

    public int Ndim => Shape.Length;

    public long[] Strides
    {
        get
        {
            var s = new long[Shape.Length];
            long acc = 1;
            for (int i = Shape.Length - 1; i >= 0; --i)
            {
                s[i] = acc;
                acc *= Shape[i];
            }
            return s;
        }
    }

    public long Offset(long[] idx)
    {
        long[] st = Strides;
        long off = 0;
        for (int i = 0; i < idx.Length; ++i) off += idx[i] * st[i];
        return off;
    }

    public double this[params long[] idx]
    {
        get => Data[Offset(idx)];
        set => Data[Offset(idx)] = value;
    }

    /// <summary>The multi-index of flat position <paramref name="flat"/> in row-major order.</summary>
    public static long[] Unravel(long flat, long[] shape)
    {
        var idx = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; --d)
        {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    public static Nd Of(Tensor t)
    {
        using Tensor d = t.To(DType.Float64);
        return new Nd(d.ToArray<double>(), t.Shape);
    }

    /// <summary>A contiguous tensor holding these values.</summary>
    public Tensor ToTensor(DType dtype = DType.Float64)
    {
        using Tensor t = Tensor.FromArray(Data, Shape);
        return t.To(dtype, Device.Cpu, copy: true);
    }

    /// <summary>
    /// A non-contiguous tensor holding these values: every dimension stepped by 2 inside a larger
    /// buffer (so no stride is the contiguous one), or for 0-d a plain scalar.
    /// </summary>
    public Tensor ToStrided(DType dtype = DType.Float64)
    {
        if (Ndim == 0) return ToTensor(dtype);
        long[] big = Shape.Select(s => Math.Max(2 * s, 1)).ToArray();
        var buffer = new double[Numel(big)];
        var bigNd = new Nd(buffer, big);
        for (long i = 0; i < Data.Length; ++i)
        {
            long[] idx = Unravel(i, Shape);
            bigNd[idx.Select(v => 2 * v).ToArray()] = Data[i];
        }
        using Tensor whole = bigNd.ToTensor(dtype);
        var indices = Shape.Select(s => TensorIndex.Slice(0, 2 * s, 2)).ToArray();
        return whole.Index(indices);
    }

    /// <summary>A tensor holding these values whose last two dimensions are stored transposed.</summary>
    public Tensor ToTransposed(DType dtype = DType.Float64)
    {
        if (Ndim < 2) return ToStrided(dtype);
        int n = Ndim;
        var swapped = (long[])Shape.Clone();
        (swapped[n - 1], swapped[n - 2]) = (swapped[n - 2], swapped[n - 1]);
        var t = Zeros(swapped);
        for (long i = 0; i < Data.Length; ++i)
        {
            long[] idx = Unravel(i, Shape);
            var sidx = (long[])idx.Clone();
            (sidx[n - 1], sidx[n - 2]) = (sidx[n - 2], sidx[n - 1]);
            t[sidx] = Data[i];
        }
        using Tensor c = t.ToTensor(dtype);
        return c.Transpose(n - 1, n - 2);
    }
}

/// <summary>The three layouts every op is tested on.</summary>
public enum Layout
{
    Contiguous,
    Strided,
    Transposed,
}

internal static class LayoutExtensions
{
    public static Tensor Make(this Layout layout, Nd values, DType dtype = DType.Float64) => layout switch
    {
        Layout.Contiguous => values.ToTensor(dtype),
        Layout.Strided => values.ToStrided(dtype),
        _ => values.ToTransposed(dtype),
    };

    public static Tensor Longs(params long[] values) => Tensor.FromArray(values);
}

internal static class Expect
{
    /// <summary>Values and shape equal (exactly: these ops move values, they do not compute new ones).</summary>
    public static void Same(Tensor actual, Nd expected)
    {
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape), "shape");
        Assert.That(Nd.Of(actual).Data, Is.EqualTo(expected.Data), "values");
    }

    public static void Longs(Tensor actual, long[] shape, long[] values)
    {
        Assert.That(actual.DType, Is.EqualTo(DType.Int64), "dtype");
        Assert.That(actual.Shape, Is.EqualTo(shape), "shape");
        Assert.That(actual.ToArray<long>(), Is.EqualTo(values), "values");
    }
}
