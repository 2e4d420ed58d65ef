// Fuzz targets for Wick's loaders: `Wick.Fuzz safetensors` and `Wick.Fuzz onnx` read one candidate file per run
// from afl++. The only acceptable failures are the loaders' own exceptions (SafetensorsFormatException;
// OnnxFormatException / OnnxNotSupportedException, and, when an ONNX model loads and runs, the errors a node or a
// wrong input raises as .NET exceptions); anything else (another exception, a crash, a hang) is a finding.
// `--make-seeds <target> <dir>` writes valid files as seeds.
using System;
using System.IO;
using SharpFuzz;
using Wick.Fuzz;

if (args.Length == 3 && args[0] == "--make-seeds")
{
    Directory.CreateDirectory(args[2]);
    switch (args[1])
    {
        case "safetensors": SafetensorsTarget.MakeSeeds(args[2]); return 0;
        case "onnx": OnnxTarget.MakeSeeds(args[2]); return 0;
    }
}
Action<byte[]> target = (args.Length > 0 ? args[0] : "safetensors") switch
{
    "safetensors" => SafetensorsTarget.Run,
    "onnx" => OnnxTarget.Run,
    var other => throw new ArgumentException($"unknown fuzz target '{other}' (safetensors or onnx)"),
};
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
