using Wick.Onnx.Proto;
using DataType = Wick.Onnx.Proto.TensorProto.Types.DataType;

namespace Wick.Onnx.Loading;

/// <summary>ONNX element types (TensorProto.DataType numbers) and Wick dtypes, both ways.</summary>
internal static class OnnxDTypes
{
    /// <summary>The Wick dtype of an ONNX element type, or null with the reason when Wick cannot hold it.</summary>
    public static DType? ToWick(int dataType, out string? problem)
    {
        problem = null;
        switch ((DataType)dataType)
        {
            case DataType.Float: return DType.Float32;
            case DataType.Double: return DType.Float64;
            case DataType.Float16: return DType.Float16;
            case DataType.Bfloat16: return DType.BFloat16;
            case DataType.Int64: return DType.Int64;
            case DataType.Int32: return DType.Int32;
            case DataType.Int16: return DType.Int16;
            case DataType.Int8: return DType.Int8;
            case DataType.Uint8: return DType.UInt8;
            case DataType.Bool: return DType.Bool;
        }
        problem = dataType >= 0 && dataType <= (int)DataType.Float4E2M1 && dataType != 0
            ? $"the element type {Name(dataType)}, which Wick cannot hold (it has float16/32/64, bfloat16, int8/16/32/64, uint8 and bool)"
            : $"the unknown element type {dataType} (ONNX defines 1 to {(int)DataType.Float4E2M1})";
        return null;
    }

    public static int FromWick(DType dtype) => (int)(dtype switch
    {
        DType.Float32 => DataType.Float,
        DType.Float64 => DataType.Double,
        DType.Float16 => DataType.Float16,
        DType.BFloat16 => DataType.Bfloat16,
        DType.Int64 => DataType.Int64,
        DType.Int32 => DataType.Int32,
        DType.Int16 => DataType.Int16,
        DType.Int8 => DataType.Int8,
        DType.UInt8 => DataType.Uint8,
        DType.Bool => DataType.Bool,
        _ => throw new System.ArgumentOutOfRangeException(nameof(dtype), dtype, "no ONNX element type for this dtype"),
    });

    /// <summary>The specification's name of an element type ("FLOAT", "UINT16").</summary>
    public static string Name(int dataType) => dataType switch
    {
        0 => "UNDEFINED", 1 => "FLOAT", 2 => "UINT8", 3 => "INT8", 4 => "UINT16", 5 => "INT16", 6 => "INT32", 7 => "INT64",
        8 => "STRING", 9 => "BOOL", 10 => "FLOAT16", 11 => "DOUBLE", 12 => "UINT32", 13 => "UINT64", 14 => "COMPLEX64",
        15 => "COMPLEX128", 16 => "BFLOAT16", 17 => "FLOAT8E4M3FN", 18 => "FLOAT8E4M3FNUZ", 19 => "FLOAT8E5M2",
        20 => "FLOAT8E5M2FNUZ", 21 => "UINT4", 22 => "INT4", 23 => "FLOAT4E2M1",
        _ => dataType.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
