using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Wick.Native;

namespace Wick.Interop;

/// <summary>
/// Finds libwick on first use and checks that it speaks this assembly's ABI. It looks, in order, where
/// .NET looks (beside the application, the deps.json native assets of a built or published app), then in
/// the NuGet package layout beside this assembly (how `dotnet fsi` and other hosts that load straight from
/// the package cache see it: wick/&lt;v&gt;/lib/&lt;tfm&gt;/Wick.dll next to
/// wick.runtime.&lt;rid&gt;/&lt;v&gt;/runtimes/&lt;rid&gt;/native/libwick.so), then lets other resolvers of
/// the host try. When nothing finds it, the exception names the package to add.
/// </summary>
internal static unsafe class NativeLoader
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Registers resolvers; cannot fail.")]
    internal static void Register()
    {
        Assembly assembly = typeof(NativeLoader).Assembly;
        NativeLibrary.SetDllImportResolver(assembly, Resolve);
        // Runs after the host's own handlers (fsi registers one per referenced package): the last resort.
        (AssemblyLoadContext.GetLoadContext(assembly) ?? AssemblyLoadContext.Default).ResolvingUnmanagedDll += NotFound;
    }

    // TryLoad below raises ResolvingUnmanagedDll itself: NotFound must not throw before the package layout is tried.
    [ThreadStatic] private static bool s_resolving;

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.LibraryName) return IntPtr.Zero;
        bool found;
        IntPtr handle;
        s_resolving = true;
        try { found = NativeLibrary.TryLoad(name, assembly, searchPath, out handle); }
        finally { s_resolving = false; }
        if (found ||
            (PackageLayoutPath("Wick.Runtime", RuntimeFileName()) is { } path && NativeLibrary.TryLoad(path, out handle)))
        {
            CheckAbi(handle);
            OutOfMemoryRetry.Install(handle);
            PreloadCudaBackend();
            return handle;
        }
        return IntPtr.Zero; // the runtime goes on with its own probing and the load context's handlers
    }

    private static IntPtr NotFound(Assembly assembly, string name)
    {
        if (s_resolving || name != NativeMethods.LibraryName || assembly != typeof(NativeLoader).Assembly) return IntPtr.Zero;
        throw new DllNotFoundException(
            $"Wick could not load its native runtime ({RuntimeFileName()}) for {Rid}. " +
            $"Add the package Wick.Cpu (or Wick.Runtime.{Rid}) to your project, " +
            "or put the library beside your application.");
    }

    /// <summary>
    /// In the NuGet layout the CUDA runtime package is a sibling folder, not beside libwick: load it now when
    /// it is there, so libwick's own lookup (beside itself, then by name) finds it already in the process.
    /// </summary>
    private static void PreloadCudaBackend()
    {
        if (PackageLayoutPath("Wick.Runtime.Cuda", CudaFileName()) is { } cuda) NativeLibrary.TryLoad(cuda, out _);
    }

    /// <summary>The library's path inside package &lt;prefix&gt;.&lt;rid&gt; of Wick's own version, when Wick.dll sits in a NuGet package folder and the file exists.</summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty Location (single-file, NativeAOT) means no package layout; the app folder is searched first.")]
    private static string? PackageLayoutPath(string packagePrefix, string file)
    {
        try
        {
            string location = typeof(NativeLoader).Assembly.Location;
            if (string.IsNullOrEmpty(location)) return null;
            // <root>/wick/<version>/lib/<tfm>/Wick.dll
            DirectoryInfo? versionDir = new FileInfo(location).Directory?.Parent?.Parent;
            DirectoryInfo? root = versionDir?.Parent?.Parent;
            if (versionDir is null || root is null || !string.Equals(versionDir.Parent!.Name, "wick", StringComparison.OrdinalIgnoreCase)) return null;
            string package = $"{packagePrefix}.{Rid}".ToLowerInvariant();
            string path = Path.Combine(root.FullName, package, versionDir.Name, "runtimes", Rid, "native", file);
            return File.Exists(path) ? path : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static void CheckAbi(IntPtr library)
    {
        var version = (delegate* unmanaged[Cdecl]<int*, wk_status>)NativeLibrary.GetExport(library, "wk_abi_version");
        int abi;
        if (version(&abi) != wk_status.WK_OK || abi != NativeMethods.WK_ABI_VERSION)
        {
            throw new DllNotFoundException(
                $"The native Wick runtime speaks ABI version {abi}, but this Wick assembly needs {NativeMethods.WK_ABI_VERSION}: " +
                "use the same version of the Wick and Wick.Runtime packages.");
        }
    }

    /// <summary>The portable runtime identifier of this process (linux-x64, osx-arm64, win-x64, ...).</summary>
    internal static string Rid
    {
        get
        {
            string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            string arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                Architecture.X86 => "x86",
                Architecture.Arm => "arm",
                var other => other.ToString().ToLowerInvariant(),
            };
            return $"{os}-{arch}";
        }
    }

    private static string RuntimeFileName() =>
        OperatingSystem.IsWindows() ? "wick.dll" : OperatingSystem.IsMacOS() ? "libwick.dylib" : "libwick.so";

    private static string CudaFileName() => OperatingSystem.IsWindows() ? "wick_cuda.dll" : "libwick_cuda.so";
}
