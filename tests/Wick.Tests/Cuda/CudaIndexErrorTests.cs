using System;
using System.Collections.Generic;
using System.Linq;
using Wick.NN;
using Wick.Optim;
using static Wick.Tests.Cuda.CudaTestSupport;

namespace Wick.Tests.Cuda;

/// <summary>
/// Index checks on CUDA without host synchronisation: every op that reads or writes through an index (index_select,
/// gather, scatter, index_add/copy/fill, x[idx] and x[idx] = v, NLL / cross-entropy targets, embedding ids, forward
/// and backward, max_pool2d_backward's indices) skips a bad entry instead of touching memory outside its tensors, and the error (the CPU's message)
/// is raised at the next call where the host waits for the device; <see cref="Wick.Cuda.SynchronousChecks"/> raises it
/// at the op. A training step waits for the device nowhere until the loss is read.
/// </summary>
[Category("Cuda")]
[NonParallelizable]
public class CudaIndexErrorTests
{
    [TearDown]
    public void No_error_is_left_pending()
    {
        if (!Wick.Cuda.IsAvailable) return;
        Wick.Cuda.SynchronousChecks = false;
        Assert.DoesNotThrow(() => Wick.Cuda.Synchronize(), "the test left a deferred index error behind");
    }

    /// <summary>One op with a bad index: made on a device, run, and the message both devices give.</summary>
    /// <param name="Name">For the test name.</param>
    /// <param name="Message">What the error says (the CPU's message).</param>
    /// <param name="Make">Builds the inputs on the device and returns the op to run (its result or the modified tensor).</param>
    public sealed record BadIndexCase(string Name, string Message, Func<Device, Func<Tensor>> Make)
    {
        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    private static Tensor X(Device d) => Values(40, new long[] { 4, 5 }, DType.Float32).To(d);
    private static Tensor Longs(Device d, params long[] v) => Tensor.FromArray(v).To(d);
    private static Tensor Longs(Device d, long[,] v) => Tensor.FromArray(v).To(d);

