using System;
using Wick.Onnx;
using Wick.Onnx.Proto;
using static Wick.Tests.Onnx.OnnxModels;
using DataType = Wick.Onnx.Proto.TensorProto.Types.DataType;

namespace Wick.Tests.Onnx;

/// <summary>If: branches read the enclosing graphs' values by name, nest, and are validated like graphs.</summary>
public class OnnxControlFlowTests
{
    /// <summary>y = cond ? x + w : (inner ? x · 2 : -w), with w an initializer of the main graph and 2 a branch constant.</summary>
    private static ModelProto Model2(Action<GraphProto>? editThen = null)
    {
        var then = new GraphProto { Name = "then" };
        then.Output.Add(new ValueInfoProto { Name = "t" });
        then.Node.Add(Node("Add", new[] { "x", "w" }, new[] { "t" }, "add"));
        editThen?.Invoke(then);

        var innerThen = new GraphProto { Name = "inner_then" };
        innerThen.Output.Add(new ValueInfoProto { Name = "it" });
        innerThen.Initializer.Add(Floats("two", new[] { 2f }, 1));
        innerThen.Node.Add(Node("Mul", new[] { "x", "two" }, new[] { "it" }, "mul"));
        var innerElse = new GraphProto { Name = "inner_else" };
        innerElse.Output.Add(new ValueInfoProto { Name = "ie" });
        innerElse.Node.Add(Node("Neg", new[] { "w" }, new[] { "ie" }, "neg"));
        var @else = new GraphProto { Name = "else" };
        @else.Output.Add(new ValueInfoProto { Name = "e" });
        @else.Node.Add(Node("If", new[] { "inner" }, new[] { "e" }, "inner_if", Graph("then_branch", innerThen), Graph("else_branch", innerElse)));

        var g = new GraphProto { Name = "main" };
        g.Input.Add(Value("cond", DataType.Bool));
        g.Input.Add(Value("inner", DataType.Bool));
        g.Input.Add(Value("x", DataType.Float, 2));
        g.Output.Add(Value("y", DataType.Float, 2));
        g.Initializer.Add(Floats("w", new[] { 10f, 20f }, 2));
        g.Node.Add(Node("If", new[] { "cond" }, new[] { "y" }, "outer_if", Graph("then_branch", then), Graph("else_branch", @else)));
        return Model(g);
    }

    [TestCase(true, true, new[] { 11f, 22f })]
    [TestCase(true, false, new[] { 11f, 22f })]
    [TestCase(false, true, new[] { 2f, 4f })]
    [TestCase(false, false, new[] { -10f, -20f })]
    public void IfRunsTheBranchTheConditionPicksWithOuterValues(bool cond, bool inner, float[] expected)
    {
        using OnnxModule m = Wick.Onnx.Onnx.Load(Model2().Bytes());
        using Tensor c = Tensor.FromArray(new[] { cond }), i = Tensor.FromArray(new[] { inner }), x = Tensor.FromArray(new[] { 1f, 2f });
        using Tensor c0 = c.Reshape(), i0 = i.Reshape();
        Tensor[] y = m.Run(c0, i0, x);
        using Tensor y0 = y[0];
        Assert.That(y0.ToArray<float>(), Is.EqualTo(expected));
    }

    [Test]
    public void ABranchReadingAnUndefinedValueIsAFormatError()
    {
        var e = Assert.Throws<OnnxFormatException>(() => Wick.Onnx.Onnx.Load(Model2(t => t.Node[0].Input[1] = "ghost").Bytes()));
        Assert.That(e!.Message, Does.Contain("node 'outer_if' (If)").And.Contain("a branch reads 'ghost', which no graph input, initializer or earlier node defines"));
    }

    [Test]
    public void ABranchWithTheWrongNumberOfOutputsIsAFormatError()
    {
        var e = Assert.Throws<OnnxFormatException>(() => Wick.Onnx.Onnx.Load(Model2(t => t.Output.Add(new ValueInfoProto { Name = "x" })).Bytes()));
        Assert.That(e!.Message, Does.Contain("then_branch has 2 outputs; the If node has 1"));
    }

    [Test]
    public void ABranchWithACycleIsAFormatErrorNamingTheBranch()
    {
        var e = Assert.Throws<OnnxFormatException>(() => Wick.Onnx.Onnx.Load(Model2(t =>
        {
            t.Node.Clear();
            t.Node.Add(Node("Add", new[] { "x", "u" }, new[] { "t" }, "first"));
            t.Node.Add(Node("Add", new[] { "t", "w" }, new[] { "u" }, "second"));
        }).Bytes()));
        Assert.That(e!.Message, Does.Contain("then_branch: the graph has a cycle"));
    }
}
