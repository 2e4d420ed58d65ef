using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Wick.IO;

namespace Wick.Tests.IO;

public class SafetensorsTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("wick-safetensors-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string PathFor(string name) => Path.Combine(_dir, name);

    private static void DisposeAll(Dictionary<string, Tensor> d)
    {
        foreach (Tensor t in d.Values) t.Dispose();
    }

    // One tensor of every dtype with values exact in that dtype, plus 0-d and empty tensors.
    private static Dictionary<string, Tensor> EveryDType()
    {
        using Tensor f = Tensor.FromArray(new float[] { -2f, 0.5f, 3.25f, 1024f, -0f, 7f }, 2, 3);
        return new Dictionary<string, Tensor>
        {
            ["f32"] = Tensor.FromArray(new float[,] { { 1.5f, -2f, 3f }, { float.MaxValue, float.Epsilon, -0f } }),
            ["f64"] = Tensor.FromArray(new double[] { Math.PI, -1e300, 5e-324 }),
            ["f16"] = Tensor.FromArray(new Half[] { (Half)1.5f, (Half)(-65504f), (Half)0.000061035156f, Half.NaN }),
            ["bf16"] = f.To(DType.BFloat16),
            ["i64"] = Tensor.FromArray(new long[] { long.MinValue, -1, 0, long.MaxValue }),
            ["i32"] = Tensor.FromArray(new int[,,] { { { int.MinValue, 1 } }, { { 2, int.MaxValue } } }),
            ["i16"] = Tensor.FromArray(new short[] { short.MinValue, 0, short.MaxValue }),
            ["i8"] = Tensor.FromArray(new sbyte[] { sbyte.MinValue, -1, sbyte.MaxValue }),
            ["u8"] = Tensor.FromArray(new byte[] { 0, 128, 255 }),
            ["bool"] = Tensor.FromArray(new bool[] { true, false, true }),
            ["scalar"] = Tensor.Scalar(42.5),
            ["empty"] = Tensor.Zeros(new long[] { 0, 4 }, DType.Float64),
        };
    }

    private static void AssertSameTensors(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual)
    {
        Assert.That(actual.Keys.OrderBy(k => k, StringComparer.Ordinal), Is.EqualTo(expected.Keys.OrderBy(k => k, StringComparer.Ordinal)));
        foreach ((string name, Tensor e) in expected)
        {
            Tensor a = actual[name];
            Assert.That(a.DType, Is.EqualTo(e.DType), name);
            Assert.That(a.Shape, Is.EqualTo(e.Shape), name);
            Assert.That(Bytes(a), Is.EqualTo(Bytes(e)), name);
        }
    }

    // The raw little-endian bytes of a tensor, read through float64 for the 16-bit floats (NaN-safe: compares bits).
    private static byte[] Bytes(Tensor t)
    {
        using Tensor c = t.Contiguous();
        return c.DType switch
        {
            DType.Float32 => c.ToArray<float>().SelectMany(BitConverter.GetBytes).ToArray(),
            DType.Float64 => c.ToArray<double>().SelectMany(BitConverter.GetBytes).ToArray(),
            DType.Float16 => c.ToArray<Half>().SelectMany(h => BitConverter.GetBytes(BitConverter.HalfToUInt16Bits(h))).ToArray(),
            DType.BFloat16 => BFloat16Bits(c),
            DType.Int64 => c.ToArray<long>().SelectMany(BitConverter.GetBytes).ToArray(),
            DType.Int32 => c.ToArray<int>().SelectMany(BitConverter.GetBytes).ToArray(),
            DType.Int16 => c.ToArray<short>().SelectMany(BitConverter.GetBytes).ToArray(),
            DType.Int8 => c.ToArray<sbyte>().Select(v => (byte)v).ToArray(),
            DType.UInt8 => c.ToArray<byte>(),
            DType.Bool => c.ToArray<bool>().Select(v => v ? (byte)1 : (byte)0).ToArray(),
            _ => throw new ArgumentException(c.DType.ToString()),
        };
    }

    // Widening bf16 to f32 is exact, and the f32 bits' high half are the bf16 bits.
    private static byte[] BFloat16Bits(Tensor t)
    {
        using Tensor f = t.To(DType.Float32);
        return f.ToArray<float>().SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(v) >> 16))).ToArray();
    }

    [Test]
    public void EveryDTypeRoundTripsThroughAFileBitForBit()
    {
        Dictionary<string, Tensor> saved = EveryDType();
        try
        {
            Safetensors.SaveFile(saved, PathFor("all.safetensors"));
            Dictionary<string, Tensor> loaded = Safetensors.LoadFile(PathFor("all.safetensors"));
            try { AssertSameTensors(saved, loaded); }
            finally { DisposeAll(loaded); }
        }
        finally { DisposeAll(saved); }
    }

    [Test]
    public void MetadataRoundTripsAndIsEmptyWhenAbsent()
    {
        using Tensor x = Tensor.Ones(2);
        var tensors = new Dictionary<string, Tensor> { ["x"] = x };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcødé \"quoted\" <tag> & 🙂" };
        Safetensors.SaveFile(tensors, PathFor("m.safetensors"), metadata);
        Dictionary<string, Tensor> loaded = Safetensors.LoadFile(PathFor("m.safetensors"), out IReadOnlyDictionary<string, string> read);
        DisposeAll(loaded);
        Assert.That(read, Is.EquivalentTo(metadata));

        Safetensors.SaveFile(tensors, PathFor("n.safetensors"));
        using SafetensorsFile file = Safetensors.Open(PathFor("n.safetensors"));
        Assert.That(file.Metadata, Is.Empty);
    }

    [Test]
    public void SavedBytesFollowTheByteLevelSpecificationAndTheReferenceWritersOrder()
    {
        // The reference writer puts larger dtypes first, then sorts by name, and pads the header with spaces to 8 bytes.
        using Tensor a = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        using Tensor b = Tensor.FromArray(new long[] { -1, 7 });
        using Tensor m = Tensor.FromArray(new byte[] { 9, 8, 7 });
        var tensors = new Dictionary<string, Tensor> { ["m"] = m, ["a"] = a, ["b"] = b };
        byte[] actual = Safetensors.Save(tensors, new Dictionary<string, string> { ["format"] = "pt" });

        string header = "{\"__metadata__\":{\"format\":\"pt\"}," +
                        "\"b\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}," +
                        "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]}," +
                        "\"m\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[32,35]}}";
        byte[] expected = SafetensorsSpec.File(header, SafetensorsSpec.Concat(
            SafetensorsSpec.I64(-1, 7), SafetensorsSpec.F32(1, 2, 3, 4), new byte[] { 9, 8, 7 }));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That((actual.Length - 35) % 8, Is.EqualTo(0), "the data section starts 8-byte aligned");
    }

    [Test]
    public void LoadsAHandWrittenFileWhoseEntriesAreInAnyOrder()
    {
        // Header order differs from data order; f16 and bf16 bytes are built from their bit layouts.
        string header = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[22,28]}," +
                        "\"h\":{\"dtype\":\"F16\",\"shape\":[1,3],\"data_offsets\":[16,22]}," +
                        "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}," +
                        "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[28,28]}," +
                        "\"__metadata__\":{\"k\":\"v\"}}";
        byte[] file = SafetensorsSpec.File(header, SafetensorsSpec.Concat(
            SafetensorsSpec.F64(0.1, -3), SafetensorsSpec.F16(0.5f, -2f, 65504f), SafetensorsSpec.BF16(1.5f, -256f, 1.70141183e38f)));
        System.IO.File.WriteAllBytes(PathFor("hand.safetensors"), file);

        Dictionary<string, Tensor> t = Safetensors.LoadFile(PathFor("hand.safetensors"), out IReadOnlyDictionary<string, string> meta);
        try
        {
            Assert.That(meta["k"], Is.EqualTo("v"));
            Assert.That(t["d"].ToArray<double>(), Is.EqualTo(new[] { 0.1, -3 }));
            Assert.That(t["h"].Shape, Is.EqualTo(new long[] { 1, 3 }));
            Assert.That(t["h"].ToArray<Half>(), Is.EqualTo(new[] { (Half)0.5f, (Half)(-2f), (Half)65504f }));
            using Tensor w = t["w"].To(DType.Float32);
            Assert.That(w.ToArray<float>(), Is.EqualTo(new[] { 1.5f, -256f, 1.70141183e38f }));
            Assert.That(t["w"].DType, Is.EqualTo(DType.BFloat16));
            Assert.That(t["z"].Shape, Is.EqualTo(new long[] { 0 }));
        }
        finally { DisposeAll(t); }
    }

    [Test]
    public void NonContiguousAndSlicedTensorsAreSavedByValue()
    {
        using Tensor x = Tensor.FromArray(new float[,] { { 0, 1, 2, 3 }, { 4, 5, 6, 7 }, { 8, 9, 10, 11 } });
        using Tensor transposed = x.T;
        using Tensor stepped = x.Slice(1, 0, 4, 2);
        var tensors = new Dictionary<string, Tensor> { ["t"] = transposed, ["s"] = stepped };
        byte[] bytes = Safetensors.Save(tensors);
        Dictionary<string, Tensor> loaded = Safetensors.Load(bytes);
        try
        {
            float[] expectT = new float[12], expectS = new float[6];
            for (int i = 0; i < 4; ++i) for (int j = 0; j < 3; ++j) expectT[i * 3 + j] = j * 4 + i;
            for (int i = 0; i < 3; ++i) for (int j = 0; j < 2; ++j) expectS[i * 2 + j] = i * 4 + j * 2;
            Assert.That(loaded["t"].Shape, Is.EqualTo(new long[] { 4, 3 }));
            Assert.That(loaded["t"].ToArray<float>(), Is.EqualTo(expectT));
            Assert.That(loaded["s"].ToArray<float>(), Is.EqualTo(expectS));
        }
        finally { DisposeAll(loaded); }
    }

    [Test]
    public void OpenReadsNamesShapesAndSingleTensorsOnDemand()
    {
        using Tensor range = Tensor.Arange(0, 6, 1, DType.Int32);
        using Tensor a = range.Reshape(2, 3);
        using Tensor b = Tensor.Ones(new long[] { 5 }, DType.Float16);
        Safetensors.SaveFile(new Dictionary<string, Tensor> { ["layer.weight"] = a, ["layer.bias"] = b }, PathFor("o.safetensors"));
        using SafetensorsFile file = Safetensors.Open(PathFor("o.safetensors"));
        Assert.That(file.Names, Is.EqualTo(new[] { "layer.weight", "layer.bias" }), "I32 before F16: data order");
        Assert.That(file.GetInfo("layer.weight").Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(file.GetInfo("layer.bias").DType, Is.EqualTo(DType.Float16));
        Assert.That(file.GetInfo("layer.bias").ByteLength, Is.EqualTo(10));
        Assert.That(file.Contains("nope"), Is.False);
        using Tensor w = file.GetTensor("layer.weight");
        Assert.That(w.ToArray<int>(), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5 }));
        var e = Assert.Throws<KeyNotFoundException>(() => file.GetTensor("layer.gamma"));
        Assert.That(e!.Message, Does.Contain("has no tensor 'layer.gamma'"));
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.GetTensor("layer.bias"));
    }

    [Test]
    public void AnEmptyStateDictIsAValidFile()
    {
        byte[] bytes = Safetensors.Save(new Dictionary<string, Tensor>());
        Assert.That(bytes, Is.EqualTo(SafetensorsSpec.File("{}", Array.Empty<byte>())));
        Assert.That(Safetensors.Load(bytes), Is.Empty);
    }

    [Test]
    public void LoadingFromBytesAndFromAFileGiveTheSameTensors()
    {
        Dictionary<string, Tensor> saved = EveryDType();
        try
        {
            byte[] bytes = Safetensors.Save(saved);
            System.IO.File.WriteAllBytes(PathFor("b.safetensors"), bytes);
            Dictionary<string, Tensor> fromBytes = Safetensors.Load(bytes);
            Dictionary<string, Tensor> fromFile = Safetensors.LoadFile(PathFor("b.safetensors"));
            try { AssertSameTensors(fromFile, fromBytes); }
            finally { DisposeAll(fromBytes); DisposeAll(fromFile); }
        }
        finally { DisposeAll(saved); }
    }

    [Test]
    public void LoadFileReadsStraightIntoNativeMemoryWithoutAManagedCopy()
    {
        const long n = 4 << 20; // 16 MB of float32
        using (Tensor big = Tensor.Full(new long[] { n }, 1.25))
            Safetensors.SaveFile(new Dictionary<string, Tensor> { ["big"] = big }, PathFor("big.safetensors"));
        Memory.ResetPeak();
        long nativeBefore = Memory.Stats().AllocatedBytes;
        long managedBefore = GC.GetAllocatedBytesForCurrentThread();
        Dictionary<string, Tensor> loaded = Safetensors.LoadFile(PathFor("big.safetensors"));
        long managed = GC.GetAllocatedBytesForCurrentThread() - managedBefore;
        long nativePeak = Memory.Stats().PeakBytes - nativeBefore;
        try
        {
            Assert.That(managed, Is.LessThan(1 << 20), "managed bytes allocated while loading 16 MB");
            Assert.That(nativePeak, Is.LessThanOrEqualTo(n * 4 + 4096), "native peak: one copy of the data");
            using Tensor sum = loaded["big"].Sum(DType.Float64);
            Assert.That(sum.Item<double>(), Is.EqualTo(1.25 * n));
        }
        finally { DisposeAll(loaded); }
    }

    [Test]
    public void SaveRefusesTheReservedNameAndNullOrDisposedTensors()
    {
        using Tensor x = Tensor.Ones(1);
        var e = Assert.Throws<ArgumentException>(() => Safetensors.Save(new Dictionary<string, Tensor> { ["__metadata__"] = x }));
        Assert.That(e!.Message, Does.Contain("\"__metadata__\" is reserved"));
        e = Assert.Throws<ArgumentException>(() => Safetensors.Save(new Dictionary<string, Tensor> { ["x"] = null! }));
        Assert.That(e!.Message, Does.Contain("tensor 'x' is null"));
        Tensor gone = Tensor.Ones(1);
        gone.Dispose();
        var d = Assert.Throws<ObjectDisposedException>(() => Safetensors.Save(new Dictionary<string, Tensor> { ["g"] = gone }));
        Assert.That(d!.Message, Does.Contain("tensor 'g' was disposed"));
    }

    [Test]
    public void TensorsLoadedInsideADisposeScopeBelongToIt()
    {
        using Tensor x = Tensor.Ones(3);
        byte[] bytes = Safetensors.Save(new Dictionary<string, Tensor> { ["x"] = x });
        Tensor kept;
        using (DisposeScope scope = DisposeScope.Begin())
        {
            Dictionary<string, Tensor> loaded = Safetensors.Load(bytes);
            kept = scope.MoveOut(loaded["x"]);
        }
        using (kept) Assert.That(kept.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 1 }));
    }
}
