using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Wick;

/// <summary>
/// Whether operations record their history. The flag lives in an <see cref="AsyncLocal{T}"/>: it follows
/// the logical flow across <c>await</c> and into tasks started inside a scope, and never reaches threads
/// started elsewhere. It stores "disabled" so that the default (no scope anywhere) means enabled.
/// </summary>
internal static class GradMode
{
    private static readonly AsyncLocal<bool> Disabled = new();

    public static bool IsEnabled
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => !Disabled.Value;
    }

    /// <summary>Sets the mode until the returned scope is disposed, which restores the previous mode.</summary>
    public static IDisposable Scope(bool enabled) => new FlagScope(Disabled, !enabled);
}

/// <summary>Sets an async-local flag and puts the previous value back on Dispose (once), so scopes nest.</summary>
internal sealed class FlagScope : IDisposable
{
    private readonly AsyncLocal<bool> _flag;
    private readonly bool _previous;
    private int _disposed;

    public FlagScope(AsyncLocal<bool> flag, bool value)
    {
        _flag = flag;
        _previous = flag.Value;
        flag.Value = value;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _flag.Value = _previous;
    }
}
