using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Wick.BindingsGenerator.Tests;

/// <summary>The real ABI: the checked-in bindings must be exactly what the generator makes of wick.h.</summary>
[TestFixture]
public sealed class RealHeaderTests
{
    private static string Root => TestHeaders.RepositoryRoot();
    private static string Header => Path.Combine(Root, "native", "include", "wick", "wick.h");
    private static string CheckedIn => Path.Combine(Root, "bindings", "Wick.Native", "NativeMethods.g.cs");

    [Test]
    public void VerifyGenerated_CheckedInBindingsEqualAFreshGeneration()
    {
        string generated = Generator.Generate(Header, [], TextWriter.Null);
        string onDisk = File.ReadAllText(CheckedIn).Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.That(onDisk, Is.EqualTo(generated),
            "bindings/Wick.Native/NativeMethods.g.cs is stale: run \"dotnet cake --target=Generate\" and commit the result.");
    }

    [Test]
    public void RealHeaderBindsTheCoreEntryPoints()
    {
        string generated = File.ReadAllText(CheckedIn);

        Assert.That(generated, Does.Contain("internal const int WK_ABI_VERSION = "));
        Assert.That(generated, Does.Contain("internal const int WK_MAX_DIMS = "));
        Assert.That(generated, Does.Contain("internal static partial wk_status wk_last_error(byte** message);"));
        Assert.That(generated, Does.Contain("internal static partial wk_status wk_tensor_retain(nint t);"));
        Assert.That(generated, Does.Contain("internal static partial wk_status wk_memory_stats_get(wk_device_type device, int device_index, wk_memory_stats* stats);"));
    }

    [Test]
    public void EveryBindingHasItsCSignatureDirectlyAbove()
    {
        string[] lines = File.ReadAllText(CheckedIn).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith("[LibraryImport(", StringComparison.Ordinal)) continue;
            Assert.That(lines[i - 1].TrimStart(), Does.StartWith("// C: wk_status wk_"), $"line {i + 1}");
        }
    }

    /// <summary>
    /// Compiles the checked-in file in a throwaway library for net8.0 and net10.0 with warnings as
    /// errors and the trimming/AOT analyzers on, then checks that the LibraryImport generator emitted
    /// plain DllImport forwarders (no marshalling stubs).
    /// </summary>
    [Test]
    [Category("Slow")]
    public void GeneratedFileCompilesForNet8AndNet10_WithoutMarshallingStubs()
    {
        string project = Path.Combine(TestHeaders.TempRoot, "compile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "BindingsCompile.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>net8.0;net10.0</TargetFrameworks>
                <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <IsAotCompatible>true</IsAotCompatible>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <Compile Include="{CheckedIn}" />
              </ItemGroup>
            </Project>
            """);

        (int exitCode, string output) = Run("dotnet", $"build \"{project}\" -nologo -v:q", project);
        Assert.That(exitCode, Is.EqualTo(0), output);

        foreach (string framework in new[] { "net8.0", "net10.0" })
        {
            string stubs = Directory.GetFiles(Path.Combine(project, "obj"), "LibraryImports.g.cs", SearchOption.AllDirectories)
                .Single(f => f.Contains(Path.DirectorySeparatorChar + framework + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            string text = File.ReadAllText(stubs);
            Assert.That(text, Does.Contain("static extern partial global::Wick.Native.wk_status wk_tensor_retain(nint t);"), framework);
            Assert.That(text, Does.Not.Contain("Marshaller"), framework);
            Assert.That(text, Does.Not.Contain("__retVal"), framework);
        }
    }

    private static (int ExitCode, string Output) Run(string fileName, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host runs under an MSBuild/VSTest environment; a nested build must pick its own.
        foreach (string name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(name);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
