module Wick.FSharp.Tests.AutogradTests

open System
open NUnit.Framework
open Wick
open Wick.FSharp

/// y = x^3, written in F#: Forward saves its input, Backward returns 3 x^2 g.
type Cube() =
    inherit Function()
    override this.Forward(inputs: Tensor[]) =
        let x = inputs.[0]
        this.SaveForBackward(x)
        [| x * x * x |]
    override this.Backward(grads: Tensor[]) =
        let x = this.SavedTensors.[0]
        [| grads.[0] * 3.0 * x * x |]

/// Two inputs, one output: a * b, computing the gradient of b only when it is needed.
type Product() =
    inherit Function()
    override this.Forward(inputs: Tensor[]) =
        this.SaveForBackward(inputs.[0], inputs.[1])
        [| inputs.[0] * inputs.[1] |]
    override this.Backward(grads: Tensor[]) =
        let a, b = this.SavedTensors.[0], this.SavedTensors.[1]
        let needB = this.NeedsInputGrad 1
        [| grads.[0] * b
           (if needB then grads.[0] * a else null) |]

let leaf (values: float[]) = Tensor.FromArray(values).SetRequiresGrad()

[<Test>]
let ``a custom Function written in F# computes its gradient`` () =
    use scope = DisposeScope.Begin()
    let x = leaf [| 1.0; 2.0 |]
    let y = Cube().Apply(x).[0]
    Assert.That(y.GradFn.Name, Is.EqualTo "CubeBackward")
    y.Sum().Backward()
    Assert.That(x.Grad.ToArray<float>(), Is.EqualTo(box [| 3.0; 12.0 |]))

[<Test>]
let ``an F# Function passes GradCheck and GradGradCheck`` () =
    use scope = DisposeScope.Begin()
    let x = Tensor.FromArray(array2D [ [ 0.3; -0.7 ]; [ 1.1; 0.2 ] ]).SetRequiresGrad()
    let f = Func<Tensor[], Tensor>(fun xs -> Cube().Apply(xs).[0])
    Assert.That(Autograd.GradCheck(f, [| x |]), Is.True)
    Assert.That(Autograd.GradGradCheck(f, [| x |]), Is.True)

[<Test>]
let ``a two-input F# Function with NeedsInputGrad`` () =
    use scope = DisposeScope.Begin()
    let a = leaf [| 2.0 |]
    let b = Tensor.FromArray([| 5.0 |])
    let y = Product().Apply(a, b).[0]
    y.Sum().Backward()
    Assert.That(a.Grad.Item<float>(), Is.EqualTo 5.0)

[<Test>]
let ``NoGrad is a use binding and nests`` () =
    use scope = DisposeScope.Begin()
    let x = leaf [| 1.0 |]
    let y =
        use _ = Autograd.NoGrad()
        Assert.That(Autograd.IsGradEnabled, Is.False)
        x * 2.0
    Assert.That(y.RequiresGrad, Is.False)
    Assert.That(Autograd.IsGradEnabled, Is.True)

[<Test>]
let ``functional Grad and a Hessian-vector product from F#`` () =
    use scope = DisposeScope.Begin()
    let x = leaf [| 1.0; -2.0 |]
    let f = (x * x * x).Sum()
    let g = Autograd.Grad(f, x, createGraph = true)
    Assert.That(g.ToArray<float>(), Is.EqualTo(box [| 3.0; 12.0 |]))
    let v = Tensor.FromArray([| 1.0; 1.0 |])
    let hv = Autograd.Grad((g * v).Sum(), x)
    Assert.That(hv.ToArray<float>(), Is.EqualTo(box [| 6.0; -12.0 |]))

[<Test>]
let ``hooks take F# lambdas`` () =
    use scope = DisposeScope.Begin()
    let x = leaf [| 1.0; 2.0 |]
    use handle = x.RegisterHook(fun g -> g * 10.0)
    (x * 2.0).Sum().Backward()
    Assert.That(x.Grad.ToArray<float>(), Is.EqualTo(box [| 20.0; 20.0 |]))

[<Test>]
let ``linear regression trained with Backward converges (as examples/training.fsx)`` () =
    Tensor.ManualSeed 42UL
    use outer = DisposeScope.Begin()
    let x, y =
        use scope = DisposeScope.Begin()
        let x = Tensor.rand [ 256; 1 ] |> Tensor.mul 4.0f |> Tensor.sub 2.0f
        let noise = Tensor.randn [ 256; 1 ] |> Tensor.mul 0.1f
        let y = x |> Tensor.mul 3.0f |> Tensor.sub 2.0f |> Tensor.add noise
        scope.MoveOut x, scope.MoveOut y
    let w = Tensor.zeros [ 1; 1 ] |> Tensor.requiresGrad
    let b = Tensor.zeros [ 1 ] |> Tensor.requiresGrad
    let live = Memory.Stats().LiveTensors
    for _ in 1 .. 200 do
        use scope = DisposeScope.Begin()
        let err = (x |> Tensor.matmul w) + b - y
        err * err |> Tensor.mean |> Tensor.backward
        do
            use _ = Autograd.NoGrad()
            w.SubInPlace(Tensor.grad w * 0.1f) |> ignore
            b.SubInPlace(Tensor.grad b * 0.1f) |> ignore
        w.Grad <- null
        b.Grad <- null
    Assert.That(Memory.Stats().LiveTensors, Is.EqualTo live)
    Assert.That(Tensor.item<float32> w, Is.EqualTo(3.0f).Within(0.05f))
    Assert.That(Tensor.item<float32> b, Is.EqualTo(-2.0f).Within(0.05f))
