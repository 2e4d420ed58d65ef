using System;
using System.Collections.Generic;

namespace Wick.BindingsGenerator;

/// <summary>
/// Proves that C# <c>LayoutKind.Sequential</c> reproduces a struct's C layout: every field must sit at
/// the next offset aligned to its own alignment, and the size must round up to the largest alignment.
/// That is exactly what Sequential does, so a packed or over-aligned struct is caught here instead of
/// corrupting memory at run time.
/// </summary>
internal static class StructLayoutCheck
{
    internal static void EnsureNatural(string name, CXCursor structCursor, IReadOnlyList<CXCursor> fields)
    {
        long offset = 0;
        long maxAlign = 1;
        foreach (CXCursor field in fields)
        {
            CXType type = field.Type();
            long size = LibClang.clang_Type_getSizeOf(type);
            long align = LibClang.clang_Type_getAlignOf(type);
            if (size < 0 || align <= 0) continue; // an incomplete field type: TypeMapper reports it with a better message
            offset = AlignUp(offset, align);
            long actual = LibClang.clang_Cursor_getOffsetOfField(field) / 8;
            if (actual != offset)
                throw Mismatch(name, structCursor, $"field '{field.Spelling()}' is at byte {actual}, but natural alignment puts it at {offset}");
            offset += size;
            maxAlign = Math.Max(maxAlign, align);
        }

        long expectedSize = AlignUp(offset, maxAlign);
        long actualSize = LibClang.clang_Type_getSizeOf(structCursor.Type());
        if (actualSize != expectedSize)
            throw Mismatch(name, structCursor, $"its size is {actualSize} bytes, but natural alignment gives {expectedSize}");
    }

    private static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;

    private static GeneratorException Mismatch(string name, CXCursor cursor, string detail)
    {
        SourcePosition at = cursor.Location();
        return new GeneratorException(
            $"{at.File}:{at.Line}:{at.Column}: struct {name} is not laid out naturally (packed or aligned?): {detail}. " +
            "C# Sequential layout could not reproduce it.");
    }
}
