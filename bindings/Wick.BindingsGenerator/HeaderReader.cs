using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Wick.BindingsGenerator;

/// <summary>
/// Walks a parsed header and builds the <see cref="HeaderModel"/>: macros, enums, structs and
/// functions declared in the header's own files, in header order. Anything else declared there
/// (unions, globals, unnamed enums, nested types) stops the run: the ABI rules in DESIGN.md keep
/// the header to these few constructs, and silently skipping one would lose part of the ABI.
/// </summary>
internal sealed class HeaderReader
{
    private readonly ClangTranslationUnit _unit;
    private readonly HeaderScope _scope;
    private readonly TagNames _tagNames = new();
    private readonly TypeReader _types;
    private readonly CommentIndex _comments;
    private readonly MacroReader _macros;

    private HeaderReader(ClangTranslationUnit unit, HeaderScope scope, TextWriter warnings)
    {
        _unit = unit;
        _scope = scope;
        _types = new TypeReader(_tagNames, scope);
        _comments = new CommentIndex(unit);
        _macros = new MacroReader(unit, _comments, warnings);
    }

    internal static HeaderModel Read(ClangTranslationUnit unit, HeaderScope scope, TextWriter warnings) =>
        new HeaderReader(unit, scope, warnings).Read();

    private HeaderModel Read()
    {
        List<CXCursor> topLevel = Flatten(_unit.Cursor.Children());
        _tagNames.AddTypedefs(topLevel);

        // The preprocessing record is visited before the declarations, so macros are read first:
        // SignatureReader needs to know which macros are decorations like WK_API.
        foreach (CXCursor cursor in topLevel)
        {
            if (cursor.Kind() == CXCursorKind.MacroDefinition && _scope.Contains(cursor.Location())) _macros.Read(cursor);
        }

        var types = new List<TypeDeclaration>();
        var functions = new List<FunctionDeclaration>();
        var functionNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (CXCursor cursor in topLevel)
        {
            if (!_scope.Contains(cursor.Location())) continue;
            switch (cursor.Kind())
            {
                case CXCursorKind.EnumDecl when IsDefinition(cursor):
                    types.Add(ReadEnum(cursor));
                    break;
                case CXCursorKind.StructDecl when IsDefinition(cursor):
                    types.Add(ReadStruct(cursor));
                    break;
                case CXCursorKind.FunctionDecl:
                    // A static (inline) function is not exported; a redeclaration adds nothing.
                    if (LibClang.clang_Cursor_getStorageClass(cursor) == LibClang.CX_SC_Static) break;
                    if (functionNames.Add(cursor.Spelling())) functions.Add(ReadFunction(cursor));
                    break;
                case CXCursorKind.UnionDecl when IsDefinition(cursor):
                    throw Unsupported(cursor, "unions are not supported; use a struct, or one function per variant");
                case CXCursorKind.VarDecl:
                    throw Unsupported(cursor, "global variables cannot be bound; expose them through a function");
                case CXCursorKind.EnumDecl or CXCursorKind.StructDecl or CXCursorKind.UnionDecl: // forward declarations
                case CXCursorKind.TypedefDecl: // resolved where used
                case CXCursorKind.StaticAssert:
                case CXCursorKind.MacroDefinition or CXCursorKind.MacroExpansion or CXCursorKind.InclusionDirective:
                    break;
                default:
                    throw Unsupported(cursor, $"declarations of kind {cursor.Kind()} ({(int)cursor.Kind()}) are not supported");
            }
        }

        List<MacroConstant> constants = _macros.Constants;
        return new HeaderModel(constants, types, functions);
    }

    private EnumDeclaration ReadEnum(CXCursor cursor)
    {
        string name = NameOf(cursor, "enum");
        CType underlying = _types.Read(LibClang.clang_getEnumDeclIntegerType(cursor));
        bool isUnsigned = underlying is ScalarType { Name: var n } && n.StartsWith("unsigned", StringComparison.Ordinal);

        List<CXCursor> constants = cursor.Children().Where(c => c.Kind() == CXCursorKind.EnumConstantDecl).ToList();
        var members = new List<EnumMember>();
        for (int i = 0; i < constants.Count; i++)
        {
            CXCursor constant = constants[i];
            Int128 value = isUnsigned
                ? (Int128)LibClang.clang_getEnumConstantDeclUnsignedValue(constant)
                : (Int128)LibClang.clang_getEnumConstantDeclValue(constant);
            members.Add(new EnumMember(constant.Spelling(), value, TrailingComment(constant, constants, i, cursor)));
        }
        return new EnumDeclaration(name, underlying, members, _comments.Leading(cursor.Start()));
    }

