using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Wick.Data;

/// <summary>
/// Iterates over a dataset in batches (PyTorch's DataLoader): a batch size, an optional shuffle that is
/// the same for the same seed, dropping of the last incomplete batch, a custom collate function, and
/// prefetching on background threads into a bounded queue (batches still arrive in order).
/// <para>
/// Batch lifetime: the loader owns the batches it creates. When the consumer moves to the next batch
/// (or leaves the loop), the previous batch is disposed, so a training loop needs no disposal code for
/// its inputs; <c>Clone()</c> a tensor to keep it longer, or pass <c>disposeBatches: false</c> to own the
/// batches yourself. Batches belong to no <see cref="DisposeScope"/>.
/// </para>
/// Each enumeration is one epoch; with shuffling, each epoch draws a new order from the loader's
/// generator, so the sequence of epochs is the same for the same seed.
/// </summary>
/// <typeparam name="T">The dataset's sample type.</typeparam>
/// <typeparam name="TBatch">The batch type the collate function makes.</typeparam>
public class DataLoader<T, TBatch> : IEnumerable<TBatch>
{
    private readonly Func<IReadOnlyList<T>, TBatch>? _collate;
    private readonly SplitMix64 _rng;
    private readonly object _rngLock = new();

    /// <summary>A loader over <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The samples (at least one).</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="shuffle">Visit the samples in a new random order each epoch.</param>
    /// <param name="seed">Seed of the shuffle; null draws one at random.</param>
    /// <param name="dropLast">Skip the last batch when it has fewer than batchSize samples.</param>
    /// <param name="collate">Makes a batch from samples; required unless the samples are Tensor[] (stacked per position) or the dataset builds batches itself.</param>
    /// <param name="numWorkers">Background threads that build batches ahead of the consumer (0: build them on the consumer's thread).</param>
    /// <param name="prefetchFactor">Batches each worker may build ahead.</param>
    /// <param name="disposeBatches">Dispose each batch when the consumer moves on (see the class remarks).</param>
    public DataLoader(Dataset<T> dataset, int batchSize = 1, bool shuffle = false, ulong? seed = null, bool dropLast = false,
                      Func<IReadOnlyList<T>, TBatch>? collate = null, int numWorkers = 0, int prefetchFactor = 2, bool disposeBatches = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        string name = GetType().Name.Split('`')[0];
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"{name}: batchSize must be positive");
        if (numWorkers < 0) throw new ArgumentOutOfRangeException(nameof(numWorkers), numWorkers, $"{name}: numWorkers must be >= 0");
        if (prefetchFactor <= 0) throw new ArgumentOutOfRangeException(nameof(prefetchFactor), prefetchFactor, $"{name}: prefetchFactor must be positive");
        if (dataset.Count == 0)
            throw new ArgumentException($"{name}: the dataset ({dataset.GetType().Name}) is empty, so there is nothing to load; check the data path or the split", nameof(dataset));
        if (collate is null && !(typeof(T) == typeof(Tensor[]) && typeof(TBatch) == typeof(Tensor[])) && dataset is not IBatchedDataset<TBatch>)
            throw new ArgumentException($"{name}: samples of type {typeof(T).Name} need a collate function to make a {typeof(TBatch).Name}", nameof(collate));
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        NumWorkers = numWorkers;
        PrefetchFactor = prefetchFactor;
        DisposeBatches = disposeBatches;
        _collate = collate;
        _rng = new SplitMix64(seed ?? (ulong)Random.Shared.NextInt64());
    }

    /// <summary>The dataset.</summary>
    public Dataset<T> Dataset { get; }
    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }
    /// <summary>Whether each epoch visits the samples in a new random order.</summary>
    public bool Shuffle { get; }
    /// <summary>Whether the last incomplete batch is skipped.</summary>
    public bool DropLast { get; }
    /// <summary>Background threads building batches.</summary>
    public int NumWorkers { get; }
    /// <summary>Batches each worker may build ahead.</summary>
    public int PrefetchFactor { get; }
    /// <summary>Whether batches are disposed when the consumer moves on.</summary>
    public bool DisposeBatches { get; }

    /// <summary>Batches per epoch.</summary>
    public long Count => DropLast ? Dataset.Count / BatchSize : (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Starts an epoch.</summary>
    public IEnumerator<TBatch> GetEnumerator()
    {
        long[] order;
        if (Shuffle)
        {
            lock (_rngLock) order = Wick.Data.Shuffle.Permutation(Dataset.Count, _rng);
        }
        else
        {
            order = new long[Dataset.Count];
            for (long i = 0; i < order.Length; ++i) order[i] = i;
        }
        return NumWorkers == 0 ? new SerialEpoch(this, order) : new ParallelEpoch(this, order);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private TBatch MakeBatch(long[] order, long batch)
    {
        int start = checked((int)(batch * BatchSize));
        int length = (int)Math.Min(BatchSize, order.Length - start);
        ReadOnlySpan<long> indices = new(order, start, length);
        if (_collate is null)
        {
            if (Dataset is IBatchedDataset<TBatch> batched) return batched.GetBatch(indices);
            if (Dataset is Subset<T> subset && subset.TryGetBatch(indices, out TBatch b)) return b;
        }
        var items = new List<T>(length);
        try
        {
            foreach (long i in indices) items.Add(Dataset.GetItem(i));
            if (_collate is not null) return _collate(items);
            return (TBatch)(object)StackSamples((IReadOnlyList<Tensor[]>)(object)items);
        }
        finally
        {
            foreach (T item in items) DisposeValue(item);
        }
    }

    private static Tensor[] StackSamples(IReadOnlyList<Tensor[]> items)
    {
        int width = items[0].Length;
        for (int i = 1; i < items.Count; ++i)
            if (items[i].Length != width)
                throw new ArgumentException($"DataLoader: sample {i} has {items[i].Length} tensors but sample 0 has {width}; every sample needs the same number");
        var result = new Tensor[width];
        var column = new Tensor[items.Count];
        try
        {
            for (int k = 0; k < width; ++k)
            {
                for (int i = 0; i < column.Length; ++i) column[i] = items[i][k];
                result[k] = Rows.Stack(column, "DataLoader");
            }
        }
        catch
        {
            foreach (var t in result) t?.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>Disposes what a batch or sample holds: a Tensor, the tensors of a Tensor[], or any IDisposable.</summary>
    private static void DisposeValue(object? value)
    {
        switch (value)
        {
            case Tensor t: t.Dispose(); break;
            case Tensor[] ts: foreach (var t in ts) t?.Dispose(); break;
            case IDisposable d: d.Dispose(); break;
        }
    }

    private void Release(TBatch batch)
    {
        if (DisposeBatches) DisposeValue(batch);
    }

    /// <summary>An epoch built on the consumer's thread.</summary>
    private sealed class SerialEpoch : IEnumerator<TBatch>
    {
        private readonly DataLoader<T, TBatch> _loader;
        private readonly long[] _order;
        private long _next;
        private TBatch? _current;
        private bool _hasCurrent;

        public SerialEpoch(DataLoader<T, TBatch> loader, long[] order)
        {
            _loader = loader;
            _order = order;
        }

        public TBatch Current => _hasCurrent ? _current! : throw new InvalidOperationException("DataLoader: no current batch (call MoveNext first)");
        object? IEnumerator.Current => Current;

        public bool MoveNext()
        {
            DropCurrent();
            if (_next >= _loader.Count) return false;
            _current = _loader.MakeBatch(_order, _next++);
            _hasCurrent = true;
            return true;
        }

        private void DropCurrent()
        {
            if (!_hasCurrent) return;
            _hasCurrent = false;
            _loader.Release(_current!);
            _current = default;
        }

        public void Reset() => throw new NotSupportedException("DataLoader: start a new epoch with a new foreach instead of Reset");

        public void Dispose()
        {
            DropCurrent();
            _next = long.MaxValue;
        }
    }

    /// <summary>
    /// An epoch built by worker threads: worker w builds batches w, w + W, w + 2W, ... into its own bounded
    /// queue, and the consumer takes batch b from queue b % W, so the order never depends on timing.
    /// </summary>
    private sealed class ParallelEpoch : IEnumerator<TBatch>
    {
        private readonly record struct Slot(TBatch? Batch, ExceptionDispatchInfo? Error);

        private readonly DataLoader<T, TBatch> _loader;
        private readonly long[] _order;
        private readonly BlockingCollection<Slot>[] _queues;
        private readonly Thread[] _threads;
        private readonly CancellationTokenSource _cancel = new();
        private long _next;
        private TBatch? _current;
        private bool _hasCurrent, _disposed;

        public ParallelEpoch(DataLoader<T, TBatch> loader, long[] order)
        {
            _loader = loader;
            _order = order;
            int workers = (int)Math.Max(1, Math.Min(loader.NumWorkers, loader.Count));
            _queues = new BlockingCollection<Slot>[workers];
            _threads = new Thread[workers];
            for (int w = 0; w < workers; ++w)
            {
                _queues[w] = new BlockingCollection<Slot>(loader.PrefetchFactor);
                int id = w;
                _threads[w] = new Thread(() => Work(id)) { IsBackground = true, Name = $"Wick DataLoader worker {w}" };
                // UnsafeStart: the consumer's execution context (its DisposeScope, grad mode) must not flow into
                // the workers, or batches built ahead would be freed with the consumer's current scope.
                _threads[w].UnsafeStart();
            }
        }

        private void Work(int w)
        {
            var queue = _queues[w];
            var token = _cancel.Token;
            try
            {
                for (long b = w; b < _loader.Count && !token.IsCancellationRequested; b += _queues.Length)
                {
                    Slot slot;
                    try
                    {
                        slot = new Slot(_loader.MakeBatch(_order, b), null);
                    }
                    catch (Exception e)
                    {
                        queue.Add(new Slot(default, ExceptionDispatchInfo.Capture(e)), token);
                        return;
                    }
                    try
                    {
                        queue.Add(slot, token);
                    }
                    catch (OperationCanceledException)
                    {
                        _loader.Release(slot.Batch!);
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                queue.CompleteAdding();
            }
        }

        public TBatch Current => _hasCurrent ? _current! : throw new InvalidOperationException("DataLoader: no current batch (call MoveNext first)");
        object? IEnumerator.Current => Current;

        public bool MoveNext()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DropCurrent();
            if (_next >= _loader.Count) return false;
            var queue = _queues[_next % _queues.Length];
            if (!queue.TryTake(out Slot slot, Timeout.Infinite))
                throw new InvalidOperationException("DataLoader: a worker stopped before producing its batches");
            _next++;
            if (slot.Error is { } error)
            {
                Dispose();
                error.Throw();
            }
            _current = slot.Batch;
            _hasCurrent = true;
            return true;
        }

        private void DropCurrent()
        {
            if (!_hasCurrent) return;
            _hasCurrent = false;
            _loader.Release(_current!);
            _current = default;
        }

        public void Reset() => throw new NotSupportedException("DataLoader: start a new epoch with a new foreach instead of Reset");

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            DropCurrent();
            _cancel.Cancel();
            // Unblock workers waiting for room, then free what they built ahead.
            foreach (var q in _queues)
                while (q.TryTake(out Slot s)) if (s.Error is null) _loader.Release(s.Batch!);
            foreach (var t in _threads) t.Join();
            foreach (var q in _queues)
            {
                while (q.TryTake(out Slot s)) if (s.Error is null) _loader.Release(s.Batch!);
                q.Dispose();
            }
            _cancel.Dispose();
        }
    }
}

/// <summary>
/// A <see cref="DataLoader{T, TBatch}"/> over samples of tensors (Tensor[] per sample, for example
/// <see cref="TensorDataset"/>): each batch holds, per position, the samples' tensors stacked along a new
/// first dimension.
/// <code>
/// var loader = new DataLoader(train, batchSize: 64, shuffle: true, seed: 1);
/// foreach (var (x, y) in loader) { ... }   // x: [64, 1, 28, 28], y: [64]
/// </code>
/// </summary>
public sealed class DataLoader : DataLoader<Tensor[], Tensor[]>
{
    /// <inheritdoc cref="DataLoader{T, TBatch}(Dataset{T}, int, bool, ulong?, bool, Func{IReadOnlyList{T}, TBatch}?, int, int, bool)"/>
    public DataLoader(Dataset<Tensor[]> dataset, int batchSize = 1, bool shuffle = false, ulong? seed = null, bool dropLast = false,
                      Func<IReadOnlyList<Tensor[]>, Tensor[]>? collate = null, int numWorkers = 0, int prefetchFactor = 2, bool disposeBatches = true)
        : base(dataset, batchSize, shuffle, seed, dropLast, collate, numWorkers, prefetchFactor, disposeBatches)
    {
    }
}

/// <summary>Deconstruction of batches, so that <c>foreach (var (x, y) in loader)</c> works.</summary>
public static class BatchExtensions
{
    /// <summary>The first two tensors of a batch.</summary>
    public static void Deconstruct(this Tensor[] batch, out Tensor first, out Tensor second)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Length != 2) throw new ArgumentException($"a batch of {batch.Length} tensors cannot be deconstructed into 2", nameof(batch));
        first = batch[0];
        second = batch[1];
    }

    /// <summary>The first three tensors of a batch.</summary>
    public static void Deconstruct(this Tensor[] batch, out Tensor first, out Tensor second, out Tensor third)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Length != 3) throw new ArgumentException($"a batch of {batch.Length} tensors cannot be deconstructed into 3", nameof(batch));
        first = batch[0];
        second = batch[1];
        third = batch[2];
    }
}
