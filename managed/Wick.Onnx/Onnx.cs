using System;
using System.IO;
using Wick.Onnx.Loading;
using Wick.Onnx.Proto;

namespace Wick.Onnx;

/// <summary>
/// ONNX models and tensors: <see cref="Load(string, OnnxLoadOptions?)"/> reads a model as an <see cref="OnnxModule"/>;
/// <see cref="LoadTensor(string)"/> reads a serialized TensorProto (the .pb files of ONNX's test data).
/// Every file is validated before anything is allocated from it; a malformed or hostile one raises
/// <see cref="OnnxFormatException"/>, one that needs an unimplemented operator <see cref="OnnxNotSupportedException"/>.
/// </summary>
public static class Onnx
{
    /// <summary>Loads a model file. External data files are read from its folder (or <see cref="OnnxLoadOptions.ExternalDataDirectory"/>).</summary>
    public static OnnxModule Load(string path, OnnxLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= OnnxLoadOptions.Default;
        options.Validate();
        string folder = options.ExternalDataDirectory ?? Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var source = new OnnxSource(path, folder);
        ModelProto proto;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            proto = ProtoReader.ParseModel(stream, stream.Length, source, options);
        return OnnxModule.Build(proto, source, options);
    }

    /// <summary>Loads a model from its bytes. External data needs <see cref="OnnxLoadOptions.ExternalDataDirectory"/>.</summary>
    public static OnnxModule Load(byte[] bytes, OnnxLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        options ??= OnnxLoadOptions.Default;
        options.Validate();
        var source = new OnnxSource(OnnxSource.Bytes, options.ExternalDataDirectory);
        using var stream = new MemoryStream(bytes, writable: false);
        return OnnxModule.Build(ProtoReader.ParseModel(stream, bytes.Length, source, options), source, options);
    }

    /// <summary>Loads a model from a stream (read to its end). External data needs <see cref="OnnxLoadOptions.ExternalDataDirectory"/>.</summary>
    public static OnnxModule Load(Stream stream, OnnxLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= OnnxLoadOptions.Default;
        options.Validate();
        var source = new OnnxSource(OnnxSource.Stream, options.ExternalDataDirectory);
        long length = stream.CanSeek ? stream.Length - stream.Position : -1;
        if (length < 0)
        {
            // Unknown length: the parser's own size limit stops it at MaxModelBytes.
            return OnnxModule.Build(ProtoReader.ParseModel(stream, 1, source, options), source, options);
        }
        return OnnxModule.Build(ProtoReader.ParseModel(stream, length, source, options), source, options);
    }

    /// <summary>Reads a tensor serialized as an ONNX TensorProto (for example the input_0.pb files of ONNX's node tests).</summary>
    public static Tensor LoadTensor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var source = new OnnxSource(path, null);
        TensorProto proto;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            proto = ProtoReader.ParseTensor(stream, stream.Length, source, int.MaxValue);
        return TensorDecoder.Decode(proto, $"tensor '{OnnxSource.Text(proto.Name)}'", source, null);
    }

    /// <summary>Reads a tensor from the bytes of an ONNX TensorProto.</summary>
    public static Tensor LoadTensor(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var source = new OnnxSource(OnnxSource.Bytes, null);
        using var stream = new MemoryStream(bytes, writable: false);
        TensorProto proto = ProtoReader.ParseTensor(stream, bytes.Length, source, int.MaxValue);
        return TensorDecoder.Decode(proto, $"tensor '{OnnxSource.Text(proto.Name)}'", source, null);
    }

    /// <summary>The bytes of a tensor as an ONNX TensorProto (raw little-endian data), named <paramref name="name"/>.</summary>
    public static byte[] SaveTensor(Tensor tensor, string name = "")
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Google.Protobuf.MessageExtensions.ToByteArray(TensorDecoder.Encode(tensor, name ?? ""));
    }
}
