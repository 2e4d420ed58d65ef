#include "core/cpu_features.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__x86_64__) || defined(_M_X64)
#  define WICK_X86 1
#  if defined(_MSC_VER)
#    include <intrin.h>
#  else
#    include <cpuid.h>
#  endif
#endif

namespace wick {

namespace {

#if defined(WICK_X86) && defined(WICK_HAVE_X86_SIMD)
struct Regs {
    unsigned a = 0, b = 0, c = 0, d = 0;
};

Regs cpuid(unsigned leaf, unsigned sub) {
    Regs r;
#  if defined(_MSC_VER)
    int v[4];
    __cpuidex(v, static_cast<int>(leaf), static_cast<int>(sub));
    r.a = static_cast<unsigned>(v[0]), r.b = static_cast<unsigned>(v[1]);
    r.c = static_cast<unsigned>(v[2]), r.d = static_cast<unsigned>(v[3]);
#  else
    if (__get_cpuid_max(0, nullptr) < leaf) return r;
    __cpuid_count(leaf, sub, r.a, r.b, r.c, r.d);
#  endif
    return r;
}

// XCR0: which register states the OS saves. Only valid when CPUID reports OSXSAVE.
unsigned long long xgetbv0() {
#  if defined(_MSC_VER)
    return _xgetbv(0);
#  else
    unsigned lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (static_cast<unsigned long long>(hi) << 32) | lo;
#  endif
}

CpuIsa detect() {
    const Regs l1 = cpuid(1, 0);
    const bool osxsave = (l1.c >> 27) & 1, avx = (l1.c >> 28) & 1, fma = (l1.c >> 12) & 1;
    if (!osxsave || !avx) return CpuIsa::Scalar;
    const unsigned long long xcr0 = xgetbv0();
    const bool os_ymm = (xcr0 & 0x6) == 0x6;      // SSE and AVX state
    const bool os_zmm = (xcr0 & 0xe6) == 0xe6;    // plus opmask, ZMM_Hi256, Hi16_ZMM
    const Regs l7 = cpuid(7, 0);
    const bool avx2 = (l7.b >> 5) & 1;
    const bool f = (l7.b >> 16) & 1, dq = (l7.b >> 17) & 1, bw = (l7.b >> 30) & 1, vl = (l7.b >> 31) & 1;
    if (!(os_ymm && avx2 && fma)) return CpuIsa::Scalar;
    if (os_zmm && f && dq && bw && vl) return CpuIsa::Avx512;
    return CpuIsa::Avx2;
}
#else
CpuIsa detect() { return CpuIsa::Scalar; }  // no x86 SIMD kernels in this build
#endif

struct State {
    CpuIsa best;
    std::atomic<int32_t> active;
    std::mutex note_mutex;
    std::string note;
};

bool parse_isa(const char* s, CpuIsa* out) {
    if (std::strcmp(s, "scalar") == 0) return *out = CpuIsa::Scalar, true;
    if (std::strcmp(s, "avx2") == 0) return *out = CpuIsa::Avx2, true;
    if (std::strcmp(s, "avx512") == 0) return *out = CpuIsa::Avx512, true;
    return false;
}

CpuIsa choose(State& s, CpuIsa requested, const char* source) {
    CpuIsa chosen = static_cast<int>(requested) <= static_cast<int>(s.best) ? requested : s.best;
    std::lock_guard<std::mutex> lock(s.note_mutex);
    s.note.clear();
    if (chosen != requested)
        s.note = std::string(source) + " asked for " + cpu_isa_name(requested) + ", but this CPU (or its operating system) supports at most " +
                 cpu_isa_name(s.best) + "; using " + cpu_isa_name(chosen);
    s.active.store(static_cast<int32_t>(chosen), std::memory_order_relaxed);
    return chosen;
}

State& state() {
    static State* s = [] {
        auto* st = new State();  // never freed: kernels may run during static destruction
        st->best = detect();
        st->active.store(static_cast<int32_t>(st->best), std::memory_order_relaxed);
        if (const char* env = std::getenv("WICK_CPU_ISA"); env != nullptr && *env != '\0') {
            CpuIsa want;
            if (parse_isa(env, &want)) {
                choose(*st, want, "WICK_CPU_ISA");
            } else {
                st->note = std::string("WICK_CPU_ISA=") + env + " is not one of scalar, avx2, avx512; using " + cpu_isa_name(st->best);
            }
        }
        return st;
    }();
    return *s;
}

}  // namespace

const char* cpu_isa_name(CpuIsa isa) {
    switch (isa) {
        case CpuIsa::Scalar: return "scalar";
        case CpuIsa::Avx2: return "avx2";
        case CpuIsa::Avx512: return "avx512";
    }
    return "unknown";
}

CpuIsa cpu_isa_best() { return state().best; }
CpuIsa cpu_isa_active() { return static_cast<CpuIsa>(state().active.load(std::memory_order_relaxed)); }
CpuIsa set_cpu_isa(CpuIsa requested) { return choose(state(), requested, "set_cpu_isa"); }

std::string cpu_isa_note() {
    State& s = state();
    std::lock_guard<std::mutex> lock(s.note_mutex);
    return s.note;
}

}  // namespace wick
