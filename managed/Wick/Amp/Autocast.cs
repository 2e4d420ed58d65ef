using System;
using System.Collections.Generic;
using System.Threading;

namespace Wick;

/// <summary>
/// Automatic mixed precision, like PyTorch's <c>torch.autocast</c>: inside a scope opened by <see cref="Enable"/>,
/// ops on tensors of that device type pick their compute dtype by category. Matrix products and convolutions
/// (MatMul, Linear, Bmm, Mv, AddMM, Conv1d/Conv2d/ConvTranspose2d) cast their floating inputs to the scope's
/// low-precision dtype (float16 or bfloat16); softmax and log_softmax, NLL/cross-entropy, layer, group and batch
/// norm, exp/log-like functions and sum, mean, prod, norm, var, std, logsumexp and cumulative reductions cast
/// 16-bit inputs to float32; every other op runs in the dtype its inputs promote to (the widest). float64
/// tensors are never cast. The casts are differentiable, so gradients reach float32 parameters as float32.
/// Within the outermost enabled scope, the low-precision copy of a parameter (a leaf that requires grad) is
/// made once and reused until the parameter changes. The backward pass always runs without autocast.
/// <para>
/// The state lives in an <see cref="AsyncLocal{T}"/>, as for <see cref="Autograd.NoGrad"/>: scopes nest (an
/// inner <c>Enable(..., enabled: false)</c> turns autocast off), follow <c>await</c>, and never reach threads
/// started elsewhere.
/// </para>
/// </summary>
public static class Autocast
{
    private static readonly AsyncLocal<AutocastState?> StateSlot = new();

    /// <summary>The state in effect; null when autocast is off for every device type (the common, fast case).</summary>
    internal static AutocastState? Current => StateSlot.Value;

    /// <summary>
    /// Turns autocast on (or off, with <paramref name="enabled"/> false) for <paramref name="deviceType"/> until the
    /// returned scope is disposed. <paramref name="dtype"/>: float16 or bfloat16 (default: float16 on CUDA, bfloat16
    /// on the CPU, as PyTorch). <paramref name="cacheEnabled"/>: reuse the cast of each parameter within the scope.
    /// </summary>
    public static IDisposable Enable(DeviceType deviceType, DType? dtype = null, bool enabled = true, bool cacheEnabled = true)
    {
        DType lowered = dtype ?? DefaultDType(deviceType);
        if (lowered is not (DType.Float16 or DType.BFloat16))
            throw new DTypeException($"Autocast: the low-precision dtype must be Float16 or BFloat16, got {lowered}");
        if (deviceType is not (DeviceType.Cpu or DeviceType.Cuda))
            throw new ArgumentOutOfRangeException(nameof(deviceType), deviceType, "Autocast: unknown device type");
        AutocastState? previous = StateSlot.Value;
        var next = AutocastState.With(previous, deviceType, enabled, lowered, cacheEnabled, out bool ownsCache);
        StateSlot.Value = next;
        return new AutocastScope(previous, ownsCache ? next!.Cache : null);
    }

    /// <summary>Turns autocast off for <paramref name="deviceType"/> until the returned scope is disposed.</summary>
    public static IDisposable Disable(DeviceType deviceType) => Enable(deviceType, enabled: false);

    /// <summary>True inside an enabled autocast scope for <paramref name="deviceType"/>.</summary>
    public static bool IsEnabled(DeviceType deviceType) => StateSlot.Value?.LowDType(deviceType) is not null;

    /// <summary>The low-precision dtype ops on <paramref name="deviceType"/> use now (the default when autocast is off).</summary>
    public static DType GetDType(DeviceType deviceType) => StateSlot.Value?.LowDType(deviceType) ?? DefaultDType(deviceType);

    private static DType DefaultDType(DeviceType deviceType) => deviceType == DeviceType.Cuda ? DType.Float16 : DType.BFloat16;

    /// <summary>Turns autocast off for every device until disposed (the backward pass).</summary>
    internal static IDisposable Suspend()
    {
        AutocastState? previous = StateSlot.Value;
        if (previous is null) return NoScope.Instance;
        StateSlot.Value = null;
        return new AutocastScope(previous, null);
    }

    private sealed class AutocastScope : IDisposable
    {
        private readonly AutocastState? _previous;
        private readonly CastCache? _ownedCache;
        private int _disposed;

        public AutocastScope(AutocastState? previous, CastCache? ownedCache)
        {
            _previous = previous;
            _ownedCache = ownedCache;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            StateSlot.Value = _previous;
            _ownedCache?.Clear();
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();
        public void Dispose() { }
    }
}

/// <summary>The autocast settings in effect: the low-precision dtype per device type (null: off) and the cast cache.</summary>
internal sealed class AutocastState
{
    private readonly DType? _cpu, _cuda;

    private AutocastState(DType? cpu, DType? cuda, CastCache? cache)
    {
        _cpu = cpu;
        _cuda = cuda;
        Cache = cache;
    }

    /// <summary>Parameter casts shared by the scopes nested in the outermost enabled one; null when caching is off.</summary>
    public CastCache? Cache { get; }

    public DType? LowDType(DeviceType type) => type == DeviceType.Cuda ? _cuda : type == DeviceType.Cpu ? _cpu : null;

