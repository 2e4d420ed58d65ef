using System;
using System.Collections.Generic;

namespace Wick.BindingsGenerator;

// What the header declares, in C terms, with libclang left behind. HeaderReader builds it;
// TypeMapper and CSharpEmitter turn it into C#. Lists keep header order.

internal sealed record HeaderModel(
    IReadOnlyList<MacroConstant> Constants,
    IReadOnlyList<TypeDeclaration> Types,
    IReadOnlyList<FunctionDeclaration> Functions);

/// <summary>An object-like macro whose body is one integer literal, e.g. <c>#define WK_MAX_DIMS 16</c>.</summary>
internal sealed record MacroConstant(string Name, Int128 Value, bool IsUnsigned, IReadOnlyList<string> Comment);

internal abstract record TypeDeclaration(string Name, IReadOnlyList<string> Comment);

/// <summary>A C enum; every member's value is as clang evaluated it.</summary>
internal sealed record EnumDeclaration(string Name, CType UnderlyingType, IReadOnlyList<EnumMember> Members, IReadOnlyList<string> Comment)
    : TypeDeclaration(Name, Comment);

internal sealed record EnumMember(string Name, Int128 Value, string? TrailingComment);

/// <summary>A C struct with a definition whose layout C# Sequential layout reproduces (checked by HeaderReader).</summary>
internal sealed record StructDeclaration(string Name, IReadOnlyList<StructField> Fields, IReadOnlyList<string> Comment)
    : TypeDeclaration(Name, Comment);

internal sealed record StructField(string Name, CType Type, string? TrailingComment);

/// <summary>An exported function. CSignature is the declaration as written, whitespace-normalised.</summary>
internal sealed record FunctionDeclaration(
    string Name,
    string CSignature,
    CType ReturnType,
    IReadOnlyList<Parameter> Parameters,
    IReadOnlyList<string> Comment);

internal sealed record Parameter(string Name, CType Type);

// C types, reduced to what decides the C# type. Spelling is clang's, for error messages only.

internal abstract record CType(string Spelling);

/// <summary>A builtin arithmetic type ("int", "double", "char", "long") or a fixed-size typedef ("int32_t", "size_t").</summary>
internal sealed record ScalarType(string Name, string Spelling) : CType(Spelling);

internal sealed record VoidType(string Spelling) : CType(Spelling);

internal sealed record PointerType(CType Pointee, string Spelling) : CType(Spelling);

/// <summary>A struct that is declared but never defined here: only ever used behind a pointer (a handle).</summary>
internal sealed record OpaqueStructType(string Name, string Spelling) : CType(Spelling);

internal sealed record EnumType(string Name, string Spelling) : CType(Spelling);

internal sealed record StructType(string Name, string Spelling) : CType(Spelling);

/// <summary>A function type (what a function pointer points to). IsCdecl is false for any other calling convention.</summary>
internal sealed record FunctionType(CType Result, IReadOnlyList<CType> Parameters, bool IsVariadic, bool IsCdecl, string Spelling)
    : CType(Spelling);

/// <summary>An array; Length is null for <c>T name[]</c>.</summary>
internal sealed record ArrayType(CType Element, long? Length, string Spelling) : CType(Spelling);

/// <summary>A type the reader recognised as having no C# counterpart; Reason says why, for the error message.</summary>
internal sealed record UnsupportedType(string Reason, string Spelling) : CType(Spelling);
