module Wick.FSharp.Tests.AmpTests

open System
open NUnit.Framework
open Wick
open Wick.NN
open Wick.Optim

/// Mixed precision from F#: Autocast is a `use` binding, GradScaler wraps the optimizer step (no wrappers needed).
[<Test>]
let ``an F# training loop under Autocast with a GradScaler lowers the loss and keeps float32 gradients`` () =
    use scope = DisposeScope.Begin()
    let rnd = Random(3)
    let xs = Array2D.init 64 4 (fun _ _ -> float32 (rnd.NextDouble() * 2.0 - 1.0))
    let x = Tensor.FromArray(xs)
    let y = Tensor.FromArray(Array.init 64 (fun i -> if xs.[i, 0] + xs.[i, 1] > 0.0f then 1L else 0L))
    use model = new Sequential(new Linear(4L, 16L, generator = new Generator(1UL)), new ReLU(), new Linear(16L, 2L, generator = new Generator(2UL)))
    use opt = new Adam(model.Parameters(), lr = 0.05)
    use lossFn = new CrossEntropyLoss()
    use scaler = new GradScaler()
    let step () =
        use s = DisposeScope.Begin()
        opt.ZeroGrad()
        let loss =
            use _ = Autocast.Enable(DeviceType.Cpu, DType.BFloat16)
            let logits = model.Forward(x)
            Assert.That(logits.DType, Is.EqualTo DType.BFloat16)
            lossFn.Forward(logits, y)
        use scaled = scaler.Scale(loss)
        scaled.Backward()
        scaler.Step(opt) |> ignore
        scaler.Update()
        loss.Item<float32>()
    let first = step ()
    let last = [ for _ in 1 .. 40 -> step () ] |> List.last
    Assert.That(last, Is.LessThan(first * 0.5f))
    for p in model.Parameters() do
        Assert.That(p.Grad.DType, Is.EqualTo DType.Float32)
    Assert.That(scaler.GetScale(), Is.EqualTo 65536.0)
