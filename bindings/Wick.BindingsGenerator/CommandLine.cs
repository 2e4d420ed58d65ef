using System.Collections.Generic;

namespace Wick.BindingsGenerator;

/// <summary>The parsed command line. Paths are as given (relative to the current directory).</summary>
internal sealed record CommandLine(string Header, string Output, bool Check, IReadOnlyList<string> IncludeDirectories)
{
    internal const string Usage =
        "usage: Wick.BindingsGenerator --header <wick.h> --output <NativeMethods.g.cs> [--include-dir <dir>]... [--check]\n" +
        "  --check        write nothing; exit 1 if the output file differs from a fresh generation\n" +
        "  --include-dir  an extra -I for clang (default: the parent of the header's folder)\n" +
        "  WICK_LIBCLANG  environment variable: full path of the libclang shared library to use";

    /// <summary>Parses <paramref name="args"/>; throws a GeneratorException whose message includes the usage.</summary>
    internal static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? header = null, output = null;
        bool check = false;
        var includes = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--header": header = Value(args, ref i); break;
                case "--output": output = Value(args, ref i); break;
                case "--include-dir": includes.Add(Value(args, ref i)); break;
                case "--check": check = true; break;
                default: throw new GeneratorException($"Unknown argument '{args[i]}'.\n{Usage}");
            }
        }
        if (header is null || output is null) throw new GeneratorException($"Both --header and --output are required.\n{Usage}");
        return new CommandLine(header, output, check, includes);
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count) throw new GeneratorException($"{args[i]} needs a value.\n{Usage}");
        return args[++i];
    }
}
