using System;
using System.Collections.Generic;
using Wick.Optim;

namespace Wick;

/// <summary>
/// Loss scaling for float16 training, like PyTorch's <c>torch.amp.GradScaler</c>: <see cref="Scale"/> multiplies the
/// loss by a large factor so small gradients survive float16; <see cref="Step"/> divides the gradients back
/// (<see cref="Unscale"/>) and skips the optimizer step when any of them is inf or NaN; <see cref="Update"/> halves
/// the scale after such a step and doubles it after <see cref="GrowthInterval"/> clean ones.
/// <para>
/// The scale, the growth tracker and the inf/NaN flag are one-element tensors on the loss's device, and the
/// unscale-and-check and the update are native kernels over them: the host reads one value per optimizer step (the
/// flag, in <see cref="Step"/>) and nothing per parameter. Dispose the scaler to free them.
/// </para>
/// <code>
/// using var scaler = new GradScaler();
/// using (Autocast.Enable(DeviceType.Cuda)) loss = lossFn.Forward(model.Forward(x), y);
/// using (var scaled = scaler.Scale(loss)) scaled.Backward();
/// scaler.Step(optimizer);
/// scaler.Update();
/// </code>
/// </summary>
public sealed class GradScaler : IDisposable
{
    private enum Stage { Ready, Unscaled, Stepped }

    private sealed class OptimizerState
    {
        public Stage Stage;
        public readonly List<Tensor> FoundInf = new();
    }

    private readonly Dictionary<Optimizer, OptimizerState> _perOptimizer = new(ReferenceEqualityComparer.Instance);
    private Tensor? _scale;          // float32, one element, on the loss's device
    private Tensor? _growthTracker;  // int32, one element, beside _scale
    private double _initScale;
    private int _initGrowthTracker;
    private bool _disposed;

