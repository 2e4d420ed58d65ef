using System.IO;

namespace Wick.Onnx;

/// <summary>
/// An ONNX file (or buffer) that is malformed or unsafe to load: the message starts with "onnx: &lt;source&gt;: " and
/// names what is wrong (the node, tensor, value or field, and the numbers involved). Loading checks every size
/// against its limit and against the bytes that are really there before allocating, so a malformed or hostile
/// file gives this exception, never a crash or a huge allocation.
/// </summary>
public sealed class OnnxFormatException : IOException
{
    /// <summary>Creates the exception with its full message.</summary>
    public OnnxFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with its full message and the error that revealed the problem.</summary>
    public OnnxFormatException(string message, System.Exception inner) : base(message, inner) { }
}
