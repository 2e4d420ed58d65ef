using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Wick.BindingsGenerator;

/// <summary>
/// Recovers a function's C signature as written in the header, for the "// C:" line above each
/// binding: the declaration's source text without export decorations (WK_API), comments and the
/// line breaks, e.g. <c>wk_status wk_tensor_retain(wk_tensor t)</c>.
/// </summary>
internal static partial class SignatureReader
{
    internal static string Read(CXCursor function, ClangTranslationUnit unit, MacroReader macros)
    {
        SourcePosition start = function.Start();
        SourcePosition end = function.End();
        List<SourceToken> tokens = unit.Tokens(start, end);

        int first = 0;
        while (first < tokens.Count)
        {
            SourceToken token = tokens[first];
            if (token.Kind == CXTokenKind.Comment || token.Spelling == "extern" ||
                (token.Kind == CXTokenKind.Identifier && macros.IsDecoration(token.Spelling)))
            {
                first++;
            }
            else if (token.Spelling == "__attribute__")
            {
                first = SkipParentheses(tokens, first + 1);
            }
            else
            {
                break;
            }
        }
        if (first >= tokens.Count)
            throw new GeneratorException($"Cannot read the declaration of {function.Spelling()} at {start.File}:{start.Line}.");

        // Source text minus comments, so the signature keeps the author's spelling (const int64_t* sizes).
        var text = new StringBuilder();
        int from = tokens[first].Start.Offset;
        foreach (SourceToken comment in tokens.Skip(first).Where(t => t.Kind == CXTokenKind.Comment))
        {
            text.Append(unit.Text(start.File, from, comment.Start.Offset)).Append(' ');
            from = comment.End.Offset;
        }
        text.Append(unit.Text(start.File, from, end.Offset));
        return Normalise(text.ToString());
    }

    /// <summary>One space between words, none inside parentheses or before commas.</summary>
    internal static string Normalise(string signature)
    {
        string text = Whitespace().Replace(signature, " ").Trim();
        text = SpaceAfterOpen().Replace(text, "(");
        text = SpaceBeforeCloseOrComma().Replace(text, "$1");
        return text;
    }

    private static int SkipParentheses(List<SourceToken> tokens, int index)
    {
        int depth = 0;
        for (; index < tokens.Count; index++)
        {
            if (tokens[index].Spelling == "(") depth++;
            else if (tokens[index].Spelling == ")" && --depth == 0) return index + 1;
        }
        return index;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\(\s+")]
    private static partial Regex SpaceAfterOpen();

    [GeneratedRegex(@"\s+([),])")]
    private static partial Regex SpaceBeforeCloseOrComma();
}
