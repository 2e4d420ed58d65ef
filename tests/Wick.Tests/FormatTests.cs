namespace Wick.Tests;

public class FormatTests
{
    [Test]
    public void WholeFloatsPrintWithATrailingDot()
    {
        using var t = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        Assert.That(t.ToString(), Is.EqualTo("tensor([[1., 2.],\n        [3., 4.]])"));
    }

    [Test]
    public void FractionsPrintWithFourDecimalsPadded()
    {
        using var t = Tensor.FromArray(new[] { 1.5f, -0.25f, 10f });
        Assert.That(t.ToString(), Is.EqualTo("tensor([ 1.5000, -0.2500, 10.0000])"));
    }

    [Test]
    public void NonDefaultDTypesAreNamed()
    {
        using var t = Tensor.FromArray(new[] { 1, 2, 3 });
        Assert.That(t.ToString(), Is.EqualTo("tensor([1, 2, 3], dtype=Int32)"));
        using var l = Tensor.FromArray(new long[] { 7 });
        Assert.That(l.ToString(), Is.EqualTo("tensor([7])"));
        using var b = Tensor.FromArray(new[] { true, false });
        Assert.That(b.ToString(), Is.EqualTo("tensor([ True, False])"));
    }

    [Test]
    public void ScalarsAndEmptyTensors()
    {
        using var s = Tensor.Scalar(2.5);
        Assert.That(s.ToString(), Is.EqualTo("tensor(2.5000)"));
        using var e = Tensor.Zeros(0, 3);
        Assert.That(e.ToString(), Is.EqualTo("tensor([], size=(0, 3))"));
    }

    [Test]
    public void SpecialValues()
    {
        using var t = Tensor.FromArray(new[] { float.NaN, float.PositiveInfinity, 1f });
        Assert.That(t.ToString(), Is.EqualTo("tensor([nan, inf,  1.])"));
    }

    [Test]
    public void LargeTensorsAreSummarisedWithEdgeItems()
    {
        using var t = Tensor.Arange(2000);
        Assert.That(t.ToString(), Is.EqualTo("tensor([   0,    1,    2, ..., 1997, 1998, 1999])"));
        using var m = Tensor.Arange(10000).Reshape(100, 100);
        string text = m.ToString();
        Assert.That(text, Does.StartWith("tensor([[   0,    1,    2, ...,   97,   98,   99],"));
        Assert.That(text, Does.Contain("...,\n"));
        Assert.That(text, Does.EndWith("[9900, 9901, 9902, ..., 9997, 9998, 9999]])"));
    }
}
