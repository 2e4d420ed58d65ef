#include "cpu/gemm/cpu_features.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#if defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
#include <immintrin.h>
#include <intrin.h>
#define WICK_X86 1
#elif defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define WICK_X86 1
#endif

namespace wick::cpu::gemm {

namespace {

#if defined(WICK_X86)
void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
#if defined(_MSC_VER)
    int v[4];
    __cpuidex(v, static_cast<int>(leaf), static_cast<int>(sub));
    for (int i = 0; i < 4; ++i) r[i] = static_cast<uint32_t>(v[i]);
#else
    __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#endif
}

// XCR0: which register states the OS saves on a context switch (only valid when OSXSAVE is set).
uint64_t xcr0() {
#if defined(_MSC_VER)
    return _xgetbv(0);
#else
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (static_cast<uint64_t>(hi) << 32) | lo;
#endif
}

Isa detect() {
    uint32_t r[4];
    cpuid(0, 0, r);
    const uint32_t max_leaf = r[0];
    if (max_leaf < 7) return Isa::Scalar;
    cpuid(1, 0, r);
    const bool osxsave = (r[2] >> 27) & 1, avx = (r[2] >> 28) & 1, fma = (r[2] >> 12) & 1;
    if (!osxsave || !avx) return Isa::Scalar;
    const uint64_t xcr = xcr0();
    const bool ymm_state = (xcr & 0x6) == 0x6;         // SSE + AVX upper halves
    const bool zmm_state = (xcr & 0xe6) == 0xe6;       // + opmask, ZMM0-15 upper halves, ZMM16-31
    cpuid(7, 0, r);
    const bool avx2 = (r[1] >> 5) & 1, avx512f = (r[1] >> 16) & 1;
    if (!(ymm_state && avx2 && fma)) return Isa::Scalar;
    if (zmm_state && avx512f) return Isa::Avx512;
    return Isa::Avx2;
}
#else
Isa detect() { return Isa::Scalar; }
#endif

// WICK_CPU_ISA, read once: -1 when unset or not recognised.
int env_cap() {
    const char* v = std::getenv("WICK_CPU_ISA");
    if (v == nullptr) return -1;
    if (std::strcmp(v, "scalar") == 0) return static_cast<int>(Isa::Scalar);
    if (std::strcmp(v, "avx2") == 0) return static_cast<int>(Isa::Avx2);
    if (std::strcmp(v, "avx512") == 0) return static_cast<int>(Isa::Avx512);
    return -1;
}

std::atomic<int> g_cap{-2};  // -2: not read from the environment yet

}  // namespace

Isa detected_isa() {
    static const Isa isa = detect();
    return isa;
}

Isa active_isa() {
    int cap = g_cap.load(std::memory_order_relaxed);
    if (cap == -2) {
        int expected = -2;
        g_cap.compare_exchange_strong(expected, env_cap());
        cap = g_cap.load(std::memory_order_relaxed);
    }
    const int detected = static_cast<int>(detected_isa());
    return static_cast<Isa>(cap < 0 || cap > detected ? detected : cap);
}

void set_isa_cap(int isa) { g_cap.store(isa < 0 ? env_cap() : isa, std::memory_order_relaxed); }

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::Scalar: return "scalar";
        case Isa::Avx2: return "avx2";
        case Isa::Avx512: return "avx512";
    }
    return "unknown";
}

}  // namespace wick::cpu::gemm
