using System;
using System.Linq;
using Wick.Tests.Support;

namespace Wick.Tests;

public class MatMulTests
{
    private static readonly long[][][] Cases =
    {
        new[] { new long[] { 5 }, new long[] { 5 } },                 // dot
        new[] { new long[] { 3, 4 }, new long[] { 4, 2 } },           // matrix
        new[] { new long[] { 4 }, new long[] { 4, 3 } },              // vector-matrix
        new[] { new long[] { 3, 4 }, new long[] { 4 } },              // matrix-vector
        new[] { new long[] { 2, 3, 4 }, new long[] { 4, 5 } },        // batched with a broadcast matrix
        new[] { new long[] { 2, 1, 3, 4 }, new long[] { 3, 4, 2 } },  // broadcast batch dims
        new[] { new long[] { 4 }, new long[] { 2, 4, 3 } },           // vector with batched matrix
        new[] { new long[] { 3, 0 }, new long[] { 0, 2 } },           // empty inner dimension gives zeros
    };

    [Test]
    public void MatMulFollowsPyTorchRules([Range(0, 7)] int c, [Values(DType.Float32, DType.Float64, DType.Int64)] DType dtype)
    {
        long[] sa = Cases[c][0], sb = Cases[c][1];
        double[] da = Check.Values((int)sa.Aggregate(1L, (x, y) => x * y), 11, 8).Select(v => Math.Round(v)).ToArray();
        double[] db = Check.Values((int)sb.Aggregate(1L, (x, y) => x * y), 12, 8).Select(v => Math.Round(v)).ToArray();
        using var a = Check.Tensor(da, sa, dtype);
        using var b = Check.Tensor(db, sb, dtype);
        using var r = a.MatMul(b);
        Assert.That(r.DType, Is.EqualTo(dtype));
        Check.Close(r, Reference.MatMul(new Reference(da, sa), new Reference(db, sb)), 1e-6, 1e-6);
    }

    [Test]
    public void TransposedOperandsGiveTheSameProduct()
    {
        double[] da = Check.Values(12, 13), db = Check.Values(12, 14);
        using var a = Check.Tensor(da, new long[] { 4, 3 }, DType.Float64);
        using var b = Check.Tensor(db, new long[] { 4, 3 }, DType.Float64);
        using var at = a.T;
        using var r = at.MatMul(b);   // (3, 4) @ (4, 3)
        var expected = Reference.MatMul(Reference.Of(at), new Reference(db, 4, 3));
        Check.Close(r, expected, 1e-12, 1e-12);
    }

    [Test]
    public void InnerDimensionMismatchNamesBothShapes()
    {
        using var a = Tensor.Zeros(2, 3);
        using var b = Tensor.Zeros(4, 5);
        var ex = Assert.Throws<ShapeMismatchException>(() => a.MatMul(b));
        Assert.That(ex!.Message, Does.Contain("[2, 3]").And.Contain("[4, 5]").And.Contain("inner dimensions 3 and 4"));
    }

    [Test]
    public void ZeroDimensionalOperandsAndBoolAreRefused()
    {
        using var s = Tensor.Scalar(1.0);
        using var m = Tensor.Zeros(2, 2);
        Assert.Throws<ShapeMismatchException>(() => s.MatMul(m));
        using var b = Tensor.Zeros(new long[] { 2, 2 }, DType.Bool);
        Assert.Throws<DTypeException>(() => b.MatMul(b));
    }
}
