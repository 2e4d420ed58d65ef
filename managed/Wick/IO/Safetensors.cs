using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wick.IO;

/// <summary>
/// Reads and writes the safetensors format of Hugging Face and PyTorch: a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian bytes. Files written here load with
/// <c>safetensors.torch.load_file</c> and the other way round. A state dict is any
/// <c>IReadOnlyDictionary&lt;string, Tensor&gt;</c>.
/// </summary>
/// <remarks>
/// Loading reads each tensor's bytes from the file straight into the tensor's native memory (no second
/// copy), after validating the whole header: lengths and offsets are checked against the file's size
/// before anything is allocated, and every malformed file raises <see cref="SafetensorsFormatException"/>.
/// </remarks>
public static class Safetensors
{
    private const string SourceBytes = "<bytes>";

    /// <summary>Writes tensors (and optional string metadata) to a file, replacing it.</summary>
    /// <param name="tensors">Tensors by name: a state dict. Any device, dtype or layout.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="metadata">Free-form strings stored under "__metadata__" (for example a format or framework tag).</param>
    public static void SaveFile(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        List<(string Name, Tensor Tensor)> order = Plan(tensors);
        byte[] header = BuildHeader(order, metadata, out _);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        WriteAll(stream, header, order);
    }

    /// <summary>The safetensors bytes of tensors and optional metadata (what <see cref="SaveFile"/> writes).</summary>
    public static byte[] Save(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        List<(string Name, Tensor Tensor)> order = Plan(tensors);
        byte[] header = BuildHeader(order, metadata, out long dataLength);
        long total = checked(header.Length + dataLength);
        if (total > Array.MaxLength)
            throw new ArgumentException($"Safetensors.Save: {total} bytes do not fit in one .NET array; use SaveFile", nameof(tensors));
        var buffer = new byte[total];
        using var stream = new MemoryStream(buffer);
        WriteAll(stream, header, order);
        return buffer;
    }