    private StructDeclaration ReadStruct(CXCursor cursor)
    {
        string name = NameOf(cursor, "struct");
        var fieldCursors = new List<CXCursor>();
        foreach (CXCursor child in cursor.Children())
        {
            switch (child.Kind())
            {
                case CXCursorKind.FieldDecl:
                    if (LibClang.clang_Cursor_isBitField(child) != 0)
                        throw Unsupported(child, $"bit-field '{child.Spelling()}' in struct {name} has no C# layout");
                    fieldCursors.Add(child);
                    break;
                case CXCursorKind.StructDecl or CXCursorKind.UnionDecl or CXCursorKind.EnumDecl:
                    throw Unsupported(child, $"struct {name} defines a nested type; define it at file scope");
            }
        }
        if (fieldCursors.Count == 0) throw Unsupported(cursor, $"struct {name} has no fields (C# cannot express a 0-byte struct)");

        StructLayoutCheck.EnsureNatural(name, cursor, fieldCursors);
        var fields = new List<StructField>();
        for (int i = 0; i < fieldCursors.Count; i++)
        {
            CXCursor field = fieldCursors[i];
            fields.Add(new StructField(field.Spelling(), _types.Read(field.Type()), TrailingComment(field, fieldCursors, i, cursor)));
        }
        return new StructDeclaration(name, fields, _comments.Leading(cursor.Start()));
    }

    private FunctionDeclaration ReadFunction(CXCursor cursor)
    {
        string name = cursor.Spelling();
        CXType type = cursor.Type();
        if (type.Kind == CXTypeKind.FunctionNoProto)
            throw Unsupported(cursor, $"function {name} has no prototype; write {name}(void) for an empty parameter list");
        if (LibClang.clang_isFunctionTypeVariadic(type) != 0)
            throw Unsupported(cursor, $"function {name} is variadic; C# cannot call it through LibraryImport");
        if (LibClang.clang_getFunctionTypeCallingConv(type) != LibClang.CXCallingConv_C)
            throw Unsupported(cursor, $"function {name} does not use the default C calling convention");

        var parameters = new List<Parameter>();
        int count = LibClang.clang_Cursor_getNumArguments(cursor);
        for (uint i = 0; i < count; i++)
        {
            CXCursor argument = LibClang.clang_Cursor_getArgument(cursor, i);
            string parameterName = argument.Spelling();
            parameters.Add(new Parameter(parameterName.Length == 0 ? $"arg{i}" : parameterName, _types.Read(argument.Type())));
        }

        return new FunctionDeclaration(
            name,
            SignatureReader.Read(cursor, _unit, _macros),
            _types.Read(LibClang.clang_getCursorResultType(cursor)),
            parameters,
            _comments.Leading(cursor.Start()));
    }

    private string? TrailingComment(CXCursor member, List<CXCursor> members, int index, CXCursor parent)
    {
        int limit = index + 1 < members.Count ? members[index + 1].Start().Offset : parent.End().Offset;
        return _comments.Trailing(member.End(), limit);
    }

    private string NameOf(CXCursor tag, string what) =>
        _tagNames.NameOf(tag) ?? throw Unsupported(tag, $"this {what} has no name; give it a tag or a typedef");

    private static bool IsDefinition(CXCursor cursor) => LibClang.clang_isCursorDefinition(cursor) != 0;

    /// <summary>Top-level cursors, looking through extern "C" blocks (seen when a header is parsed as C++).</summary>
    private static List<CXCursor> Flatten(List<CXCursor> cursors)
    {
        var result = new List<CXCursor>();
        foreach (CXCursor cursor in cursors)
        {
            if (cursor.Kind() == CXCursorKind.LinkageSpec) result.AddRange(Flatten(cursor.Children()));
            else result.Add(cursor);
        }
        return result;
    }

    private static GeneratorException Unsupported(CXCursor cursor, string reason)
    {
        SourcePosition at = cursor.Location();
        return new GeneratorException($"{at.File}:{at.Line}:{at.Column}: {reason}.");
    }
}
