using System.Collections.Generic;
using System.Linq;
using Wick.Onnx.Loading;
using Wick.Onnx.Proto;

namespace Wick.Onnx;

/// <summary>
/// A graph input or output as the model declares it: name, element type, and shape, where a dimension is a number,
/// a symbolic name such as "batch" (<see cref="DimNames"/>; its size is then null), or unknown (both null).
/// </summary>
public sealed class OnnxValueInfo
{
    internal OnnxValueInfo(ValueInfoProto v)
    {
        Name = v.Name;
        if (v.Type?.TensorType is { } t)
        {
            if (t.HasElemType) DType = OnnxDTypes.ToWick(t.ElemType, out _);
            ElementType = OnnxDTypes.Name(t.ElemType);
            if (t.Shape is { } s)
            {
                Shape = s.Dim.Select(d => d.HasDimValue ? d.DimValue : (long?)null).ToArray();
                DimNames = s.Dim.Select(d => d.HasDimParam ? d.DimParam : null).ToArray();
            }
        }
    }

    /// <summary>The value's name in the graph.</summary>
    public string Name { get; }

    /// <summary>The Wick dtype, or null when the type is not declared or Wick cannot hold it (see <see cref="ElementType"/>).</summary>
    public DType? DType { get; }

    /// <summary>The ONNX element type name ("FLOAT"), or null when the value is not a tensor.</summary>
    public string? ElementType { get; }

    /// <summary>The declared dimensions (null for a symbolic or unknown one), or null when the rank is not declared.</summary>
    public IReadOnlyList<long?>? Shape { get; }

    /// <summary>The symbolic names of the dimensions (null for fixed or unknown ones), or null when the rank is not declared.</summary>
    public IReadOnlyList<string?>? DimNames { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name}: {ElementType ?? "?"}" + (Shape is null ? "" : "[" + string.Join(", ", Shape.Select((d, i) => d?.ToString() ?? DimNames![i] ?? "?")) + "]");
}
