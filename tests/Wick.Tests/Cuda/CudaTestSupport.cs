using System;
using System.Linq;

namespace Wick.Tests.Cuda;

/// <summary>
/// Shared by the CUDA tests: skipping visibly where no GPU is present, seeded inputs, and the
/// comparison of a CUDA result with the CPU result of the same operation.
/// </summary>
internal static class CudaTestSupport
{
    public static Device Gpu => Device.Cuda(0);

    /// <summary>Ignores the test (reported as skipped, with the reason) when no CUDA device is usable.</summary>
    public static void RequireCuda()
    {
        if (!Wick.Cuda.IsAvailable) Assert.Ignore("No CUDA device: " + Wick.Cuda.UnavailableReason);
    }

    public static readonly DType[] FloatTypes = { DType.Float32, DType.Float64, DType.Float16, DType.BFloat16 };
    public static readonly DType[] IntTypes = { DType.Int64, DType.Int32, DType.Int16, DType.Int8, DType.UInt8 };
    public static readonly DType[] NumericTypes = FloatTypes.Concat(IntTypes).ToArray();
    public static readonly DType[] AllTypes = NumericTypes.Append(DType.Bool).ToArray();

    /// <summary>Normalised error allowed per dtype: a few units in the last place of the type's precision.</summary>
    public static double Tolerance(DType dtype) => dtype switch
    {
        DType.Float64 => 1e-12,
        DType.Float32 => 2e-6,
        DType.Float16 => 2e-3,
        DType.BFloat16 => 1.6e-2,
        _ => 0,
    };

    /// <summary>Values in [low, high) from a seeded generator, as a CPU tensor of the dtype (integers rounded).</summary>
    public static Tensor Values(int seed, long[] shape, DType dtype, double low = -3, double high = 3)
    {
        var random = new Random(seed);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new double[n];
        for (long i = 0; i < n; i++)
        {
            double v = low + (high - low) * random.NextDouble();
            data[i] = dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16 ? v : Math.Floor(v);
        }
        using Tensor d = Tensor.FromSpan<double>(data, shape);
        return d.To(dtype);
    }

    /// <summary>What a deferred index error's message adds: that an earlier op raised it.</summary>
    public const string DeferredNote = "reported at the next synchronisation";

    /// <summary>
    /// Asserts that <paramref name="op"/> on the GPU fails with an index error containing <paramref name="message"/> in
    /// both check modes: by default the op returns and the next synchronisation (<see cref="Wick.Cuda.Synchronize"/>)
    /// throws, saying so; with <see cref="Wick.Cuda.SynchronousChecks"/> the op itself throws, without that note.
    /// </summary>
    public static void AssertIndexErrorInBothModes(Func<Tensor> op, string message)
    {
        Assert.That(Wick.Cuda.SynchronousChecks, Is.False, "the tests start in the default (deferred) mode");
        Assert.DoesNotThrow(() => op(), "deferred mode: the op itself does not wait for its index check");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Wick.Cuda.Synchronize())!;
        Assert.That(e.Message, Does.Contain(message).And.Contain(DeferredNote), "deferred mode");
        Assert.DoesNotThrow(() => Wick.Cuda.Synchronize(), "the error is cleared once reported");
        Wick.Cuda.SynchronousChecks = true;
        try
        {
            e = Assert.Throws<ArgumentOutOfRangeException>(() => op())!;
            Assert.That(e.Message, Does.Contain(message).And.Not.Contain(DeferredNote), "synchronous mode");
        }
        finally
        {
            Wick.Cuda.SynchronousChecks = false;
        }
    }

    /// <summary>The tensor's values as doubles (row-major), through the CPU.</summary>
    public static double[] AsDoubles(Tensor t)
    {
        using Tensor cpu = t.Cpu();
        using Tensor d = cpu.To(DType.Float64);
        return d.ToArray<double>();
    }

    /// <summary>
    /// Asserts that a CUDA result matches the CPU result of the same operation: same shape and
    /// dtype; integers and bools exactly; floats with NaN and infinities in the same places and the
    /// rest within the dtype's normalised error (and each element within a loose bound, so that one
    /// wrong element among large ones cannot hide).
    /// </summary>
    public static void AssertMatchesCpu(Tensor cuda, Tensor cpu, string what, double? tolerance = null)
    {
        Assert.That(cuda.Device, Is.EqualTo(Gpu), $"{what}: result device");
        Assert.That(cpu.Device, Is.EqualTo(Device.Cpu), $"{what}: reference device");
        Assert.That(cuda.Shape, Is.EqualTo(cpu.Shape), $"{what}: shape");
        Assert.That(cuda.DType, Is.EqualTo(cpu.DType), $"{what}: dtype");
        DType dt = cpu.DType;
        if (dt is not (DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16))
        {
            using Tensor g = cuda.Cpu();
            using Tensor gl = g.To(DType.Int64);
            using Tensor cl = cpu.To(DType.Int64);
            Assert.That(gl.ToArray<long>(), Is.EqualTo(cl.ToArray<long>()), $"{what}: values");
            return;
        }
        KernelRef.AssertNormalisedClose(AsDoubles(cuda), AsDoubles(cpu), tolerance ?? Tolerance(dt), what);
    }
}
