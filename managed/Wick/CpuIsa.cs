using Wick.Interop;
using Wick.Native;

namespace Wick;

/// <summary>The SIMD instruction sets CPU kernels are compiled for.</summary>
public enum CpuIsa
{
    /// <summary>Portable C++ (the reference kernels).</summary>
    Scalar = 0,
    /// <summary>AVX2 with FMA.</summary>
    Avx2 = 1,
    /// <summary>AVX-512 (F, DQ, BW, VL).</summary>
    Avx512 = 2,
}

/// <summary>
/// Which instruction set the CPU kernels use. Detection asks the CPU and the operating system, so
/// a kernel never runs an instruction the machine lacks. The environment variable
/// WICK_CPU_ISA=scalar|avx2|avx512 picks a lower one at start-up; <see cref="Active"/> changes it at
/// run time (tests use it to cover every path).
/// </summary>
public static unsafe class CpuDispatch
{
    /// <summary>
    /// The instruction set kernels use now. Setting one this CPU lacks selects the best it has
    /// instead (read it back, and <see cref="Note"/> says why). Do not change it while other threads
    /// run kernels.
    /// </summary>
    public static CpuIsa Active
    {
        get
        {
            wk_cpu_isa active, best;
            Ensure.Ok(NativeMethods.wk_cpu_isa_get(&active, &best));
            return (CpuIsa)active;
        }
        set
        {
            wk_cpu_isa active;
            Ensure.Ok(NativeMethods.wk_cpu_isa_set((wk_cpu_isa)value, &active));
        }
    }

    /// <summary>The best instruction set this CPU and operating system support.</summary>
    public static CpuIsa Best
    {
        get
        {
            wk_cpu_isa active, best;
            Ensure.Ok(NativeMethods.wk_cpu_isa_get(&active, &best));
            return (CpuIsa)best;
        }
    }

    /// <summary>Why <see cref="Active"/> differs from what was last asked for, or "" when it does not.</summary>
    public static string Note
    {
        get
        {
            byte* text;
            Ensure.Ok(NativeMethods.wk_cpu_isa_note(&text));
            return text == null ? "" : new string((sbyte*)text);
        }
    }
}
