namespace Wick.Onnx.Runtime;

/// <summary>
/// A compiled node: given its inputs (null where an optional input is omitted), returns its outputs (null where an
/// optional output is not produced). Every returned tensor is new (the runner owns it); temporaries are disposed.
/// </summary>
internal delegate Tensor?[] Kernel(Tensor?[] inputs);
