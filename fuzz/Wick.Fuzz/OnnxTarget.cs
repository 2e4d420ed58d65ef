using System;
using System.IO;
using System.Linq;
using Wick.Onnx;

namespace Wick.Fuzz;

/// <summary>
/// Every input is a candidate ONNX model: loaded from memory, read as a lone TensorProto, then from a file in a folder of its own that holds a
/// small external data file (weights.bin) and a symbolic link pointing out of it, so external-data paths are
/// exercised. A model that loads is run once on zero inputs of its declared shape when that shape is fixed and small.
/// </summary>
internal static class OnnxTarget
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), $"wick-fuzz-onnx-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "weights.bin"), Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        string link = Path.Combine(dir, "outside");
        if (!File.Exists(link) && !Directory.Exists(link)) Directory.CreateSymbolicLink(link, Path.GetTempPath());
        return dir;
    });

    /// <summary>Small limits, so a fuzzed size never turns into minutes of work.</summary>
    private static readonly OnnxLoadOptions Limits = new() { MaxModelBytes = 1 << 20, MaxNodes = 1000, MaxExternalDataBytes = 1 << 20, MaxTensorElements = 1 << 20 };

    public static void MakeSeeds(string dir) => OnnxSeeds.Write(dir);

    public static void Run(byte[] bytes)
    {
        using (var scope = DisposeScope.Begin())
        {
            try
            {
                using OnnxModule m = Onnx.Onnx.Load(bytes, Limits);
                Execute(m);
            }
            catch (Exception e) when (e is OnnxFormatException or OnnxNotSupportedException) { }
        }
        // The same bytes as a lone TensorProto (the .pb files of test data).
        using (var scope = DisposeScope.Begin())
        {
            try
            {
                using Tensor t = Onnx.Onnx.LoadTensor(bytes);
            }
            catch (Exception e) when (e is OnnxFormatException or OnnxNotSupportedException) { }
        }
        string path = Path.Combine(Folder.Value, "model.onnx");
        File.WriteAllBytes(path, bytes);
        using (var scope = DisposeScope.Begin())
        {
            try
            {
                using OnnxModule m = Onnx.Onnx.Load(path, Limits);
            }
            catch (Exception e) when (e is OnnxFormatException or OnnxNotSupportedException) { }
        }
    }

    /// <summary>Runs a loaded model on zeros when every input has a small fixed shape and a dtype Wick holds.</summary>
    private static void Execute(OnnxModule m)
    {
        var inputs = new Tensor[m.Inputs.Count];
        for (int i = 0; i < inputs.Length; ++i)
        {
            OnnxValueInfo v = m.Inputs[i];
            if (v.DType is not DType d || v.Shape is null || v.Shape.Any(s => s is null)) return;
            long[] shape = v.Shape.Select(s => s!.Value).ToArray();
            if (shape.Aggregate(1.0, (a, s) => a * s) > 4096) return;
            inputs[i] = Tensor.Zeros(shape, d);
        }
        try
        {
            foreach (Tensor t in m.Run(inputs)) t.Dispose();
        }
        catch (Exception e) when (e is OnnxExecutionException or ArgumentException) { }
    }
}
