using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Win32.SafeHandles;
using Wick.Onnx.Proto;

namespace Wick.Onnx.Loading;

/// <summary>
/// Tensor bytes kept outside the model file (TensorProto.external_data: location, offset, length). The location
/// is untrusted: it must be a relative path that stays inside the model's folder, with no ".." segment and no
/// symbolic link on the way (a link could point anywhere, /etc or /dev/zero), naming a regular file; offset and
/// length must lie inside that file and match the tensor's byte size. Files are opened once per load.
/// </summary>
internal sealed class ExternalData : IDisposable
{
    private readonly OnnxSource _source;
    private readonly string? _root;
    private readonly long _budget;
    private long _used;
    private readonly Dictionary<string, (SafeFileHandle Handle, long Length)> _open = new(StringComparer.Ordinal);

    public ExternalData(OnnxSource source, long budget)
    {
        _source = source;
        _budget = budget;
        if (source.ExternalDataDirectory is { } dir) _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
    }

    /// <summary>Where a tensor's bytes are: the open file (null for an empty tensor) and the offset, checked against the file.</summary>
    public (SafeFileHandle? Handle, long Offset) Locate(TensorProto t, string what, long byteLength)
    {
        string? location = null;
        long? offset = null, length = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (StringStringEntryProto e in t.ExternalData)
        {
            string key = e.Key ?? "";
            if (!seen.Add(key)) throw _source.Error($"{what} has two external_data entries with the key \"{OnnxSource.Text(key)}\"");
            switch (key)
            {
                case "location": location = e.Value; break;
                case "offset": offset = Number(e.Value, what, key); break;
                case "length": length = Number(e.Value, what, key); break;
                case "checksum": break; // optional SHA-1 of the bytes; sizes are what keeps loading safe
                default: throw _source.Error($"{what} has the unknown external_data key \"{OnnxSource.Text(key)}\" (the keys are location, offset, length, checksum)");
            }
        }
        if (string.IsNullOrEmpty(location)) throw _source.Error($"{what} is stored externally but its external_data has no \"location\"");
        string path = Resolve(location, what);
        long fileLength = Length(path, location, what);
        long begin = offset ?? 0;
        if (begin > fileLength)
            throw _source.Error($"{what}: external data offset {begin} is past the end of '{OnnxSource.Text(location)}' ({fileLength} bytes)");
        long available = fileLength - begin;
        if (length is long declared)
        {
            if (declared != byteLength)
                throw _source.Error($"{what}: external data length {declared} does not match the {byteLength} bytes its dims and element type need");
            if (declared > available)
                throw _source.Error($"{what}: external data [{begin}, {begin} + {declared}) runs past the end of '{OnnxSource.Text(location)}' ({fileLength} bytes)");
        }
        else if (available != byteLength)
        {
            throw _source.Error($"{what}: external data from offset {begin} to the end of '{OnnxSource.Text(location)}' is {available} bytes, but its dims and element type need {byteLength} (give a \"length\")");
        }
        if (byteLength > _budget - _used)
            throw _source.Error($"{what}: reading {byteLength} more bytes of external data would pass the {_budget}-byte limit (OnnxLoadOptions.MaxExternalDataBytes)");
        _used += byteLength;
        // Opened only when there are bytes to read, after the sizes were checked on the file's status: opening a
        // FIFO would block, and a FIFO or device reports 0 bytes, so it never gets this far.
        return (byteLength == 0 ? null : Open(path, location, what, fileLength), begin);
    }

    private long Number(string? text, string what, string key)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v))
            throw _source.Error($"{what}: external_data \"{key}\" is \"{OnnxSource.Text(text)}\", not an integer from 0 to {long.MaxValue}");
        return v;
    }

    /// <summary>The full path of a location, after checking that it stays inside the model's folder.</summary>
    private string Resolve(string location, string what)
    {
        string shown = OnnxSource.Text(location);
        if (_root is null)
            throw _source.Error($"{what} is stored in the external file '{shown}', but the model was read from memory: load it from its file, or set OnnxLoadOptions.ExternalDataDirectory");
        if (location.Contains('\0')) throw _source.Error($"{what}: external data location '{shown}' contains a NUL character");
        if (location.StartsWith('/') || location.StartsWith('\\') || Path.IsPathRooted(location) || (location.Length >= 2 && location[1] == ':'))
            throw _source.Error($"{what}: external data location '{shown}' is an absolute path; it must be relative to the model's folder");
        string[] parts = location.Split('/', '\\');
        foreach (string part in parts)
            if (part == "..") throw _source.Error($"{what}: external data location '{shown}' contains '..'; it must stay inside the model's folder");
        string full = Path.GetFullPath(Path.Combine(_root, location));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw _source.Error($"{what}: external data location '{shown}' leads outside the model's folder");
        // Every step below the model's folder must be a real folder or file, not a link.
        string walk = _root;
        foreach (string part in parts)
        {
            if (part.Length == 0 || part == ".") continue;
            walk = Path.Combine(walk, part);
            FileSystemInfo info = Directory.Exists(walk) ? new DirectoryInfo(walk) : new FileInfo(walk);
            if (info.Exists && info.LinkTarget is not null)
                throw _source.Error($"{what}: external data location '{shown}' goes through the symbolic link '{OnnxSource.Text(Path.GetRelativePath(_root, walk))}'; links are refused because they can point outside the model's folder");
        }
        return full;
    }

    private long Length(string path, string location, string what)
    {
        if (_open.TryGetValue(path, out var open)) return open.Length;
        string shown = OnnxSource.Text(location);
        if (Directory.Exists(path)) throw _source.Error($"{what}: external data location '{shown}' is a folder, not a file");
        var info = new FileInfo(path);
        if (!info.Exists) throw _source.Error($"{what}: the external data file '{shown}' does not exist in the model's folder");
        if ((info.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0)
            throw _source.Error($"{what}: external data location '{shown}' is not a regular file");
        return info.Length;
    }

    private SafeFileHandle Open(string path, string location, string what, long checkedLength)
    {
        if (_open.TryGetValue(path, out var open)) return open.Handle;
        string shown = OnnxSource.Text(location);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw _source.Error($"{what}: cannot open the external data file '{shown}': {e.Message}", e);
        }
        long length = RandomAccess.GetLength(handle);
        if (length != checkedLength)
        {
            handle.Dispose();
            throw _source.Error($"{what}: the external data file '{shown}' changed size while the model was loading ({checkedLength} then {length} bytes)");
        }
        _open.Add(path, (handle, length));
        return handle;
    }

    public void Dispose()
    {
        foreach (var (handle, _) in _open.Values) handle.Dispose();
        _open.Clear();
    }
}