    /// <summary>Writes tensors (and optional metadata) in the safetensors format to a stream.</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, Stream stream, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        List<(string Name, Tensor Tensor)> order = Plan(tensors);
        byte[] header = BuildHeader(order, metadata, out _);
        WriteAll(stream, header, order);
    }

    /// <summary>Loads every tensor of a safetensors file (a state dict), on the CPU unless a device is given.</summary>
    /// <exception cref="SafetensorsFormatException">The file breaks the format; the message says how.</exception>
    public static Dictionary<string, Tensor> LoadFile(string path, Device? device = null)
    {
        using SafetensorsFile file = SafetensorsFile.Open(path);
        return file.LoadAll(device);
    }

    /// <summary>Loads every tensor of a file and returns its "__metadata__" strings too.</summary>
    public static Dictionary<string, Tensor> LoadFile(string path, out IReadOnlyDictionary<string, string> metadata, Device? device = null)
    {
        using SafetensorsFile file = SafetensorsFile.Open(path);
        metadata = file.Metadata;
        return file.LoadAll(device);
    }

    /// <summary>Loads every tensor from safetensors bytes held in memory.</summary>
    /// <exception cref="SafetensorsFormatException">The bytes break the format; the message says how.</exception>
    public static Dictionary<string, Tensor> Load(ReadOnlySpan<byte> data, Device? device = null) =>
        Load(data, out _, device);

    /// <summary>Loads every tensor from safetensors bytes held in memory and returns the metadata too.</summary>
    public static unsafe Dictionary<string, Tensor> Load(ReadOnlySpan<byte> data, out IReadOnlyDictionary<string, string> metadata, Device? device = null)
    {
        long n = SafetensorsHeader.ReadHeaderLength(data, data.Length, SourceBytes);
        int start = 8 + (int)n;
        SafetensorsHeader header = SafetensorsHeader.Parse(data.Slice(8, (int)n), data.Length - start, SourceBytes);
        ReadOnlySpan<byte> section = data[start..];
        var result = new Dictionary<string, Tensor>(header.Tensors.Count, StringComparer.Ordinal);
        try
        {
            foreach (SafetensorsTensorInfo info in header.Tensors)
            {
                Tensor t = Tensor.Empty(info.ShapeArray, info.DType);
                result.Add(info.Name, t);
                ReadOnlySpan<byte> bytes = section.Slice((int)info.Begin, (int)info.ByteLength);
                if (bytes.Length > 0) bytes.CopyTo(new Span<byte>(TensorBytes.Pointer(t), bytes.Length));
                GC.KeepAlive(t);
                CheckBooleans(t, info, SourceBytes);
            }
            metadata = header.Metadata;
            return MoveTo(result, device);
        }
        catch
        {
            DisposeAll(result);
            throw;
        }
    }

    /// <summary>Opens a safetensors file to read its names, shapes, metadata and single tensors lazily.</summary>
    public static SafetensorsFile Open(string path) => SafetensorsFile.Open(path);

    // ---------------------------------------------------------------------------------------------

    internal static Dictionary<string, Tensor> MoveTo(Dictionary<string, Tensor> tensors, Device? device)
    {
        if (device is not { } d || d.Type == DeviceType.Cpu) return tensors;
        var moved = new Dictionary<string, Tensor>(tensors.Count, StringComparer.Ordinal);
        try
        {
            foreach (KeyValuePair<string, Tensor> kv in tensors) moved.Add(kv.Key, kv.Value.To(d));
        }
        catch
        {
            DisposeAll(moved);
            throw;
        }
        finally
        {
            DisposeAll(tensors);
        }
        return moved;
    }

    internal static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (Tensor t in tensors.Values) t.Dispose();
        tensors.Clear();
    }

    /// <summary>A bool element must be 0 or 1: any other byte would be undefined behaviour in the native kernels.</summary>
    internal static unsafe void CheckBooleans(Tensor t, SafetensorsTensorInfo info, string source)
    {
        if (info.DType != DType.Bool || info.ByteLength == 0) return;
        byte* p = TensorBytes.Pointer(t);
        for (long i = 0; i < info.ByteLength; ++i)
        {
            if (p[i] > 1)
            {
                GC.KeepAlive(t);
                throw SafetensorsHeader.Error(source, $"tensor '{info.Name}' is BOOL but element {i} is the byte {p[i]}; booleans must be 0 or 1");
            }
        }
        GC.KeepAlive(t);
    }

    // Tensors in the order the reference writer uses: larger dtypes first (keeps data aligned), then by name.
    private static List<(string, Tensor)> Plan(IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var order = new List<(string Name, Tensor Tensor)>(tensors.Count);
        foreach (KeyValuePair<string, Tensor> kv in tensors)
        {
            if (kv.Key is null) throw new ArgumentException("Safetensors.Save: a tensor name is null", nameof(tensors));
            if (kv.Key == "__metadata__")
                throw new ArgumentException("Safetensors.Save: \"__metadata__\" is reserved for the metadata; rename that tensor", nameof(tensors));
            if (kv.Value is null) throw new ArgumentException($"Safetensors.Save: tensor '{kv.Key}' is null", nameof(tensors));
            if (kv.Value.IsDisposed) throw new ObjectDisposedException(nameof(Tensor), $"Safetensors.Save: tensor '{kv.Key}' was disposed");
            order.Add((kv.Key, kv.Value));
        }
        order.Sort(static (a, b) =>
        {
            int c = Rank(b.Tensor.DType).CompareTo(Rank(a.Tensor.DType));
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
        return order;
    }

    // The reference writer sorts by its dtype enumeration, largest first; these are the positions there.
    private static int Rank(DType d) => d switch
    {
        DType.Int64 => 13, DType.Float64 => 12, DType.Float32 => 11, DType.Int32 => 9, DType.BFloat16 => 8,
        DType.Float16 => 7, DType.Int16 => 5, DType.Int8 => 2, DType.UInt8 => 1, _ => 0,
    };

    // {"__metadata__":{...},"name":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},...} padded with
    // spaces to a multiple of 8 bytes, behind its 8-byte length.
    private static byte[] BuildHeader(List<(string Name, Tensor Tensor)> order, IReadOnlyDictionary<string, string>? metadata, out long dataLength)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (KeyValuePair<string, string> kv in metadata)
                {
                    if (kv.Key is null || kv.Value is null)
                        throw new ArgumentException("Safetensors.Save: metadata keys and values must not be null", nameof(metadata));
                    w.WriteString(kv.Key, kv.Value);
                }
                w.WriteEndObject();
            }
            long offset = 0;
            foreach ((string name, Tensor t) in order)
            {
                long bytes = TensorBytes.Length(t);
                w.WriteStartObject(name);
                w.WriteString("dtype", SafetensorsDTypes.Name(t.DType));
                w.WriteStartArray("shape");
                foreach (long s in t.Shape) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(checked(offset + bytes));
                w.WriteEndArray();
                w.WriteEndObject();
                offset = checked(offset + bytes);
            }
            w.WriteEndObject();
            dataLength = offset;
        }
        int padded = (json.WrittenCount + 7) / 8 * 8;
        var header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        json.WrittenSpan.CopyTo(header.AsSpan(8));
        header.AsSpan(8 + json.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static unsafe void WriteAll(Stream stream, byte[] header, List<(string Name, Tensor Tensor)> order)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors: the format is little-endian and this machine is not");
        stream.Write(header);
        foreach ((_, Tensor t) in order)
        {
            using Tensor c = TensorBytes.ContiguousCpu(t);
            long length = TensorBytes.Length(c);
            byte* p = TensorBytes.Pointer(c);
            for (long done = 0; done < length;)
            {
                int chunk = (int)Math.Min(TensorBytes.ChunkBytes, length - done);
                stream.Write(new ReadOnlySpan<byte>(p + done, chunk));
                done += chunk;
            }
            GC.KeepAlive(c);
        }
        stream.Flush();
    }
}
