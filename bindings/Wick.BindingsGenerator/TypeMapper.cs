using System;
using System.Collections.Generic;
using System.Linq;

namespace Wick.BindingsGenerator;

/// <summary>
/// Maps C types to blittable C# types. Everything here has the same size and representation on
/// every platform .NET runs on; anything else throws instead of guessing, because a wrong guess is
/// a silent stack or heap corruption at run time.
/// </summary>
internal static class TypeMapper
{
    // Typedef names from stdint.h/stddef.h, matched by name before clang resolves them to builtins.
    private static readonly Dictionary<string, string> ScalarTypedefs = new(StringComparer.Ordinal)
    {
        ["int8_t"] = "sbyte",
        ["uint8_t"] = "byte",
        ["int16_t"] = "short",
        ["uint16_t"] = "ushort",
        ["int32_t"] = "int",
        ["uint32_t"] = "uint",
        ["int64_t"] = "long",
        ["uint64_t"] = "ulong",
        ["size_t"] = "nuint",
        ["ptrdiff_t"] = "nint",
        ["intptr_t"] = "nint",
        ["uintptr_t"] = "nuint",
    };

    // Builtins whose width is the same under LP64 (Linux, macOS) and LLP64 (Windows).
    private static readonly Dictionary<string, string> PortableBuiltins = new(StringComparer.Ordinal)
    {
        ["signed char"] = "sbyte",
        ["unsigned char"] = "byte",
        ["short"] = "short",
        ["unsigned short"] = "ushort",
        ["int"] = "int",
        ["unsigned int"] = "uint",
        ["long long"] = "long",
        ["unsigned long long"] = "ulong",
        ["float"] = "float",
        ["double"] = "double",
    };

    private static readonly Dictionary<string, string> WhyNot = new(StringComparer.Ordinal)
    {
        ["long"] = "'long' is 32 bits on Windows and 64 bits on Linux; use int32_t or int64_t",
        ["unsigned long"] = "'unsigned long' is 32 bits on Windows and 64 bits on Linux; use uint32_t, uint64_t or size_t",
        ["char"] = "plain 'char' is signed on x86 and unsigned on ARM; use int8_t or uint8_t (char* is fine for strings)",
        ["_Bool"] = "bool has no blittable C# counterpart; use int32_t (0 or 1) or uint8_t",
    };

    // The element types C# allows in a fixed-size buffer.
    private static readonly HashSet<string> FixedBufferElements = new(StringComparer.Ordinal)
    {
        "sbyte", "byte", "short", "ushort", "int", "uint", "long", "ulong", "float", "double",
    };

    internal static bool IsScalarTypedef(string name) => ScalarTypedefs.ContainsKey(name);

    /// <summary>The C# type of a function's return value ("void" allowed).</summary>
    internal static string MapReturn(CType type, string where) =>
        type is VoidType ? "void" : MapValue(type, where);

    /// <summary>The C# type of a parameter. C adjusts array parameters to pointers, and so do we.</summary>
    internal static string MapParameter(CType type, string where) =>
        type is ArrayType array ? MapPointer(array.Element, where, type) : MapValue(type, where);

    /// <summary>The C# type of a struct field, and the length when it is a fixed-size buffer.</summary>
    internal static (string Type, long? FixedLength) MapField(CType type, string where)
    {
        if (type is not ArrayType array) return (MapValue(type, where), null);
        if (array.Length is not { } length || length <= 0)
            throw Unmappable(where, type, "a flexible or zero-length array member has no fixed C# layout");
        string element = MapValue(array.Element, where);
        if (!FixedBufferElements.Contains(element))
            throw Unmappable(where, type, $"C# fixed-size buffers hold only primitive numbers, not '{element}'");
        return (element, length);
    }

    /// <summary>
    /// The base type of a C# enum. C compilers give an enum without negative values the underlying type
    /// unsigned int (libclang reports it so), while its constants have type int; both are 4 bytes and
    /// passed alike, so int is used whenever every value fits, which keeps comparisons with int32_t simple.
    /// </summary>
    internal static string MapEnumBase(EnumDeclaration e)
    {
        string where = $"underlying type of enum '{e.Name}'";
        string underlying = MapValue(e.UnderlyingType, where);
        bool fitsInt = e.Members.All(m => m.Value >= int.MinValue && m.Value <= int.MaxValue);
        return underlying is "int" or "uint" && fitsInt ? "int" : underlying;
    }

    /// <summary>A type used by value: a parameter, return value, field or enum base.</summary>
    internal static string MapValue(CType type, string where) => type switch
    {
        ScalarType scalar when ScalarTypedefs.TryGetValue(scalar.Name, out string? cs) => cs,
        ScalarType scalar when PortableBuiltins.TryGetValue(scalar.Name, out string? cs) => cs,
        ScalarType scalar => throw Unmappable(where, type,
            WhyNot.TryGetValue(scalar.Name, out string? why) ? why : $"'{scalar.Name}' has no portable C# counterpart"),
        PointerType pointer => MapPointer(pointer.Pointee, where, type),
        EnumType e => CSharpNames.Identifier(e.Name),
        StructType s => CSharpNames.Identifier(s.Name),
        VoidType => throw Unmappable(where, type, "void is only valid as a return type or behind a pointer"),
        OpaqueStructType => throw Unmappable(where, type, "an incomplete struct can only be used behind a pointer"),
        FunctionType => throw Unmappable(where, type, "a function type can only be used behind a pointer"),
        ArrayType => throw Unmappable(where, type, "arrays are only supported as parameters and as struct fields of numbers"),
        UnsupportedType unsupported => throw Unmappable(where, type, unsupported.Reason),
        _ => throw Unmappable(where, type, $"{type.GetType().Name} is not handled"),
    };

    private static string MapPointer(CType pointee, string where, CType whole) => pointee switch
    {
        VoidType => "void*",
        // Strings cross as UTF-8 bytes; the Interop tier decodes them. Never string marshalling.
        ScalarType { Name: "char" } => "byte*",
        // A handle: a pointer to a struct the caller never sees inside.
        OpaqueStructType => "nint",
        FunctionType function => MapFunctionPointer(function, where, whole),
        ArrayType => throw Unmappable(where, whole, "pointers to arrays are not supported"),
        _ => MapValue(pointee, where) + "*",
    };

    private static string MapFunctionPointer(FunctionType function, string where, CType whole)
    {
        if (function.IsVariadic) throw Unmappable(where, whole, "variadic function pointers cannot be called from C#");
        if (!function.IsCdecl) throw Unmappable(where, whole, "only the default C calling convention is supported");
        var types = new List<string>();
        for (int i = 0; i < function.Parameters.Count; i++)
            types.Add(MapParameter(function.Parameters[i], $"parameter {i + 1} of the function pointer in the {where}"));
        types.Add(MapReturn(function.Result, $"return type of the function pointer in the {where}"));
        return "delegate* unmanaged[Cdecl]<" + string.Join(", ", types) + ">";
    }

    private static GeneratorException Unmappable(string where, CType type, string reason) =>
        new($"Cannot map the {where} (C type '{type.Spelling}') to C#: {reason}.");
}
