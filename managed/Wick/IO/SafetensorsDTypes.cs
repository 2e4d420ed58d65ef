using System;

namespace Wick.IO;

/// <summary>The dtype names of the safetensors format and the Wick dtypes they map to.</summary>
internal static class SafetensorsDTypes
{
    /// <summary>The format's name for a Wick dtype.</summary>
    public static string Name(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.Int16 => "I16",
        DType.Int8 => "I8",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The Wick dtype for a format name; false when the name is not one Wick can hold.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Name, out DType dtype)
    {
        dtype = default;
        switch (utf8Name.Length)
        {
            case 2 when utf8Name.SequenceEqual("U8"u8): dtype = DType.UInt8; return true;
            case 2 when utf8Name.SequenceEqual("I8"u8): dtype = DType.Int8; return true;
            case 3 when utf8Name.SequenceEqual("F32"u8): dtype = DType.Float32; return true;
            case 3 when utf8Name.SequenceEqual("F64"u8): dtype = DType.Float64; return true;
            case 3 when utf8Name.SequenceEqual("F16"u8): dtype = DType.Float16; return true;
            case 3 when utf8Name.SequenceEqual("I64"u8): dtype = DType.Int64; return true;
            case 3 when utf8Name.SequenceEqual("I32"u8): dtype = DType.Int32; return true;
            case 3 when utf8Name.SequenceEqual("I16"u8): dtype = DType.Int16; return true;
            case 4 when utf8Name.SequenceEqual("BF16"u8): dtype = DType.BFloat16; return true;
            case 4 when utf8Name.SequenceEqual("BOOL"u8): dtype = DType.Bool; return true;
            default: return false;
        }
    }

    /// <summary>Names the format defines that Wick has no dtype for (the message says so instead of "unknown").</summary>
    public static bool IsKnownButUnsupported(string name) => name is
        "U16" or "U32" or "U64" or "F8_E4M3" or "F8_E5M2" or "F8_E8M0" or "F4" or "F6_E2M3" or "F6_E3M2" or "C64";
}
