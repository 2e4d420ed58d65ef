using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Wick.IO;

namespace Wick.Tests.IO;

/// <summary>
/// Interchange with PyTorch through a tiny independent Python writer and reader (json + struct + torch
/// only: the safetensors package is not installed here). Runs where Debian's /usr/bin/python3 has
/// torch; elsewhere the tests are reported as ignored, visibly.
/// </summary>
public class SafetensorsPyTorchTests
{
    private const string Python = "/usr/bin/python3";
    private string _dir = "";

    [SetUp]
    public void Setup()
    {
        if (!File.Exists(Python)) Assert.Ignore($"{Python} is missing: PyTorch interchange not checked");
        (int code, string output) = RunPython("import torch; print(torch.__version__)");
        if (code != 0) Assert.Ignore($"{Python} has no torch (apt-get install python3-torch): PyTorch interchange not checked. {output}");
        _dir = Directory.CreateTempSubdirectory("wick-pt-").FullName;
    }

    [TearDown]
    public void Cleanup()
    {
        if (_dir.Length > 0) Directory.Delete(_dir, recursive: true);
    }

    // The values every side computes on its own: element i of a tensor with n elements is (i - n/2) * 0.75,
    // exact in every floating dtype used here; integers take i - n/2, booleans i % 3 == 0.
    private static double Value(int i, int n) => (i - n / 2) * 0.75;

    private static readonly (string Name, string Dtype, long[] Shape)[] Layout =
    {
        ("f32", "F32", new long[] { 2, 3 }), ("f64", "F64", new long[] { 4 }), ("f16", "F16", new long[] { 3, 1 }),
        ("bf16", "BF16", new long[] { 5 }), ("i64", "I64", new long[] { 2, 2 }), ("i32", "I32", new long[] { 3 }),
        ("i16", "I16", new long[] { 2 }), ("i8", "I8", new long[] { 4 }), ("u8", "U8", new long[] { 3 }),
        ("bool", "BOOL", new long[] { 6 }), ("scalar", "F32", Array.Empty<long>()), ("empty", "F32", new long[] { 0, 3 }),
    };

    private const string PythonDTypes =
        "DT = {'F32': torch.float32, 'F64': torch.float64, 'F16': torch.float16, 'BF16': torch.bfloat16, 'I64': torch.int64," +
        " 'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8, 'U8': torch.uint8, 'BOOL': torch.bool}\n";

    [Test]
    public void AFileWrittenByPyTorchLoadsInWickWithTheSameValues()
    {
        string path = Path.Combine(_dir, "torch.safetensors");
        string layout = string.Join(", ", Layout.Select(l => $"('{l.Name}', '{l.Dtype}', [{string.Join(", ", l.Shape)}])"));
        string script =
            "import json, struct, torch\n" + PythonDTypes +
            $"layout = [{layout}]\n" +
            "header = {'__metadata__': {'format': 'pt', 'writer': 'json+struct+torch'}}\n" +
            "blobs, offset = [], 0\n" +
            "for name, dt, shape in layout:\n" +
            "    n = 1\n" +
            "    for s in shape: n *= s\n" +
            "    i = torch.arange(n, dtype=torch.float64)\n" +
            "    if dt == 'BOOL': t = (torch.arange(n) % 3) == 0\n" +
            "    elif dt[0] in 'IU': t = (torch.arange(n) - n // 2).to(DT[dt])\n" +
            "    else: t = ((i - n // 2) * 0.75).to(DT[dt])\n" +
            "    t = t.reshape(shape)\n" +
            "    raw = t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()\n" +
            "    header[name] = {'dtype': dt, 'shape': list(shape), 'data_offsets': [offset, offset + len(raw)]}\n" +
            "    blobs.append(raw); offset += len(raw)\n" +
            "h = json.dumps(header).encode('utf-8')\n" +
            "h += b' ' * ((8 - len(h) % 8) % 8)\n" +
            $"with open(r'{path}', 'wb') as f:\n" +
            "    f.write(struct.pack('<Q', len(h))); f.write(h)\n" +
            "    for b in blobs: f.write(b)\n";
        (int code, string output) = RunPython(script);
        Assert.That(code, Is.EqualTo(0), output);

        Dictionary<string, Tensor> loaded = Safetensors.LoadFile(path, out IReadOnlyDictionary<string, string> metadata);
        try
        {
            Assert.That(metadata["writer"], Is.EqualTo("json+struct+torch"));
            foreach ((string name, string dtype, long[] shape) in Layout)
            {
                Tensor t = loaded[name];
                Assert.That(t.Shape, Is.EqualTo(shape), name);
                int n = (int)shape.Aggregate(1L, (a, b) => a * b);
                using Tensor asDouble = t.To(DType.Float64);
                double[] expected = Enumerable.Range(0, n).Select(i =>
                    dtype == "BOOL" ? (i % 3 == 0 ? 1.0 : 0.0) : dtype[0] is 'I' or 'U' ? (double)(i - n / 2) : Value(i, n)).ToArray();
                if (dtype == "U8") expected = expected.Select(v => (double)(byte)(sbyte)v).ToArray();
                Assert.That(asDouble.ToArray<double>(), Is.EqualTo(expected), name);
            }
            Assert.That(loaded["bf16"].DType, Is.EqualTo(DType.BFloat16));
            Assert.That(loaded["f16"].DType, Is.EqualTo(DType.Float16));
        }
        finally
        {
            foreach (Tensor t in loaded.Values) t.Dispose();
        }
    }

