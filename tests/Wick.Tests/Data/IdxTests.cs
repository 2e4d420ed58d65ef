using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Wick.Data;

namespace Wick.Tests.Data;

public class IdxTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "wick-idx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    /// <summary>An IDX file written by hand from the format description: 0, 0, type code, ndim, big-endian sizes, big-endian data.</summary>
    private static byte[] IdxBytes(byte code, int[] dims, byte[] payload)
    {
        var ms = new MemoryStream();
        ms.Write(new byte[] { 0, 0, code, (byte)dims.Length });
        var b = new byte[4];
        foreach (int d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(b, d);
            ms.Write(b);
        }
        ms.Write(payload);
        return ms.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void UnsignedByteImagesReadWithTheirShape([Values] bool gzip)
    {
        byte[] pixels = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7)).ToArray();
        byte[] file = IdxBytes(0x08, new[] { 2, 3, 4 }, pixels);
        string path = Write(gzip ? "images.gz" : "images", gzip ? Gzip(file) : file);
        using var t = Idx.Read(path);
        Assert.That(t.DType, Is.EqualTo(DType.UInt8));
        Assert.That(t.Shape, Is.EqualTo(new long[] { 2, 3, 4 }));
        Assert.That(t.ToArray<byte>(), Is.EqualTo(pixels));
    }

    [Test]
    public void MultiByteValuesAreBigEndian()
    {
        var payload = new byte[12];
        int[] ints = { 1, -2, 0x01020304 };
        for (int i = 0; i < 3; ++i) BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4 * i), ints[i]);
        using var t = Idx.Read(Write("ints", IdxBytes(0x0C, new[] { 3 }, payload)));
        Assert.That(t.DType, Is.EqualTo(DType.Int32));
        Assert.That(t.ToArray<int>(), Is.EqualTo(ints));

        var f = new byte[16];
        double[] doubles = { 1.5, -0.25 };
        for (int i = 0; i < 2; ++i) BinaryPrimitives.WriteDoubleBigEndian(f.AsSpan(8 * i), doubles[i]);
        using var d = Idx.Read(Write("doubles", IdxBytes(0x0E, new[] { 1, 2 }, f)));
        Assert.That(d.ToArray<double>(), Is.EqualTo(doubles));
        Assert.That(d.Shape, Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public void AFileShorterThanItsHeaderDeclaresIsReportedAsTruncated([Values] bool gzip)
    {
        byte[] file = IdxBytes(0x08, new[] { 10, 28, 28 }, new byte[100]);
        string path = Write("short", gzip ? Gzip(file) : file);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("truncated").And.Contain("[10, 28, 28]").And.Contain("only 100"));
    }

    [Test]
    public void AHeaderClaimingHugeSizesFailsWithoutAllocatingThem()
    {
        // 2^31-1 × 2^31-1 × 2^31-1 bytes: the reader must refuse instead of trying to allocate.
        byte[] file = IdxBytes(0x08, new[] { int.MaxValue, int.MaxValue, int.MaxValue }, new byte[16]);
        string path = Write("huge", file);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(4 << 20));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("corrupt"));
    }

    [Test]
    public void ALargeButPlausibleClaimOnATinyFileAllocatesOnlyWhatArrives()
    {
        byte[] file = IdxBytes(0x08, new[] { 1000, 1000, 1000 }, new byte[10]);  // claims 1 GB
        string path = Write("claims-a-gigabyte", file);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(4 << 20));
        Assert.That(e!.Message, Does.Contain("truncated"));
    }

    [Test]
    public void BadMagicBytesAreReported()
    {
        string path = Write("notidx", new byte[] { 1, 2, 8, 1, 0, 0, 0, 1, 5 });
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("not an IDX file"));
    }

    [Test]
    public void AnUnknownTypeCodeIsReported()
    {
        string path = Write("badtype", IdxBytes(0x07, new[] { 1 }, new byte[1]));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.Contain("element type code 0x07"));
    }

    [Test]
    public void ZeroDimensionsAndTooShortHeadersAreReported()
    {
        var e1 = Assert.Throws<InvalidDataException>(() => Idx.Read(Write("nodims", new byte[] { 0, 0, 8, 0 })));
        Assert.That(e1!.Message, Does.Contain("0 dimensions"));
        var e2 = Assert.Throws<InvalidDataException>(() => Idx.Read(Write("tiny", new byte[] { 0, 0 })));
        Assert.That(e2!.Message, Does.Contain("shorter than the 4-byte header"));
        var e3 = Assert.Throws<InvalidDataException>(() => Idx.Read(Write("cutdims", new byte[] { 0, 0, 8, 3, 0, 0, 0, 1 })));
        Assert.That(e3!.Message, Does.Contain("inside the list of 3 dimension sizes"));
    }

    [Test]
    public void TrailingDataIsReportedAsCorruption()
    {
        string path = Write("long", IdxBytes(0x08, new[] { 2 }, new byte[3]));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.Contain("more data than its header"));
    }

    [Test]
    public void CorruptGzipDataNamesTheFile()
    {
        byte[] gz = Gzip(IdxBytes(0x08, new[] { 1000 }, new byte[1000]));
        for (int i = 12; i < gz.Length - 8; ++i) gz[i] ^= 0x5a;
        string path = Write("corrupt.gz", gz);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.That(e!.Message, Does.StartWith(path));
    }

    [Test]
    public void FashionMnistLoadsAsScaledImagesAndInt64Labels()
    {
        if (!FashionMnist.IsAvailable()) Assert.Ignore($"Fashion-MNIST is not installed in {FashionMnist.DefaultDirectory} (apt install dataset-fashion-mnist)");
        using var test = FashionMnist.Load(train: false);
        Assert.That(test.Count, Is.EqualTo(10_000));
        var (x, y) = (test.Tensors[0], test.Tensors[1]);
        Assert.That(x.Shape, Is.EqualTo(new long[] { 10_000, 1, 28, 28 }));
        Assert.That(x.DType, Is.EqualTo(DType.Float32));
        Assert.That(y.DType, Is.EqualTo(DType.Int64));
        long[] labels = y.ToArray<long>();
        Assert.That(labels.Min(), Is.EqualTo(0));
        Assert.That(labels.Max(), Is.EqualTo(9));
        Assert.That(labels.Count(l => l == 3), Is.EqualTo(1000), "the test set holds 1,000 images per class");
        float[] px = x.ToArray<float>();
        Assert.That(px.Min(), Is.EqualTo(0f));
        Assert.That(px.Max(), Is.EqualTo(1f));
        x.Dispose();
        y.Dispose();
    }

    [Test]
    public void AMissingDirectorySaysWhatToInstall()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(_dir));
        Assert.That(e!.Message, Does.Contain("dataset-fashion-mnist"));
        Assert.That(FashionMnist.IsAvailable(_dir), Is.False);
    }
}
