module Wick.FSharp.Tests.ModuleTests

open System
open NUnit.Framework
open Wick
open Wick.Data
open Wick.NN
open Wick.Optim

/// A model written in F# the documented way: submodules and a parameter registered in the constructor.
type TwoLayer(inputs: int64, hidden: int64, classes: int64) as this =
    inherit Module<Tensor, Tensor>()
    let fc1 = this.RegisterModule("fc1", new Linear(inputs, hidden, generator = new Generator(1UL)))
    let fc2 = this.RegisterModule("fc2", new Linear(hidden, classes, generator = new Generator(2UL)))
    let scale = this.RegisterParameter("scale", Tensor.Ones([| classes |]))
    override _.Forward(x) =
        use h = fc1.Forward(x)
        use a = h.Relu()
        use y = fc2.Forward(a)
        y * scale
    member _.Fc1 = fc1

[<Test>]
let ``an F# module registers its parameters and submodules like a C# one`` () =
    use m = new TwoLayer(4L, 8L, 3L)
    let names = m.NamedParameters() |> Seq.map (fun (KeyValue(k, _)) -> k) |> Seq.toArray
    Assert.That(names, Is.EqualTo(box [| "scale"; "fc1.weight"; "fc1.bias"; "fc2.weight"; "fc2.bias" |]))
    Assert.That(m.Parameters() |> Seq.forall (fun p -> p.RequiresGrad))
    Assert.That(m.ToString(), Does.StartWith("TwoLayer(\n  (fc1): Linear(in_features=4, out_features=8, bias=True)"))
    use sd = m.StateDict()
    Assert.That(sd.Count, Is.EqualTo(5))

[<Test>]
let ``an F# model trains on the embedded digits with a DataLoader and Adam`` () =
    let struct (train, test) = Digits.LoadSplit(testCount = 300, seed = 0UL)
    use train = train
    use test = test
    use model = new Sequential(new Flatten(), new TwoLayer(64L, 32L, 10L))
    use opt = new Adam(model.Parameters(), lr = 1e-2)
    use lossFn = new CrossEntropyLoss()
    for _ in 1 .. 5 do
        for batch in new DataLoader(train, batchSize = 32, shuffle = true, seed = 3UL) do
            use _ = DisposeScope.Begin()
            opt.ZeroGrad()
            let loss = lossFn.Forward(model.Forward(batch.[0]), batch.[1])
            loss.Backward()
            opt.Step()
    model.Eval()
    use _ = Autograd.NoGrad()
    use scope = DisposeScope.Begin()
    let x, y = test.Tensors.[0], test.Tensors.[1]
    let correct = model.Forward(x).ArgMax(1).Eq(y).Sum().Item<int64>()
    Assert.That(float correct / float test.Count, Is.GreaterThan(0.9))
