using System;
using System.IO;

namespace Wick.BindingsGenerator;

/// <summary>
/// Which files' declarations become bindings: the header itself and anything beside or below it
/// (native/include/wick/...). stdint.h and friends are parsed but never emitted.
/// </summary>
internal sealed class HeaderScope(string headerPath)
{
    private readonly string _headerPath = Path.GetFullPath(headerPath);
    private readonly string _directory = Path.GetDirectoryName(Path.GetFullPath(headerPath))! + Path.DirectorySeparatorChar;

    internal bool Contains(SourcePosition position)
    {
        if (position.File.Length == 0) return false; // builtins and command-line macros have no file
        string file = Path.GetFullPath(position.File);
        return file == _headerPath || file.StartsWith(_directory, StringComparison.Ordinal);
    }
}
