using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using Wick.Optim;

namespace Wick.Tests.Optim;

public class OptimizerTests
{
    private static Tensor Param(params float[] v) => Tensor.FromArray(v).SetRequiresGrad();

    /// <summary>Sets p.Grad to the given values (as a backward pass would).</summary>
    private static void SetGrad(Tensor p, params float[] g)
    {
        using var t = Tensor.FromArray(g);
        p.Grad = t;
    }

    [Test]
    public void StepUpdatesOnlyParametersThatHaveGradients()
    {
        using var a = Param(1, 2);
        using var b = Param(3);
        using var opt = new SGD(new[] { a, b }, lr: 0.5);
        SetGrad(a, 2, 4);
        opt.Step();
        Assert.That(a.ToArray<float>(), Is.EqualTo(new float[] { 0, 0 }));
        Assert.That(b.ToArray<float>(), Is.EqualTo(new float[] { 3 }));
        Assert.That(opt.State(b), Is.Null);
        Assert.That(opt.State(a)!.Step, Is.EqualTo(1));
    }

    [Test]
    public void GroupsUseTheirOwnHyperparameters()
    {
        using var a = Param(1);
        using var b = Param(1);
        using var opt = new SGD(new[] { new ParamGroup(new[] { a }), new ParamGroup(new[] { b }, lr: 0.1) }, new SGDOptions { LearningRate = 1.0 });
        SetGrad(a, 1);
        SetGrad(b, 1);
        opt.Step();
        Assert.That(a.Item<float>(), Is.EqualTo(0f));
        Assert.That(b.Item<float>(), Is.EqualTo(0.9f).Within(1e-7));
        opt.ParamGroups[0].LearningRate = 0.5;
        Assert.That(((SGDOptions)opt.ParamGroups[1].Options).LearningRate, Is.EqualTo(0.1), "groups do not share options");
    }

    [Test]
    public void ZeroGradClearsTheGradients()
    {
        using var a = Param(1, 2);
        using var opt = new Adam(new[] { a });
        SetGrad(a, 1, 1);
        opt.ZeroGrad(setToNone: false);
        Assert.That(a.Grad!.ToArray<float>(), Is.EqualTo(new float[] { 0, 0 }));
        opt.ZeroGrad();
        Assert.That(a.Grad, Is.Null);
    }

    [Test]
    public void StateBuffersSurviveTheDisposeScopeTheStepRanIn()
    {
        using var a = Param(1, 2);
        using var opt = new SGD(new[] { a }, lr: 0.1, momentum: 0.9);
        for (int i = 0; i < 3; ++i)
        {
            using var scope = DisposeScope.Begin();
            SetGrad(a, 1, 1);
            opt.Step();
        }
        Assert.That(opt.State(a)!["momentum_buffer"]!.IsDisposed, Is.False);
        // buf: 1, 1.9, 2.71; p: 1 - 0.1 (1 + 1.9 + 2.71)
        Assert.That(a.ToArray<float>()[0], Is.EqualTo(1 - 0.1 * (1 + 1.9 + 2.71)).Within(1e-6));
    }

