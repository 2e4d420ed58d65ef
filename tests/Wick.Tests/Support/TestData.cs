using System;
using System.IO;

namespace Wick.Tests.Support;

/// <summary>The repository's tests/data folder (found by walking up from the test assembly), so a fresh clone has it.</summary>
public static class TestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "tests", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/data not found above {AppContext.BaseDirectory}");
    });

    public static string Path(params string[] parts) => System.IO.Path.Combine(Root.Value, System.IO.Path.Combine(parts));
}
