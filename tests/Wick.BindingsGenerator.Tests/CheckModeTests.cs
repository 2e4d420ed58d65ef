using System;
using System.IO;

namespace Wick.BindingsGenerator.Tests;

/// <summary>The command line, and --check as CI uses it to catch stale bindings.</summary>
[TestFixture]
public sealed class CheckModeTests
{
    private const string Header = """
        #include <stdint.h>
        #define WK_API __attribute__((visibility("default")))
        typedef enum wk_status { WK_OK = 0 } wk_status;
        WK_API wk_status wk_first(int32_t a);
        WK_API wk_status wk_second(int32_t b);
        """;

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = Program.Run(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static (string Header, string Output) Generated()
    {
        string header = TestHeaders.Write(Header, []);
        string output = Path.Combine(Path.GetDirectoryName(header)!, "out", "NativeMethods.g.cs");
        Assert.That(Run("--header", header, "--output", output).ExitCode, Is.EqualTo(0));
        return (header, output);
    }

    [Test]
    public void WriteModeWritesTheFile_WithoutByteOrderMark()
    {
        (_, string output) = Generated();

        byte[] bytes = File.ReadAllBytes(output);
        Assert.That(bytes[0], Is.EqualTo((byte)'/'));
        Assert.That(File.ReadAllText(output), Does.Contain("wk_second(int b);"));
    }

    [Test]
    public void CheckPassesWhenTheFileIsCurrent()
    {
        (string header, string output) = Generated();

        var result = Run("--header", header, "--output", output, "--check");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
    }

    [Test]
    public void ChangingOneDeclarationMakesCheckFail_WithADiffAndTheHint_AndWritesNothing()
    {
        (string header, string output) = Generated();
        string before = File.ReadAllText(output);
        File.WriteAllText(header, Header.Replace("wk_second(int32_t b)", "wk_second(int64_t b)", StringComparison.Ordinal));

        var result = Run("--header", header, "--output", output, "--check");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("-    internal static partial wk_status wk_second(int b);"));
        Assert.That(result.Stderr, Does.Contain("+    internal static partial wk_status wk_second(long b);"));
        Assert.That(result.Stderr, Does.Contain("dotnet cake --target=Generate"));
        Assert.That(File.ReadAllText(output), Is.EqualTo(before));
    }

    [Test]
    public void CheckFailsWhenTheFileIsMissing()
    {
        string header = TestHeaders.Write(Header, []);

        var result = Run("--header", header, "--output", Path.Combine(Path.GetDirectoryName(header)!, "absent.g.cs"), "--check");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("does not exist"));
    }

    [Test]
    public void AHeaderThatCannotBeBoundExitsWith2AndAnError()
    {
        string header = TestHeaders.Write("long wk_bad(long x);\n", []);

        var result = Run("--header", header, "--output", header + ".g.cs");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.StartWith("error: "));
        Assert.That(File.Exists(header + ".g.cs"), Is.False);
    }

    [Test]
    public void UnknownArgumentsPrintUsage()
    {
        var result = Run("--header", "x.h", "--output", "y.cs", "--frobnicate");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("Unknown argument '--frobnicate'"));
        Assert.That(result.Stderr, Does.Contain("usage:"));
    }
}
