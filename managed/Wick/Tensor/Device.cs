using System;

namespace Wick;

/// <summary>Kinds of device. The numbers are the native ABI ids.</summary>
public enum DeviceType
{
    /// <summary>The host processor.</summary>
    Cpu = 0,
    /// <summary>An NVIDIA GPU through the CUDA backend (Wick.Runtime.Cuda package).</summary>
    Cuda = 1,
}

/// <summary>Where a tensor's memory lives: a device type and an index (the CUDA ordinal).</summary>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The host processor.</summary>
    public static Device Cpu => new(DeviceType.Cpu, 0);

    /// <summary>The CUDA device with the given ordinal.</summary>
    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "cpu") return Cpu;
        if (text == "cuda") return Cuda();
        if (text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(5), out int i) && i >= 0)
            return Cuda(i);
        throw new ArgumentException($"unknown device '{text}'; expected \"cpu\", \"cuda\" or \"cuda:N\"", nameof(text));
    }

    /// <summary>"cpu" or "cuda:N".</summary>
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