    /// <summary>
    /// A scaler starting at <paramref name="initScale"/> (PyTorch's defaults: 2^16, growth 2, backoff 0.5, interval
    /// 2000). With <paramref name="enabled"/> false every method passes through (Scale returns the loss, Step just steps).
    /// </summary>
    public GradScaler(double initScale = 65536.0, double growthFactor = 2.0, double backoffFactor = 0.5, int growthInterval = 2000,
        bool enabled = true)
    {
        if (!(initScale > 0) || double.IsInfinity(initScale))
            throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "GradScaler: the initial scale must be a positive finite number");
        if (!(growthFactor > 1) || double.IsInfinity(growthFactor))
            throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "GradScaler: the growth factor must be a finite number above 1");
        if (!(backoffFactor > 0 && backoffFactor < 1))
            throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "GradScaler: the backoff factor must be in (0, 1)");
        if (growthInterval < 1)
            throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval, "GradScaler: the growth interval must be at least 1");
        _initScale = initScale;
        GrowthFactor = growthFactor;
        BackoffFactor = backoffFactor;
        GrowthInterval = growthInterval;
        IsEnabled = enabled;
    }

    /// <summary>False when the scaler was made with enabled: false (every method passes through).</summary>
    public bool IsEnabled { get; }

    /// <summary>The factor the scale is multiplied by after <see cref="GrowthInterval"/> steps without inf/NaN.</summary>
    public double GrowthFactor { get; private set; }

    /// <summary>The factor the scale is multiplied by after a step with inf/NaN gradients.</summary>
    public double BackoffFactor { get; private set; }

    /// <summary>Clean steps in a row after which the scale grows.</summary>
    public int GrowthInterval { get; private set; }

    /// <summary>
    /// The loss times the current scale (a new tensor: dispose it after Backward). The scale lives on the loss's
    /// device from the first call on. Disabled: a new reference to <paramref name="loss"/> itself.
    /// </summary>
    public Tensor Scale(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsEnabled) return loss.AliasWithHistory();
        EnsureState(loss.Device);
        if (_scale!.Device != loss.Device)
            throw new DeviceException($"GradScaler.Scale: the loss is on {loss.Device} but the scale lives on {_scale.Device}; " +
                                      "use one GradScaler per device");
        return loss.Mul(_scale);
    }

    /// <summary>
    /// Divides the gradients of <paramref name="optimizer"/>'s parameters by the scale in place and records whether
    /// any is inf or NaN, without reading anything back to the host. Call it before clipping gradients; at most once
    /// per optimizer between two <see cref="Update"/>s (<see cref="Step"/> calls it when you have not).
    /// </summary>
    public void Unscale(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsEnabled) return;
        if (_scale is null)
            throw new InvalidOperationException("GradScaler.Unscale: no loss was scaled yet; call Scale(loss) and Backward() first");
        OptimizerState s = StateOf(optimizer);
        if (s.Stage == Stage.Unscaled)
            throw new InvalidOperationException("GradScaler.Unscale: already called for this optimizer since the last Update()");
        if (s.Stage == Stage.Stepped)
            throw new InvalidOperationException("GradScaler.Unscale: called after Step(); call Update() first");

        // One found-inf flag per device of the gradients.
        var byDevice = new Dictionary<Device, List<Tensor>>();
        foreach (ParamGroup g in optimizer.ParamGroups)
            foreach (Tensor p in g.Parameters)
                if (p.Grad is { } grad)
                {
                    Device d = grad.Device;
                    if (!byDevice.TryGetValue(d, out var list)) byDevice[d] = list = new List<Tensor>();
                    list.Add(grad);
                }
        using (Autograd.NoGrad())
        using (Tensor inv = _scale.Reciprocal())
        {
            if (byDevice.Count == 0) byDevice[_scale.Device] = new List<Tensor>();
            foreach (var (device, grads) in byDevice)
            {
                using Tensor invHere = inv.To(device);
                Tensor found = Tensor.Zeros(Array.Empty<long>(), DType.Float32, device);
                DisposeScope.Current?.TryRemove(found);
                s.FoundInf.Add(found);
                AmpKernels.UnscaleCheck(grads, found, invHere);
            }
        }
        s.Stage = Stage.Unscaled;
    }

    /// <summary>
    /// Unscales the gradients (unless <see cref="Unscale"/> was called) and runs <paramref name="optimizer"/>'s step
    /// unless a gradient is inf or NaN; returns whether it stepped. Reads the one inf/NaN flag per device (the only
    /// host synchronisation of the scaler).
    /// </summary>
    public bool Step(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsEnabled)
        {
            optimizer.Step();
            return true;
        }
        OptimizerState s = StateOf(optimizer);
        if (s.Stage == Stage.Stepped)
            throw new InvalidOperationException("GradScaler.Step: already called for this optimizer since the last Update()");
        if (s.Stage == Stage.Ready) Unscale(optimizer);
        bool clean = true;
        foreach (Tensor f in s.FoundInf) clean &= f.Item<float>() == 0f;
        if (clean) optimizer.Step();
        s.Stage = Stage.Stepped;
        return clean;
    }

    /// <summary>
    /// Adjusts the scale for the next iteration on the device: backs off after any inf/NaN seen by this iteration's
    /// steps, grows after <see cref="GrowthInterval"/> clean iterations. With <paramref name="newScale"/>, sets the
    /// scale to it instead. Call it once per iteration, after the Step calls.
    /// </summary>
    public void Update(double? newScale = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsEnabled) return;
        if (_scale is null)
        {
            if (newScale is null)
                throw new InvalidOperationException("GradScaler.Update: no loss was scaled yet; call Scale(loss), Backward() and Step(optimizer) first");
            _initScale = newScale.Value > 0 && !double.IsInfinity(newScale.Value) ? newScale.Value
                : throw new ArgumentOutOfRangeException(nameof(newScale), newScale, "GradScaler.Update: the new scale must be a positive finite number");
            return;
        }
        try
        {
            if (newScale is double v)
            {
                if (!(v > 0) || double.IsInfinity(v))
                    throw new ArgumentOutOfRangeException(nameof(newScale), v, "GradScaler.Update: the new scale must be a positive finite number");
                using (Autograd.NoGrad()) _scale.Fill(v);
                return;
            }
            var flags = new List<Tensor>();
            foreach (OptimizerState s in _perOptimizer.Values) flags.AddRange(s.FoundInf);
            if (flags.Count == 0)
                throw new InvalidOperationException("GradScaler.Update: no inf/NaN checks were recorded; call Step(optimizer) (or Unscale) first");
            using Tensor total = SumOn(flags, _scale.Device);
            AmpKernels.UpdateScale(_scale, _growthTracker!, total, GrowthFactor, BackoffFactor, GrowthInterval);
        }
        finally
        {
            ResetPerOptimizer();
        }
    }

    /// <summary>The current scale (a host read; 1 when disabled, the initial scale before the first <see cref="Scale"/>).</summary>
    public double GetScale()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsEnabled) return 1.0;
        return _scale is null ? _initScale : _scale.Item<float>();
    }

    /// <summary>
    /// The scaler's state as 0-d tensors, PyTorch's keys: "scale", "growth_factor", "backoff_factor" (float64),
    /// "growth_interval" and "_growth_tracker" (int64). Empty when disabled. Dispose it when done.
    /// </summary>
    public NN.StateDict StateDict()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var d = new NN.StateDict();
        if (!IsEnabled) return d;
        d.Add("scale", Tensor.Scalar(GetScale(), DType.Float64));
        d.Add("growth_factor", Tensor.Scalar(GrowthFactor, DType.Float64));
        d.Add("backoff_factor", Tensor.Scalar(BackoffFactor, DType.Float64));
        d.Add("growth_interval", Tensor.Scalar((long)GrowthInterval));
        d.Add("_growth_tracker", Tensor.Scalar((long)(_growthTracker is null ? _initGrowthTracker : _growthTracker.Item<int>())));
        return d;
    }

    /// <summary>Restores a state saved by <see cref="StateDict"/>; the caller keeps ownership of <paramref name="stateDict"/>.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsEnabled) throw new InvalidOperationException("GradScaler.LoadStateDict: this scaler is disabled");
        if (stateDict.Count == 0) throw new ArgumentException("GradScaler.LoadStateDict: the state is empty (saved from a disabled scaler?)");
        double Read(string key)
        {
            if (!stateDict.TryGetValue(key, out var t)) throw new ArgumentException($"GradScaler.LoadStateDict: missing key \"{key}\"");
            using Tensor d = t.To(DType.Float64);
            return d.Item<double>();
        }
        double scale = Read("scale"), growth = Read("growth_factor"), backoff = Read("backoff_factor");
        double interval = Read("growth_interval"), tracker = Read("_growth_tracker");
        var check = new GradScaler(scale, growth, backoff, checked((int)interval));  // validates the values
        check.Dispose();
        _initScale = scale;
        GrowthFactor = growth;
        BackoffFactor = backoff;
        GrowthInterval = (int)interval;
        _initGrowthTracker = checked((int)tracker);
        if (_scale is not null)
        {
            using (Autograd.NoGrad())
            {
                _scale.Fill(scale);
                _growthTracker!.Fill(_initGrowthTracker);
            }
        }
    }

    /// <summary>Frees the scale, the growth tracker and any pending inf/NaN flags.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ResetPerOptimizer();
        _scale?.Dispose();
        _growthTracker?.Dispose();
    }

    private void EnsureState(Device device)
    {
        if (_scale is not null) return;
        _scale = Tensor.Full(Array.Empty<long>(), _initScale, DType.Float32, device);
        _growthTracker = Tensor.Full(Array.Empty<long>(), _initGrowthTracker, DType.Int32, device);
        DisposeScope.Current?.TryRemove(_scale);
        DisposeScope.Current?.TryRemove(_growthTracker);
    }

    private OptimizerState StateOf(Optimizer optimizer)
    {
        if (!_perOptimizer.TryGetValue(optimizer, out var s)) _perOptimizer[optimizer] = s = new OptimizerState();
        return s;
    }

    private void ResetPerOptimizer()
    {
        foreach (OptimizerState s in _perOptimizer.Values)
            foreach (Tensor f in s.FoundInf) f.Dispose();
        _perOptimizer.Clear();
    }

    // The sum of the flags, on `device` (one flag, the common case: a copy of it).
    private static Tensor SumOn(List<Tensor> flags, Device device)
    {
        Tensor total = flags[0].To(DType.Float32, device, copy: true);
        for (int i = 1; i < flags.Count; ++i)
        {
            using Tensor f = flags[i].To(device);
            total.AddInPlace(f);
        }
        return total;
    }
}
