using System;
using System.Collections.Generic;

namespace Wick.BindingsGenerator;

/// <summary>
/// The C# name of each struct and enum. C code names them through typedefs (<c>typedef enum wk_x {...} wk_x;</c>,
/// or an anonymous <c>typedef struct {...} wk_y;</c>), so the first typedef that names a tag directly wins,
/// then the tag itself. Keyed by USR, which is the same for a tag's forward declaration and its definition.
/// </summary>
internal sealed class TagNames
{
    private readonly Dictionary<string, string> _typedefNames = new(StringComparer.Ordinal);

    /// <summary>Records the typedefs among the top-level cursors; call before asking for any name.</summary>
    internal void AddTypedefs(IEnumerable<CXCursor> topLevel)
    {
        foreach (CXCursor cursor in topLevel)
        {
            if (cursor.Kind() != CXCursorKind.TypedefDecl) continue;
            CXType underlying = TypeReader.StripSugar(LibClang.clang_getTypedefDeclUnderlyingType(cursor));
            if (underlying.Kind is not (CXTypeKind.Record or CXTypeKind.Enum)) continue;
            string usr = LibClang.clang_getTypeDeclaration(underlying).Usr();
            _typedefNames.TryAdd(usr, cursor.Spelling());
        }
    }

    /// <summary>The C# name of a struct/enum declaration cursor, or null when it has no name at all.</summary>
    internal string? NameOf(CXCursor tag)
    {
        if (_typedefNames.TryGetValue(tag.Usr(), out string? typedefName)) return typedefName;
        string spelling = tag.Spelling();
        // clang 14 spells an anonymous tag "", newer versions "(unnamed struct at file:line:col)".
        return spelling.Length == 0 || spelling.Contains(' ') ? null : spelling;
    }
}
