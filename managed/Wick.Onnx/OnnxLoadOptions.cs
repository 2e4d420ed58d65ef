using System;

namespace Wick.Onnx;

/// <summary>
/// Limits and settings for loading an ONNX model. The defaults accept every real model up to protobuf's 2 GiB
/// limit (larger weights go in external data files) and refuse files built to exhaust memory, the stack or time.
/// </summary>
public sealed class OnnxLoadOptions
{
    /// <summary>The default options.</summary>
    public static OnnxLoadOptions Default { get; } = new();

    /// <summary>Largest model file (the protobuf itself, not its external data): 2 GiB - 1, protobuf's own limit.</summary>
    public long MaxModelBytes { get; init; } = int.MaxValue;

    /// <summary>Most nodes in the model, subgraphs included.</summary>
    public int MaxNodes { get; init; } = 1_000_000;

    /// <summary>Deepest nesting of subgraphs (graph attributes of If, Loop, Scan); the main graph is depth 0.</summary>
    public int MaxGraphDepth { get; init; } = 8;

    /// <summary>Largest total size of external data files read for one model.</summary>
    public long MaxExternalDataBytes { get; init; } = 1L << 40;

    /// <summary>
    /// Most elements of a tensor whose size comes from values in the model rather than from its inputs' sizes
    /// (ConstantOfShape, Expand, Tile, Range, and the padded or full outputs of pooling and convolutions): 2^32 by default,
    /// so a tiny file cannot ask for terabytes when it runs.
    /// </summary>
    public long MaxTensorElements { get; init; } = 1L << 32;

    /// <summary>
    /// The folder external data paths are relative to. For <see cref="Onnx.Load(string, OnnxLoadOptions?)"/> it is the
    /// model file's folder unless set here; a model read from memory or a stream can use external data only when it is set.
    /// Paths must stay inside it: absolute paths, ".." and symbolic links are refused.
    /// </summary>
    public string? ExternalDataDirectory { get; init; }

    /// <summary>The device the model's tensors (initializers) are placed on: the CPU by default.</summary>
    public Device? Device { get; init; }

    internal void Validate()
    {
        if (MaxModelBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxModelBytes), MaxModelBytes, "OnnxLoadOptions: MaxModelBytes must be positive");
        if (MaxNodes < 0) throw new ArgumentOutOfRangeException(nameof(MaxNodes), MaxNodes, "OnnxLoadOptions: MaxNodes must be >= 0");
        if (MaxGraphDepth < 0) throw new ArgumentOutOfRangeException(nameof(MaxGraphDepth), MaxGraphDepth, "OnnxLoadOptions: MaxGraphDepth must be >= 0");
        if (MaxTensorElements <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTensorElements), MaxTensorElements, "OnnxLoadOptions: MaxTensorElements must be positive");
        if (MaxExternalDataBytes < 0) throw new ArgumentOutOfRangeException(nameof(MaxExternalDataBytes), MaxExternalDataBytes, "OnnxLoadOptions: MaxExternalDataBytes must be >= 0");
    }
}
