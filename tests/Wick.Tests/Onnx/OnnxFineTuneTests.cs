using System.Linq;
using Wick.Onnx;
using Wick.Onnx.Proto;
using static Wick.Tests.Onnx.OnnxModels;
using DataType = Wick.Onnx.Proto.TensorProto.Types.DataType;

namespace Wick.Tests.Onnx;

/// <summary>An imported model's initializers are ordinary Wick tensors: marked as requiring gradients, a run records the
/// graph and Backward fills their gradients (the runner frees intermediates without cutting the recorded graph).</summary>
public class OnnxFineTuneTests
{
    [Test]
    public void GradientsFlowIntoInitializersThroughMatMulAddRelu()
    {
        // y = relu(x · W + b), loss = sum(y): dW = xᵀ · mask, db = column sums of mask, mask = (x · W + b > 0).
        var g = new GraphProto { Name = "mlp" };
        g.Input.Add(Value("x", DataType.Float, 2, 3));
        g.Output.Add(Value("y", DataType.Float, 2, 2));
        float[] w = { 0.5f, -1f, 0.25f, 0.75f, -0.5f, 1f }, b = { 0.1f, -0.2f };
        g.Initializer.Add(Floats("W", w, 3, 2));
        g.Initializer.Add(Floats("b", b, 2));
        g.Node.Add(Node("MatMul", new[] { "x", "W" }, new[] { "xw" }));
        g.Node.Add(Node("Add", new[] { "xw", "b" }, new[] { "z" }));
        g.Node.Add(Node("Relu", new[] { "z" }, new[] { "y" }));
        using OnnxModule model = Wick.Onnx.Onnx.Load(Model(g).Bytes());
        Tensor W = model.Initializers["W"], B = model.Initializers["b"];
        W.RequiresGrad = true;
        B.RequiresGrad = true;
        float[] xs = { 1f, 2f, -1f, -0.5f, 0.3f, 2f };
        using Tensor x = Tensor.FromArray(xs, 2, 3);
        Tensor[] y = model.Run(x);
        using Tensor y0 = y[0];
        using Tensor loss = y0.Sum();
        loss.Backward();

        var dW = new double[6];
        var db = new double[2];
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j)
            {
                double z = b[j];
                for (int k = 0; k < 3; ++k) z += xs[i * 3 + k] * w[k * 2 + j];
                if (z <= 0) continue;
                db[j] += 1;
                for (int k = 0; k < 3; ++k) dW[k * 2 + j] += xs[i * 3 + k];
            }
        Assert.That(W.Grad, Is.Not.Null);
        Assert.That(W.Grad!.ToArray<float>().Select(v => (double)v), Is.EqualTo(dW).Within(1e-6));
        Assert.That(B.Grad!.ToArray<float>().Select(v => (double)v), Is.EqualTo(db).Within(1e-6));
    }
}
