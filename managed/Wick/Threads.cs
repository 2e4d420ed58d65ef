using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>
/// The intra-op thread pool that CPU kernels split large tensors across (small ones stay on the
/// calling thread). Elementwise results never depend on the thread count, and reductions give the
/// same bits for every thread count too.
/// </summary>
public static unsafe class Threads
{
    /// <summary>
    /// Threads the pool uses, the calling thread included (1 to 1024). Default: the environment
    /// variable WICK_NUM_THREADS, else the number of CPUs the process may run on. Setting it waits
    /// for a running kernel.
    /// </summary>
    public static int Count
    {
        get
        {
            int n;
            Ensure.Ok(NativeMethods.wk_threads_get(&n));
            return n;
        }
        set => Ensure.Ok(NativeMethods.wk_threads_set(value));
    }
}
