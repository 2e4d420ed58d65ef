using System;
using System.Collections.Generic;
using System.IO;
using Wick.IO;

namespace Wick.Fuzz;

/// <summary>Every input is a candidate safetensors file, loaded from memory and from a file.</summary>
internal static class SafetensorsTarget
{
    private static readonly string FilePath = Path.Combine(Path.GetTempPath(), $"wick-fuzz-{Environment.ProcessId}.safetensors");

    public static void MakeSeeds(string dir)
    {
        using Tensor f = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
        using Tensor h = f.To(DType.Float16);
        using Tensor bf = f.To(DType.BFloat16);
        using Tensor i = Tensor.FromArray(new long[] { -1, 5 });
        using Tensor b = Tensor.FromArray(new bool[] { true, false, true });
        using Tensor s = Tensor.Scalar(2.5);
        using Tensor e = Tensor.Zeros(new long[] { 0, 3 });
        var all = new Dictionary<string, Tensor> { ["f"] = f, ["h"] = h, ["bf"] = bf, ["i"] = i, ["b"] = b, ["s"] = s, ["e"] = e };
        File.WriteAllBytes(Path.Combine(dir, "all.safetensors"), Safetensors.Save(all, new Dictionary<string, string> { ["format"] = "pt" }));
        File.WriteAllBytes(Path.Combine(dir, "one.safetensors"), Safetensors.Save(new Dictionary<string, Tensor> { ["w"] = f }));
        File.WriteAllBytes(Path.Combine(dir, "empty.safetensors"), Safetensors.Save(new Dictionary<string, Tensor>()));
    }

    public static void Run(byte[] bytes)
    {
        try
        {
            foreach (Tensor t in Safetensors.Load(bytes).Values) t.Dispose();
        }
        catch (SafetensorsFormatException) { }
        File.WriteAllBytes(FilePath, bytes);
        try
        {
            foreach (Tensor t in Safetensors.LoadFile(FilePath).Values) t.Dispose();
        }
        catch (SafetensorsFormatException) { }
    }
}
