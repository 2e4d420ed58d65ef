using System;
using System.IO;
using System.Linq;

namespace Wick.BindingsGenerator.Tests;

/// <summary>
/// Writes a small header to a fresh temp folder laid out like the real one (include/wick/test.h) and
/// runs the generator on it, so each test states its C input and the exact C# it expects.
/// </summary>
internal static class TestHeaders
{
    /// <summary>The lines every test header starts with, as wick.h does.</summary>
    internal const string Prelude = """
        #include <stddef.h>
        #include <stdint.h>
        #define WK_API __attribute__((visibility("default")))
        typedef enum wk_status { WK_OK = 0, WK_ERR = 1 } wk_status;

        """;

    /// <summary>Generates bindings for <paramref name="body"/> (appended to the prelude) and returns the C# text.</summary>
    internal static string Generate(string body, params (string RelativePath, string Text)[] extraFiles)
    {
        string header = Write(Prelude + body, extraFiles);
        return Generator.Generate(header, [], TextWriter.Null);
    }

    /// <summary>Generates bindings for a header that must be rejected; returns the error message.</summary>
    internal static string Fail(string body, bool withPrelude = true)
    {
        string header = Write(withPrelude ? Prelude + body : body, []);
        var error = Assert.Throws<GeneratorException>(() => Generator.Generate(header, [], TextWriter.Null));
        return error!.Message;
    }

    /// <summary>This process's scratch folder; per process so concurrent runs (VSTest and MTP) never share one.</summary>
    internal static string TempRoot { get; } =
        Path.Combine(Path.GetTempPath(), "wick-bindgen-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Writes include/wick/test.h (and any extra files, relative to include/) into a new temp folder.</summary>
    internal static string Write(string text, (string RelativePath, string Text)[] extraFiles)
    {
        string root = Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));
        string header = Path.Combine(root, "include", "wick", "test.h");
        Directory.CreateDirectory(Path.GetDirectoryName(header)!);
        File.WriteAllText(header, text);
        foreach ((string relativePath, string extra) in extraFiles)
        {
            string path = Path.Combine(root, "include", relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, extra);
        }
        return header;
    }

    /// <summary>
    /// The type declaration that starts at the line containing <paramref name="firstLine"/> and ends at
    /// the closing brace at that line's indentation, with that indentation removed.
    /// </summary>
    internal static string Block(string generated, string firstLine)
    {
        string[] lines = generated.Split('\n');
        int start = Array.FindIndex(lines, l => l.Contains(firstLine, StringComparison.Ordinal));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no line contains '{firstLine}' in:\n{generated}");
        string indent = lines[start][..(lines[start].Length - lines[start].TrimStart().Length)];
        int end = Array.FindIndex(lines, start, l => l == indent + "}");
        Assert.That(end, Is.GreaterThan(start), $"no closing brace after '{firstLine}'");
        return string.Join("\n", lines[start..(end + 1)].Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l));
    }

    /// <summary>The generated function declaration lines (// C:, attributes, declaration) for one C function.</summary>
    internal static string Function(string generated, string name)
    {
        string[] lines = generated.Split('\n').Select(l => l.Trim()).ToArray();
        int declaration = Array.FindIndex(lines, l => l.StartsWith("internal static partial ", StringComparison.Ordinal) && l.Contains($" {name}(", StringComparison.Ordinal));
        Assert.That(declaration, Is.GreaterThanOrEqualTo(3), $"no binding for {name} in:\n{generated}");
        return string.Join("\n", lines[(declaration - 3)..(declaration + 1)]);
    }

    /// <summary>The repository root, found from the test binaries (tests/Wick.BindingsGenerator.Tests/bin/...).</summary>
    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "native", "include", "wick", "wick.h"))) return directory.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (native/include/wick/wick.h) above " + AppContext.BaseDirectory);
    }
}