    [Test]
    public void AFileWrittenByWickReadsInPyTorchWithTheSameValues()
    {
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach ((string name, string dtype, long[] shape) in Layout)
            {
                int n = (int)shape.Aggregate(1L, (a, b) => a * b);
                double[] values = Enumerable.Range(0, n).Select(i => Value(i, n)).ToArray();
                using Tensor f = Tensor.FromSpan<double>(values, shape); // FromArray would read an empty shape as 1-D
                DType target = dtype switch
                {
                    "F32" => DType.Float32, "F64" => DType.Float64, "F16" => DType.Float16, "BF16" => DType.BFloat16,
                    "I64" => DType.Int64, "I32" => DType.Int32, "I16" => DType.Int16, "I8" => DType.Int8, "U8" => DType.UInt8,
                    _ => DType.Bool,
                };
                tensors[name] = f.To(target);
            }
            string path = Path.Combine(_dir, "wick.safetensors");
            Safetensors.SaveFile(tensors, path, new Dictionary<string, string> { ["format"] = "pt" });

            // The reader decodes with torch.frombuffer and prints every tensor as float64 values.
            string script =
                "import json, struct, torch\n" + PythonDTypes +
                $"data = open(r'{path}', 'rb').read()\n" +
                "(n,) = struct.unpack('<Q', data[:8])\n" +
                "header = json.loads(data[8:8 + n].decode('utf-8'))\n" +
                "meta = header.pop('__metadata__', {})\n" +
                "out = {'__metadata__': meta}\n" +
                "for name, e in header.items():\n" +
                "    b, end = e['data_offsets']\n" +
                "    raw = bytearray(data[8 + n + b: 8 + n + end])\n" +
                "    t = torch.frombuffer(raw, dtype=DT[e['dtype']]) if raw else torch.empty(0, dtype=DT[e['dtype']])\n" +
                "    t = t.reshape(e['shape'])\n" +
                "    out[name] = {'dtype': str(t.dtype), 'shape': list(t.shape), 'values': t.to(torch.float64).reshape(-1).tolist()}\n" +
                "print(json.dumps(out))\n";
            (int code, string output) = RunPython(script);
            Assert.That(code, Is.EqualTo(0), output);
            using JsonDocument doc = JsonDocument.Parse(output.Trim().Split('\n').Last());
            Assert.That(doc.RootElement.GetProperty("__metadata__").GetProperty("format").GetString(), Is.EqualTo("pt"));
            foreach ((string name, string dtype, long[] shape) in Layout)
            {
                JsonElement e = doc.RootElement.GetProperty(name);
                Assert.That(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()), Is.EqualTo(shape), name);
                using Tensor asDouble = tensors[name].To(DType.Float64);
                double[] actual = e.GetProperty("values").EnumerateArray().Select(x => x.GetDouble()).ToArray();
                Assert.That(actual, Is.EqualTo(asDouble.ToArray<double>()), name);
            }
            Assert.That(doc.RootElement.GetProperty("bf16").GetProperty("dtype").GetString(), Is.EqualTo("torch.bfloat16"));
            Assert.That(doc.RootElement.GetProperty("f16").GetProperty("values")[0].GetDouble(), Is.EqualTo(-0.75), "(0 - 3 / 2) * 0.75");
        }
        finally
        {
            foreach (Tensor t in tensors.Values) t.Dispose();
        }
    }

    private static (int, string) RunPython(string script)
    {
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add("-");
        psi.Environment["OPENBLAS_CORETYPE"] = "SkylakeX";
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using Process p = Process.Start(psi)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        System.Threading.Tasks.Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }
}
