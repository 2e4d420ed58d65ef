using System;

namespace Wick.Onnx;

/// <summary>
/// A well-formed ONNX model that uses something Wick does not implement (an operator, an attribute value, an element
/// type, a control-flow subgraph). The message names it, the node and the operator set version.
/// </summary>
public sealed class OnnxNotSupportedException : NotSupportedException
{
    /// <summary>Creates the exception with its full message.</summary>
    public OnnxNotSupportedException(string message) : base(message) { }
}
