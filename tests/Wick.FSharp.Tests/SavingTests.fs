module Wick.FSharp.Tests.SavingTests

open System
open System.IO
open NUnit.Framework
open Wick
open Wick.IO
open Wick.NN
open Wick.Onnx
open Wick.Optim

[<Test>]
let ``an F# training run saves a checkpoint and a fresh model resumes from it`` () =
    let path = Path.Combine(Path.GetTempPath(), sprintf "wick-fs-%O.safetensors" (Guid.NewGuid()))
    use model = new Sequential(new Linear(3L, 2L, generator = new Generator(1UL)))
    use opt = new SGD(model.Parameters(), lr = 0.1, momentum = 0.9)
    let sched = new StepLR(opt, stepSize = 1, gamma = 0.5)
    use x = Tensor.Ones([| 4L; 3L |])
    for _ in 1 .. 2 do
        use _ = DisposeScope.Begin()
        opt.ZeroGrad()
        model.Forward(x).Square().Sum().Backward()
        opt.Step()
        sched.Step()
    try
        Checkpoint.Save(path, model, opt, sched, step = 2L)
        use fresh = new Sequential(new Linear(3L, 2L, generator = new Generator(9UL)))
        use freshOpt = new SGD(fresh.Parameters(), lr = 0.1, momentum = 0.9)
        let freshSched = new StepLR(freshOpt, stepSize = 1, gamma = 0.5)
        let info = Checkpoint.Load(path, fresh, freshOpt, freshSched)
        Assert.That(info.Step, Is.EqualTo(2L))
        Assert.That(freshOpt.ParamGroups.[0].LearningRate, Is.EqualTo(opt.ParamGroups.[0].LearningRate))
        use a = model.Forward(x)
        use b = fresh.Forward(x)
        Assert.That(b.ToArray<float32>(), Is.EqualTo(box (a.ToArray<float32>())))
    finally
        File.Delete(path)

[<Test>]
let ``an F# module exports to ONNX`` () =
    use model = new Sequential(new Linear(3L, 4L, generator = new Generator(1UL)), new ReLU(), new Linear(4L, 2L, generator = new Generator(2UL)))
    use x = Tensor.Ones([| 2L; 3L |])
    let bytes = OnnxExport.ToBytes(model, x)
    Assert.That(bytes.Length, Is.GreaterThan(100))
