using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wick.BindingsGenerator;

/// <summary>Small, allocation-friendly views of a libclang cursor.</summary>
internal static unsafe class CursorExtensions
{
    /// <summary>
    /// The direct children of a cursor, in source order. Collecting them into a list (instead of
    /// working inside the callback) keeps all logic in ordinary managed code, where exceptions work.
    /// </summary>
    internal static List<CXCursor> Children(this CXCursor parent)
    {
        var children = new List<CXCursor>();
        GCHandle handle = GCHandle.Alloc(children);
        try
        {
            LibClang.clang_visitChildren(parent, &CollectChild, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        return children;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static CXChildVisitResult CollectChild(CXCursor cursor, CXCursor parent, nint clientData)
    {
        // Nothing here may throw: an exception cannot cross back into libclang's C frames.
        if (GCHandle.FromIntPtr(clientData).Target is List<CXCursor> children) children.Add(cursor);
        return CXChildVisitResult.Continue;
    }

    internal static CXCursorKind Kind(this CXCursor cursor) => LibClang.clang_getCursorKind(cursor);

    internal static string Spelling(this CXCursor cursor) => LibClang.ToManaged(LibClang.clang_getCursorSpelling(cursor));

    internal static string Usr(this CXCursor cursor) => LibClang.ToManaged(LibClang.clang_getCursorUSR(cursor));

    internal static CXType Type(this CXCursor cursor) => LibClang.clang_getCursorType(cursor);

    internal static CXSourceRange Extent(this CXCursor cursor) => LibClang.clang_getCursorExtent(cursor);

    internal static SourcePosition Location(this CXCursor cursor) =>
        ClangTranslationUnit.Position(LibClang.clang_getCursorLocation(cursor));

    internal static SourcePosition Start(this CXCursor cursor) =>
        ClangTranslationUnit.Position(LibClang.clang_getRangeStart(cursor.Extent()));

    internal static SourcePosition End(this CXCursor cursor) =>
        ClangTranslationUnit.Position(LibClang.clang_getRangeEnd(cursor.Extent()));

    internal static string Spelling(this CXType type) => LibClang.ToManaged(LibClang.clang_getTypeSpelling(type));
}
