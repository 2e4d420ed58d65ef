using System.Runtime.InteropServices;

namespace Wick.BindingsGenerator;

/// <summary>
/// The handful of libclang entry points the generator needs, declared by hand because ClangSharp is
/// not served here. Every signature is blittable, so the LibraryImport generator emits plain forwarders.
/// The logical name "libclang" is mapped to a real file by <see cref="LibClangLoader"/>.
/// </summary>
internal static unsafe partial class LibClang
{
    internal const string Name = "libclang";

    internal const uint CXTranslationUnit_DetailedPreprocessingRecord = 0x01;
    internal const int CXDiagnostic_Error = 3;
    internal const int CXCallingConv_C = 1;
    internal const int CX_SC_Static = 3;

    static LibClang() => LibClangLoader.RegisterResolver();

    // Index and translation unit
    [LibraryImport(Name)] internal static partial nint clang_createIndex(int excludeDeclarationsFromPch, int displayDiagnostics);
    [LibraryImport(Name)] internal static partial void clang_disposeIndex(nint index);
    [LibraryImport(Name)]
    internal static partial int clang_parseTranslationUnit2(nint index, byte* sourceFilename, byte** commandLineArgs,
        int numCommandLineArgs, void* unsavedFiles, uint numUnsavedFiles, uint options, nint* translationUnit);
    [LibraryImport(Name)] internal static partial void clang_disposeTranslationUnit(nint translationUnit);
    [LibraryImport(Name)] internal static partial CXCursor clang_getTranslationUnitCursor(nint translationUnit);
    [LibraryImport(Name)] internal static partial CXString clang_getClangVersion();

    // Diagnostics
    [LibraryImport(Name)] internal static partial uint clang_getNumDiagnostics(nint translationUnit);
    [LibraryImport(Name)] internal static partial nint clang_getDiagnostic(nint translationUnit, uint index);
    [LibraryImport(Name)] internal static partial int clang_getDiagnosticSeverity(nint diagnostic);
    [LibraryImport(Name)] internal static partial CXString clang_formatDiagnostic(nint diagnostic, uint options);
    [LibraryImport(Name)] internal static partial uint clang_defaultDiagnosticDisplayOptions();
    [LibraryImport(Name)] internal static partial void clang_disposeDiagnostic(nint diagnostic);

    // Cursors
    [LibraryImport(Name)]
    internal static partial uint clang_visitChildren(CXCursor parent,
        delegate* unmanaged[Cdecl]<CXCursor, CXCursor, nint, CXChildVisitResult> visitor, nint clientData);
    [LibraryImport(Name)] internal static partial CXCursorKind clang_getCursorKind(CXCursor cursor);
    [LibraryImport(Name)] internal static partial CXString clang_getCursorSpelling(CXCursor cursor);
    [LibraryImport(Name)] internal static partial CXString clang_getCursorUSR(CXCursor cursor);
    [LibraryImport(Name)] internal static partial CXSourceLocation clang_getCursorLocation(CXCursor cursor);
    [LibraryImport(Name)] internal static partial CXSourceRange clang_getCursorExtent(CXCursor cursor);
    [LibraryImport(Name)] internal static partial CXType clang_getCursorType(CXCursor cursor);
    [LibraryImport(Name)] internal static partial CXType clang_getCursorResultType(CXCursor cursor);
    [LibraryImport(Name)] internal static partial uint clang_isCursorDefinition(CXCursor cursor);
    [LibraryImport(Name)] internal static partial int clang_Cursor_getNumArguments(CXCursor cursor);
    [LibraryImport(Name)] internal static partial CXCursor clang_Cursor_getArgument(CXCursor cursor, uint index);
    [LibraryImport(Name)] internal static partial int clang_Cursor_getStorageClass(CXCursor cursor);
    [LibraryImport(Name)] internal static partial uint clang_Cursor_isBitField(CXCursor cursor);
    [LibraryImport(Name)] internal static partial long clang_Cursor_getOffsetOfField(CXCursor cursor);
    [LibraryImport(Name)] internal static partial uint clang_Cursor_isMacroFunctionLike(CXCursor cursor);
    [LibraryImport(Name)] internal static partial uint clang_Cursor_isMacroBuiltin(CXCursor cursor);
    [LibraryImport(Name)] internal static partial CXType clang_getTypedefDeclUnderlyingType(CXCursor cursor);
    [LibraryImport(Name)] internal static partial CXType clang_getEnumDeclIntegerType(CXCursor cursor);
    [LibraryImport(Name)] internal static partial long clang_getEnumConstantDeclValue(CXCursor cursor);
    [LibraryImport(Name)] internal static partial ulong clang_getEnumConstantDeclUnsignedValue(CXCursor cursor);

