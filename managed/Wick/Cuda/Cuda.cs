using System;
using System.Text;
using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>What a CUDA device is: its name, compute capability and memory.</summary>
/// <param name="Name">The device's name, e.g. "NVIDIA H100 80GB HBM3".</param>
/// <param name="Major">Compute capability, major part (9 for Hopper).</param>
/// <param name="Minor">Compute capability, minor part.</param>
/// <param name="MultiprocessorCount">Number of streaming multiprocessors.</param>
/// <param name="MaxThreadsPerBlock">Largest thread block a kernel may use.</param>
/// <param name="TotalMemory">Device memory in bytes.</param>
/// <param name="L2CacheBytes">Size of the L2 cache in bytes.</param>
public readonly record struct CudaDeviceProperties(
    string Name, int Major, int Minor, int MultiprocessorCount, int MaxThreadsPerBlock, long TotalMemory, long L2CacheBytes);

/// <summary>
/// NVIDIA GPUs through the CUDA backend (libwick_cuda, package Wick.Runtime.Cuda.linux-x64), in the
/// spirit of <c>torch.cuda</c>. Queries never throw for a missing backend or GPU; everything else
/// throws a <see cref="DeviceException"/> that says what is missing.
/// </summary>
public static unsafe class Cuda
{
    /// <summary>True when the CUDA backend is installed and sees at least one GPU. Never throws.</summary>
    public static bool IsAvailable
    {
        get
        {
            int available;
            return NativeMethods.wk_cuda_is_available(&available) == wk_status.WK_OK && available != 0;
        }
    }

    /// <summary>Number of GPUs the CUDA backend sees (0 without the backend or a GPU). Never throws.</summary>
    public static int DeviceCount
    {
        get
        {
            int count;
            return NativeMethods.wk_cuda_device_count(&count) == wk_status.WK_OK ? count : 0;
        }
    }

    /// <summary>Why CUDA is not available (empty when it is): the missing library or driver, or no device.</summary>
    public static string UnavailableReason
    {
        get
        {
            byte* text;
            Ensure.Ok(NativeMethods.wk_cuda_unavailable_reason(&text));
            return text == null ? string.Empty : new string((sbyte*)text);
        }
    }

    /// <summary>Name, compute capability and memory of a device.</summary>
    public static CudaDeviceProperties GetDeviceProperties(int device = 0)
    {
        wk_cuda_device_properties p;
        Ensure.Ok(NativeMethods.wk_cuda_device_properties_get(device, &p));
        int length = 0;
        while (length < 256 && p.name[length] != 0) length++;
        string name = Encoding.UTF8.GetString(p.name, length);
        return new CudaDeviceProperties(name, p.major, p.minor, p.multiprocessor_count, p.max_threads_per_block,
                                        p.total_memory, p.l2_cache_bytes);
    }

    /// <summary>The device's name, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public static string GetDeviceName(int device = 0) => GetDeviceProperties(device).Name;

    /// <summary>The device's compute capability, e.g. (9, 0) for Hopper.</summary>
    public static (int Major, int Minor) GetDeviceCapability(int device = 0)
    {
        CudaDeviceProperties p = GetDeviceProperties(device);
        return (p.Major, p.Minor);
    }

    /// <summary>Free and total device memory in bytes, as the driver sees them (other processes included).</summary>
    public static (long Free, long Total) MemoryInfo(int device = 0)
    {
        long free, total;
        Ensure.Ok(NativeMethods.wk_cuda_memory_info(device, &free, &total));
        return (free, total);
    }

    /// <summary>Waits until all work queued on the device, on every stream, has finished.</summary>
    public static void Synchronize(int device = 0) => Ensure.Ok(NativeMethods.wk_cuda_synchronize(device));

    /// <summary>
    /// Whether float32 matrix products may use TF32 tensor cores (faster, about 10 bits of mantissa
    /// in the products); off by default, as PyTorch's <c>torch.backends.cuda.matmul.allow_tf32</c>.
    /// </summary>
    public static bool AllowTF32
    {
        get => GetAllowTF32(wk_tf32_scope.WK_TF32_MATMUL);
        set => Ensure.Ok(NativeMethods.wk_cuda_set_allow_tf32(wk_tf32_scope.WK_TF32_MATMUL, value ? 1 : 0));
    }

    /// <summary>
    /// Whether float32 convolutions (the ones computed as matrix products) may use TF32 tensor cores; on by
    /// default, as PyTorch's <c>torch.backends.cudnn.allow_tf32</c>. Turn it off for float32-exact convolutions.
    /// </summary>
    public static bool AllowTF32Convolution
    {
        get => GetAllowTF32(wk_tf32_scope.WK_TF32_CONVOLUTION);
        set => Ensure.Ok(NativeMethods.wk_cuda_set_allow_tf32(wk_tf32_scope.WK_TF32_CONVOLUTION, value ? 1 : 0));
    }

    /// <summary>
    /// Whether index checks on CUDA raise in the op itself. Off by default: <c>IndexSelect</c>, <c>Gather</c>,
    /// <c>Scatter</c>, <c>IndexAdd</c>/<c>IndexCopy</c>/<c>IndexFill</c>, <c>x[idx]</c> reads and writes, NLL /
    /// cross-entropy targets and embedding ids are checked on the GPU without waiting for it; a bad entry is
    /// skipped (a read gives 0, a write is dropped) and the next call that waits for the device (<c>Item</c>,
    /// <c>ToArray</c>, <c>Cpu()</c>, <see cref="Synchronize"/>, a stream or event <c>Synchronize</c>) throws the
    /// <see cref="ArgumentOutOfRangeException"/> naming the op, the index, the dimension and the size. On, each
    /// such op waits for its check and throws itself, leaving its output untouched (slower; for debugging, as
    /// <c>CUDA_LAUNCH_BLOCKING=1</c>). Initially on when the environment variable <c>WICK_CUDA_SYNC_CHECKS=1</c>
    /// is set. Process-wide.
    /// </summary>
    public static bool SynchronousChecks
    {
        get
        {
            int on;
            Ensure.Ok(NativeMethods.wk_cuda_get_sync_checks(&on));
            return on != 0;
        }
        set => Ensure.Ok(NativeMethods.wk_cuda_set_sync_checks(value ? 1 : 0));
    }

    /// <summary>
    /// How many times the host has waited for a CUDA device since the process started (all devices and
    /// threads): compare it before and after a piece of work to find hidden synchronisations.
    /// </summary>
    public static long HostSynchronizations
    {
        get
        {
            long count;
            Ensure.Ok(NativeMethods.wk_cuda_host_sync_count(&count));
            return count;
        }
    }

    private static bool GetAllowTF32(wk_tf32_scope scope)
    {
        int allow;
        Ensure.Ok(NativeMethods.wk_cuda_get_allow_tf32(scope, &allow));
        return allow != 0;
    }

    /// <summary>The stream this thread's work on the device is queued on (the default stream unless one is in use).</summary>
    public static CudaStream CurrentStream(int device = 0)
    {
        nint s;
        Ensure.Ok(NativeMethods.wk_cuda_stream_current(device, &s));
        return new CudaStream(new CudaStreamHandle(s), device);
    }

    /// <summary>The device's default stream, which synchronizes with every other stream created without <c>CudaStream</c>.</summary>
    public static CudaStream DefaultStream(int device = 0)
    {
        nint s;
        Ensure.Ok(NativeMethods.wk_cuda_stream_default(device, &s));
        return new CudaStream(new CudaStreamHandle(s), device);
    }
}
