using System.IO;

namespace Wick.IO;

/// <summary>
/// A safetensors file (or buffer) that breaks the format: the message names the source, what is wrong
/// (the tensor, the offsets or sizes involved) and, where there is one, the fix. Loading never trusts
/// a size from the file before checking it against the file's length, so a malformed file gives this
/// exception, never a crash or a huge allocation.
/// </summary>
public sealed class SafetensorsFormatException : IOException
{
    /// <summary>Creates the exception with its full message.</summary>
    public SafetensorsFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with its full message and the error that revealed the problem.</summary>
    public SafetensorsFormatException(string message, System.Exception inner) : base(message, inner) { }
}
