namespace Wick.FSharp

open System
open Wick

/// Function-style helpers so tensors read naturally in F# pipelines:
/// `x |> Tensor.mul 2.0f |> Tensor.exp |> Tensor.sum`. Each function is the Tensor method of the same
/// name with the tensor as its last argument; binary ones take a tensor or a scalar (float, float32,
/// int, int64) as the other operand. `open Wick` and `open Wick.FSharp` together give both these and
/// the Tensor type's own members (`Tensor.FromArray`, `Tensor.Zeros`, ...).
[<RequireQualifiedAccess>]
[<CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Tensor =
    let internal longs (shape: seq<int>) = shape |> Seq.map int64 |> Seq.toArray

    // ---- factories (shapes as int lists or arrays; float32 unless a dtype is given)

    /// Zeros of the given shape (float32): `Tensor.zeros [ 2; 3 ]`.
    let zeros (shape: seq<int>) = Tensor.Zeros(longs shape, DType.Float32)
    /// Ones of the given shape (float32).
    let ones (shape: seq<int>) = Tensor.Ones(longs shape, DType.Float32)
    /// A tensor of the given shape filled with one value (float32).
    let full (shape: seq<int>) (value: float) = Tensor.Full(longs shape, value, DType.Float32)
    /// Uniform random numbers in [0, 1) (float32), from the default generator.
    let rand (shape: seq<int>) = Tensor.Rand(longs shape, DType.Float32)
    /// Standard normal random numbers (float32), from the default generator.
    let randn (shape: seq<int>) = Tensor.RandN(longs shape, DType.Float32)
    /// A 1-D float32 tensor holding the values of a sequence.
    let ofSeq (values: seq<float32>) = Tensor.FromArray(Seq.toArray values)
    /// A 1-D float32 tensor of start, start + step, ... below stop.
    let arange (start: float) (stop: float) (step: float) = Tensor.Arange(start, stop, step, Nullable DType.Float32)

    // ---- elementwise arithmetic: the other operand is a tensor or a scalar (resolved at the call site)

    /// x + y: `x |> Tensor.add y`.
    let inline add (y: ^b) (x: Tensor) : Tensor = x + y
    /// x - y: `x |> Tensor.sub y`.
    let inline sub (y: ^b) (x: Tensor) : Tensor = x - y
    /// x * y: `x |> Tensor.mul 2.0f`.
    let inline mul (y: ^b) (x: Tensor) : Tensor = x * y
    /// x / y: `x |> Tensor.div y`.
    let inline div (y: ^b) (x: Tensor) : Tensor = x / y
    /// -x.
    let neg (x: Tensor) = x.Neg()
    /// e^x.
    let exp (x: Tensor) = x.Exp()
    /// Natural logarithm.
    let log (x: Tensor) = x.Log()
    /// x @ w (matrix product with PyTorch's broadcasting rules): `x |> Tensor.matmul w`.
    let matmul (w: Tensor) (x: Tensor) = x.MatMul(w)

    // ---- comparisons (bool tensors)

    /// x == y elementwise.
    let eq (y: Tensor) (x: Tensor) = x.Eq(y)
    /// x &gt; value elementwise.
    let gt (value: float) (x: Tensor) = x.Gt(value)
    /// x &lt; value elementwise.
    let lt (value: float) (x: Tensor) = x.Lt(value)

    // ---- reductions

    /// The sum of every element (0-d).
    let sum (x: Tensor) = x.Sum()
    /// The sum over one dimension.
    let sumDim (dim: int) (x: Tensor) = x.Sum(dim)
    /// The mean of every element (0-d).
    let mean (x: Tensor) = x.Mean()
    /// The mean over one dimension.
    let meanDim (dim: int) (x: Tensor) = x.Mean(dim)

    // ---- views (no copy) and layout

    /// A view with a new shape (one size may be -1): `x |> Tensor.view [ 2; -1 ]`.
    let view (shape: seq<int>) (x: Tensor) = x.View(longs shape)
    /// Like view, but copies when the strides do not allow a view.
    let reshape (shape: seq<int>) (x: Tensor) = x.Reshape(longs shape)
    /// Swaps two dimensions.
    let transpose (dim0: int) (dim1: int) (x: Tensor) = x.Transpose(dim0, dim1)
    /// The transpose of a 2-D tensor.
    let t (x: Tensor) = x.T
    /// Reorders the dimensions.
    let permute (dims: seq<int>) (x: Tensor) = x.Permute(Seq.toArray dims)
    /// Adds a dimension of size 1.
    let unsqueeze (dim: int) (x: Tensor) = x.Unsqueeze(dim)
    /// Removes every dimension of size 1.
    let squeeze (x: Tensor) = x.Squeeze()
    /// Flattens to 1-D.
    let flatten (x: Tensor) = x.Flatten()
    /// Removes a dimension, keeping one index of it.
    let select (dim: int) (index: int64) (x: Tensor) = x.Select(dim, index)
    /// length elements of a dimension from start.
    let narrow (dim: int) (start: int64) (length: int64) (x: Tensor) = x.Narrow(dim, start, length)
    /// A contiguous tensor with the same values.
    let contiguous (x: Tensor) = x.Contiguous()
    /// A copy with its own memory.
    let clone (x: Tensor) = x.Clone()

    // ---- conversion and reading back

    /// The tensor converted to another dtype.
    let toDType (dtype: DType) (x: Tensor) = x.To(dtype)
    /// The tensor on another device.
    let toDevice (device: Device) (x: Tensor) = x.To(device)
    /// The value of a one-element tensor: `Tensor.item<float32> loss`.
    let item<'T when 'T: unmanaged and 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType> (x: Tensor) = x.Item<'T>()
    /// The elements, row-major, as an array of the tensor's own element type.
    let toArray<'T when 'T: unmanaged and 'T: struct and 'T: (new: unit -> 'T) and 'T :> ValueType> (x: Tensor) = x.ToArray<'T>()
    /// The sizes of the dimensions.
    let shape (x: Tensor) = x.Shape

    // ---- autograd

    /// Marks a leaf as requiring gradients and returns it: `Tensor.zeros [ 3 ] |> Tensor.requiresGrad`.
    let requiresGrad (x: Tensor) = x.SetRequiresGrad(true)
    /// Runs the backward pass from a one-element tensor (a loss): gradients accumulate into the leaves' Grad.
    let backward (loss: Tensor) = loss.Backward()
    /// The gradient accumulated into a leaf, or null when there is none yet.
    let grad (x: Tensor) = x.Grad
    /// The same memory, cut off from the graph (it does not require grad).
    let detach (x: Tensor) = x.Detach()
