// Packaging check (run by Cake's Examples target in a package folder of its own): with the managed
// package alone, the first op must fail with a DllNotFoundException that names the runtime package to add.
#r "nuget: Wick, 0.1.0"

open System
open Wick

let message =
    try
        use t = Tensor.Ones(2L)
        failwith "missing-runtime: a tensor was created without any native runtime package"
    with :? DllNotFoundException as e -> e.Message
printfn "DllNotFoundException: %s" message
if not (message.Contains "Wick.Cpu" && message.Contains "Wick.Runtime.linux-x64") then
    failwithf "missing-runtime: the message does not name the packages to add: %s" message
printfn "missing-runtime: ok"
