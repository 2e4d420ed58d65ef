using System;
using System.Linq;

namespace Wick.Tests.Support;

/// <summary>
/// A plain float64 n-d array with row-major loops: the independent reference the kernels are
/// compared with. Deliberately naive: no strides, no vectorisation, no shared code with Wick.
/// </summary>
public sealed class Reference
{
    public double[] Data { get; }
    public long[] Shape { get; }

    public Reference(double[] data, params long[] shape)
    {
        if (data.Length != shape.Aggregate(1L, (a, b) => a * b)) throw new ArgumentException("data length does not match shape");
        Data = data;
        Shape = shape;
    }

    /// <summary>Reads a tensor's values (any dtype) as float64.</summary>
    public static Reference Of(Tensor t)
    {
        using Tensor d = t.To(DType.Float64);
        return new Reference(d.ToArray<double>(), t.Shape);
    }

    public static long[] BroadcastShape(long[] a, long[] b)
    {
        int n = Math.Max(a.Length, b.Length);
        var r = new long[n];
        for (int i = 0; i < n; ++i)
        {
            long sa = i - (n - a.Length) >= 0 ? a[i - (n - a.Length)] : 1;
            long sb = i - (n - b.Length) >= 0 ? b[i - (n - b.Length)] : 1;
            if (sa != sb && sa != 1 && sb != 1) throw new ArgumentException("not broadcastable");
            r[i] = sa == 1 ? sb : sa;
        }
        return r;
    }

    /// <summary>The element of this array that broadcasts to multi-index `idx` of shape `target`.</summary>
    public double At(long[] idx, long[] target)
    {
        long flat = 0;
        int lead = target.Length - Shape.Length;
        for (int d = 0; d < Shape.Length; ++d)
        {
            long i = Shape[d] == 1 ? 0 : idx[d + lead];
            flat = flat * Shape[d] + i;
        }
        return Data[flat];
    }

    public static Reference Zip(Reference a, Reference b, Func<double, double, double> f)
    {
        long[] shape = BroadcastShape(a.Shape, b.Shape);
        long n = shape.Aggregate(1L, (x, y) => x * y);
        var data = new double[n];
        var idx = new long[shape.Length];
        for (long k = 0; k < n; ++k)
        {
            long rem = k;
            for (int d = shape.Length - 1; d >= 0; --d) { idx[d] = rem % shape[d]; rem /= shape[d]; }
            data[k] = f(a.At(idx, shape), b.At(idx, shape));
        }
        return new Reference(data, shape);
    }

    public Reference Map(Func<double, double> f) => new(Data.Select(f).ToArray(), Shape);

    /// <summary>Reduces the given dims (all when empty) with a function of the lane's values.</summary>
    public Reference Reduce(int[] dims, bool keepDim, Func<double[], double> f)
    {
        int nd = Shape.Length;
        var reduced = new bool[nd];
        if (dims.Length == 0) for (int d = 0; d < nd; ++d) reduced[d] = true;
        foreach (int d in dims) reduced[d < 0 ? d + nd : d] = true;
        long[] keepShape = Shape.Select((s, d) => reduced[d] ? 1L : s).ToArray();
        long outN = keepShape.Aggregate(1L, (x, y) => x * y);
        var lanes = new System.Collections.Generic.List<double>[outN];
        for (long o = 0; o < outN; ++o) lanes[o] = new();
        var idx = new long[nd];
        for (long k = 0; k < Data.Length; ++k)
        {
            long rem = k;
            for (int d = nd - 1; d >= 0; --d) { idx[d] = rem % Shape[d]; rem /= Shape[d]; }
            long o = 0;
            for (int d = 0; d < nd; ++d) o = o * keepShape[d] + (reduced[d] ? 0 : idx[d]);
            lanes[o].Add(Data[k]);
        }
        long[] outShape = keepDim ? keepShape : Shape.Where((s, d) => !reduced[d]).ToArray();
        return new Reference(lanes.Select(l => f(l.ToArray())).ToArray(), outShape);
    }

    /// <summary>Batched matrix product with numpy/PyTorch matmul rules, in float64.</summary>
    public static Reference MatMul(Reference a, Reference b)
    {
        bool aVec = a.Shape.Length == 1, bVec = b.Shape.Length == 1;
        long[] ash = aVec ? new[] { 1L, a.Shape[0] } : a.Shape;
        long[] bsh = bVec ? new[] { b.Shape[0], 1L } : b.Shape;
        long n = ash[^2], k = ash[^1], m = bsh[^1];
        if (bsh[^2] != k) throw new ArgumentException("inner dimensions differ");
        long[] batch = BroadcastShape(ash[..^2], bsh[..^2]);
        long nb = batch.Aggregate(1L, (x, y) => x * y);
        var aa = new Reference(a.Data, ash);
        var bb = new Reference(b.Data, bsh);
        var outData = new double[nb * n * m];
        var bidx = new long[batch.Length];
        for (long bi = 0; bi < nb; ++bi)
        {
            long rem = bi;
            for (int d = batch.Length - 1; d >= 0; --d) { bidx[d] = rem % batch[d]; rem /= batch[d]; }
            for (long i = 0; i < n; ++i)
            for (long j = 0; j < m; ++j)
            {
                double s = 0;
                for (long p = 0; p < k; ++p)
                    s += aa.At(bidx.Concat(new[] { i, p }).ToArray(), batch.Concat(new[] { n, k }).ToArray())
                       * bb.At(bidx.Concat(new[] { p, j }).ToArray(), batch.Concat(new[] { k, m }).ToArray());
                outData[(bi * n + i) * m + j] = s;
            }
        }
        var shape = batch.ToList();
        if (!aVec) shape.Add(n);
        if (!bVec) shape.Add(m);
        return new Reference(outData, shape.ToArray());
    }
}
