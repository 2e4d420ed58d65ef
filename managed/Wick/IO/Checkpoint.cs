using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Wick.NN;
using Wick.Optim;

namespace Wick.IO;

/// <summary>
/// A training checkpoint in one safetensors file: the model's state dict under "model.", the optimizer's under
/// "optimizer.", the scheduler's progress under "scheduler." (float64 scalars), and the step count, the random
/// generator's state and caller strings in the file's metadata. Loading into freshly constructed objects (same
/// architecture, same optimizer and scheduler settings) resumes training exactly where it stopped.
/// <code>
/// Checkpoint.Save("run.safetensors", model, optimizer, scheduler, step);
/// long step = Checkpoint.Load("run.safetensors", model, optimizer, scheduler).Step;
/// </code>
/// </summary>
public static class Checkpoint
{
    /// <summary>The metadata key marking a Wick checkpoint (value: the format version).</summary>
    public const string FormatKey = "wick.checkpoint";

    private const string Version = "1";

    /// <summary>
    /// Writes <paramref name="model"/>, and optionally <paramref name="optimizer"/>, <paramref name="scheduler"/>,
    /// <paramref name="step"/> and <paramref name="generator"/>'s state (pass <see cref="Generator.Default"/> when dropout or
    /// shuffling draw from it) to <paramref name="path"/>, replacing it. <paramref name="metadata"/> adds free strings
    /// (keys starting with "wick." are reserved).
    /// </summary>
    public static void Save(string path, Module model, Optimizer? optimizer = null, ISchedulerState? scheduler = null, long step = 0,
        Generator? generator = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is not null)
            foreach (var (k, v) in metadata)
            {
                if (k.StartsWith("wick.", StringComparison.Ordinal))
                    throw new ArgumentException($"Checkpoint.Save: metadata key \"{k}\" is reserved (keys starting with \"wick.\" are the checkpoint's own)", nameof(metadata));
                meta[k] = v;
            }
        meta[FormatKey] = Version;
        meta["wick.step"] = step.ToString(CultureInfo.InvariantCulture);
        if (generator is not null)
        {
            meta["wick.generator.seed"] = generator.Seed.ToString(CultureInfo.InvariantCulture);
            meta["wick.generator.offset"] = generator.Offset.ToString(CultureInfo.InvariantCulture);
        }

        var all = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var modelState = model.StateDict();
        using var optimizerState = optimizer?.StateDict();
        var owned = new List<Tensor>();
        try
        {
            foreach (var (k, t) in modelState) all["model." + k] = t;
            if (optimizerState is not null) foreach (var (k, t) in optimizerState) all["optimizer." + k] = t;
            if (scheduler is not null)
                foreach (var (k, v) in scheduler.StateDict())
                {
                    var t = Tensor.Scalar(v, DType.Float64);
                    owned.Add(t);
                    all["scheduler." + k] = t;
                }
            Safetensors.SaveFile(all, path, meta);
        }
        finally
        {
            foreach (var t in owned) t.Dispose();
        }
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="Save"/> into <paramref name="model"/> (strict: the keys must match) and,
    /// when given, <paramref name="optimizer"/>, <paramref name="scheduler"/> and <paramref name="generator"/>. Returns the
    /// saved step and metadata.
    /// </summary>
    /// <exception cref="ArgumentException">The file is not a Wick checkpoint, or lacks a part that was asked for, or a part does not fit.</exception>
    /// <exception cref="SafetensorsFormatException">The file is not valid safetensors.</exception>
    public static CheckpointInfo Load(string path, Module model, Optimizer? optimizer = null, ISchedulerState? scheduler = null,
        Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        var tensors = Safetensors.LoadFile(path, out var meta);
        try
        {
            if (!meta.TryGetValue(FormatKey, out var version))
                throw new ArgumentException($"Checkpoint.Load: \"{path}\" is a safetensors file but not a Wick checkpoint (no \"{FormatKey}\" metadata); load plain state dicts with Safetensors.LoadFile and Module.LoadStateDict");
            if (version != Version)
                throw new ArgumentException($"Checkpoint.Load: \"{path}\" has checkpoint format {version}; this Wick reads format {Version}");

            var modelPart = Part(tensors, "model.");
            var optimizerPart = Part(tensors, "optimizer.");
            var schedulerPart = Part(tensors, "scheduler.");
            var stray = tensors.Keys.Where(k => !k.StartsWith("model.", StringComparison.Ordinal) && !k.StartsWith("optimizer.", StringComparison.Ordinal)
                && !k.StartsWith("scheduler.", StringComparison.Ordinal)).ToList();
            if (stray.Count > 0)
                throw new ArgumentException($"Checkpoint.Load: \"{path}\" has tensors outside model./optimizer./scheduler.: {string.Join(", ", stray.Take(5))}");
            if (optimizer is not null && optimizerPart.Count == 0)
                throw new ArgumentException($"Checkpoint.Load: \"{path}\" holds no optimizer state");
            if (scheduler is not null && schedulerPart.Count == 0)
                throw new ArgumentException($"Checkpoint.Load: \"{path}\" holds no scheduler state");
            ulong? seed = null, offset = null;
            if (generator is not null)
            {
                if (!meta.TryGetValue("wick.generator.seed", out var s) || !meta.TryGetValue("wick.generator.offset", out var o))
                    throw new ArgumentException($"Checkpoint.Load: \"{path}\" holds no generator state (pass the generator to Checkpoint.Save)");
                seed = ulong.Parse(s, CultureInfo.InvariantCulture);
                offset = ulong.Parse(o, CultureInfo.InvariantCulture);
            }
            long step = meta.TryGetValue("wick.step", out var st) ? long.Parse(st, CultureInfo.InvariantCulture) : 0;

            model.LoadStateDict(modelPart, strict: true);
            optimizer?.LoadStateDict(optimizerPart);
            if (scheduler is not null)
            {
                var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (k, t) in schedulerPart)
                {
                    using var d = t.To(DType.Float64);
                    numbers[k] = d.Item<double>();
                }
                scheduler.LoadStateDict(numbers);
            }
            if (seed is not null) generator!.SetState(seed.Value, offset!.Value);
            var user = meta.Where(kv => !kv.Key.StartsWith("wick.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            return new CheckpointInfo(step, user);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private static Dictionary<string, Tensor> Part(Dictionary<string, Tensor> all, string prefix)
    {
        var part = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, t) in all)
            if (k.StartsWith(prefix, StringComparison.Ordinal)) part[k.Substring(prefix.Length)] = t;
        return part;
    }
}

/// <summary>What <see cref="Checkpoint.Load"/> read besides the tensors: the step and the caller's metadata.</summary>
/// <param name="Step">The step passed to <see cref="Checkpoint.Save"/>.</param>
/// <param name="Metadata">The caller's metadata strings.</param>
public sealed record CheckpointInfo(long Step, IReadOnlyDictionary<string, string> Metadata);
