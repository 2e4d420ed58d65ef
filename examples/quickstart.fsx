// Quickstart: tensors, operators, F# slicing and pipelines.
// Run against packages packed into ../artifacts/packages: `dotnet cake --target=Examples`
// (or `dotnet fsi examples/quickstart.fsx` after `dotnet cake --target=Pack`: examples/NuGet.Config
// names that folder as a package source).
#r "nuget: Wick.Cpu, 0.1.0"

open Wick
open Wick.FSharp

let x = Tensor.FromArray(array2D [ [ 1.0f; 2.0f; 3.0f ]; [ 4.0f; 5.0f; 6.0f ] ])
printfn "x =\n%O" x

// Operators and method calls, as in C#.
let y = (x * 2.0f + 1.0f).MatMul(x.T)
printfn "(x * 2 + 1) @ x.T =\n%O" y

// F# slicing: ranges include their end, every slice is a view.
printfn "first row: %O" x.[0..0, *]
printfn "last column: %O" x.[*, 2]

// Function-style pipelines.
let total =
    x
    |> Tensor.mul 0.5f
    |> Tensor.exp
    |> Tensor.sumDim 1
    |> Tensor.sum
    |> Tensor.item<float32>
let expected = [ 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 ] |> List.sumBy (fun v -> exp (0.5 * v))
printfn "sum(exp(x / 2)) = %f (plain F#: %f)" total expected
if abs (float total - expected) > 1e-3 * expected then failwith "quickstart: the pipeline disagrees with plain F#"

let shape = x |> Tensor.t |> Tensor.contiguous |> Tensor.view [ 3; 2 ] |> Tensor.shape
printfn "x.T viewed as 3x2: %A" shape
printfn "quickstart: ok"
