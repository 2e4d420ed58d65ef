using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Wick.IO;

/// <summary>
/// The parsed and fully validated header of a safetensors file. Layout (the published format):
/// an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON mapping each tensor name to
/// {"dtype", "shape", "data_offsets": [begin, end]} plus an optional "__metadata__" object of strings,
/// then the data section, which the tensors' byte ranges must cover exactly, in any order, with no
/// overlap and no gap. Nothing here allocates more than the header's own (checked) length.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>Largest header accepted (the reference implementation's limit, 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>A tensor may have at most this many dimensions (WK_MAX_DIMS).</summary>
    public const int MaxDims = 16;

    private const string MetadataKey = "__metadata__";

    private SafetensorsHeader(long headerLength, Dictionary<string, string> metadata, List<SafetensorsTensorInfo> tensors,
                              Dictionary<string, SafetensorsTensorInfo> byName)
    {
        HeaderLength = headerLength;
        Metadata = metadata;
        Tensors = tensors;
        ByName = byName;
    }

    /// <summary>N, the JSON header's length in bytes.</summary>
    public long HeaderLength { get; }

    /// <summary>Where the data section starts in the file: 8 + N.</summary>
    public long DataStart => 8 + HeaderLength;

    /// <summary>The "__metadata__" strings (empty when absent).</summary>
    public Dictionary<string, string> Metadata { get; }

    /// <summary>The tensors in the order their bytes appear in the data section.</summary>
    public List<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The tensors by name.</summary>
    public Dictionary<string, SafetensorsTensorInfo> ByName { get; }

    /// <summary>
    /// Checks the 8-byte length prefix of a source of <paramref name="totalLength"/> bytes and returns N.
    /// </summary>
    public static long ReadHeaderLength(ReadOnlySpan<byte> prefix, long totalLength, string source)
    {
        if (totalLength < 8 || prefix.Length < 8)
            throw Error(source, $"it is {totalLength} bytes long, shorter than the 8-byte header length that starts every safetensors file (a truncated or empty file?)");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n < 2)
            throw Error(source, $"the header length is {n} bytes, but the smallest header, \"{{}}\", has 2");
        if (n > MaxHeaderBytes)
            throw Error(source, $"the header length is {n} bytes, over the {MaxHeaderBytes}-byte limit (a corrupt length, or not a safetensors file)");
        ulong available = (ulong)(totalLength - 8);
        if (n > available)
            throw Error(source, $"the header length is {n} bytes, but only {available} bytes follow the length field (the file is truncated)");
        return (long)n;
    }

    /// <summary>Parses and validates the JSON header against a data section of <paramref name="dataLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string source)
    {
        if (json.Length == 0 || json[0] != (byte)'{')
            throw Error(source, $"the header does not start with '{{' (found {(json.Length == 0 ? "nothing" : $"byte 0x{json[0]:X2}")}): not a safetensors file");
        int bad = FirstInvalidUtf8(json);
        if (bad >= 0)
            throw Error(source, $"the header is not valid UTF-8 (byte 0x{json[bad]:X2} at header offset {bad})");

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new List<SafetensorsTensorInfo>();
        var byName = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
        try
        {
            // Depth 3 is the deepest a valid header goes: root object > tensor entry > shape array.
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 3 });
            reader.Read(); // the root '{', checked above
            bool seenMetadata = false;
            while (true)
            {
                Next(ref reader, source, "a tensor name or the end of the header");
                if (reader.TokenType == JsonTokenType.EndObject) break;
                string name = reader.GetString()!;
                if (name == MetadataKey)
                {
                    if (seenMetadata) throw Error(source, "the header has two \"__metadata__\" entries");
                    seenMetadata = true;
                    ReadMetadata(ref reader, metadata, source);
                    continue;
                }
                if (byName.ContainsKey(name))
                    throw Error(source, $"the header names tensor '{name}' twice; names must be unique");
                SafetensorsTensorInfo info = ReadTensor(ref reader, name, source);
                byName.Add(name, info);
                tensors.Add(info);
            }
            // Only whitespace may follow the root object (writers pad the header with spaces).
            if (reader.Read())
                throw Error(source, $"the header has content after its closing '}}' at byte {reader.TokenStartIndex}");
        }
        catch (JsonException e)
        {
            throw Error(source, $"the header is not valid JSON ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            throw Error(source, $"the header holds a string that is not valid Unicode ({e.Message})", e);
        }

        CheckCoverage(tensors, dataLength, source);
        return new SafetensorsHeader(json.Length, metadata, tensors, byName);
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string source)
    {
        Next(ref reader, source, "the \"__metadata__\" object");
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Error(source, $"\"__metadata__\" must be an object of strings, but it is {Describe(reader.TokenType)}");
        while (true)
        {
            Next(ref reader, source, "a metadata key");
            if (reader.TokenType == JsonTokenType.EndObject) return;
            string key = reader.GetString()!;
            Next(ref reader, source, $"the value of metadata key '{key}'");
            if (reader.TokenType != JsonTokenType.String)
                throw Error(source, $"metadata value '{key}' is {Describe(reader.TokenType)}; the format allows only strings");
            if (!metadata.TryAdd(key, reader.GetString()!))
                throw Error(source, $"metadata key '{key}' appears twice");
        }
    }

    private static SafetensorsTensorInfo ReadTensor(ref Utf8JsonReader reader, string name, string source)
    {
        Next(ref reader, source, $"the entry of tensor '{name}'");
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Error(source, $"the entry of tensor '{name}' is {Describe(reader.TokenType)}; expected an object with \"dtype\", \"shape\" and \"data_offsets\"");
        DType? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (true)
        {
            Next(ref reader, source, $"a field of tensor '{name}'");
            if (reader.TokenType == JsonTokenType.EndObject) break;
            if (reader.ValueTextEquals("dtype"u8))
            {
                if (dtype != null) throw Error(source, $"tensor '{name}' has two \"dtype\" fields");
                Next(ref reader, source, $"the dtype of tensor '{name}'");
                dtype = ReadDType(ref reader, name, source);
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                if (shape != null) throw Error(source, $"tensor '{name}' has two \"shape\" fields");
                shape = ReadIntegers(ref reader, name, "shape", MaxDims, source);
                if (shape.Length > MaxDims)
                    throw Error(source, $"tensor '{name}' has more than {MaxDims} dimensions; Wick supports at most {MaxDims}");
            }
            else if (reader.ValueTextEquals("data_offsets"u8))
            {
                if (offsets != null) throw Error(source, $"tensor '{name}' has two \"data_offsets\" fields");
                offsets = ReadIntegers(ref reader, name, "data_offsets", 2, source);
                if (offsets.Length != 2)
                    throw Error(source, $"\"data_offsets\" of tensor '{name}' must be two numbers [begin, end], but it has {(offsets.Length > 2 ? "more" : offsets.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
            }
            else
            {
                throw Error(source, $"tensor '{name}' has an unknown field \"{reader.GetString()}\"; the format defines only \"dtype\", \"shape\" and \"data_offsets\"");
            }
        }
        if (dtype == null) throw Error(source, $"tensor '{name}' has no \"dtype\"");
        if (shape == null) throw Error(source, $"tensor '{name}' has no \"shape\"");
        if (offsets == null) throw Error(source, $"tensor '{name}' has no \"data_offsets\"");
        return new SafetensorsTensorInfo(name, dtype.Value, shape, offsets[0], offsets[1]);
    }

    private static DType ReadDType(ref Utf8JsonReader reader, string name, string source)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw Error(source, $"the dtype of tensor '{name}' is {Describe(reader.TokenType)}; expected a string such as \"F32\"");
        if (SafetensorsDTypes.TryParse(reader.ValueSpan, out DType dtype) && !reader.ValueIsEscaped) return dtype;
        string text = reader.GetString()!;
        if (SafetensorsDTypes.TryParse(Encoding.UTF8.GetBytes(text), out dtype)) return dtype;
        if (SafetensorsDTypes.IsKnownButUnsupported(text))
            throw Error(source, $"tensor '{name}' has dtype {text}, which Wick cannot hold; convert it to a supported dtype before saving (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        throw Error(source, $"tensor '{name}' has the unknown dtype \"{Shorten(text)}\"");
    }

    // An array of non-negative integers that fit in a long; stops at max + 1 elements (the caller then throws).
    private static long[] ReadIntegers(ref Utf8JsonReader reader, string name, string field, int max, string source)
    {
        Next(ref reader, source, $"the {field} of tensor '{name}'");
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Error(source, $"\"{field}\" of tensor '{name}' is {Describe(reader.TokenType)}; expected an array of integers");
        var values = new List<long>();
        while (true)
        {
            Next(ref reader, source, $"an element of the {field} of tensor '{name}'");
            if (reader.TokenType == JsonTokenType.EndArray) return values.ToArray();
            if (reader.TokenType != JsonTokenType.Number)
                throw Error(source, $"\"{field}\" of tensor '{name}' holds {Describe(reader.TokenType)}; expected integers");
            if (!reader.TryGetInt64(out long v) || v < 0)
                throw Error(source, $"\"{field}\" of tensor '{name}' holds {Shorten(Encoding.UTF8.GetString(reader.ValueSpan))}, which is not an integer from 0 to {long.MaxValue}");
            values.Add(v);
            if (values.Count > max) return values.ToArray(); // the caller reports the count
        }
    }

    /// <summary>
    /// Each tensor's byte length must match its shape and dtype, and the byte ranges, sorted, must tile
    /// the data section: they start at 0, each begins where the previous one ends, the last ends at the
    /// end of the file. This rules out overlap (aliasing), gaps (hidden content) and reads past the end.
    /// </summary>
    private static void CheckCoverage(List<SafetensorsTensorInfo> tensors, long dataLength, string source)
    {
        foreach (SafetensorsTensorInfo t in tensors)
        {
            if (t.Begin > t.End)
                throw Error(source, $"tensor '{t.Name}' has data_offsets [{t.Begin}, {t.End}]: begin is after end");
            if (t.End > dataLength)
                throw Error(source, $"tensor '{t.Name}' has data_offsets [{t.Begin}, {t.End}], past the end of the data section ({dataLength} bytes): the file is truncated or the offsets are wrong");
            long expected = ByteLength(t, source);
            if (t.End - t.Begin != expected)
                throw Error(source, $"tensor '{t.Name}' has shape [{string.Join(", ", t.ShapeArray)}] and dtype {SafetensorsDTypes.Name(t.DType)}, which need {expected} bytes, but its data_offsets [{t.Begin}, {t.End}] hold {t.End - t.Begin}");
        }
        tensors.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long position = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (SafetensorsTensorInfo t in tensors)
        {
            if (t.Begin < position)
                throw Error(source, $"tensors '{previous!.Name}' [{previous.Begin}, {previous.End}] and '{t.Name}' [{t.Begin}, {t.End}] overlap; every byte of the data section must belong to one tensor");
            if (t.Begin > position)
                throw Error(source, $"bytes {position} to {t.Begin} of the data section belong to no tensor (a gap before '{t.Name}'); the format forbids unused bytes");
            position = t.End;
            previous = t;
        }
        if (position != dataLength)
            throw Error(source, $"the last {dataLength - position} bytes of the data section (from byte {position}) belong to no tensor; the format forbids unused bytes");
    }

    private static long ByteLength(SafetensorsTensorInfo t, string source)
    {
        long n = t.DType.ElementSize();
        foreach (long size in t.ShapeArray)
        {
            try { n = checked(n * size); }
            catch (OverflowException)
            {
                throw Error(source, $"tensor '{t.Name}' has shape [{string.Join(", ", t.ShapeArray)}], whose byte size overflows a 64-bit integer");
            }
        }
        return n;
    }

    private static void Next(ref Utf8JsonReader reader, string source, string expected)
    {
        if (!reader.Read()) throw Error(source, $"the header ends where {expected} should be");
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    // Index of the first byte that does not start or continue a valid UTF-8 sequence, or -1.
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return -1;
        int i = 0;
        while (i < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out int consumed) != System.Buffers.OperationStatus.Done) return i;
            i += consumed;
        }
        return -1;
    }

    internal static SafetensorsFormatException Error(string source, string problem, Exception? inner = null)
    {
        string message = $"safetensors: {source}: {problem}";
        return inner is null ? new SafetensorsFormatException(message) : new SafetensorsFormatException(message, inner);
    }
}
