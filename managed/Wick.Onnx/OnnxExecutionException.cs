using System;

namespace Wick.Onnx;

/// <summary>
/// A node of an imported ONNX model failed while running (for example an input of the wrong shape reached a MatMul):
/// the message names the model and the node; <see cref="Exception.InnerException"/> is Wick's own error.
/// </summary>
public sealed class OnnxExecutionException : InvalidOperationException
{
    /// <summary>Creates the exception with its full message and the error the node raised.</summary>
    public OnnxExecutionException(string message, Exception inner) : base(message, inner) { }
}
