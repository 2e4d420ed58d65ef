using System;

namespace Wick.Tests;

/// <summary>
/// Matrix products (MatMul, Bmm, AddMM, Outer, Dot, Mv) against float64 triple loops, on awkward
/// sizes (1xN, Nx1, k = 0, sizes that are not multiples of the kernel tile), transposed and sliced
/// operands read in place, and the errors a caller can cause.
/// </summary>
public class LinalgTests
{
    // c[b, i, j] = sum_p a[b, i, p] * w[b, p, j] from row-major double arrays.
    private static double[] RefBmm(double[] a, double[] b, long batch, long n, long k, long m, bool broadcastB = false)
    {
        var c = new double[batch * n * m];
        for (long bi = 0; bi < batch; ++bi)
            for (long i = 0; i < n; ++i)
                for (long j = 0; j < m; ++j)
                {
                    double s = 0;
                    long bo = broadcastB ? 0 : bi * k * m;
                    for (long p = 0; p < k; ++p) s += a[bi * n * k + i * k + p] * b[bo + p * m + j];
                    c[bi * n * m + i * m + j] = s;
                }
        return c;
    }

    private static readonly long[][] Sizes =
    {
        new long[] { 1, 1, 1 }, new long[] { 1, 37, 5 }, new long[] { 37, 1, 5 }, new long[] { 5, 7, 0 },
        new long[] { 7, 17, 3 }, new long[] { 13, 33, 9 }, new long[] { 25, 49, 31 }, new long[] { 64, 64, 64 },
        new long[] { 97, 131, 257 }, new long[] { 3, 300, 2 },
    };

