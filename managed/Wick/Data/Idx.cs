using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Wick.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (raw, or gzip-compressed: detected from the content).
/// A malformed or truncated file raises <see cref="InvalidDataException"/> naming the file and the problem;
/// memory grows only with the data actually read, never with what a header claims.
/// </summary>
public static class Idx
{
    // The largest file we accept: 4 GiB of elements is far beyond any IDX data set and keeps sizes in range.
    private const long MaxBytes = 1L << 32;

    /// <summary>The tensor stored in an IDX file: UInt8, Int8, Int16, Int32, Float32 or Float64, with the file's shape.</summary>
    public static Tensor Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = File.OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Reads an IDX tensor from a stream (raw or gzip); <paramref name="name"/> is used in error messages.</summary>
    public static Tensor Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        // Sniff the gzip magic, then read on from the same bytes (the stream need not be seekable).
        var magic = new byte[2];
        int got = ReadUpTo(stream, magic);
        Stream raw = new PrefixedStream(magic.AsMemory(0, got), stream);
        bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        Stream body = gzip ? new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true) : raw;
        body = new BufferedStream(body, 1 << 16);
        try
        {
            return ReadIdx(body, name);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(name, StringComparison.Ordinal))
        {
            // GZipStream's own errors (bad CRC, corrupt deflate data) do not name the file.
            throw new InvalidDataException($"{name}: the gzip data is corrupt ({e.Message})", e);
        }
        finally
        {
            body.Dispose();
        }
    }

    private static Tensor ReadIdx(Stream s, string name)
    {
        Span<byte> header = stackalloc byte[4];
        if (ReadUpTo(s, header) != 4)
            throw new InvalidDataException($"{name}: not an IDX file: it is shorter than the 4-byte header");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException($"{name}: not an IDX file: the first two bytes are 0x{header[0]:x2} 0x{header[1]:x2}, expected 0x00 0x00");
        (DType dtype, int size) = header[2] switch
        {
            0x08 => (DType.UInt8, 1),
            0x09 => (DType.Int8, 1),
            0x0B => (DType.Int16, 2),
            0x0C => (DType.Int32, 4),
            0x0D => (DType.Float32, 4),
            0x0E => (DType.Float64, 8),
            _ => throw new InvalidDataException($"{name}: unknown IDX element type code 0x{header[2]:x2} (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)"),
        };
        int ndim = header[3];
        if (ndim == 0 || ndim > 16)
            throw new InvalidDataException($"{name}: the IDX header declares {ndim} dimensions; expected 1 to 16");
        var dims = new byte[4 * ndim];
        if (ReadUpTo(s, dims) != dims.Length)
            throw new InvalidDataException($"{name}: truncated: the file ends inside the list of {ndim} dimension sizes");
        var shape = new long[ndim];
        long total = size;
        for (int i = 0; i < ndim; ++i)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dims.AsSpan(4 * i));
            if (d > int.MaxValue)
                throw new InvalidDataException($"{name}: dimension {i} has an implausible size {d}");
            shape[i] = d;
            total = d == 0 ? 0 : (total > MaxBytes / d ? MaxBytes + 1 : total * d);
        }
        if (total > MaxBytes)
            throw new InvalidDataException($"{name}: the header declares shape [{string.Join(", ", shape)}] ({dtype}), more than 4 GiB of data; the file is corrupt");

        // Read in chunks and let the buffer grow with the data that really arrives.
        byte[] data = new byte[Math.Min(total, 1 << 20)];
        long filled = 0;
        while (filled < total)
        {
            if (filled == data.Length)
            {
                long grown = Math.Min(total, Math.Max(2L * data.Length, 1));
                if (grown > Array.MaxLength) throw new InvalidDataException($"{name}: {total} bytes of data are more than one array can hold");
                Array.Resize(ref data, (int)grown);
            }
            int n = s.Read(data, (int)filled, (int)Math.Min(data.Length - filled, int.MaxValue));
            if (n == 0)
                throw new InvalidDataException(
                    $"{name}: truncated: the header declares shape [{string.Join(", ", shape)}] of {dtype} ({total} bytes of data), but the file holds only {filled}");
            filled += n;
        }
        Span<byte> extra = stackalloc byte[1];
        if (ReadUpTo(s, extra) != 0)
            throw new InvalidDataException($"{name}: the file holds more data than its header's shape [{string.Join(", ", shape)}] of {dtype} ({total} bytes); it is corrupt");

        // IDX stores multi-byte values big-endian.
        if (size > 1 && BitConverter.IsLittleEndian)
        {
            for (long i = 0; i < total; i += size) Array.Reverse(data, (int)i, size);
        }
        ReadOnlySpan<byte> bytes = data.AsSpan(0, (int)total);
        return dtype switch
        {
            DType.UInt8 => Tensor.FromSpan(bytes, shape),
            DType.Int8 => Tensor.FromSpan(MemoryMarshal.Cast<byte, sbyte>(bytes), shape),
            DType.Int16 => Tensor.FromSpan(MemoryMarshal.Cast<byte, short>(bytes), shape),
            DType.Int32 => Tensor.FromSpan(MemoryMarshal.Cast<byte, int>(bytes), shape),
            DType.Float32 => Tensor.FromSpan(MemoryMarshal.Cast<byte, float>(bytes), shape),
            _ => Tensor.FromSpan(MemoryMarshal.Cast<byte, double>(bytes), shape),
        };
    }

    private static int ReadUpTo(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}

/// <summary>Reads some bytes already taken from a stream, then the rest of the stream (which it does not own).</summary>
internal sealed class PrefixedStream : Stream
{
    private readonly ReadOnlyMemory<byte> _prefix;
    private readonly Stream _rest;
    private int _used;

    public PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest)
    {
        _prefix = prefix;
        _rest = rest;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_used < _prefix.Length)
        {
            int n = Math.Min(buffer.Length, _prefix.Length - _used);
            _prefix.Span.Slice(_used, n).CopyTo(buffer);
            _used += n;
            return n;
        }
        return _rest.Read(buffer);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
