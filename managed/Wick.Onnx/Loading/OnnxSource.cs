using Wick.Onnx.Proto;

namespace Wick.Onnx.Loading;

/// <summary>
/// Where a model came from, for messages ("onnx: model.onnx: node 'Conv_3' ..."), and the folder its external
/// data may be read from (null: none may be).
/// </summary>
internal sealed record OnnxSource(string Name, string? ExternalDataDirectory)
{
    public const string Bytes = "<bytes>";
    public const string Stream = "<stream>";

    public OnnxFormatException Error(string message) => new($"onnx: {Name}: {message}");

    public OnnxFormatException Error(string message, System.Exception inner) => new($"onnx: {Name}: {message}", inner);

    public OnnxNotSupportedException NotSupported(string message) => new($"onnx: {Name}: {message}");

    /// <summary>"node 'Conv_3' (Conv)" or "node #4 (Conv)" for an unnamed one.</summary>
    public static string Describe(NodeProto node, int index) =>
        string.IsNullOrEmpty(node.Name) ? $"node #{index} ({Text(node.OpType)})" : $"node '{Text(node.Name)}' ({Text(node.OpType)})";

    /// <summary>A name from the file as it goes in a message: control characters escaped, at most 200 characters.</summary>
    public static string Text(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var b = new System.Text.StringBuilder(System.Math.Min(s.Length, 200) + 8);
        foreach (char c in s)
        {
            if (b.Length >= 200) { b.Append('…'); break; }
            if (char.IsControl(c)) b.Append($"\\u{(int)c:x4}");
            else b.Append(c);
        }
        return b.ToString();
    }
}