    [Test]
    public void MatMulMatchesTripleLoopOnAwkwardSizesInBothFloatTypes([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        ulong seed = 1;
        foreach (var s in Sizes)
        {
            long n = s[0], m = s[1], k = s[2];
            using var a = KernelRef.RandN(seed++, dtype, n, k);
            using var b = KernelRef.RandN(seed++, dtype, k, m);
            using var c = a.MatMul(b);
            var (rtol, atol) = KernelRef.Tol(dtype, Math.Max(1, k / 16.0));
            KernelRef.AssertClose(c, RefBmm(KernelRef.Values(a), KernelRef.Values(b), 1, n, k, m), new[] { n, m }, rtol, atol, $"{n}x{k} @ {k}x{m}");
            Assert.That(c.DType, Is.EqualTo(dtype));
        }
    }

    [Test]
    public void MatMulReadsTransposedAndSlicedOperandsInPlace([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        // a: the transpose of a (k, n) tensor; b: every other column of a wider tensor.
        const long n = 19, k = 23, m = 29;
        using var at = KernelRef.RandN(5, dtype, k, n);
        using var a = at.T;
        using var wide = KernelRef.RandN(6, dtype, k, 2 * m);
        using var b = wide.Slice(1, 1, 2 * m, 2);
        Assert.That(a.IsContiguous, Is.False);
        Assert.That(b.IsContiguous, Is.False);
        using var c = a.MatMul(b);
        var (rtol, atol) = KernelRef.Tol(dtype, 2);
        KernelRef.AssertClose(c, RefBmm(KernelRef.Values(a), KernelRef.Values(b), 1, n, k, m), new[] { n, m }, rtol, atol);
    }

    [Test]
    public void MatMulBroadcastsBatchesAndVectors()
    {
        using var a = KernelRef.RandN(7, 3, 1, 5, 6);   // (3, 1, 5, 6)
        using var b = KernelRef.RandN(8, 4, 6, 7);      // (4, 6, 7) -> batch (3, 4)
        using var c = a.MatMul(b);
        Assert.That(c.Shape, Is.EqualTo(new long[] { 3, 4, 5, 7 }));
        var av = KernelRef.Values(a);
        var bv = KernelRef.Values(b);
        var expect = new double[3 * 4 * 5 * 7];
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 4; ++j)
            {
                var blk = RefBmm(av[(i * 30)..(i * 30 + 30)], bv[(j * 42)..(j * 42 + 42)], 1, 5, 6, 7);
                Array.Copy(blk, 0, expect, (i * 4 + j) * 35, 35);
            }
        KernelRef.AssertClose(c, expect, new long[] { 3, 4, 5, 7 }, 2e-4, 2e-5);

        // (B, n, k) @ (k, m): the batches fold into one tall product.
        using var x = KernelRef.RandN(9, 4, 9, 6);
        using var w = KernelRef.RandN(10, 6, 11);
        using var y = x.MatMul(w);
        KernelRef.AssertClose(y, RefBmm(KernelRef.Values(x), KernelRef.Values(w), 4, 9, 6, 11, broadcastB: true), new long[] { 4, 9, 11 }, 2e-4, 2e-5);

        // vector @ matrix, matrix @ vector, vector @ vector.
        using var v = KernelRef.RandN(11, 6);
        using var vw = v.MatMul(w);
        KernelRef.AssertClose(vw, RefBmm(KernelRef.Values(v), KernelRef.Values(w), 1, 1, 6, 11), new long[] { 11 }, 2e-4, 2e-5);
        using var wt = w.T;
        using var u = KernelRef.RandN(12, 11);
        using var wu = w.MatMul(u);
        KernelRef.AssertClose(wu, RefBmm(KernelRef.Values(w), KernelRef.Values(u), 1, 6, 11, 1), new long[] { 6 }, 2e-4, 2e-5);
        using var vv = v.MatMul(v);
        Assert.That(vv.Dim, Is.EqualTo(0));
    }

    [Test]
    public void IntegerMatMulUsesExactArithmetic()
    {
        using var a = Tensor.FromArray(new long[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        using var b = Tensor.FromArray(new long[,] { { 7, 8 }, { 9, 10 }, { 11, 12 } });
        using var c = a.MatMul(b);
        Assert.That(c.DType, Is.EqualTo(DType.Int64));
        Assert.That(c.ToArray<long>(), Is.EqualTo(new long[] { 58, 64, 139, 154 }));
    }

    [Test]
    public void BmmMultipliesEachBatchAndRejectsBroadcasting([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        using var a = KernelRef.RandN(13, dtype, 3, 10, 17);
        using var bt = KernelRef.RandN(14, dtype, 3, 21, 17);
        using var b = bt.Transpose(1, 2);  // (3, 17, 21), column-major batches
        using var c = a.Bmm(b);
        var (rtol, atol) = KernelRef.Tol(dtype, 2);
        KernelRef.AssertClose(c, RefBmm(KernelRef.Values(a), KernelRef.Values(b), 3, 10, 17, 21), new long[] { 3, 10, 21 }, rtol, atol);

        using var b1 = KernelRef.RandN(15, dtype, 1, 17, 21);
        var e = Assert.Throws<ShapeMismatchException>(() => a.Bmm(b1).Dispose());
        Assert.That(e!.Message, Does.Contain("bmm").And.Contain("same batch size"));
        using var m2 = KernelRef.RandN(16, dtype, 17, 21);
        e = Assert.Throws<ShapeMismatchException>(() => a.Bmm(m2).Dispose());
        Assert.That(e!.Message, Does.Contain("bmm: expected the second argument to be 3-D"));
    }

    [Test]
    public void AddMMScalesBothTermsAndBroadcastsTheInput([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        const long n = 14, k = 9, m = 33;
        using var bias = KernelRef.RandN(17, dtype, m);
        using var x = KernelRef.RandN(18, dtype, n, k);
        using var w = KernelRef.RandN(19, dtype, m, k);
        using var wt = w.T;
        using var y = bias.AddMM(x, wt, beta: 0.5, alpha: -2);
        var prod = RefBmm(KernelRef.Values(x), KernelRef.Values(wt), 1, n, k, m);
        var bv = KernelRef.Values(bias);
        var expect = new double[n * m];
        for (long i = 0; i < n; ++i)
            for (long j = 0; j < m; ++j) expect[i * m + j] = 0.5 * bv[j] - 2 * prod[i * m + j];
        var (rtol, atol) = KernelRef.Tol(dtype, 2);
        KernelRef.AssertClose(y, expect, new[] { n, m }, rtol, atol);
    }

    [Test]
    public void AddMMWithBetaZeroIgnoresNaNInTheInput()
    {
        using var input = Tensor.Full(new long[] { 2, 2 }, double.NaN);
        using var a = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        using var y = input.AddMM(a, a, beta: 0);
        Assert.That(y.ToArray<float>(), Is.EqualTo(new float[] { 7, 10, 15, 22 }));
    }

    [Test]
    public void AddMMInPlaceAccumulatesIntoItselfEvenWhenItIsAnOperand()
    {
        using var c = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        using var b = Tensor.FromArray(new double[,] { { 1, 1 }, { 0, 1 } });
        // c = 2 * c + c @ b: the product reads c while c is written.
        var same = c.AddMMInPlace(c, b, beta: 2, alpha: 1);
        Assert.That(same, Is.SameAs(c));
        Assert.That(c.ToArray<double>(), Is.EqualTo(new double[] { 2 + 1, 4 + 3, 6 + 3, 8 + 7 }));
    }

    [Test]
    public void AddMMRejectsNonIntegralScalesForIntegerTensorsAndBadShapes()
    {
        using var i = Tensor.Zeros(new long[] { 2, 2 }, DType.Int64);
        var e = Assert.Throws<ArgumentException>(() => i.AddMM(i, i, beta: 0.5).Dispose());
        Assert.That(e!.Message, Does.Contain("alpha and beta must be integers"));
        using var f = Tensor.Zeros(3, 2);
        using var g = Tensor.Zeros(3, 2);
        using var bias = Tensor.Zeros(3);
        var s = Assert.Throws<ShapeMismatchException>(() => bias.AddMM(f, g).Dispose());
        Assert.That(s!.Message, Does.Contain("addmm").And.Contain("inner dimensions 2 and 3"));
        using var ft = f.T;
        using var wrongBias = Tensor.Zeros(4);
        s = Assert.Throws<ShapeMismatchException>(() => wrongBias.AddMM(f, ft).Dispose());
        Assert.That(s!.Message, Does.Contain("addmm"));
    }

    [Test]
    public void OuterDotAndMvMatchTheirDefinitions([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        using var a = KernelRef.RandN(20, dtype, 40);
        using var wide = KernelRef.RandN(21, dtype, 90);
        using var b = wide.Slice(0, 0, 90, 3);  // 30 elements, stride 3
        using var o = a.Outer(b);
        var av = KernelRef.Values(a);
        var bv = KernelRef.Values(b);
        var expect = new double[40 * 30];
        for (int i = 0; i < 40; ++i)
            for (int j = 0; j < 30; ++j) expect[i * 30 + j] = av[i] * bv[j];
        var (rtol, atol) = KernelRef.Tol(dtype);
        KernelRef.AssertClose(o, expect, new long[] { 40, 30 }, rtol, atol);

        using var a2 = a.Slice(0, 0, 30);
        using var d = a2.Dot(b);
        Assert.That(d.Dim, Is.EqualTo(0));
        double dot = 0;
        for (int i = 0; i < 30; ++i) dot += av[i] * bv[i];
        KernelRef.AssertClose(KernelRef.Values(d), new[] { dot }, rtol * 4, atol * 4);

        using var mat = KernelRef.RandN(22, dtype, 30, 40);
        using var matT = mat.T;  // (40, 30), column-major
        using var y = matT.Mv(b);
        KernelRef.AssertClose(y, RefBmm(KernelRef.Values(matT), bv, 1, 40, 30, 1), new long[] { 40 }, rtol * 4, atol * 4);
        using var y2 = mat.Mv(a);
        KernelRef.AssertClose(y2, RefBmm(KernelRef.Values(mat), av, 1, 30, 40, 1), new long[] { 30 }, rtol * 4, atol * 4);
    }

    [Test]
    public void VectorProductsRejectWrongRanksAndLengths()
    {
        using var v3 = Tensor.Zeros(3);
        using var v4 = Tensor.Zeros(4);
        using var m = Tensor.Zeros(3, 4);
        Assert.That(Assert.Throws<ShapeMismatchException>(() => v3.Dot(v4).Dispose())!.Message, Does.Contain("dot: the vectors have different lengths 3 and 4"));
        Assert.That(Assert.Throws<ShapeMismatchException>(() => m.Dot(v4).Dispose())!.Message, Does.Contain("dot: expected the first argument to be 1-D"));
        Assert.That(Assert.Throws<ShapeMismatchException>(() => m.Mv(v3).Dispose())!.Message, Does.Contain("mv: matrix [3, 4] and vector [3]"));
        Assert.That(Assert.Throws<ShapeMismatchException>(() => m.Outer(v3).Dispose())!.Message, Does.Contain("outer: expected the first argument to be 1-D"));
        using var b = Tensor.Zeros(new long[] { 3 }, DType.Bool);
        Assert.That(Assert.Throws<DTypeException>(() => b.Dot(b).Dispose())!.Message, Does.Contain("dot: not supported for bool"));
    }

    [Test]
    public void EmptyProductsGiveZerosOrEmptyResults()
    {
        using var a = Tensor.Ones(4, 0);
        using var b = Tensor.Ones(0, 3);
        using var c = a.MatMul(b);
        Assert.That(c.Shape, Is.EqualTo(new long[] { 4, 3 }));
        Assert.That(c.ToArray<float>(), Is.All.EqualTo(0f));
        using var e = Tensor.Ones(0, 5);
        using var f = Tensor.Ones(5, 2);
        using var g = e.MatMul(f);
        Assert.That(g.Shape, Is.EqualTo(new long[] { 0, 2 }));
    }
}
