using System;
using System.Collections.Generic;
using System.Linq;
using Wick.Native;

namespace Wick.Tests.Autograd;

/// <summary>GradCheck and GradGradCheck (float64, central differences) for every row of <see cref="OpSpecs"/>.</summary>
public class OpGradientTests
{
    public static IEnumerable<TestCaseData> FirstOrder() =>
        OpSpecs.All.Select(c => new TestCaseData(c).SetName($"GradCheck {c.Name}"));

    public static IEnumerable<TestCaseData> SecondOrder() =>
        OpSpecs.All.Where(c => c.GradGrad).Select(c => new TestCaseData(c).SetName($"GradGradCheck {c.Name}"));

    [TestCaseSource(nameof(FirstOrder))]
    public void FirstDerivativesMatchCentralDifferences(GradCase c)
    {
        using var scope = DisposeScope.Begin();
        Assert.That(Wick.Autograd.GradCheck(c.F, c.Inputs()), Is.True);
    }

    [TestCaseSource(nameof(SecondOrder))]
    public void SecondDerivativesMatchCentralDifferences(GradCase c)
    {
        using var scope = DisposeScope.Begin();
        Assert.That(Wick.Autograd.GradGradCheck(c.F, c.Inputs()), Is.True);
    }

    [Test]
    public void EveryDifferentiableElementwiseAndReductionOpHasARow()
    {
        var covered = new HashSet<string>(OpSpecs.All.Select(c => c.Covers));
        var missing = new List<string>();
        var notDifferentiable = new HashSet<string>
        {
            "unary:WK_UNARY_ISNAN", "unary:WK_UNARY_ISINF", "unary:WK_UNARY_ISFINITE", "unary:WK_UNARY_LOGICAL_NOT",
            "binary:WK_BINARY_EQ", "binary:WK_BINARY_NE", "binary:WK_BINARY_LT", "binary:WK_BINARY_LE", "binary:WK_BINARY_GT",
            "binary:WK_BINARY_GE", "binary:WK_BINARY_LOGICAL_AND", "binary:WK_BINARY_LOGICAL_OR", "binary:WK_BINARY_LOGICAL_XOR",
            "binary:WK_BINARY_BITWISE_AND", "binary:WK_BINARY_BITWISE_OR", "binary:WK_BINARY_BITWISE_XOR",
            "reduce:WK_REDUCE_ALL", "reduce:WK_REDUCE_ANY", "reduce:WK_REDUCE_ARGMAX", "reduce:WK_REDUCE_ARGMIN",
        };
        for (int i = 0; i < (int)wk_unary_op.WK_UNARY_OP_COUNT; ++i) Check("unary:" + (wk_unary_op)i);
        for (int i = 0; i < (int)wk_binary_op.WK_BINARY_OP_COUNT; ++i) Check("binary:" + (wk_binary_op)i);
        for (int i = 0; i < (int)wk_reduce_op.WK_REDUCE_OP_COUNT; ++i) Check("reduce:" + (wk_reduce_op)i);
        for (int i = 0; i < (int)wk_ternary_op.WK_TERNARY_OP_COUNT; ++i) Check("ternary:" + (wk_ternary_op)i);
        for (int i = 0; i < (int)wk_scan_op.WK_SCAN_OP_COUNT; ++i) Check("scan:" + (wk_scan_op)i);
        Assert.That(missing, Is.Empty, "ops without a row in OpSpecs (add one, or list the op as not differentiable)");

        void Check(string key)
        {
            if (!covered.Contains(key) && !notDifferentiable.Contains(key)) missing.Add(key);
        }
    }

    [Test]
    public void SampleInputsHaveTheirShapeAndLayout()
    {
        using var scope = DisposeScope.Begin();
        Assert.That(Samples.Uniform(Array.Empty<long>(), 0, 1, 1).Dim, Is.EqualTo(0));
        var t = Samples.Uniform(new long[] { 3, 4 }, 0, 1, 1, Layout.Transposed);
        Assert.That(t.Shape, Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(t.IsContiguous, Is.False);
        var s = Samples.Uniform(new long[] { 2, 3 }, 0, 1, 1, Layout.Strided);
        Assert.That(s.Strides, Is.EqualTo(new long[] { 6, 2 }));
        Assert.That(s.RequiresGrad && s.IsLeaf, Is.True);
    }

    [Test]
    public void NonDifferentiableOpsGiveOutputsThatDoNotRequireGrad()
    {
        using var scope = DisposeScope.Begin();
        var x = Samples.Uniform(new long[] { 3 }, -1, 1, 1);
        var y = Samples.Uniform(new long[] { 3 }, -1, 1, 2);
        var outputs = new List<Tensor>
        {
            Kernels.Unary(x, wk_unary_op.WK_UNARY_ISNAN), Kernels.Unary(x, wk_unary_op.WK_UNARY_ISFINITE),
            x.Lt(y), x.Ge(0.0), x.Ne(y),
            Kernels.Reduce(x, wk_reduce_op.WK_REDUCE_ARGMAX, Array.Empty<int>(), false),
            Kernels.Reduce(x.Gt(0.0), wk_reduce_op.WK_REDUCE_ANY, Array.Empty<int>(), false),
        };
        Assert.That(outputs.Select(o => o.RequiresGrad), Is.All.False);
    }
}
