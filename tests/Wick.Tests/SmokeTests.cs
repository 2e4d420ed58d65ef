namespace Wick.Tests;

public class SmokeTests
{
    [Test]
    public void AddsTwoTensors()
    {
        using var a = Tensor.FromArray(new float[] { 1, 2, 3 });
        using var b = Tensor.FromArray(new float[] { 10, 20, 30 });
        using var c = a + b;
        Assert.That(c.ToArray<float>(), Is.EqualTo(new float[] { 11, 22, 33 }));
    }
}
