using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;

namespace Wick.Tests.NN;

public class ModuleTests
{
    /// <summary>A custom module written the documented way: explicit registration of parameters, buffers and submodules.</summary>
    private sealed class Block : Module<Tensor, Tensor>
    {
        public readonly Linear Fc;
        public readonly Tensor Scale;
        public readonly Tensor Count;
        public readonly Tensor Scratch;

        public Block(long n)
        {
            Fc = RegisterModule("fc", new Linear(n, n, generator: new Generator(1)));
            Scale = RegisterParameter("scale", Tensor.Ones(n));
            Count = RegisterBuffer("count", Tensor.Zeros(new long[] { 1 }, DType.Int64));
            Scratch = RegisterBuffer("scratch", Tensor.Zeros(n), persistent: false);
        }

        public override Tensor Forward(Tensor x)
        {
            using var h = Fc.Forward(x);
            return h * Scale;
        }
    }

    private sealed class Net : Module<Tensor, Tensor>
    {
        public readonly Block A, B;
        public readonly Linear Head;

        public Net()
        {
            A = RegisterModule("a", new Block(3));
            B = RegisterModule("b", new Block(3));
            Head = RegisterModule("head", new Linear(3, 2, bias: false, generator: new Generator(2)));
        }

        public override Tensor Forward(Tensor x)
        {
            using var h1 = A.Forward(x);
            using var h2 = B.Forward(h1);
            return Head.Forward(h2);
        }
    }

    [Test]
    public void NamedParametersFollowRegistrationOrderWithDottedNames()
    {
        using var net = new Net();
        Assert.That(net.NamedParameters().Select(kv => kv.Key), Is.EqualTo(new[]
        {
            "a.scale", "a.fc.weight", "a.fc.bias", "b.scale", "b.fc.weight", "b.fc.bias", "head.weight",
        }), "each module's own parameters first, then its submodules', as PyTorch's named_parameters");
        Assert.That(net.A.NamedParameters(recurse: false).Select(kv => kv.Key), Is.EqualTo(new[] { "scale" }));
        Assert.That(net.NamedParameters("model").First().Key, Does.StartWith("model.a."));
        Assert.That(net.Parameters().All(p => p.RequiresGrad));
        Assert.That(net.Parameters().Sum(p => p.NumberOfElements), Is.EqualTo(2 * (9 + 3 + 3) + 6));
    }

    [Test]
    public void StateDictListsEachModulesParametersThenBuffersThenSubmodulesLikePyTorch()
    {
        using var net = new Net();
        using var sd = net.StateDict();
        Assert.That(sd.Keys, Is.EqualTo(new[]
        {
            "a.scale", "a.count", "a.fc.weight", "a.fc.bias", "b.scale", "b.count", "b.fc.weight", "b.fc.bias", "head.weight",
        }), "non-persistent buffers are left out");
        Assert.That(net.NamedBuffers().Select(kv => kv.Key), Is.EqualTo(new[] { "a.count", "a.scratch", "b.count", "b.scratch" }));
    }

