// Training: fits y = 3x - 2 + noise by linear regression; autograd computes the gradients.
#r "nuget: Wick.Cpu, 0.1.0"

open Wick
open Wick.FSharp

Tensor.ManualSeed 42UL
let n = 256
// Pipelines make intermediate tensors: a DisposeScope frees them, MoveOut keeps what we need.
let x, y =
    use scope = DisposeScope.Begin()
    let x = Tensor.rand [ n; 1 ] |> Tensor.mul 4.0f |> Tensor.sub 2.0f         // x in [-2, 2)
    let noise = Tensor.randn [ n; 1 ] |> Tensor.mul 0.1f
    let y = x |> Tensor.mul 3.0f |> Tensor.sub 2.0f |> Tensor.add noise
    scope.MoveOut x, scope.MoveOut y

let w = Tensor.zeros [ 1; 1 ] |> Tensor.requiresGrad   // parameters: leaves that require grad
let b = Tensor.zeros [ 1 ] |> Tensor.requiresGrad
let lr = 0.1f

for step in 1 .. 200 do
    use scope = DisposeScope.Begin()
    let pred = (x |> Tensor.matmul w) + b
    let err = pred - y                                                           // (n, 1)
    let loss = err * err |> Tensor.mean
    loss.Backward()                                                              // fills w.Grad and b.Grad
    do
        use _ = Autograd.NoGrad()                                                // the update is not recorded
        w.SubInPlace(w.Grad * lr) |> ignore
        b.SubInPlace(b.Grad * lr) |> ignore
    w.Grad <- null                                                               // zero_grad: frees the gradients
    b.Grad <- null
    if step % 50 = 0 then printfn "step %3d  loss %.5f" step (Tensor.item<float32> loss)

let wFit = w |> Tensor.item<float32>
let bFit = b |> Tensor.item<float32>
printfn "fitted w = %.3f (true 3), b = %.3f (true -2)" wFit bFit
if abs (wFit - 3.0f) > 0.05f || abs (bFit + 2.0f) > 0.05f then failwith "training: the fit did not converge"
printfn "training: ok"