    public static IEnumerable<BadIndexCase> Cases()
    {
        yield return new("index_select", "index_select: index 7 is out of bounds for dimension 0 with size 4",
            d => { Tensor x = X(d), i = Longs(d, 1, 7); return () => x.IndexSelect(0, i); });
        yield return new("index_select int32", "index_select: index -1 is out of bounds for dimension 1 with size 5",
            d => { Tensor x = X(d), i = Tensor.FromArray(new[] { 0, -1 }).To(d); return () => x.IndexSelect(1, i); });
        yield return new("index_select no output", "index_select: index 9 is out of bounds for dimension 1 with size 5",
            d => { Tensor x = Tensor.Zeros(new long[] { 0, 5 }, DType.Float32, d), i = Longs(d, 9); return () => x.IndexSelect(1, i); });
        yield return new("gather", "gather: index 5 is out of bounds for dimension 1 with size 5",
            d => { Tensor x = X(d), i = Longs(d, new long[,] { { 0, 1 }, { 4, 5 } }); return () => x.Gather(1, i); });
        yield return new("scatter", "scatter: index 4 is out of bounds for dimension 0 with size 4",
            d => { Tensor x = X(d), i = Longs(d, new long[,] { { 0, 4, 1 } }), s = X(d); return () => x.ScatterInPlace(0, i, s); });
        yield return new("scatter value", "scatter: index -1 is out of bounds for dimension 1 with size 5",
            d => { Tensor x = X(d), i = Longs(d, new long[,] { { 2 }, { -1 } }); return () => x.ScatterInPlace(1, i, 2.0); });
        yield return new("scatter_add", "scatter_add: index 6 is out of bounds for dimension 1 with size 5",
            d => { Tensor x = X(d), i = Longs(d, new long[,] { { 1, 0 }, { 2, 6 } }), s = X(d); return () => x.ScatterAddInPlace(1, i, s); });
        yield return new("index_add", "index_add: index 9 is out of bounds for dimension 0 with size 4",
            d => { Tensor x = X(d), i = Longs(d, 0, 9), s = Values(41, new long[] { 2, 5 }, DType.Float32).To(d); return () => x.IndexAddInPlace(0, i, s); });
        yield return new("index_copy", "index_copy: index -2 is out of bounds for dimension 1 with size 5",
            d => { Tensor x = X(d), i = Longs(d, -2), s = Values(42, new long[] { 4, 1 }, DType.Float32).To(d); return () => x.IndexCopyInPlace(1, i, s); });
        yield return new("index_fill", "index_fill: index 5 is out of bounds for dimension 1 with size 5",
            d => { Tensor x = X(d), i = Longs(d, 5, 0); return () => x.IndexFillInPlace(1, i, 0.5); });
        yield return new("x[idx]", "index: index -5 is out of bounds for dimension 0 with size 4",
            d => { Tensor x = X(d), i = Longs(d, 1, -5); return () => x[i]; });
        yield return new("x[idx] = v", "index_put_: index 4 is out of bounds for dimension 0 with size 4",
            d => { Tensor x = X(d), i = Longs(d, 4), v = Tensor.Scalar(1f).To(d); return () => x.IndexPutInPlace(new TensorIndex[] { i }, v); });
        yield return new("x[idx] += v", "index_put_: index -7 is out of bounds for dimension 1 with size 5",
            d => { Tensor x = X(d), i = Longs(d, -7), v = Tensor.Scalar(1f).To(d); return () => x.IndexPutInPlace(new TensorIndex[] { .., i }, v, accumulate: true); });
        const string target = "nll_loss: target 7 is out of bounds for 5 classes (expected 0 to 4, or ignore_index -100)";
        yield return new("nll_loss", target,
            d => { Tensor x = X(d).LogSoftmax(1), t = Longs(d, 1, 7, 0, 2); return () => Functional.NllLoss(x, t); });
        yield return new("nll_loss backward", target,
            d =>
            {
                Tensor x = X(d).LogSoftmax(1), t = Longs(d, 1, 7, 0, 2), g = Tensor.Scalar(1f).To(d), w = Tensor.Scalar(3f).To(d);
                return () => Functional.NllLossBackward(g, x, t, w);
            });
        yield return new("cross_entropy forward and backward", target,
            d =>
            {
                Tensor x = X(d).Detach().SetRequiresGrad(), t = Longs(d, 1, 7, 0, 2);
                return () =>
                {
                    Tensor loss = Functional.CrossEntropy(x, t);
                    loss.Backward();
                    return x.Grad!;
                };
            });
        yield return new("embedding", "embedding: index 6 is out of range for an embedding of 6 rows (expected 0 to 5)",
            d => { Tensor w = Values(43, new long[] { 6, 3 }, DType.Float32).To(d), i = Longs(d, new long[,] { { 1, 6 }, { 0, 2 } }); return () => Functional.Embedding(i, w); });
        yield return new("embedding of width 0", "embedding: index -1 is out of range for an embedding of 6 rows (expected 0 to 5)",
            d => { Tensor w = Tensor.Zeros(new long[] { 6, 0 }, DType.Float32, d), i = Longs(d, -1); return () => Functional.Embedding(i, w); });
        yield return new("embedding_backward", "embedding_backward: index -1 is out of range for an embedding of 6 rows (expected 0 to 5)",
            d => { Tensor g = Values(44, new long[] { 3, 2 }, DType.Float32).To(d), i = Longs(d, 2, -1, 0); return () => Functional.EmbeddingBackward(g, i, 6); });
        yield return new("max_pool2d_backward",
            "max_pool2d_backward: index 40 is outside the 4x4 input plane; pass the indices that MaxPool2d returned for this input",
            d =>
            {
                Tensor g = Values(45, new long[] { 1, 2, 2, 2 }, DType.Float32).To(d);
                Tensor i = Tensor.FromArray(new long[] { 0, 5, 40, 15, 1, 2, 3, -1 }).Reshape(1, 2, 2, 2).To(d);
                return () => Functional.MaxPool2dBackward(g, i, new long[] { 1, 2, 4, 4 });
            });
    }

