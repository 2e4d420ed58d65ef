// Fuzz target: every input is a candidate safetensors file, loaded from memory and from a file. The only
// acceptable failure is SafetensorsFormatException; anything else (another exception, a crash, a hang) is a
// finding. `--make-seeds <dir>` writes valid files (every dtype, metadata, 0-d and empty tensors) as seeds.
using System;
using System.Collections.Generic;
using System.IO;
using SharpFuzz;
using Wick;
using Wick.IO;

if (args.Length == 2 && args[0] == "--make-seeds")
{
    Directory.CreateDirectory(args[1]);
    using Tensor f = Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } });
    using Tensor h = f.To(DType.Float16);
    using Tensor bf = f.To(DType.BFloat16);
    using Tensor i = Tensor.FromArray(new long[] { -1, 5 });
    using Tensor b = Tensor.FromArray(new bool[] { true, false, true });
    using Tensor s = Tensor.Scalar(2.5);
    using Tensor e = Tensor.Zeros(new long[] { 0, 3 });
    var all = new Dictionary<string, Tensor> { ["f"] = f, ["h"] = h, ["bf"] = bf, ["i"] = i, ["b"] = b, ["s"] = s, ["e"] = e };
    File.WriteAllBytes(Path.Combine(args[1], "all.safetensors"), Safetensors.Save(all, new Dictionary<string, string> { ["format"] = "pt" }));
    File.WriteAllBytes(Path.Combine(args[1], "one.safetensors"), Safetensors.Save(new Dictionary<string, Tensor> { ["w"] = f }));
    File.WriteAllBytes(Path.Combine(args[1], "empty.safetensors"), Safetensors.Save(new Dictionary<string, Tensor>()));
    return 0;
}

string path = Path.Combine(Path.GetTempPath(), $"wick-fuzz-{Environment.ProcessId}.safetensors");
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    byte[] bytes = buffer.ToArray();
    try
    {
        foreach (Tensor t in Safetensors.Load(bytes).Values) t.Dispose();
    }
    catch (SafetensorsFormatException) { }
    File.WriteAllBytes(path, bytes);
    try
    {
        foreach (Tensor t in Safetensors.LoadFile(path).Values) t.Dispose();
    }
    catch (SafetensorsFormatException) { }
});
return 0;
