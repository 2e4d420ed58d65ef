using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace Wick.Tests.IO;

/// <summary>
/// Builds safetensors bytes by hand from the published layout, independently of Wick's writer:
/// an 8-byte little-endian header length, the UTF-8 JSON header, then the data section.
/// </summary>
internal static class SafetensorsSpec
{
    public static byte[] File(string headerJson, byte[] data, bool pad = true)
    {
        byte[] json = Encoding.UTF8.GetBytes(headerJson);
        int padded = pad ? (json.Length + 7) / 8 * 8 : json.Length;
        return Raw((ulong)padded, Concat(json, Spaces(padded - json.Length), data));
    }

    /// <summary>A length prefix that may lie about what follows.</summary>
    public static byte[] Raw(ulong headerLength, byte[] rest)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, headerLength);
        return Concat(prefix, rest);
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var stream = new MemoryStream();
        foreach (byte[] p in parts) stream.Write(p);
        return stream.ToArray();
    }

    public static byte[] Spaces(int n)
    {
        var b = new byte[n];
        b.AsSpan().Fill((byte)' ');
        return b;
    }

    public static byte[] F32(params float[] v)
    {
        var b = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; ++i) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), v[i]);
        return b;
    }

    public static byte[] F64(params double[] v)
    {
        var b = new byte[v.Length * 8];
        for (int i = 0; i < v.Length; ++i) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(i * 8), v[i]);
        return b;
    }

    public static byte[] I64(params long[] v)
    {
        var b = new byte[v.Length * 8];
        for (int i = 0; i < v.Length; ++i) BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(i * 8), v[i]);
        return b;
    }

    public static byte[] F16(params float[] v)
    {
        var b = new byte[v.Length * 2];
        for (int i = 0; i < v.Length; ++i) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 2), BitConverter.HalfToUInt16Bits((Half)v[i]));
        return b;
    }

    /// <summary>bfloat16 is the high half of a float32; the values used here are exact in it.</summary>
    public static byte[] BF16(params float[] v)
    {
        var b = new byte[v.Length * 2];
        for (int i = 0; i < v.Length; ++i)
        {
            uint bits = BitConverter.SingleToUInt32Bits(v[i]);
            if ((bits & 0xFFFF) != 0) throw new ArgumentException($"{v[i]} is not exact in bfloat16");
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(i * 2), (ushort)(bits >> 16));
        }
        return b;
    }
}
