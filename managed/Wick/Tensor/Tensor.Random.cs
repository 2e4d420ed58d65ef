using System;
using Wick.Interop;
using Wick.Native;

namespace Wick;

public sealed partial class Tensor
{
    /// <summary>Sets the seed of the default generator (and restarts its sequence).</summary>
    public static void ManualSeed(ulong seed) => Generator.Default.SetState(seed, 0);

    private static Tensor RandomNew(long[] shape, DType dtype, Device? device, wk_random_dist dist, double a, double b, Generator? generator)
    {
        Tensor t = Empty(shape, dtype, device);
        try
        {
            t.RandomFill(dist, a, b, generator);
        }
        catch
        {
            t.Dispose();
            throw;
        }
        return t;
    }

    internal void RandomFill(wk_random_dist dist, double a, double b, Generator? generator)
    {
        bool record = Recording.WantsInPlace(this) && DType.IsFloatingPoint();
        Edge old = default;
        if (record)
        {
            InPlace.CheckWritable(this, "RandomFill");
            old = GradientEdge();
        }
        Ensure.Ok(NativeMethods.wk_random_fill_(Handle, dist, a, b, generator?.Handle ?? 0));
        GC.KeepAlive(this);
        GC.KeepAlive(generator);
        if (record) InPlace.RebaseOverwritten(this, "RandomFill", old);
    }

    /// <summary>Uniform values in [0, 1).</summary>
    public static Tensor Rand(long[] shape, DType dtype = DType.Float32, Device? device = null, Generator? generator = null) =>
        RandomNew(shape, dtype, device, wk_random_dist.WK_RANDOM_UNIFORM, 0, 1, generator);

    /// <summary>Uniform float32 values in [0, 1).</summary>
    public static Tensor Rand(params long[] shape) => Rand(shape, DType.Float32);

    /// <summary>Standard normal values.</summary>
    public static Tensor RandN(long[] shape, DType dtype = DType.Float32, Device? device = null, Generator? generator = null) =>
        RandomNew(shape, dtype, device, wk_random_dist.WK_RANDOM_NORMAL, 0, 1, generator);

    /// <summary>Standard normal float32 values.</summary>
    public static Tensor RandN(params long[] shape) => RandN(shape, DType.Float32);

    /// <summary>Integers in [low, high).</summary>
    public static Tensor RandInt(long low, long high, long[] shape, DType dtype = DType.Int64, Device? device = null, Generator? generator = null) =>
        RandomNew(shape, dtype, device, wk_random_dist.WK_RANDOM_INTEGERS, low, high, generator);

    /// <summary>Ones with probability <paramref name="p"/>, else zeros.</summary>
    public static Tensor Bernoulli(double p, long[] shape, DType dtype = DType.Float32, Device? device = null, Generator? generator = null) =>
        RandomNew(shape, dtype, device, wk_random_dist.WK_RANDOM_BERNOULLI, p, 0, generator);

    /// <summary>Fills this tensor with uniform values in [low, high); returns this tensor.</summary>
    public Tensor UniformInPlace(double low = 0, double high = 1, Generator? generator = null)
    {
        RandomFill(wk_random_dist.WK_RANDOM_UNIFORM, low, high, generator);
        return this;
    }

    /// <summary>Fills this tensor with normal values; returns this tensor.</summary>
    public Tensor NormalInPlace(double mean = 0, double std = 1, Generator? generator = null)
    {
        RandomFill(wk_random_dist.WK_RANDOM_NORMAL, mean, std, generator);
        return this;
    }
}