    /// <summary>The state after one Enable; null when no device type stays enabled. ownsCache: the new cache is this scope's.</summary>
    public static AutocastState? With(AutocastState? s, DeviceType type, bool enabled, DType dtype, bool cacheEnabled, out bool ownsCache)
    {
        DType? cpu = s?._cpu, cuda = s?._cuda;
        DType? value = enabled ? dtype : null;
        if (type == DeviceType.Cuda) cuda = value;
        else cpu = value;
        ownsCache = false;
        if (cpu is null && cuda is null) return null;
        CastCache? cache = cacheEnabled ? s?.Cache : null;
        if (cacheEnabled && cache is null)
        {
            cache = new CastCache();
            ownsCache = true;
        }
        return new AutocastState(cpu, cuda, cache);
    }

    /// <summary>The low-precision dtype for ops on <paramref name="t"/>'s device, or null when autocast is off there.</summary>
    public DType? LowFor(Tensor t) => _cpu is null && _cuda is null ? null : LowDType(t.Device.Type);

    /// <summary><paramref name="t"/> as an input of a low-precision op: floating tensors other than float64 are cast down.</summary>
    public AutocastArg Lower(Tensor t, DType low)
    {
        DType d = t.DType;
        if (d == low || d == DType.Float64 || !d.IsFloatingPoint()) return new AutocastArg(t, owned: false);
        if (Cache is not null && t.IsLeaf && t.RequiresGrad && GradMode.IsEnabled) return new AutocastArg(Cache.Get(t, low), owned: false, changed: true);
        return new AutocastArg(t.To(low), owned: true);
    }

    /// <summary>
    /// Casts <paramref name="args"/> in place by <paramref name="policy"/> when autocast is on for the first one's device;
    /// returns the casts to dispose after the op, or null when nothing changed.
    /// </summary>
    public AutocastArg[]? Apply(AutocastPolicy policy, Tensor[] args)
    {
        if (LowFor(args[0]) is not DType low) return null;
        DType widest = DType.Float16;
        if (policy == AutocastPolicy.Promote)
        {
            bool any = false, mixed = false;
            foreach (var t in args)
            {
                if (!t.DType.IsFloatingPoint()) continue;
                if (!any) widest = t.DType;
                else if (t.DType != widest) { mixed = true; widest = Wider(widest, t.DType); }
                any = true;
            }
            if (!mixed) return null;
        }
        var casts = new AutocastArg[args.Length];
        for (int i = 0; i < args.Length; ++i)
        {
            AutocastArg c = policy switch
            {
                AutocastPolicy.LowPrecision => Lower(args[i], low),
                AutocastPolicy.Float32 => Float32(args[i]),
                AutocastPolicy.Promote when args[i].DType.IsFloatingPoint() && args[i].DType != widest => new AutocastArg(args[i].To(widest), owned: true),
                _ => new AutocastArg(args[i], owned: false),
            };
            casts[i] = c;
            args[i] = c.Value;
        }
        return casts;
    }

    // float64 > float32 > the 16-bit floats; float16 with bfloat16 gives float32 (neither holds the other).
    private static DType Wider(DType a, DType b)
    {
        if (a == DType.Float64 || b == DType.Float64) return DType.Float64;
        if (a == b) return a;
        return DType.Float32;
    }

    /// <summary><paramref name="t"/> as an input of a float32 op: 16-bit floating tensors are cast up.</summary>
    public static AutocastArg Float32(Tensor t) =>
        t.DType is DType.Float16 or DType.BFloat16 ? new AutocastArg(t.To(DType.Float32), owned: true) : new AutocastArg(t, owned: false);
}

/// <summary>An op input as autocast gives it: the tensor itself, a cached cast, or a cast this struct owns.</summary>
internal readonly struct AutocastArg : IDisposable
{
    private readonly bool _owned;

    public AutocastArg(Tensor value, bool owned, bool changed = false)
    {
        Value = value;
        _owned = owned;
        Changed = owned || changed;
    }

    public Tensor Value { get; }

    /// <summary>True when the input was cast (the op must see the new tensor).</summary>
    public bool Changed { get; }

    public void Dispose()
    {
        if (_owned) Value.Dispose();
    }
}

/// <summary>
/// The low-precision copies of parameters made within one outermost autocast scope (PyTorch's autocast cache),
/// keyed by the parameter object and checked against its version, so an in-place update makes a new copy.
/// Freed when that scope ends; the autograd graph keeps its own references to what it saved.
/// </summary>
internal sealed class CastCache
{
    private readonly Dictionary<Tensor, (Tensor Cast, long Version)> _casts = new(ReferenceEqualityComparer.Instance);

    public Tensor Get(Tensor parameter, DType dtype)
    {
        lock (_casts)
        {
            long version = parameter.Version;
            if (_casts.TryGetValue(parameter, out var hit))
            {
                if (hit.Version == version && hit.Cast.DType == dtype && !hit.Cast.IsDisposed) return hit.Cast;
                hit.Cast.Dispose();
            }
            Tensor cast = parameter.To(dtype);
            DisposeScope.Current?.TryRemove(cast);  // owned by the cache, not by a user's disposal scope
            _casts[parameter] = (cast, version);
            return cast;
        }
    }

    public void Clear()
    {
        lock (_casts)
        {
            foreach (var (cast, _) in _casts.Values) cast.Dispose();
            _casts.Clear();
        }
    }
}

/// <summary>The autocast category of an op (PyTorch's lower_precision_fp, fp32 and promote lists).</summary>
internal enum AutocastPolicy
{
    /// <summary>Runs in the dtype its inputs promote to.</summary>
    None,
    /// <summary>Matrix products and convolutions: floating inputs cast to the scope's float16 or bfloat16.</summary>
    LowPrecision,
    /// <summary>Numerically sensitive ops: 16-bit floating inputs cast to float32.</summary>
    Float32,
    /// <summary>Ops that need one dtype (Cat, Stack): floating inputs cast to the widest floating input dtype.</summary>
    Promote,
}
