// Which SIMD instruction set the CPU kernels use. Detection asks the CPU (CPUID) and the operating
// system (XGETBV: does it save the wide registers on a context switch?), so a kernel never runs an
// instruction the machine cannot execute. WICK_CPU_ISA=scalar|avx2|avx512 or set_cpu_isa() choose a
// lower level (tests use it to cover every path); asking for more than the CPU has falls back to the
// best available and leaves a note saying so.
#pragma once

#include <string>

#include "wick/wick.h"

namespace wick {

enum class CpuIsa : int32_t { Scalar = WK_CPU_ISA_SCALAR, Avx2 = WK_CPU_ISA_AVX2, Avx512 = WK_CPU_ISA_AVX512 };

const char* cpu_isa_name(CpuIsa isa);
// The best level this CPU and OS support (and this build contains).
CpuIsa cpu_isa_best();
// The level kernels use now (read on every kernel launch; one relaxed atomic load).
CpuIsa cpu_isa_active();
// Selects min(requested, best) and returns it; records a note when that differs from the request.
CpuIsa set_cpu_isa(CpuIsa requested);
// Why the active level differs from the last request ("" when it does not).
std::string cpu_isa_note();

}  // namespace wick