    [Test]
    public void DisposingTheOptimizerFreesItsState()
    {
        using var a = Param(1, 2);
        long before = Memory.Stats().LiveTensors;
        var opt = new Adam(new[] { a }, amsgrad: true);
        SetGrad(a, 1, 1);
        long withGrad = Memory.Stats().LiveTensors;
        opt.Step();
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(withGrad + 3));
        opt.Dispose();
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(withGrad));
    }

    [Test]
    public void SavedStateContinuesExactlyWhereItLeftOff([Values("sgd", "adam", "adamw", "rmsprop", "adagrad")] string kind)
    {
        Optimizer Make(Tensor p) => kind switch
        {
            "sgd" => new SGD(new[] { p }, lr: 0.1, momentum: 0.9, nesterov: true),
            "adam" => new Adam(new[] { p }, lr: 0.1, amsgrad: true),
            "adamw" => new AdamW(new[] { p }, lr: 0.1),
            "rmsprop" => new RMSprop(new[] { p }, lr: 0.01, momentum: 0.5, centered: true),
            _ => new Adagrad(new[] { p }, lr: 0.1, lrDecay: 0.01),
        };
        float[][] grads = { new float[] { 1, -2 }, new float[] { 0.5f, 0.25f }, new float[] { -1, 3 }, new float[] { 2, 2 } };
        using var p1 = Param(1, 2);
        using var o1 = Make(p1);
        for (int i = 0; i < 2; ++i) { SetGrad(p1, grads[i]); o1.Step(); }
        using var saved = o1.StateDict();
        using var p2 = Param(0, 0);
        using (Wick.Autograd.NoGrad()) p2.CopyFrom(p1);
        using var o2 = Make(p2);
        o2.ParamGroups[0].LearningRate = 123;  // restored by the load
        o2.LoadStateDict(saved);
        Assert.That(o2.ParamGroups[0].LearningRate, Is.EqualTo(o1.ParamGroups[0].LearningRate));
        for (int i = 2; i < 4; ++i)
        {
            SetGrad(p1, grads[i]); o1.Step();
            SetGrad(p2, grads[i]); o2.Step();
        }
        Assert.That(p2.ToArray<float>(), Is.EqualTo(p1.ToArray<float>()), "bitwise the same");
    }

    [Test]
    public void StateDictUsesPyTorchsLayout()
    {
        using var a = Param(1, 2);
        using var b = Param(3);
        using var opt = new Adam(new[] { new ParamGroup(new[] { a }), new ParamGroup(new[] { b }, lr: 0.5) }, new AdamOptions());
        SetGrad(b, 1);
        opt.Step();
        using var sd = opt.StateDict();
        Assert.That(sd.Keys, Is.EquivalentTo(new[]
        {
            "param_groups.0.lr", "param_groups.0.betas.0", "param_groups.0.betas.1", "param_groups.0.eps", "param_groups.0.weight_decay",
            "param_groups.0.amsgrad", "param_groups.0.maximize", "param_groups.0.params",
            "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq",
            "param_groups.1.lr", "param_groups.1.betas.0", "param_groups.1.betas.1", "param_groups.1.eps", "param_groups.1.weight_decay",
            "param_groups.1.amsgrad", "param_groups.1.maximize", "param_groups.1.params",
        }));
        Assert.That(sd["param_groups.1.params"].ToArray<long>(), Is.EqualTo(new long[] { 1 }));
        Assert.That(sd["param_groups.1.lr"].Item<double>(), Is.EqualTo(0.5));
        Assert.That(sd["state.1.step"].Item<long>(), Is.EqualTo(1));
    }

    [Test]
    public void LoadStateDictListsEveryProblem()
    {
        using var a = Param(1, 2);
        using var opt = new SGD(new[] { a }, lr: 0.1, momentum: 0.9);
        var bad = new Dictionary<string, Tensor>
        {
            ["param_groups.0.params"] = Tensor.FromArray(new long[] { 0, 1 }),
            ["state.0.momentum_buffer"] = Tensor.Zeros(3),
            ["state.7.step"] = Tensor.Scalar(1L),
            ["param_groups.0.betas.0"] = Tensor.Scalar(0.9, DType.Float64),
            ["something"] = Tensor.Zeros(1),
        };
        var e = Assert.Throws<ArgumentException>(() => opt.LoadStateDict(bad));
        Assert.That(e!.Message, Does.Contain("group 0 has 1 parameters, but the saved group has 2")
                                     .And.Contain("\"state.0.momentum_buffer\" has shape [3], but parameter 0 has shape [2]")
                                     .And.Contain("\"state.7.step\" is for parameter 7")
                                     .And.Contain("SGD has no hyperparameter \"betas.0\"")
                                     .And.Contain("unexpected key \"something\""));
        foreach (var t in bad.Values) t.Dispose();
    }

    [Test]
    public void ATensorThatDoesNotRequireGradIsRejectedWithTheFix()
    {
        using var a = Tensor.Zeros(3, 4);
        var e = Assert.Throws<ArgumentException>(() => new SGD(new[] { a }, lr: 0.1));
        Assert.That(e!.Message, Does.Contain("SGD: parameter 0 of group 0 (shape [3, 4], Float32) does not require grad").And.Contain("RequiresGrad = true"));
    }

    [Test]
    public void OtherBadParameterListsAreRejected()
    {
        using var a = Param(1);
        Assert.That(Assert.Throws<ArgumentException>(() => new Adam(Array.Empty<Tensor>()))!.Message, Does.Contain("empty parameter list"));
        Assert.That(Assert.Throws<ArgumentException>(() => new Adam(new[] { a, a }))!.Message, Does.Contain("more than once"));
        using var derived = a * 2.0;
        Assert.That(Assert.Throws<ArgumentException>(() => new Adam(new[] { derived }))!.Message, Does.Contain("not a leaf"));
        Assert.That(Assert.Throws<ArgumentException>(() => new SGD(new[] { a }, lr: -0.1))!.Message, Does.Contain("SGD: invalid learning rate -0.1"));
        Assert.That(Assert.Throws<ArgumentException>(() => new SGD(new[] { a }, nesterov: true))!.Message, Does.Contain("Nesterov"));
        Assert.That(Assert.Throws<ArgumentException>(() => new Adam(new[] { a }, beta1: 1.0))!.Message, Does.Contain("beta parameter at index 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => new SGD(new[] { new ParamGroup(new[] { a }, new AdamOptions()) }, new SGDOptions()))!.Message,
                    Does.Contain("AdamOptions"));
    }

    [Test]
    public void AnMlpTrainedWithEachOptimizerReducesItsLoss([Values("sgd", "adam", "adamw", "rmsprop", "adagrad")] string kind)
    {
        using var model = new Sequential(new Linear(4, 16, generator: new Generator(1)), new Linear(16, 1, generator: new Generator(2)));
        using Optimizer opt = kind switch
        {
            "sgd" => new SGD(model.Parameters(), lr: 0.05, momentum: 0.9),
            "adam" => new Adam(model.Parameters(), lr: 0.01),
            "adamw" => new AdamW(model.Parameters(), lr: 0.01),
            "rmsprop" => new RMSprop(model.Parameters(), lr: 0.005),
            _ => new Adagrad(model.Parameters(), lr: 0.1),
        };
        using var x = Tensor.RandN(new long[] { 64, 4 }, generator: new Generator(3));
        using var w = Tensor.FromArray(new float[] { 1, -2, 0.5f, 3 }, 4, 1);
        using var target = x.MatMul(w);
        double first = 0, last = 0;
        for (int i = 0; i < 100; ++i)
        {
            using var scope = DisposeScope.Begin();
            opt.ZeroGrad();
            var diff = model.Forward(x) - target;
            var loss = (diff * diff).Mean();
            loss.Backward();
            opt.Step();
            if (i == 0) first = loss.Item<float>();
            last = loss.Item<float>();
        }
        Assert.That(last, Is.LessThan(first * 0.1), $"{kind}: loss {first} -> {last}");
    }

    [Test]
    public void ToStringShowsEachGroup()
    {
        using var a = Param(1);
        using var opt = new SGD(new[] { a }, lr: 0.1, momentum: 0.9);
        Assert.That(opt.ToString(), Does.StartWith("SGD (\nParameter Group 0\n    lr: 0.1\n    momentum: 0.9"));
    }
}
