using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Wick.BindingsGenerator;

/// <summary>
/// One parsed header: owns the libclang index and translation unit, refuses to exist when clang
/// reported an error, and answers the source questions (tokens, text, positions) the reader asks.
/// </summary>
internal sealed unsafe class ClangTranslationUnit : IDisposable
{
    private readonly nint _index;
    private readonly Dictionary<string, byte[]> _fileContents = new(StringComparer.Ordinal);

    internal nint Handle { get; }

    private ClangTranslationUnit(nint index, nint handle)
    {
        _index = index;
        Handle = handle;
    }

    internal CXCursor Cursor => LibClang.clang_getTranslationUnitCursor(Handle);

    /// <summary>
    /// Parses <paramref name="headerPath"/> as C11. Errors (and fatal errors) throw with every
    /// diagnostic in the message: a header that does not compile must never produce bindings,
    /// because clang's error recovery silently invents types (an unknown size_t becomes int).
    /// </summary>
    internal static ClangTranslationUnit Parse(string headerPath, IReadOnlyList<string> arguments, TextWriter warnings)
    {
        LibClangLoader.EnsureLoaded();
        if (!File.Exists(headerPath)) throw new GeneratorException($"Header not found: {headerPath}");

        nint index = LibClang.clang_createIndex(excludeDeclarationsFromPch: 0, displayDiagnostics: 0);
        nint tu = 0;
        int error;
        var native = new List<nint>();
        try
        {
            byte* file = Utf8(headerPath, native);
            byte** argv = stackalloc byte*[arguments.Count];
            for (int i = 0; i < arguments.Count; i++) argv[i] = Utf8(arguments[i], native);
            // The detailed preprocessing record makes macro definitions visible as cursors (WK_ constants).
            error = LibClang.clang_parseTranslationUnit2(index, file, argv, arguments.Count, null, 0,
                LibClang.CXTranslationUnit_DetailedPreprocessingRecord, &tu);
        }
        finally
        {
            foreach (nint p in native) Marshal.FreeCoTaskMem(p);
        }

        if (error != 0 || tu == 0)
        {
            LibClang.clang_disposeIndex(index);
            throw new GeneratorException($"libclang could not parse {headerPath} (CXErrorCode {error}).");
        }

        var unit = new ClangTranslationUnit(index, tu);
        try
        {
            unit.ThrowOnErrors(headerPath, warnings);
        }
        catch
        {
            unit.Dispose();
            throw;
        }
        return unit;
    }

    private void ThrowOnErrors(string headerPath, TextWriter warnings)
    {
        var errors = new List<string>();
        uint count = LibClang.clang_getNumDiagnostics(Handle);
        uint options = LibClang.clang_defaultDiagnosticDisplayOptions();
        for (uint i = 0; i < count; i++)
        {
            nint diagnostic = LibClang.clang_getDiagnostic(Handle, i);
            try
            {
                string text = LibClang.ToManaged(LibClang.clang_formatDiagnostic(diagnostic, options));
                if (LibClang.clang_getDiagnosticSeverity(diagnostic) >= LibClang.CXDiagnostic_Error) errors.Add(text);
                else warnings.WriteLine(text);
            }
            finally
            {
                LibClang.clang_disposeDiagnostic(diagnostic);
            }
        }

        if (errors.Count > 0)
        {
            string clang = LibClang.ToManaged(LibClang.clang_getClangVersion());
            throw new GeneratorException(
                $"{headerPath} does not parse as C11 with {clang} ({errors.Count} error(s)):" + Environment.NewLine +
                string.Join(Environment.NewLine, errors));
        }
    }

    /// <summary>The file, 1-based line and byte offset of a location, after macro expansion is undone.</summary>
    internal static SourcePosition Position(CXSourceLocation location)
    {
        nint file;
        uint line, column, offset;
        LibClang.clang_getFileLocation(location, &file, &line, &column, &offset);
        string path = file == 0 ? "" : LibClang.ToManaged(LibClang.clang_getFileName(file));
        return new SourcePosition(path, (int)line, (int)column, (int)offset);
    }

    /// <summary>
    /// The raw tokens, comments included, between two positions of one file (end exclusive).
    /// </summary>
    /// <remarks>
    /// The range is rebuilt from file offsets on purpose: a cursor's own extent may begin inside a macro
    /// expansion (WK_API), and libclang then tokenizes from the macro's #define instead. Tokens are also
    /// clipped by offset because the tokenizer may run one token past the end of a range.
    /// </remarks>
    internal List<SourceToken> Tokens(SourcePosition start, SourcePosition end)
    {
        var result = new List<SourceToken>();
        if (start.File.Length == 0 || start.File != end.File || end.Offset <= start.Offset) return result;

        nint file;
        nint name = Marshal.StringToCoTaskMemUTF8(start.File);
        try
        {
            file = LibClang.clang_getFile(Handle, (byte*)name);
        }
        finally
        {
            Marshal.FreeCoTaskMem(name);
        }
        if (file == 0) return result;

        CXSourceRange range = LibClang.clang_getRange(
            LibClang.clang_getLocationForOffset(Handle, file, (uint)start.Offset),
            LibClang.clang_getLocationForOffset(Handle, file, (uint)end.Offset));
        CXToken* tokens;
        uint count;
        LibClang.clang_tokenize(Handle, range, &tokens, &count);
        try
        {
            for (uint i = 0; i < count; i++)
            {
                CXSourceRange extent = LibClang.clang_getTokenExtent(Handle, tokens[i]);
                SourcePosition tokenStart = Position(LibClang.clang_getRangeStart(extent));
                if (tokenStart.Offset >= end.Offset) break;
                SourcePosition tokenEnd = Position(LibClang.clang_getRangeEnd(extent));
                CXTokenKind kind = LibClang.clang_getTokenKind(tokens[i]);
                string spelling = LibClang.ToManaged(LibClang.clang_getTokenSpelling(Handle, tokens[i]));
                result.Add(new SourceToken(kind, spelling, tokenStart, tokenEnd));
            }
        }
        finally
        {
            if (tokens is not null) LibClang.clang_disposeTokens(Handle, tokens, count);
        }
        return result;
    }

    /// <summary>Every token of a file, comments included.</summary>
    internal List<SourceToken> Tokens(string file)
    {
        int length = Bytes(file).Length;
        return Tokens(new SourcePosition(file, 1, 1, 0), new SourcePosition(file, 0, 0, length));
    }

    /// <summary>The exact source text between two byte offsets of a file, as UTF-8.</summary>
    internal string Text(string file, int startOffset, int endOffset) =>
        Encoding.UTF8.GetString(Bytes(file), startOffset, endOffset - startOffset);

    private byte[] Bytes(string file)
    {
        if (!_fileContents.TryGetValue(file, out byte[]? bytes))
        {
            bytes = File.ReadAllBytes(file);
            _fileContents[file] = bytes;
        }
        return bytes;
    }

    public void Dispose()
    {
        LibClang.clang_disposeTranslationUnit(Handle);
        LibClang.clang_disposeIndex(_index);
    }

    private static byte* Utf8(string value, List<nint> allocations)
    {
        nint p = Marshal.StringToCoTaskMemUTF8(value);
        allocations.Add(p);
        return (byte*)p;
    }
}

/// <summary>A point in a source file; Offset is in bytes, as libclang counts.</summary>
internal readonly record struct SourcePosition(string File, int Line, int Column, int Offset);

/// <summary>A preprocessing token as written in the file (macros not expanded).</summary>
internal readonly record struct SourceToken(CXTokenKind Kind, string Spelling, SourcePosition Start, SourcePosition End);
