using System.Collections.Generic;
using System.IO;

namespace Wick.BindingsGenerator;

/// <summary>Header in, C# text out: parse, read the model, emit. No file is written here.</summary>
internal static class Generator
{
    /// <summary>
    /// Generates the bindings text for <paramref name="headerPath"/>. Include directories default to
    /// the parent of the header's folder (native/include for native/include/wick/wick.h), so
    /// <c>#include &lt;wick/x.h&gt;</c> resolves the way it does for C users.
    /// </summary>
    internal static string Generate(string headerPath, IReadOnlyList<string> includeDirectories, TextWriter warnings)
    {
        string header = Path.GetFullPath(headerPath);
        using ClangTranslationUnit unit = ClangTranslationUnit.Parse(header, ClangArguments(header, includeDirectories), warnings);
        HeaderModel model = HeaderReader.Read(unit, new HeaderScope(header), warnings);
        return CSharpEmitter.Emit(model);
    }

    internal static List<string> ClangArguments(string header, IReadOnlyList<string> includeDirectories)
    {
        // -x c: the bindings describe the C ABI, so the header is read as C even though the core is C++.
        var arguments = new List<string> { "-x", "c", "-std=c11", "-Wno-pragma-once-outside-header" };
        IEnumerable<string> includes = includeDirectories.Count > 0
            ? includeDirectories
            : [Path.GetDirectoryName(Path.GetDirectoryName(header))!];
        foreach (string directory in includes)
        {
            arguments.Add("-I");
            arguments.Add(Path.GetFullPath(directory));
        }
        return arguments;
    }
}
