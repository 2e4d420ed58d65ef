using System.Collections.Generic;

namespace Wick.BindingsGenerator;

/// <summary>
/// Turns a libclang type into a <see cref="CType"/>. Typedef chains are followed one step at a time so
/// that fixed-width names (int64_t, size_t) are caught by name before they decay into their
/// platform-dependent builtins (long, unsigned long), which could not be mapped portably.
/// </summary>
internal sealed class TypeReader(TagNames tagNames, HeaderScope scope)
{
    /// <summary>Drops sugar that says nothing about layout: "struct"/"enum" keywords and attributes.</summary>
    internal static CXType StripSugar(CXType type)
    {
        while (true)
        {
            if (type.Kind == CXTypeKind.Elaborated) type = LibClang.clang_Type_getNamedType(type);
            else if (type.Kind == CXTypeKind.Attributed) type = LibClang.clang_Type_getModifiedType(type);
            else return type;
        }
    }

    internal CType Read(CXType type)
    {
        string spelling = type.Spelling();
        type = StripSugar(type);
        switch (type.Kind)
        {
            case CXTypeKind.Typedef:
                string typedefName = LibClang.ToManaged(LibClang.clang_getTypedefName(type));
                if (TypeMapper.IsScalarTypedef(typedefName)) return new ScalarType(typedefName, spelling);
                CXCursor typedefDecl = LibClang.clang_getTypeDeclaration(type);
                return Read(LibClang.clang_getTypedefDeclUnderlyingType(typedefDecl));

            case CXTypeKind.Void:
                return new VoidType(spelling);

            case CXTypeKind.Pointer:
                return new PointerType(Read(LibClang.clang_getPointeeType(type)), spelling);

            case CXTypeKind.Record:
                return ReadRecord(type, spelling);

            case CXTypeKind.Enum:
                CXCursor enumDecl = LibClang.clang_getTypeDeclaration(type);
                if (!scope.Contains(enumDecl.Location()))
                    return new UnsupportedType($"the enum is declared in {enumDecl.Location().File}, outside the bound header", spelling);
                return new EnumType(tagNames.NameOf(enumDecl) ?? Unnamed("enum", enumDecl), spelling);

            case CXTypeKind.FunctionProto:
                return ReadFunction(type, spelling);

            case CXTypeKind.FunctionNoProto:
                return new UnsupportedType("a function type without a prototype; write (void) for an empty parameter list", spelling);

            case CXTypeKind.ConstantArray:
                return new ArrayType(Read(LibClang.clang_getArrayElementType(type)), LibClang.clang_getArraySize(type), spelling);

            case CXTypeKind.IncompleteArray:
                return new ArrayType(Read(LibClang.clang_getArrayElementType(type)), null, spelling);

            default:
                string? builtin = BuiltinName(type.Kind);
                return builtin is null
                    ? new UnsupportedType($"libclang type kind {type.Kind} ({(int)type.Kind}) is not supported", spelling)
                    : new ScalarType(builtin, spelling);
        }
    }

    private CType ReadRecord(CXType type, string spelling)
    {
        CXCursor decl = LibClang.clang_getTypeDeclaration(type);
        if (decl.Kind() == CXCursorKind.UnionDecl)
            return new UnsupportedType("unions are not supported; use a struct, or separate functions per variant", spelling);

        // clang reports sizeof as a negative CXTypeLayoutError for a struct that is never defined.
        bool complete = LibClang.clang_Type_getSizeOf(type) >= 0;
        string name = tagNames.NameOf(decl) ?? Unnamed("struct", decl);
        if (!complete) return new OpaqueStructType(name, spelling);
        if (!scope.Contains(decl.Location()))
            return new UnsupportedType($"the struct is declared in {decl.Location().File}, outside the bound header", spelling);
        return new StructType(name, spelling);
    }

    private CType ReadFunction(CXType type, string spelling)
    {
        var parameters = new List<CType>();
        int count = LibClang.clang_getNumArgTypes(type);
        for (uint i = 0; i < count; i++) parameters.Add(Read(LibClang.clang_getArgType(type, i)));
        return new FunctionType(
            Read(LibClang.clang_getResultType(type)),
            parameters,
            IsVariadic: LibClang.clang_isFunctionTypeVariadic(type) != 0,
            IsCdecl: LibClang.clang_getFunctionTypeCallingConv(type) == LibClang.CXCallingConv_C,
            spelling);
    }

    private static string Unnamed(string what, CXCursor decl)
    {
        SourcePosition at = decl.Location();
        throw new GeneratorException($"The anonymous {what} at {at.File}:{at.Line} has no name; give it a tag or a typedef.");
    }

    /// <summary>The C spelling of the builtin arithmetic kinds; TypeMapper decides which are portable.</summary>
    private static string? BuiltinName(CXTypeKind kind) => kind switch
    {
        CXTypeKind.Bool => "_Bool",
        CXTypeKind.Char_U or CXTypeKind.Char_S => "char",
        CXTypeKind.SChar => "signed char",
        CXTypeKind.UChar => "unsigned char",
        CXTypeKind.Short => "short",
        CXTypeKind.UShort => "unsigned short",
        CXTypeKind.Int => "int",
        CXTypeKind.UInt => "unsigned int",
        CXTypeKind.Long => "long",
        CXTypeKind.ULong => "unsigned long",
        CXTypeKind.LongLong => "long long",
        CXTypeKind.ULongLong => "unsigned long long",
        CXTypeKind.Float => "float",
        CXTypeKind.Double => "double",
        _ => null,
    };
}
