using System;
using System.Text;

namespace Wick.BindingsGenerator;

/// <summary>
/// A short unified-style diff for --check: one hunk from the first differing line to the last, with
/// context, capped so a wholesale change does not flood the CI log.
/// </summary>
internal static class OutputDiff
{
    private const int Context = 3;
    private const int MaxLinesPerSide = 20;

    internal static string Describe(string expected, string actual, string expectedLabel, string actualLabel)
    {
        string[] a = SplitLines(expected);
        string[] b = SplitLines(actual);
        int prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        int suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;

        int from = Math.Max(0, prefix - Context);
        var text = new StringBuilder();
        text.Append("--- ").Append(expectedLabel).Append('\n');
        text.Append("+++ ").Append(actualLabel).Append('\n');
        text.Append($"@@ -{from + 1},{a.Length - suffix - from} +{from + 1},{b.Length - suffix - from} @@\n");
        for (int i = from; i < prefix; i++) text.Append(' ').Append(a[i]).Append('\n');
        AppendSide(text, '-', a, prefix, a.Length - suffix);
        AppendSide(text, '+', b, prefix, b.Length - suffix);
        for (int i = b.Length - suffix; i < Math.Min(b.Length, b.Length - suffix + Context); i++) text.Append(' ').Append(b[i]).Append('\n');
        return text.ToString();
    }

    private static void AppendSide(StringBuilder text, char sign, string[] lines, int from, int to)
    {
        for (int i = from; i < Math.Min(to, from + MaxLinesPerSide); i++) text.Append(sign).Append(lines[i]).Append('\n');
        if (to - from > MaxLinesPerSide) text.Append(sign).Append($" ... {to - from - MaxLinesPerSide} more line(s)\n");
    }

    private static string[] SplitLines(string text) => text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}
