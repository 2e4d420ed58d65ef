using System;
using System.IO;
using Google.Protobuf;
using Wick.Onnx.Proto;

namespace Wick.Onnx.Loading;

/// <summary>
/// Parses the protobuf bytes of a model or a tensor with limits: the size is checked before reading, nesting is
/// capped (a file of nested messages cannot overflow the stack), unknown fields are dropped (not kept in memory),
/// and a length prefix larger than the bytes that follow is refused by the parser before it allocates.
/// </summary>
internal static class ProtoReader
{
    /// <summary>
    /// Protobuf message nesting allowed: a subgraph adds three levels (graph, node, attribute), so this leaves room for
    /// <see cref="OnnxLoadOptions.MaxGraphDepth"/> up to 30 while the parser's recursion stays far from the stack's limit.
    /// </summary>
    public const int RecursionLimit = 100;

    public static ModelProto ParseModel(Stream stream, long length, OnnxSource source, OnnxLoadOptions options)
    {
        CheckLength(length, options.MaxModelBytes, source, "model");
        return Parse(ModelProto.Parser, stream, (int)Math.Min(options.MaxModelBytes, int.MaxValue), source, "model");
    }

    public static TensorProto ParseTensor(Stream stream, long length, OnnxSource source, long maxBytes)
    {
        CheckLength(length, maxBytes, source, "tensor");
        return Parse(TensorProto.Parser, stream, (int)Math.Min(maxBytes, int.MaxValue), source, "tensor");
    }

    private static void CheckLength(long length, long max, OnnxSource source, string what)
    {
        if (length == 0) throw source.Error($"the {what} is empty (0 bytes); an ONNX {what} is a protobuf message of at least a few bytes");
        if (length > max)
            throw source.Error($"the {what} is {length} bytes, over the {max}-byte limit (OnnxLoadOptions.MaxModelBytes); protobuf cannot exceed 2 GiB, larger weights belong in external data files");
    }

    private static T Parse<T>(MessageParser<T> parser, Stream stream, int sizeLimit, OnnxSource source, string what) where T : IMessage<T>
    {
        try
        {
            using var input = CodedInputStream.CreateWithLimits(stream, sizeLimit, RecursionLimit);
            T message = parser.WithDiscardUnknownFields(true).ParseFrom(input);
            return message;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw source.Error($"not a valid ONNX {what} (protobuf): {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // Invalid UTF-8 in a string field is reported this way by some protobuf versions.
            throw source.Error($"not a valid ONNX {what} (protobuf): {e.Message}", e);
        }
    }
}
