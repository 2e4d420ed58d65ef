namespace Wick.FSharp

open Wick

/// F# slicing for tensors. F# ranges include their end: x.[1..3] is rows 1, 2 and 3; x.[*, 0] is
/// column 0. Every slice is a view of the same memory.
[<AutoOpen>]
module Slicing =
    // An inclusive F# range as an exclusive TensorIndex slice.
    let internal range (start: int option) (finish: int option) =
        let s = start |> Option.map int64 |> Option.toNullable
        let e = finish |> Option.map (fun f -> int64 f + 1L) |> Option.toNullable
        TensorIndex.Slice(s, e)

    type Tensor with
        member x.GetSlice(s0: int option, f0: int option) = x.Index(range s0 f0)
        member x.GetSlice(s0: int option, f0: int option, s1: int option, f1: int option) =
            x.Index(range s0 f0, range s1 f1)
        member x.GetSlice(i0: int, s1: int option, f1: int option) = x.Index(TensorIndex.op_Implicit i0, range s1 f1)
        member x.GetSlice(s0: int option, f0: int option, i1: int) = x.Index(range s0 f0, TensorIndex.op_Implicit i1)
        member x.GetSlice(s0: int option, f0: int option, s1: int option, f1: int option, s2: int option, f2: int option) =
            x.Index(range s0 f0, range s1 f1, range s2 f2)
        member x.GetSlice(i0: int, s1: int option, f1: int option, s2: int option, f2: int option) =
            x.Index(TensorIndex.op_Implicit i0, range s1 f1, range s2 f2)
        member x.GetSlice(i0: int, i1: int, s2: int option, f2: int option) =
            x.Index(TensorIndex.op_Implicit i0, TensorIndex.op_Implicit i1, range s2 f2)
