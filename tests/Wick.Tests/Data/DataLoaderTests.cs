using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Wick.Data;

namespace Wick.Tests.Data;

public class DataLoaderTests
{
    /// <summary>x: rows [i, 10 i, 100 i] as float32, y: i as int64, for i = 0..n-1.</summary>
    private static TensorDataset Numbered(int n)
    {
        var xs = new float[n * 3];
        for (int i = 0; i < n; ++i) (xs[3 * i], xs[3 * i + 1], xs[3 * i + 2]) = (i, 10 * i, 100 * i);
        using var x = Tensor.FromSpan<float>(xs, new long[] { n, 3 });
        using var y = Tensor.Arange(n);
        return new TensorDataset(x, y);
    }

    private static List<long[]> Labels(IEnumerable<Tensor[]> loader) => loader.Select(b => b[1].ToArray<long>()).ToList();

    [Test]
    public void BatchesCoverTheDatasetInOrderWithoutShuffle()
    {
        using var ds = Numbered(10);
        var loader = new DataLoader(ds, batchSize: 4);
        Assert.That(loader.Count, Is.EqualTo(3));
        var batches = new List<(long[] Shape, float[] X, long[] Y)>();
        foreach (var (x, y) in loader) batches.Add((x.Shape, x.ToArray<float>(), y.ToArray<long>()));
        Assert.That(batches.Select(b => b.Shape[0]), Is.EqualTo(new[] { 4L, 4, 2 }));
        Assert.That(batches.SelectMany(b => b.Y), Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
        Assert.That(batches[2].X, Is.EqualTo(new float[] { 8, 80, 800, 9, 90, 900 }));
    }

    [Test]
    public void DropLastSkipsTheIncompleteBatch()
    {
        using var ds = Numbered(10);
        var loader = new DataLoader(ds, batchSize: 4, dropLast: true);
        Assert.That(loader.Count, Is.EqualTo(2));
        Assert.That(Labels(loader).Select(l => l.Length), Is.EqualTo(new[] { 4, 4 }));
    }

    [Test]
    public void ShuffleVisitsEverySampleOnceInAnOrderFixedBySeed()
    {
        using var ds = Numbered(50);
        var a = new DataLoader(ds, batchSize: 8, shuffle: true, seed: 42);
        var b = new DataLoader(ds, batchSize: 8, shuffle: true, seed: 42);
        var c = new DataLoader(ds, batchSize: 8, shuffle: true, seed: 43);
        long[] epochA1 = Labels(a).SelectMany(x => x).ToArray();
        long[] epochA2 = Labels(a).SelectMany(x => x).ToArray();
        long[] epochB1 = Labels(b).SelectMany(x => x).ToArray();
        long[] epochB2 = Labels(b).SelectMany(x => x).ToArray();
        long[] epochC1 = Labels(c).SelectMany(x => x).ToArray();
        Assert.That(epochA1.OrderBy(v => v), Is.EqualTo(Enumerable.Range(0, 50).Select(i => (long)i)));
        Assert.That(epochA1, Is.Not.EqualTo(Enumerable.Range(0, 50).Select(i => (long)i)), "shuffled");
        Assert.That(epochB1, Is.EqualTo(epochA1), "same seed, same first epoch");
        Assert.That(epochB2, Is.EqualTo(epochA2), "same seed, same second epoch");
        Assert.That(epochA2, Is.Not.EqualTo(epochA1), "each epoch draws a new order");
        Assert.That(epochC1, Is.Not.EqualTo(epochA1), "another seed, another order");
    }

    [Test]
    public void WorkersDeliverTheSameBatchesInTheSameOrderAsTheConsumerThread([Values(1, 2, 3)] int workers)
    {
        using var ds = Numbered(97);
        var serial = new DataLoader(ds, batchSize: 5, shuffle: true, seed: 7);
        var parallel = new DataLoader(ds, batchSize: 5, shuffle: true, seed: 7, numWorkers: workers, prefetchFactor: 2);
        var s = serial.Select(b => b[0].ToArray<float>()).ToList();
        var p = parallel.Select(b => b[0].ToArray<float>()).ToList();
        Assert.That(p, Is.EqualTo(s));
    }

    [Test]
    public void BatchesAreDisposedWhenTheConsumerMovesOnUnlessAskedNotTo([Values(0, 2)] int workers)
    {
        using var ds = Numbered(12);
        var kept = new List<Tensor[]>();
        foreach (var batch in new DataLoader(ds, batchSize: 4, numWorkers: workers)) kept.Add(batch);
        Assert.That(kept.SelectMany(b => b).All(t => t.IsDisposed), "the loader frees the batches it made");

        var owned = new List<Tensor[]>();
        foreach (var batch in new DataLoader(ds, batchSize: 4, numWorkers: workers, disposeBatches: false)) owned.Add(batch);
        Assert.That(owned.SelectMany(b => b).Any(t => t.IsDisposed), Is.False);
        foreach (var t in owned.SelectMany(b => b)) t.Dispose();
    }

    [Test]
    public void LeavingAnEpochEarlyFreesEverythingBuiltAhead([Values(0, 2)] int workers)
    {
        using var ds = Numbered(100);
        long before = Memory.Stats().LiveTensors;
        foreach (var batch in new DataLoader(ds, batchSize: 2, numWorkers: workers, prefetchFactor: 4))
        {
            if (batch[1].ToArray<long>()[0] >= 10) break;
        }
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(before));
    }

