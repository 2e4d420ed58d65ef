using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Wick.BindingsGenerator;

/// <summary>
/// dotnet run --project bindings/Wick.BindingsGenerator -- --header native/include/wick/wick.h
///     --output bindings/Wick.Native/NativeMethods.g.cs [--check]
/// Exit codes: 0 written or up to date; 1 --check found a difference; 2 the header cannot be bound.
/// </summary>
internal static class Program
{
    internal const int Ok = 0;
    internal const int Stale = 1;
    internal const int Failed = 2;

    internal const string RegenerateHint =
        "The checked-in bindings are stale: run \"dotnet cake --target=Generate\" (or this generator without --check) and commit the result.";

    private static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            CommandLine options = CommandLine.Parse(args);
            string generated = Generator.Generate(options.Header, options.IncludeDirectories, stderr);
            return options.Check ? Check(options.Output, generated, stdout, stderr) : Write(options.Output, generated, stdout);
        }
        catch (GeneratorException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return Failed;
        }
    }

    private static int Write(string output, string generated, TextWriter stdout)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(output, generated, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        stdout.WriteLine($"Wrote {output}.");
        return Ok;
    }

    private static int Check(string output, string generated, TextWriter stdout, TextWriter stderr)
    {
        // A CRLF checkout (git autocrlf on Windows) is the same content, not a stale file.
        string onDisk = File.Exists(output) ? File.ReadAllText(output).Replace("\r\n", "\n", StringComparison.Ordinal) : "";
        if (onDisk == generated)
        {
            stdout.WriteLine($"{output} is up to date.");
            return Ok;
        }

        stderr.Write(OutputDiff.Describe(onDisk, generated, output + " (on disk)", output + " (generated)"));
        stderr.WriteLine(File.Exists(output) ? RegenerateHint : $"{output} does not exist. " + RegenerateHint);
        return Stale;
    }
}