    [TestCaseSource(nameof(Cases))]
    public void A_bad_index_is_raised_at_the_next_synchronisation_with_the_cpu_message(BadIndexCase c)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Func<Tensor> onCpu = c.Make(Device.Cpu);
        var cpu = Assert.Throws<ArgumentOutOfRangeException>(() => onCpu())!;
        Assert.That(cpu.Message, Does.Contain(c.Message), "the CPU's message");

        Func<Tensor> onGpu = c.Make(Gpu);
        Tensor? result = null;
        Assert.DoesNotThrow(() => result = onGpu(), "the op queues its work and returns");
        // Reading the result waits for the device; an empty result has nothing to read, so wait explicitly.
        TestDelegate wait = result!.NumberOfElements > 0 ? () => result.Cpu() : () => Wick.Cuda.Synchronize();
        var e = Assert.Throws<ArgumentOutOfRangeException>(wait)!;
        Assert.That(e.Message, Does.Contain(c.Message).And.Contain(DeferredNote));

        // The record is cleared once reported: the same tensor reads back, and the device computes correctly.
        Assert.DoesNotThrow(() => result!.Cpu());
        AssertGoodOpsStillWork();
    }

    [TestCaseSource(nameof(Cases))]
    public void In_synchronous_mode_the_op_itself_raises_and_leaves_its_inputs_untouched(BadIndexCase c)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Func<Tensor> onGpu = c.Make(Gpu);
        Wick.Cuda.SynchronousChecks = true;
        try
        {
            Assert.That(Wick.Cuda.SynchronousChecks, Is.True);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => onGpu())!;
            Assert.That(e.Message, Does.Contain(c.Message).And.Not.Contain(DeferredNote));
        }
        finally
        {
            Wick.Cuda.SynchronousChecks = false;
        }
        Assert.That(Wick.Cuda.SynchronousChecks, Is.False);
        AssertGoodOpsStillWork();
    }

    [Test]
    public void In_synchronous_mode_an_in_place_op_with_a_bad_index_writes_nothing()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = X(Gpu), before = x.Cpu();
        Tensor index = Longs(Gpu, new long[,] { { 0, 1, 2, 3, 9 } }), src = Tensor.Ones(x.Shape, DType.Float32, Gpu);
        Wick.Cuda.SynchronousChecks = true;
        try
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => x.ScatterAddInPlace(0, index, src));
            Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexPutInPlace(new TensorIndex[] { Longs(Gpu, 0, 4) }, src.Narrow(0, 0, 2)));
        }
        finally
        {
            Wick.Cuda.SynchronousChecks = false;
        }
        Assert.That(AsDoubles(x), Is.EqualTo(AsDoubles(before)));
    }

    /// <summary>How a test waits for the device; each must raise a pending error.</summary>
    public static IEnumerable<string> SyncPoints() => new[] { "Cpu", "Item", "ToArray", "Cuda.Synchronize", "stream Synchronize", "event Synchronize", "masked_select" };

    [TestCaseSource(nameof(SyncPoints))]
    public void Every_synchronising_call_raises_a_pending_error(string how)
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = X(Gpu);
        Tensor y = x.IndexSelect(0, Longs(Gpu, 3, 8));
        Action wait = how switch
        {
            "Cpu" => () => y.Cpu(),
            "Item" => () => y.Sum().Item<float>(),
            "ToArray" => () => y.ToArray<float>(),
            "Cuda.Synchronize" => () => Wick.Cuda.Synchronize(),
            "stream Synchronize" => () =>
            {
                using CudaStream stream = Wick.Cuda.CurrentStream();
                stream.Synchronize();
            },
            "event Synchronize" => () =>
            {
                using CudaStream stream = Wick.Cuda.CurrentStream();
                using CudaEvent done = stream.RecordEvent();
                done.Synchronize();
            },
            "masked_select" => () => x.MaskedSelect(x.Gt(0.0)),
            _ => throw new ArgumentException(how),
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => wait())!;
        Assert.That(e.Message, Does.Contain("index_select: index 8 is out of bounds for dimension 0 with size 4").And.Contain(DeferredNote));
        Assert.DoesNotThrow(() => wait(), "reported once");
    }

    [Test]
    public void The_first_bad_entry_in_row_major_order_of_the_first_failing_op_is_reported()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = X(Gpu);
        x.Gather(1, Longs(Gpu, new long[,] { { 0, 1 }, { 9, 2 }, { 7, 0 }, { 1, 1 } }));
        x.Gather(1, Longs(Gpu, new long[,] { { 0, 1 }, { 0, 7 }, { 9, 0 }, { 1, 1 } }));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Wick.Cuda.Synchronize())!;
        Assert.That(e.Message, Does.Contain("gather: index 9 is out of bounds"), "the first op, its first bad entry");
        Assert.DoesNotThrow(() => Wick.Cuda.Synchronize(), "only the first error is kept");
        x.Gather(1, Longs(Gpu, new long[,] { { 0, 1 }, { 0, 7 }, { 9, 0 }, { 1, 1 } }));
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Wick.Cuda.Synchronize())!;
        Assert.That(e.Message, Does.Contain("gather: index 7 is out of bounds"), "the smallest position, not the first value seen");
        // Scatter's threads walk fibers (columns here), not rows: position 2 (row 0) comes before position 6 (row 1).
        x.ScatterInPlace(0, Longs(Gpu, new long[,] { { 0, 1, 8, 2, 3 }, { 1, 6, 2, 3, 0 } }), X(Gpu));
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Wick.Cuda.Synchronize())!;
        Assert.That(e.Message, Does.Contain("scatter: index 8 is out of bounds"));
    }

    // ---- No access outside the tensors: the ops run on views of a larger buffer whose other elements are a sentinel
    // (reads) or must stay as they were (writes); an unchecked index would reach them.

    private const float Sentinel = 99f;

    /// <summary>A (rows, cols) GPU buffer of <see cref="Sentinel"/> whose first <paramref name="used"/> rows hold 1, 2, 3, ...</summary>
    private static Tensor Buffer(long rows, long cols, long used)
    {
        var data = new float[rows * cols];
        for (long i = 0; i < data.Length; i++) data[i] = i < used * cols ? i + 1 : Sentinel;
        return Tensor.FromArray(data, rows, cols).To(Gpu);
    }

    private static void AssertRaisedAndEqual(Tensor actual, double[] expected, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Wick.Cuda.Synchronize())!;
        Assert.That(e.Message, Does.Contain(message));
        Assert.That(AsDoubles(actual), Is.EqualTo(expected));
    }

    [Test]
    public void Reads_through_a_bad_index_give_zero_and_never_the_neighbouring_memory()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor buffer = Buffer(4, 3, 3);
        Tensor x = buffer.Narrow(0, 0, 3);  // rows 0-2; row 3 (the sentinel) is what index 3 would read
        AssertRaisedAndEqual(x.IndexSelect(0, Longs(Gpu, 2, 3)), new double[] { 7, 8, 9, 0, 0, 0 },
            "index_select: index 3 is out of bounds for dimension 0 with size 3");
        Tensor cols = buffer.Narrow(1, 0, 2);  // columns 0-1; column 2 is what index 2 would read
        AssertRaisedAndEqual(cols.Gather(1, Longs(Gpu, new long[,] { { 1 }, { 2 }, { 0 } })), new double[] { 2, 0, 7 },
            "gather: index 2 is out of bounds for dimension 1 with size 2");
        AssertRaisedAndEqual(Functional.Embedding(Longs(Gpu, 0, 3), x), new double[] { 1, 2, 3, 0, 0, 0 },
            "embedding: index 3 is out of range for an embedding of 3 rows");
        Tensor logp = buffer.Narrow(0, 0, 2).Neg();  // (2, 3): target 3 of row 0 would read row 1's first element
        Tensor loss = Functional.NllLoss(logp, Longs(Gpu, 3, 1), reduction: Reduction.None);
        AssertRaisedAndEqual(loss, new double[] { 0, 5 }, "nll_loss: target 3 is out of bounds for 3 classes");
    }

    [Test]
    public void Writes_through_a_bad_index_are_dropped_and_never_reach_the_neighbouring_memory()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        // self is rows 1-2 of a (4, 3) buffer of zeros: index 2 would write row 3, index -3 (wrapped: -1) row 0.
        Tensor buffer = Tensor.Zeros(new long[] { 4, 3 }, DType.Float32, Gpu);
        Tensor self = buffer.Narrow(0, 1, 2);
        self.ScatterInPlace(0, Longs(Gpu, new long[,] { { 0, 2, 1 } }), Tensor.Full(new long[] { 1, 3 }, 5, DType.Float32, Gpu));
        AssertRaisedAndEqual(buffer, new double[] { 0, 0, 0, 5, 0, 0, 0, 0, 5, 0, 0, 0 }, "scatter: index 2 is out of bounds for dimension 0 with size 2");
        self.IndexAddInPlace(0, Longs(Gpu, 2, 1), Tensor.Ones(new long[] { 2, 3 }, DType.Float32, Gpu));
        AssertRaisedAndEqual(buffer, new double[] { 0, 0, 0, 5, 0, 0, 1, 1, 6, 0, 0, 0 }, "index_add: index 2 is out of bounds for dimension 0 with size 2");
        self.IndexPutInPlace(new TensorIndex[] { Longs(Gpu, -3, 0) }, Tensor.Scalar(7f).To(Gpu));
        AssertRaisedAndEqual(buffer, new double[] { 0, 0, 0, 7, 7, 7, 1, 1, 6, 0, 0, 0 }, "index_put_: index -3 is out of bounds for dimension 0 with size 2");

        // NLL backward writes grad_input[n, t]: target 4 of row 0 (3 classes) would land on row 1's class 1.
        Tensor logp = Tensor.Zeros(new long[] { 2, 3 }, DType.Float32, Gpu);
        Tensor grad = Functional.NllLossBackward(Tensor.Scalar(1f).To(Gpu), logp, Longs(Gpu, 4, 2), Tensor.Scalar(1f).To(Gpu),
                                                 reduction: Reduction.Sum);
        AssertRaisedAndEqual(grad, new double[] { 0, 0, 0, 0, 0, -1 }, "nll_loss: target 4 is out of bounds for 3 classes");

        // Embedding backward adds the rows of the good ids only.
        Tensor g = Tensor.FromArray(new float[] { 1, 2, 10, 20, 100, 200 }, 3, 2).To(Gpu);
        Tensor gw = Functional.EmbeddingBackward(g, Longs(Gpu, 1, 3, 1), 3);
        AssertRaisedAndEqual(gw, new double[] { 0, 0, 101, 202, 0, 0 }, "embedding_backward: index 3 is out of range for an embedding of 3 rows");
    }

    // ---- Host synchronisations

    [Test]
    public void A_cross_entropy_and_embedding_training_step_does_not_wait_for_the_device_until_the_loss_is_read()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        using var embedding = new Embedding(50, 8, device: Gpu);
        using var linear = new Linear(8, 5, device: Gpu);
        var optimizer = new SGD(embedding.Parameters().Concat(linear.Parameters()), lr: 0.1);
        Tensor ids = Tensor.FromArray(new long[] { 3, 17, 42, 0, 9, 9 }).To(Gpu);
        Tensor labels = Tensor.FromArray(new long[] { 1, 4, 0, 2, 2, 3 }).To(Gpu);
        Tensor Step()
        {
            optimizer.ZeroGrad();
            Tensor loss = Functional.CrossEntropy(linear.Forward(embedding.Forward(ids)), labels);
            loss.Backward();
            optimizer.Step();
            return loss;
        }

        float first = Step().Item<float>();  // warm-up: first-use allocations may wait once
        long before = Wick.Cuda.HostSynchronizations;
        Tensor loss = Step();
        Step();
        loss = Step();
        Assert.That(Wick.Cuda.HostSynchronizations, Is.EqualTo(before), "three training steps waited for the device");
        float last = loss.Item<float>();
        Assert.That(Wick.Cuda.HostSynchronizations, Is.GreaterThan(before), "reading the loss waits (the counter counts)");
        Assert.That(last, Is.LessThan(first), "the steps trained");
    }

    [Test]
    public void One_hot_with_a_class_count_does_not_wait_and_reports_a_bad_class_at_the_next_synchronisation()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor good = Longs(Gpu, 1, 4, 0);
        good.OneHot(5);
        Wick.Cuda.Synchronize();  // first-use allocations and the error record are made
        long before = Wick.Cuda.HostSynchronizations;
        Tensor hot = good.OneHot(5);
        Assert.That(Wick.Cuda.HostSynchronizations, Is.EqualTo(before), "one_hot with num_classes waited for the device");
        Assert.That(hot.ToArray<long>(), Is.EqualTo(new long[] { 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0 }));

        Longs(Gpu, 1, 5, 0).OneHot(5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Wick.Cuda.Synchronize())!;
        Assert.That(e.Message, Does.Contain("one_hot: index 5 is out of bounds for dimension 1 with size 5").And.Contain(DeferredNote));
        // Without a class count the classes are read back (a wait), as on the CPU.
        before = Wick.Cuda.HostSynchronizations;
        Assert.That(good.OneHot().Shape, Is.EqualTo(new long[] { 3, 5 }));
        Assert.That(Wick.Cuda.HostSynchronizations, Is.GreaterThan(before));
    }

    [Test]
    public void Synchronous_checks_wait_at_each_checked_op()
    {
        RequireCuda();
        using var scope = DisposeScope.Begin();
        Tensor x = X(Gpu), i = Longs(Gpu, 1, 2);
        x.IndexSelect(0, i);
        Wick.Cuda.Synchronize();  // the device's error record is made (and zeroed, a wait) on first use
        long before = Wick.Cuda.HostSynchronizations;
        x.IndexSelect(0, i);
        Assert.That(Wick.Cuda.HostSynchronizations, Is.EqualTo(before), "deferred checks do not wait");
        Wick.Cuda.SynchronousChecks = true;
        try
        {
            x.IndexSelect(0, i);
        }
        finally
        {
            Wick.Cuda.SynchronousChecks = false;
        }
        Assert.That(Wick.Cuda.HostSynchronizations, Is.GreaterThan(before), "a synchronous check waits");
    }

    /// <summary>A good op after an error gives the CPU's result.</summary>
    private static void AssertGoodOpsStillWork()
    {
        Tensor x = X(Device.Cpu), i = Tensor.FromArray(new long[] { 3, 0, 3 });
        AssertMatchesCpu(x.To(Gpu).IndexSelect(0, i.To(Gpu)), x.IndexSelect(0, i), "index_select after the error");
        Tensor t = Tensor.FromArray(new long[] { 4, 0, 1, 2 });
        AssertMatchesCpu(Functional.CrossEntropy(x.To(Gpu), t.To(Gpu)), Functional.CrossEntropy(x, t), "cross_entropy after the error");
    }
}
