// Saving and loading: a state dict to safetensors (the format PyTorch and Hugging Face use) and back.
#r "nuget: Wick.Cpu, 0.1.0"

open System.IO
open Wick
open Wick.IO
open Wick.FSharp

Tensor.ManualSeed 7UL
let stateDict =
    readOnlyDict [
        "layer1.weight", Tensor.randn [ 4; 3 ]
        "layer1.bias", Tensor.zeros [ 4 ]
        "embedding", Tensor.randn [ 10; 4 ] |> Tensor.toDType DType.BFloat16
        "steps", Tensor.Scalar(1000L) ]

let path = Path.Combine(Path.GetTempPath(), "wick-example.safetensors")
Safetensors.SaveFile(stateDict, path, readOnlyDict [ "format", "pt"; "epoch", "3" ])
printfn "wrote %s (%d bytes)" path (FileInfo(path).Length)

// Inspect without loading, then load everything.
using (Safetensors.Open path) (fun file ->
    for info in file.Tensors do
        printfn "  %-14s %-9O %A" info.Name info.DType (Seq.toList info.Shape)
    printfn "  metadata: %A" (file.Metadata |> Seq.map (fun kv -> kv.Key, kv.Value) |> Seq.toList))

let loaded = Safetensors.LoadFile path
for KeyValue(name, original) in stateDict do
    let back = loaded.[name]
    let same = (back.Eq original) |> Tensor.toDType DType.Int64 |> Tensor.sum |> Tensor.item<int64>
    printfn "%-14s round trip: %d of %d elements equal" name same original.NumberOfElements
    if same <> original.NumberOfElements then failwithf "safetensors: %s changed on the way" name
File.Delete path
printfn "safetensors: ok"