    [Test]
    public void StateDictTensorsShareMemoryAndOutliveNothing()
    {
        using var block = new Block(2);
        long live = Memory.Stats().LiveTensors;
        using (var sd = block.StateDict())
        {
            using (Wick.Autograd.NoGrad()) block.Scale.Fill(7);
            Assert.That(sd["scale"].ToArray<float>(), Is.EqualTo(new float[] { 7, 7 }));
            Assert.That(sd["scale"].RequiresGrad, Is.False);
        }
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(live));
        Assert.That(block.Scale.IsDisposed, Is.False);
    }

    [Test]
    public void LoadStateDictCopiesValuesAndConvertsDTypes()
    {
        using var src = new Net();
        using var dst = new Net();
        using (Wick.Autograd.NoGrad()) src.Head.Weight.Fill(0.25);
        using (var sd = src.StateDict())
        {
            var f64 = new Dictionary<string, Tensor>();
            foreach (var (k, v) in sd) f64[k] = v.DType == DType.Float32 ? v.To(DType.Float64) : v.Clone();
            var result = dst.LoadStateDict(f64);
            Assert.That(result.MissingKeys, Is.Empty);
            Assert.That(result.UnexpectedKeys, Is.Empty);
            foreach (var t in f64.Values) t.Dispose();
        }
        Assert.That(dst.Head.Weight.DType, Is.EqualTo(DType.Float32));
        Assert.That(dst.Head.Weight.ToArray<float>(), Has.All.EqualTo(0.25f));
        Assert.That(dst.A.Fc.Weight.ToArray<float>(), Is.EqualTo(src.A.Fc.Weight.ToArray<float>()));
    }

    [Test]
    public void AStrictLoadListsMissingUnexpectedAndMisShapedKeysTogether()
    {
        using var net = new Net();
        var sd = new Dictionary<string, Tensor>();
        using (var full = net.StateDict()) foreach (var (k, v) in full) sd[k] = v.Clone();
        sd.Remove("a.fc.bias", out var removed);
        removed!.Dispose();
        sd["head.weight"].Dispose();
        sd["head.weight"] = Tensor.Zeros(3, 2);
        sd["extra.weight"] = Tensor.Zeros(1);
        var before = net.Head.Weight.ToArray<float>();
        var e = Assert.Throws<ArgumentException>(() => net.LoadStateDict(sd));
        Assert.That(e!.Message, Does.Contain("Missing keys: \"a.fc.bias\"")
                                     .And.Contain("Unexpected keys: \"extra.weight\"")
                                     .And.Contain("\"head.weight\": the checkpoint has shape [3, 2], the model has [2, 3]"));
        Assert.That(net.Head.Weight.ToArray<float>(), Is.EqualTo(before), "nothing is copied when the load fails");

        sd["head.weight"].Dispose();
        sd["head.weight"] = Tensor.Zeros(2, 3);
        var result = net.LoadStateDict(sd, strict: false);
        Assert.That(result.MissingKeys, Is.EqualTo(new[] { "a.fc.bias" }));
        Assert.That(result.UnexpectedKeys, Is.EqualTo(new[] { "extra.weight" }));
        Assert.That(net.Head.Weight.ToArray<float>(), Has.All.EqualTo(0f));
        foreach (var t in sd.Values) t.Dispose();
    }

    [Test]
    public void ANonStrictLoadStillRefusesMisShapedTensors()
    {
        using var lin = new Linear(2, 2);
        using var w = Tensor.Zeros(3, 2);
        var e = Assert.Throws<ArgumentException>(() => lin.LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = w }, strict: false));
        Assert.That(e!.Message, Does.Contain("\"weight\": the checkpoint has shape [3, 2], the model has [2, 2]"));
    }

    [Test]
    public void TrainAndEvalReachEverySubmodule()
    {
        using var net = new Net();
        Assert.That(net.Modules().All(m => m.Training));
        net.Eval();
        Assert.That(net.Modules().Any(m => m.Training), Is.False);
        net.Train();
        Assert.That(net.Modules().All(m => m.Training));
    }

    [Test]
    public void ToConvertsInPlaceSoReferencesStayValid()
    {
        using var net = new Net();
        Tensor w = net.Head.Weight;
        float[] before = w.ToArray<float>();
        var same = net.To(DType.Float64);
        Assert.That(same, Is.SameAs(net));
        Assert.That(net.Head.Weight, Is.SameAs(w));
        Assert.That(w.DType, Is.EqualTo(DType.Float64));
        Assert.That(w.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(w.RequiresGrad, Is.True);
        Assert.That(w.ToArray<double>(), Is.EqualTo(before.Select(v => (double)v)));
        Assert.That(net.A.Count.DType, Is.EqualTo(DType.Int64), "integer buffers keep their dtype");
        Assert.That(net.Parameters().All(p => p.DType == DType.Float64));
        using var x = Tensor.Ones(new long[] { 4, 3 }, DType.Float64);
        using var y = net.Forward(x);
        Assert.That(y.DType, Is.EqualTo(DType.Float64));
    }

    [Test]
    public void ZeroGradClearsOrZerosTheGradients()
    {
        using var net = new Net();
        using (var scope = DisposeScope.Begin())
        {
            var x = Tensor.Ones(4, 3);
            net.Forward(x).Sum().Backward();
        }
        Assert.That(net.Parameters().All(p => p.Grad is not null));
        net.ZeroGrad(setToNone: false);
        Assert.That(net.Parameters().All(p => p.Grad!.ToArray<float>().All(v => v == 0)));
        net.ZeroGrad();
        Assert.That(net.Parameters().All(p => p.Grad is null));
    }

    [Test]
    public void ParametersRegisteredInsideADisposeScopeSurviveIt()
    {
        Linear lin;
        using (DisposeScope.Begin()) lin = new Linear(4, 4);
        Assert.That(lin.Weight.IsDisposed, Is.False);
        Assert.That(lin.Bias!.IsDisposed, Is.False);
        lin.Dispose();
        Assert.That(lin.Weight.IsDisposed, Is.True);
    }

    [Test]
    public void DisposingAModuleFreesEverythingItOwns()
    {
        long before = Memory.Stats().LiveTensors;
        var net = new Net();
        Assert.That(Memory.Stats().LiveTensors, Is.GreaterThan(before));
        net.Dispose();
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(before));
    }

    [Test]
    public void SharedSubmodulesAndParametersAreListedOnce()
    {
        var shared = new Linear(2, 2);
        using var seq = new Sequential(shared, shared);
        Assert.That(seq.Parameters().Count(), Is.EqualTo(2));
        Assert.That(seq.Modules().Count(), Is.EqualTo(2));
        Assert.That(seq.NamedParameters().Select(kv => kv.Key), Is.EqualTo(new[] { "0.weight", "0.bias" }));
    }

    [Test]
    public void ApplyVisitsChildrenBeforeParents()
    {
        using var net = new Net();
        var order = new List<string>();
        net.Apply(m => order.Add(m.TypeName));
        Assert.That(order, Is.EqualTo(new[] { "Linear", "Block", "Linear", "Block", "Linear", "Net" }));
    }

    [Test]
    public void RegistrationErrorsNameTheModule()
    {
        var lin = new Linear(1, 1);
        var e1 = Assert.Throws<ArgumentException>(() => lin.RegisterParameter("weight", Tensor.Zeros(1)));
        Assert.That(e1!.Message, Does.Contain("Linear").And.Contain("\"weight\" is already registered"));
        var e2 = Assert.Throws<ArgumentException>(() => lin.RegisterBuffer("a.b", Tensor.Zeros(1)));
        Assert.That(e2!.Message, Does.Contain("contain no '.'"));
        var e3 = Assert.Throws<DTypeException>(() => lin.RegisterParameter("ints", Tensor.Zeros(new long[] { 1 }, DType.Int64)));
        Assert.That(e3!.Message, Does.Contain("floating-point"));
        lin.Dispose();
    }

    [Test]
    public void ToStringPrintsTheTreeLikePyTorch()
    {
        using var model = new Sequential(new Linear(784, 128), new Flatten(), new Sequential(new Identity(), new Linear(128, 10, bias: false)));
        Assert.That(model.ToString(), Is.EqualTo(
            "Sequential(\n" +
            "  (0): Linear(in_features=784, out_features=128, bias=True)\n" +
            "  (1): Flatten(start_dim=1, end_dim=-1)\n" +
            "  (2): Sequential(\n" +
            "    (0): Identity()\n" +
            "    (1): Linear(in_features=128, out_features=10, bias=False)\n" +
            "  )\n" +
            ")"));
    }

    [Test]
    public void SummaryCountsParametersPerModuleAndInTotal()
    {
        using var model = new Sequential(new Linear(784, 128), new Linear(128, 10));
        model[1].Parameters().First().RequiresGrad = false;
        string s = model.Summary();
        Assert.That(s, Does.Contain("100,480").And.Contain("1,290"));
        Assert.That(s, Does.Contain("Total parameters: 101,770"));
        Assert.That(s, Does.Contain("Trainable parameters: 100,490"));
        Assert.That(s, Does.Contain("Non-trainable parameters: 1,280"));
    }

    [Test]
    public void ForwardHooksSeeAndReplaceInputsAndOutputs()
    {
        using var lin = new Linear(2, 2, bias: false);
        using (Wick.Autograd.NoGrad()) lin.Weight.CopyFrom(Tensor.Eye(2));
        var seen = new List<float>();
        using var pre = lin.RegisterForwardPreHook((m, x) => x * 2.0);
        var post = lin.RegisterForwardHook((m, x, y) => { seen.AddRange(y.ToArray<float>()); });
        using var seq = new Sequential(lin);
        using var input = Tensor.FromArray(new float[] { 1, 2 });
        using (var y = seq.Forward(input)) Assert.That(y.ToArray<float>(), Is.EqualTo(new float[] { 2, 4 }));
        Assert.That(seen, Is.EqualTo(new float[] { 2, 4 }));
        post.Remove();
        pre.Dispose();
        using (var y = seq.Forward(input)) Assert.That(y.ToArray<float>(), Is.EqualTo(new float[] { 1, 2 }));
        Assert.That(seen.Count, Is.EqualTo(2));
        using (var y = lin.Forward(input)) Assert.That(y.ToArray<float>(), Is.EqualTo(new float[] { 1, 2 }), "Forward itself runs no hooks");
    }

    [Test]
    public void SequentialFreesItsIntermediateResults()
    {
        using var seq = new Sequential(new Linear(3, 4), new Linear(4, 4), new Linear(4, 2));
        using var x = Tensor.Ones(5, 3);
        long before = Memory.Stats().LiveTensors;
        using (Wick.Autograd.NoGrad())
        {
            var y = seq.Forward(x);
            Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(before + 1), "only the result stays alive");
            y.Dispose();
        }
    }

    [Test]
    public void ModuleListAndModuleDictRegisterTheirModules()
    {
        using var list = new ModuleList<Linear>(new Linear(1, 2), new Linear(2, 3));
        list.Add(new Linear(3, 1));
        Assert.That(list.Count, Is.EqualTo(3));
        Assert.That(list.NamedParameters().Select(kv => kv.Key).First(), Is.EqualTo("0.weight"));
        Assert.That(list[2].InFeatures, Is.EqualTo(3));
        using var dict = new ModuleDict();
        dict.Add("encoder", new Linear(2, 2));
        dict.Add("act", new Identity());
        Assert.That(dict.Keys, Is.EqualTo(new[] { "encoder", "act" }));
        using (var sd = dict.StateDict()) Assert.That(sd.Keys, Is.EqualTo(new[] { "encoder.weight", "encoder.bias" }));
        Assert.Throws<ArgumentException>(() => dict.Add("act", new Identity()));
    }
}
