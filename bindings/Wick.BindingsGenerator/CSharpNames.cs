using System;
using System.Collections.Generic;

namespace Wick.BindingsGenerator;

/// <summary>C names are kept as they are (this is the raw tier); only C# reserved words need an @.</summary>
internal static class CSharpNames
{
    // The reserved keywords of C# 13. Contextual keywords (value, var, record, ...) are valid identifiers.
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit",
        "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int",
        "interface", "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out",
        "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed",
        "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try",
        "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    internal static string Identifier(string cName) => Keywords.Contains(cName) ? "@" + cName : cName;
}
