using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Wick.BindingsGenerator;

/// <summary>
/// Reads object-like macros. WK_ macros whose body is one integer literal (optionally negated or in
/// parentheses) become constants; macros that expand to attributes (WK_API) are remembered so the
/// C signature can be written without them. Other WK_ macros are reported and skipped: they would
/// need a C expression evaluator, and nothing in the ABI needs one yet.
/// </summary>
internal sealed class MacroReader(ClangTranslationUnit unit, CommentIndex comments, TextWriter warnings)
{
    internal const string ConstantPrefix = "WK_";

    private readonly HashSet<string> _decorations = new(StringComparer.Ordinal);

    internal List<MacroConstant> Constants { get; } = [];

    /// <summary>True for a macro that expands to nothing or to an attribute/declspec/extern (WK_API).</summary>
    internal bool IsDecoration(string name) => _decorations.Contains(name);

    internal void Read(CXCursor definition)
    {
        if (LibClang.clang_Cursor_isMacroBuiltin(definition) != 0) return;
        if (LibClang.clang_Cursor_isMacroFunctionLike(definition) != 0) return;

        string name = definition.Spelling();
        List<string> body = unit.Tokens(definition.Start(), definition.End())
            .Where(t => t.Kind != CXTokenKind.Comment)
            .Skip(1) // the macro's own name
            .Select(t => t.Spelling)
            .ToList();

        if (body.Count == 0 || body[0] is "__attribute__" or "__declspec" or "extern")
        {
            _decorations.Add(name);
            return;
        }
        if (!name.StartsWith(ConstantPrefix, StringComparison.Ordinal)) return;

        if (TryReadInteger(body, out Int128 value, out bool isUnsigned))
        {
            Constants.Add(new MacroConstant(name, value, isUnsigned, comments.Leading(definition.Start())));
            return;
        }

        SourcePosition at = definition.Location();
        warnings.WriteLine($"{at.File}:{at.Line}: note: macro {name} is not an integer literal ('{string.Join(" ", body)}'); no constant is generated for it.");
    }

    // Accepts N, -N, (N) and (-N).
    private static bool TryReadInteger(List<string> body, out Int128 value, out bool isUnsigned)
    {
        value = 0;
        isUnsigned = false;
        if (body.Count >= 2 && body[0] == "(" && body[^1] == ")") body = body[1..^1];
        bool negative = body.Count == 2 && body[0] == "-";
        if (negative) body = body[1..];
        if (body.Count != 1 || !CIntegerLiteral.TryParse(body[0], out value, out isUnsigned)) return false;
        if (negative) value = -value;
        return true;
    }
}
