using System;

namespace Wick.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood): a small, fully specified generator, so a seed gives the same
/// shuffles on every .NET version and platform (System.Random's seeded sequence is not a contract).
/// </summary>
internal sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, bound) without modulo bias (Lemire's method with rejection).</summary>
    public ulong Below(ulong bound)
    {
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = Next();
            ulong hi = Math.BigMul(r, bound, out ulong lo);
            if (lo >= threshold) return hi;
        }
    }
}

internal static class Shuffle
{
    /// <summary>A random permutation of 0..n-1 (Fisher-Yates).</summary>
    public static long[] Permutation(long n, SplitMix64 rng)
    {
        var p = new long[n];
        for (long i = 0; i < n; ++i) p[i] = i;
        for (long i = n - 1; i > 0; --i)
        {
            long j = (long)rng.Below((ulong)(i + 1));
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
