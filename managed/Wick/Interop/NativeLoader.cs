using System;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Wick.Native;

namespace Wick.Interop;

/// <summary>
/// Finds libwick on first use and checks that it speaks this assembly's ABI. A missing runtime
/// package gives an exception that names the package to add instead of a bare DllNotFoundException.
/// </summary>
internal static unsafe class NativeLoader
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Registers a resolver; cannot fail.")]
    internal static void Register() => NativeLibrary.SetDllImportResolver(typeof(NativeLoader).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.LibraryName) return IntPtr.Zero;
        if (!NativeLibrary.TryLoad(name, assembly, searchPath, out IntPtr handle))
        {
            throw new DllNotFoundException(
                $"Wick could not load its native runtime ({RuntimeFileName()}) for {RuntimeInformation.RuntimeIdentifier}. " +
                $"Add the package Wick.Cpu (or Wick.Runtime.{RuntimeInformation.RuntimeIdentifier}) to your project, " +
                "or put the library beside your application.");
        }
        CheckAbi(handle);
        OutOfMemoryRetry.Install(handle);
        return handle;
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

    private static string RuntimeFileName() =>
        OperatingSystem.IsWindows() ? "wick.dll" : OperatingSystem.IsMacOS() ? "libwick.dylib" : "libwick.so";
}
