// Which SIMD instruction sets the GEMM may use: what the CPU reports through CPUID *and* the OS has
// enabled (XCR0), capped by WICK_CPU_ISA=scalar|avx2|avx512 and by a test override. A kernel is
// only ever chosen from active_isa(), so a CPU without AVX-512 never runs an AVX-512 instruction.
//
// A private helper of the GEMM until the shared ISA dispatch of the CPU backend lands; it reads the
// same environment variable, so switching over changes no behaviour.
#pragma once

namespace wick::cpu::gemm {

enum class Isa : int { Scalar = 0, Avx2 = 1, Avx512 = 2 };

// The best ISA this CPU and OS can run (computed once).
Isa detected_isa();
// The ISA kernels use now: detected_isa() capped by WICK_CPU_ISA and set_isa_cap().
Isa active_isa();
// Caps the ISA for tests and benchmarks (never raises it above detected_isa()); -1 goes back to
// the environment's cap.
void set_isa_cap(int isa);
const char* isa_name(Isa isa);

}  // namespace wick::cpu::gemm
