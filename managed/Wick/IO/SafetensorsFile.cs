using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Wick.IO;

/// <summary>
/// An open safetensors file: its header is read and validated on open; tensors are read on demand,
/// each straight from the file into its native memory. Like <c>safetensors.safe_open</c>.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly SafetensorsHeader _header;
    private readonly string _source;

    private SafetensorsFile(SafeFileHandle file, SafetensorsHeader header, string source)
    {
        _file = file;
        _header = header;
        _source = source;
    }

    /// <summary>Opens a file and validates its header.</summary>
    /// <exception cref="SafetensorsFormatException">The file breaks the format; the message says how.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors: the format is little-endian and this machine is not");
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            long length = RandomAccess.GetLength(file);
            Span<byte> prefix = stackalloc byte[8];
            int got = ReadUpTo(file, prefix, 0);
            long n = SafetensorsHeader.ReadHeaderLength(prefix[..got], length, path);
            var json = new byte[n]; // n is at most the file's length and at most 100 MB
            if (ReadUpTo(file, json, 8) != json.Length)
                throw SafetensorsHeader.Error(path, "the file became shorter while its header was read");
            SafetensorsHeader header = SafetensorsHeader.Parse(json, length - 8 - n, path);
            return new SafetensorsFile(file, header, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The tensor names, in the order of their bytes in the file.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            var names = new List<string>(_header.Tensors.Count);
            foreach (SafetensorsTensorInfo t in _header.Tensors) names.Add(t.Name);
            return names;
        }
    }

    /// <summary>The "__metadata__" strings (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _header.Metadata;

    /// <summary>Every tensor's dtype, shape and byte range, in file order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => _header.Tensors;

    /// <summary>The dtype, shape and byte range of one tensor.</summary>
    public SafetensorsTensorInfo GetInfo(string name) => Find(name);

    /// <summary>True when the file holds a tensor of that name.</summary>
    public bool Contains(string name) => _header.ByName.ContainsKey(name);

    /// <summary>Reads one tensor, on the CPU unless a device is given.</summary>
    public Tensor GetTensor(string name, Device? device = null)
    {
        SafetensorsTensorInfo info = Find(name);
        Tensor t = Read(info);
        if (device is not { } d || d.Type == DeviceType.Cpu) return t;
        using (t) return t.To(d);
    }

    /// <summary>Reads every tensor (a state dict), on the CPU unless a device is given.</summary>
    public Dictionary<string, Tensor> LoadAll(Device? device = null)
    {
        var result = new Dictionary<string, Tensor>(_header.Tensors.Count, StringComparer.Ordinal);
        try
        {
            foreach (SafetensorsTensorInfo info in _header.Tensors) result.Add(info.Name, Read(info));
        }
        catch
        {
            Safetensors.DisposeAll(result);
            throw;
        }
        return Safetensors.MoveTo(result, device);
    }

    /// <summary>Closes the file. Tensors already read stay valid.</summary>
    public void Dispose() => _file.Dispose();

    private SafetensorsTensorInfo Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        if (_header.ByName.TryGetValue(name, out SafetensorsTensorInfo? info)) return info;
        throw new KeyNotFoundException($"safetensors: {_source} has no tensor '{name}' (it has {_header.Tensors.Count} tensors; see Names)");
    }

    // Allocates the tensor (its size was checked against the file) and reads its bytes into it.
    private unsafe Tensor Read(SafetensorsTensorInfo info)
    {
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        Tensor t = Tensor.Empty(info.ShapeArray, info.DType);
        try
        {
            byte* p = TensorBytes.Pointer(t);
            long start = _header.DataStart + info.Begin;
            for (long done = 0; done < info.ByteLength;)
            {
                int chunk = (int)Math.Min(TensorBytes.ChunkBytes, info.ByteLength - done);
                int got = RandomAccess.Read(_file, new Span<byte>(p + done, chunk), start + done);
                if (got <= 0)
                    throw SafetensorsHeader.Error(_source, $"the file ended while tensor '{info.Name}' was read (it became shorter after it was opened)");
                done += got;
            }
            GC.KeepAlive(t);
            Safetensors.CheckBooleans(t, info, _source);
            return t;
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    private static int ReadUpTo(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int got = RandomAccess.Read(file, buffer[total..], offset + total);
            if (got <= 0) break;
            total += got;
        }
        return total;
    }
}
