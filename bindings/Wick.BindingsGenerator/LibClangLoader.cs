using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Wick.BindingsGenerator;

/// <summary>
/// Finds libclang. The generator uses the distribution's libclang (Debian's libclang1-14) because it
/// locates its own builtin headers (stddef.h, stdint.h); a libclang without them would turn size_t
/// into a parse error, or worse, into int.
/// </summary>
internal static class LibClangLoader
{
    internal const string EnvironmentVariable = "WICK_LIBCLANG";

    /// <summary>Names tried after WICK_LIBCLANG, most specific first, so a newer default libclang does not win by accident.</summary>
    internal static readonly string[] DefaultCandidates =
    [
        "libclang-14.so.1",
        "libclang.so.1",
        "/usr/lib/llvm-14/lib/libclang.so.1",
        "libclang.so",
        "libclang",
    ];

    private static readonly object Gate = new();
    private static bool _registered;
    private static nint _handle;

    /// <summary>Called from LibClang's static constructor, before the first P/Invoke binds.</summary>
    internal static void RegisterResolver()
    {
        lock (Gate)
        {
            if (_registered) return;
            NativeLibrary.SetDllImportResolver(typeof(LibClangLoader).Assembly, Resolve);
            _registered = true;
        }
    }

    /// <summary>Loads libclang now, so a missing library is reported with install advice instead of a bare DllNotFoundException.</summary>
    internal static void EnsureLoaded()
    {
        RegisterResolver();
        lock (Gate)
        {
            if (_handle != 0) return;
            _handle = LoadFirst(Candidates());
        }
    }

    internal static IEnumerable<string> Candidates()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) yield return fromEnvironment;
        foreach (string name in DefaultCandidates) yield return name;
    }

    /// <summary>The handle of the first candidate that loads; throws a GeneratorException naming all of them otherwise.</summary>
    internal static nint LoadFirst(IEnumerable<string> candidates)
    {
        var tried = new List<string>();
        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out nint handle)) return handle;
            tried.Add(candidate);
        }

        throw new GeneratorException(
            "libclang could not be loaded (tried: " + string.Join(", ", tried) + "). " +
            "Install Debian's libclang1-14 (apt-get install libclang1-14 libclang-common-14-dev), " +
            $"or set {EnvironmentVariable} to the full path of a libclang shared library.");
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibClang.Name) return 0;
        EnsureLoaded();
        return _handle;
    }
}
