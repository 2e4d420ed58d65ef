using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Wick;

/// <summary>Anomaly detection: record where each forward op ran, and check every gradient for NaN and infinity.</summary>
internal static class AnomalyMode
{
    private static readonly AsyncLocal<bool> Enabled = new();

    public static bool IsEnabled
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Enabled.Value;
    }

    public static IDisposable Scope(bool enabled) => new FlagScope(Enabled, enabled);
}