    // Types
    [LibraryImport(Name)] internal static partial CXString clang_getTypeSpelling(CXType type);
    [LibraryImport(Name)] internal static partial CXString clang_getTypedefName(CXType type);
    [LibraryImport(Name)] internal static partial CXType clang_getPointeeType(CXType type);
    [LibraryImport(Name)] internal static partial CXType clang_getResultType(CXType type);
    [LibraryImport(Name)] internal static partial int clang_getNumArgTypes(CXType type);
    [LibraryImport(Name)] internal static partial CXType clang_getArgType(CXType type, uint index);
    [LibraryImport(Name)] internal static partial uint clang_isFunctionTypeVariadic(CXType type);
    [LibraryImport(Name)] internal static partial int clang_getFunctionTypeCallingConv(CXType type);
    [LibraryImport(Name)] internal static partial CXCursor clang_getTypeDeclaration(CXType type);
    [LibraryImport(Name)] internal static partial CXType clang_Type_getNamedType(CXType type);
    [LibraryImport(Name)] internal static partial CXType clang_Type_getModifiedType(CXType type);
    [LibraryImport(Name)] internal static partial CXType clang_getArrayElementType(CXType type);
    [LibraryImport(Name)] internal static partial long clang_getArraySize(CXType type);
    [LibraryImport(Name)] internal static partial long clang_Type_getSizeOf(CXType type);
    [LibraryImport(Name)] internal static partial long clang_Type_getAlignOf(CXType type);

    // Source locations and tokens
    [LibraryImport(Name)] internal static partial CXSourceLocation clang_getRangeStart(CXSourceRange range);
    [LibraryImport(Name)] internal static partial CXSourceLocation clang_getRangeEnd(CXSourceRange range);
    [LibraryImport(Name)]
    internal static partial void clang_getFileLocation(CXSourceLocation location, nint* file, uint* line, uint* column, uint* offset);
    [LibraryImport(Name)] internal static partial CXString clang_getFileName(nint file);
    [LibraryImport(Name)] internal static partial nint clang_getFile(nint translationUnit, byte* fileName);
    [LibraryImport(Name)] internal static partial CXSourceLocation clang_getLocationForOffset(nint translationUnit, nint file, uint offset);
    [LibraryImport(Name)] internal static partial CXSourceRange clang_getRange(CXSourceLocation begin, CXSourceLocation end);
    [LibraryImport(Name)]
    internal static partial void clang_tokenize(nint translationUnit, CXSourceRange range, CXToken** tokens, uint* numTokens);
    [LibraryImport(Name)] internal static partial CXTokenKind clang_getTokenKind(CXToken token);
    [LibraryImport(Name)] internal static partial CXString clang_getTokenSpelling(nint translationUnit, CXToken token);
    [LibraryImport(Name)] internal static partial CXSourceRange clang_getTokenExtent(nint translationUnit, CXToken token);
    [LibraryImport(Name)] internal static partial void clang_disposeTokens(nint translationUnit, CXToken* tokens, uint numTokens);

    // Strings: every CXString returned above must be disposed exactly once, which ToManaged does.
    [LibraryImport(Name)] internal static partial byte* clang_getCString(CXString value);
    [LibraryImport(Name)] internal static partial void clang_disposeString(CXString value);

    /// <summary>Copies a CXString into a managed string and disposes it.</summary>
    internal static string ToManaged(CXString value)
    {
        try
        {
            byte* text = clang_getCString(value);
            return text is null ? "" : Marshal.PtrToStringUTF8((nint)text) ?? "";
        }
        finally
        {
            clang_disposeString(value);
        }
    }
}
