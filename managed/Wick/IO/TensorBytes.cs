using System;
using Wick.Interop;
using Wick.Native;

namespace Wick.IO;

/// <summary>
/// The choke point through which serialization reads and writes a tensor's native memory directly,
/// so files go straight between disk and tensor storage without a managed copy in between.
/// </summary>
internal static unsafe class TensorBytes
{
    /// <summary>Spans passed to file APIs stay below this size (Span lengths are 32-bit).</summary>
    public const int ChunkBytes = 1 << 30;

    /// <summary>The first byte of a contiguous CPU tensor's elements. Keep the tensor alive while using it.</summary>
    public static byte* Pointer(Tensor t)
    {
        void* p;
        Ensure.Ok(NativeMethods.wk_tensor_data_ptr(t.Handle, &p));
        GC.KeepAlive(t);
        return (byte*)p;
    }

    /// <summary>Byte length of a tensor's elements.</summary>
    public static long Length(Tensor t) => checked(t.NumberOfElements * t.DType.ElementSize());

    /// <summary>
    /// A contiguous CPU tensor with the values of <paramref name="t"/>: t itself (a new reference) when it
    /// already is one, else a copy. Dispose the result.
    /// </summary>
    public static Tensor ContiguousCpu(Tensor t)
    {
        if (t.Device.Type == DeviceType.Cpu) return t.Contiguous();
        using Tensor cpu = t.Cpu();
        return cpu.Contiguous();
    }
}