    [Test]
    public void ATrainingLoopInADisposeScopeKeepsLiveTensorsFlat()
    {
        using var ds = Numbered(64);
        var loader = new DataLoader(ds, batchSize: 8, shuffle: true, seed: 1, numWorkers: 2);
        long before = Memory.Stats().LiveTensors;
        for (int epoch = 0; epoch < 3; ++epoch)
        {
            foreach (var (x, y) in loader)
            {
                using var scope = DisposeScope.Begin();
                using var s = x.Sum();
            }
            Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(before), $"after epoch {epoch}");
        }
    }

    [Test]
    public void ACustomCollateMakesTheBatch()
    {
        using var ds = Numbered(6);
        var loader = new DataLoader<Tensor[], long>(ds, batchSize: 3, collate: items => items.Sum(it => it[1].Item<long>()));
        Assert.That(loader.ToList(), Is.EqualTo(new long[] { 0 + 1 + 2, 3 + 4 + 5 }));
    }

    [Test]
    public void SamplesFromGetItemAreStackedAndFreed()
    {
        var ds = new SquaresDataset(7);
        long before = Memory.Stats().LiveTensors;
        var sums = new List<float>();
        foreach (var (x, y) in new DataLoader(ds, batchSize: 3))
        {
            Assert.That(x.Shape[1..], Is.EqualTo(new long[] { 2, 2 }));
            sums.AddRange(y.ToArray<float>());
        }
        Assert.That(sums, Is.EqualTo(Enumerable.Range(0, 7).Select(i => (float)(i * i))));
        Assert.That(Memory.Stats().LiveTensors, Is.EqualTo(before));
    }

    private sealed class SquaresDataset : Dataset<Tensor[]>
    {
        private readonly int _n;
        public SquaresDataset(int n) => _n = n;
        public override long Count => _n;
        public override Tensor[] GetItem(long index)
        {
            CheckIndex(index);
            return new[] { Tensor.Full(new long[] { 2, 2 }, index), Tensor.Scalar(index * (double)index) };
        }
    }

    [Test]
    public void SamplesOfDifferentShapesNeedACustomCollate()
    {
        var ds = new RaggedDataset();
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(ds, batchSize: 2).First());
        Assert.That(e!.Message, Does.Contain("sample 1").And.Contain("[3]").And.Contain("[2]").And.Contain("custom collate"));
    }

    private sealed class RaggedDataset : Dataset<Tensor[]>
    {
        public override long Count => 2;
        public override Tensor[] GetItem(long index) => new[] { Tensor.Zeros(2 + index) };
    }

    [Test]
    public void AnEmptyDatasetIsRejectedWhenTheLoaderIsMade()
    {
        using var x = Tensor.Zeros(0, 3);
        using var ds = new TensorDataset(x);
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(ds, batchSize: 4));
        Assert.That(e!.Message, Does.Contain("empty").And.Contain("TensorDataset"));
    }

    [Test]
    public void ExceptionsInWorkersReachTheConsumer()
    {
        var ds = new FailingDataset();
        var e = Assert.Throws<InvalidOperationException>(() => new DataLoader(ds, batchSize: 1, numWorkers: 2).ToList());
        Assert.That(e!.Message, Is.EqualTo("sample 3 is broken"));
    }

    private sealed class FailingDataset : Dataset<Tensor[]>
    {
        public override long Count => 6;
        public override Tensor[] GetItem(long index) =>
            index == 3 ? throw new InvalidOperationException("sample 3 is broken") : new[] { Tensor.Zeros(1) };
    }

    [Test]
    public void TensorDatasetChecksItsTensorsAndIndices()
    {
        using var a = Tensor.Zeros(4, 2);
        using var b = Tensor.Zeros(5);
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(a, b));
        Assert.That(e!.Message, Does.Contain("tensor 0 has 4 rows").And.Contain("tensor 1 has 5"));
        using var ds = new TensorDataset(a);
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.GetItem(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ds.GetBatch(new long[] { 0, -1 }));
    }

    [Test]
    public void GatheringRowsOfANonContiguousTensorMatchesTheContiguousCopy()
    {
        using var baseT = Tensor.Arange(0, 24, 1, DType.Float32).Reshape(4, 6);
        using var t = baseT.T;  // [6, 4], strided
        using var ds = new TensorDataset(t);
        var batch = ds.GetBatch(new long[] { 5, 0, 3 });
        float[] expected = { 5, 11, 17, 23, 0, 6, 12, 18, 3, 9, 15, 21 };
        Assert.That(batch[0].ToArray<float>(), Is.EqualTo(expected));
        batch[0].Dispose();
    }

    [Test]
    public void RandomSplitPartitionsTheDatasetReproducibly()
    {
        using var ds = Numbered(20);
        var parts = Datasets.RandomSplit(ds, new long[] { 15, 5 }, seed: 3);
        var again = Datasets.RandomSplit(ds, new long[] { 15, 5 }, seed: 3);
        Assert.That(parts[0].Indices.Concat(parts[1].Indices).OrderBy(i => i), Is.EqualTo(Enumerable.Range(0, 20).Select(i => (long)i)));
        Assert.That(again[1].Indices, Is.EqualTo(parts[1].Indices));
        var labels = Labels(new DataLoader(parts[1], batchSize: 5)).Single();
        Assert.That(labels, Is.EqualTo(parts[1].Indices));
        Assert.Throws<ArgumentException>(() => Datasets.RandomSplit(ds, new long[] { 15, 6 }, seed: 3));
    }

    [Test]
    public void TheEmbeddedDigitsMatchTheirCsvSource()
    {
        using var all = Digits.Load();
        Assert.That(all.Count, Is.EqualTo(1797));
        var tensors = all.Tensors;
        float[] x = tensors[0].ToArray<float>();
        long[] y = tensors[1].ToArray<long>();
        Assert.That(tensors[0].Shape, Is.EqualTo(new long[] { 1797, 1, 8, 8 }));
        // Independent reading of the committed file.
        string csv = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "managed", "Wick", "Data", "Embedded", "digits.csv.gz");
        using var gz = new GZipStream(File.OpenRead(Path.GetFullPath(csv)), CompressionMode.Decompress);
        string[] lines = new StreamReader(gz).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Length, Is.EqualTo(1797));
        foreach (int i in new[] { 0, 1, 500, 1796 })
        {
            double[] f = lines[i].Split(',').Select(double.Parse).ToArray();
            Assert.That(y[i], Is.EqualTo((long)f[64]), $"label {i}");
            for (int k = 0; k < 64; ++k) Assert.That(x[i * 64 + k], Is.EqualTo(f[k] / 16).Within(1e-7), $"pixel {k} of {i}");
        }
        Assert.That(Enumerable.Range(0, 10).Select(c => y.Count(l => l == c)), Has.All.InRange(170, 190));
        foreach (var t in tensors) t.Dispose();
    }

    [Test]
    public void TheDigitsSplitIsDisjointAndReproducible()
    {
        var (train, test) = Digits.LoadSplit(testCount: 300, seed: 5);
        var (train2, test2) = Digits.LoadSplit(testCount: 300, seed: 5);
        using (train) using (test) using (train2) using (test2)
        {
            Assert.That(train.Count, Is.EqualTo(1497));
            Assert.That(test.Count, Is.EqualTo(300));
            var t1 = test.Tensors[0];
            var t2 = test2.Tensors[0];
            Assert.That(t2.ToArray<float>(), Is.EqualTo(t1.ToArray<float>()));
            t1.Dispose();
            t2.Dispose();
        }
    }
}
