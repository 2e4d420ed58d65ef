using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.BindingsGenerator;

/// <summary>
/// Finds the C comments that belong to a declaration, from the tokenizer's comment tokens (libclang
/// only attaches /** doc */ comments by itself, and wick.h uses plain ones):
/// a leading comment is a block of comments, each alone on its lines, ending on the line directly
/// above; a trailing comment starts on the member's own last line, after it. A comment separated by a
/// blank line (a section banner) belongs to nothing.
/// </summary>
internal sealed class CommentIndex(ClangTranslationUnit unit)
{
    private readonly Dictionary<string, List<SourceToken>> _tokensByFile = new(StringComparer.Ordinal);

    internal IReadOnlyList<string> Leading(SourcePosition declarationStart)
    {
        List<SourceToken> tokens = TokensOf(declarationStart.File);
        // Start from the first token of the declaration's line: `typedef` and `#define` come before the cursor.
        int next = tokens.FindIndex(t => t.Start.Line >= declarationStart.Line);
        if (next < 0) next = tokens.Count;

        var block = new List<SourceToken>();
        int line = declarationStart.Line;
        for (int i = next - 1; i >= 0; i--)
        {
            SourceToken token = tokens[i];
            bool standalone = i == 0 || tokens[i - 1].End.Line < token.Start.Line;
            if (token.Kind != CXTokenKind.Comment || token.End.Line != line - 1 || !standalone) break;
            block.Insert(0, token);
            line = token.Start.Line;
        }
        return block.SelectMany(t => CleanLines(t.Spelling)).ToList();
    }

    /// <summary>The comment after a member on the same line, before <paramref name="limit"/> (the next member), as one line.</summary>
    internal string? Trailing(SourcePosition memberEnd, int limit)
    {
        foreach (SourceToken token in TokensOf(memberEnd.File))
        {
            if (token.Start.Offset < memberEnd.Offset) continue;
            if (token.Start.Offset >= limit || token.Start.Line != memberEnd.Line) return null;
            if (token.Kind == CXTokenKind.Comment) return string.Join(" ", CleanLines(token.Spelling));
        }
        return null;
    }

    /// <summary>The text of a comment without its delimiters and the leading stars of continuation lines.</summary>
    internal static List<string> CleanLines(string comment)
    {
        string body = comment.StartsWith("//", StringComparison.Ordinal)
            ? comment.TrimStart('/').TrimStart('!')
            : comment[2..^2].TrimStart('*').TrimStart('!');
        var lines = new List<string>();
        foreach (string raw in body.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('*')) line = line[1..].Trim();
            lines.Add(line);
        }
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private List<SourceToken> TokensOf(string file)
    {
        if (!_tokensByFile.TryGetValue(file, out List<SourceToken>? tokens))
        {
            tokens = unit.Tokens(file);
            _tokensByFile[file] = tokens;
        }
        return tokens;
    }
}
